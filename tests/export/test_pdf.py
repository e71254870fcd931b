"""PDF copies made by LibreOffice from the same Word document, checked page by page with poppler.

The PDFs and a PNG of each first page go to artifacts/export/ for a person to look at.
Without LibreOffice or poppler these tests skip locally and fail in CI (tests/tools.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from assistant.export.json_codec import draft_from_dict
from assistant.export.layout import ExportContext
from assistant.export.pdf import (
    INSTALL_HINT,
    PDFConversionError,
    PDFUnavailableError,
    docx_to_pdf,
    font_replacements,
    installed_families,
)
from assistant.export.word import write_docx
from assistant.settings import PROJECT_ROOT
from tests.tools import need_program

FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = PROJECT_ROOT / "artifacts" / "export"
PDF_TOOLS_HINT = (
    "需要 Debian 软件包 libreoffice-writer-nogui poppler-utils fonts-noto-cjk / needs the Debian packages "
    "libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk (`make test` installs them when run as root)"
)
# Pages of the plan before its sources annex, and in all. GB/T 9704 sets the body in 3号 (16 pt) on a
# 28.95 pt line pitch; at that size these real drafts need five and six pages before the annex.
PAGE_BUDGET = {"draft_rainstorm_orange_beijing": (5, 6), "draft_gas_alarm": (6, 7)}


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout


def _pages(pdf: Path) -> int:
    info = _run("pdfinfo", str(pdf))
    assert "(A4)" in info, info
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def test_without_libreoffice_the_error_says_what_to_install(tmp_path: Path) -> None:
    docx = write_docx(draft_from_dict(json.loads((FIXTURES / "draft_gas_alarm.json").read_text())), tmp_path / "a.docx")
    with pytest.raises(PDFUnavailableError) as raised:
        docx_to_pdf(docx, tmp_path / "a.pdf", soffice="assistant-test-no-such-soffice")
    assert str(raised.value) == INSTALL_HINT and "libreoffice-writer-nogui" in INSTALL_HINT
    assert not (tmp_path / "a.pdf").exists()


def _fake_soffice(folder: Path, body: str) -> str:
    script = folder / "fake-soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_a_failed_or_hung_conversion_is_an_error_and_leaves_nothing(tmp_path: Path) -> None:
    docx = write_docx(draft_from_dict(json.loads((FIXTURES / "draft_gas_alarm.json").read_text())), tmp_path / "a.docx")
    failing = _fake_soffice(tmp_path, "echo 'source file could not be loaded' >&2; exit 1")
    with pytest.raises(PDFConversionError, match="could not be loaded"):
        docx_to_pdf(docx, tmp_path / "a.pdf", soffice=failing, profile=tmp_path / "profile")
    marker = tmp_path / "still-running"
    (tmp_path / "hang").mkdir()
    hanging = _fake_soffice(tmp_path / "hang", f"sh -c 'sleep 2; touch {marker}' & wait")
    with pytest.raises(PDFConversionError, match=r"0\.5 s"):
        docx_to_pdf(docx, tmp_path / "a.pdf", soffice=hanging, profile=tmp_path / "profile", timeout_s=0.5)
    time.sleep(2.5)
    assert not marker.exists(), "the whole LibreOffice process group is ended on a timeout"
    assert not list(tmp_path.glob("a.pdf*"))


def test_missing_official_fonts_map_to_installed_ones_of_the_same_kind() -> None:
    pairs = dict(font_replacements(frozenset({"Noto Serif CJK SC", "Noto Sans CJK SC", "仿宋"})))
    assert pairs["仿宋_GB2312"] == "Noto Serif CJK SC" and "仿宋" not in pairs  # installed: left alone
    assert pairs["方正小标宋简体"] == "Noto Serif CJK SC" and pairs["黑体"] == "Noto Sans CJK SC"
    assert pairs["楷体_GB2312"] == "Noto Serif CJK SC"  # no Kai font installed: the serif one
    assert font_replacements(frozenset()) == []  # nothing to map to: LibreOffice's own fallback decides


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PAGE_BUDGET))
def test_real_drafts_convert_to_a4_pdf_within_their_page_budget(name: str, tmp_path: Path) -> None:
    need_program("soffice", "pdfinfo", "pdftoppm", "pdftotext", "pdffonts", what=PDF_TOOLS_HINT)
    draft = draft_from_dict(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = ExportContext(issuing_unit="示例市城市运行管理中心", drafted_by="张三")
    docx = write_docx(draft, ARTIFACTS / f"{name}.docx", context)
    pdf = docx_to_pdf(docx, ARTIFACTS / f"{name}.pdf", profile=tmp_path / "profile")

    pages = _pages(pdf)
    texts = [_run("pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-") for n in range(1, pages + 1)]
    annex_page = next(n for n, text in enumerate(texts, start=1) if "资料来源" in text and "附件" in text)
    body_budget, total_budget = PAGE_BUDGET[name]
    assert annex_page - 1 <= body_budget and pages <= total_budget, (annex_page, pages)
    title = draft.title.replace("（草案）", "")
    assert title in re.sub(r"\s", "", texts[0]) and "草案" in texts[0]
    for number, text in enumerate(texts, start=1):  # "— N —" on every page
        assert re.search(rf"—\s*{number}\s*—", text), number
    assert "值班员：张三" in re.sub(r"\s", "", "".join(texts))

    fonts = _run("pdffonts", str(pdf))
    assert "CJK" in fonts, fonts  # Chinese glyphs come from a CJK font, not boxes
    if "Noto Serif CJK SC" in installed_families():
        assert "NotoSerifCJK" in fonts  # the 仿宋 body was mapped to the serif CJK font, not to a sans one

    png = ARTIFACTS / f"{name}-page1.png"
    _run("pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(png.with_suffix("")))
    with Image.open(png) as image:
        width, height = image.size
        assert height / width == pytest.approx(297 / 210, rel=0.01)
        darkest, _ = image.convert("L").getextrema()
        assert darkest < 64  # text was drawn
