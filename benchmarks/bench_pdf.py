"""PDF copies: LibreOffice's conversion against writing the same Word document, in the same run.

An officer waits for the PDF after clicking 生成 PDF, so its time is measured apart from
drafting: the first conversion (LibreOffice starts and sets up its profile) and warm
ones, on the two real drafts the layout tests use.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from assistant.export.json_codec import draft_from_dict
from assistant.export.pdf import docx_to_pdf, find_soffice
from assistant.export.word import write_docx
from assistant.settings import PROJECT_ROOT
from benchmarks.report import BenchResult, Check

DRAFTS = PROJECT_ROOT / "tests" / "export" / "fixtures"
NAMES = ("draft_gas_alarm", "draft_rainstorm_orange_beijing")
TARGET_WARM_P95_S = 10.0  # an officer clicking 生成 PDF should not wait longer


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(quick: bool = False) -> BenchResult:
    title = "PDF copy by LibreOffice vs writing the Word document"
    if find_soffice() is None:
        return BenchResult(name="pdf", title=title, rows=[], notes=["LibreOffice (soffice) is not installed: skipped"])
    rounds = 2 if quick else 5
    drafts = [draft_from_dict(json.loads((DRAFTS / f"{n}.json").read_text(encoding="utf-8"))) for n in NAMES]
    word, pdf = [], []
    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "profile"
        started = time.perf_counter()
        first_docx = write_docx(drafts[0], Path(folder) / "first.docx")
        docx_to_pdf(first_docx, Path(folder) / "first.pdf", profile=profile)
        cold_s = time.perf_counter() - started
        for index in range(rounds):
            for draft in drafts:
                docx = Path(folder) / f"{draft.draft_id}-{index}.docx"
                t0 = time.perf_counter()
                write_docx(draft, docx)
                word.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                docx_to_pdf(docx, docx.with_suffix(".pdf"), profile=profile)
                pdf.append(time.perf_counter() - t0)
    rows = [
        {"what": "Word document (baseline)", "p50 s": statistics.median(word), "p95 s": _p95(word)},
        {"what": "PDF conversion", "p50 s": statistics.median(pdf), "p95 s": _p95(pdf)},
    ]
    return BenchResult(
        name="pdf",
        title=title,
        rows=rows,
        checks=[Check("warm PDF conversion p95 (s)", _p95(pdf), TARGET_WARM_P95_S, at_most=True)],
        notes=[
            f"PDF/Word p50 ratio {statistics.median(pdf) / statistics.median(word):.1f}",
            f"first conversion with a fresh LibreOffice profile (Word + PDF): {cold_s:.1f} s",
            f"{rounds} rounds × {len(drafts)} real drafts (31 and 33 actions)",
        ],
    )


if __name__ == "__main__":
    print(run().markdown())
