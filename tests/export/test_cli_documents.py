"""``assistant draft --out plan.pdf``, ``approve`` and ``export`` end to end on a small real install."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document

from assistant.cli import main
from assistant.documents import approval_of, approve
from assistant.errors import NotFoundError
from assistant.records import Records
from assistant.settings import PROJECT_ROOT, load_settings
from tests.export.test_pdf import PDF_TOOLS_HINT
from tests.small_library import use_small_install
from tests.tools import need_program

GAS_ALARM = PROJECT_ROOT / "examples" / "alerts" / "gas_alarm.json"


@pytest.fixture
def small_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_small_install(tmp_path, monkeypatch)
    monkeypatch.delenv("ASSISTANT_LLM_BASE_URL", raising=False)
    monkeypatch.setenv("ASSISTANT_ISSUING_UNIT", "老城区城运中心")
    return tmp_path


def _draft(out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["draft", "--alert", str(GAS_ALARM), "--out", str(out), "--officer", "张三"]) == 0
    found = re.search(r"草案 ([0-9a-f]+)：", capsys.readouterr().err)
    assert found, "the draft id is reported"
    return found.group(1)


def _header_text(path: Path) -> str:
    section = Document(str(path)).sections[0]
    return "".join(p.text for h in (section.header, section.even_page_header) for p in h.paragraphs)


@pytest.mark.slow
def test_draft_straight_to_pdf(small_install: Path, capsys: pytest.CaptureFixture[str]) -> None:
    need_program("soffice", "pdfinfo", "pdftotext", what=PDF_TOOLS_HINT)
    out = small_install / "plan.pdf"
    _draft(out, capsys)
    text = re.sub(r"\s", "", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout)
    assert "编制单位：老城区城运中心" in text and "值班员：张三" in text and "草案" in text
    assert all(stage in text for stage in ("风险管控", "监测预警", "应急处置", "调查评估"))
    assert not list(small_install.glob("*.docx")), "only the PDF is left where it was asked for"


@pytest.mark.slow
def test_approval_drops_the_draft_mark_and_is_recorded(small_install: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft_id = _draft(small_install / "plan.docx", capsys)
    assert _header_text(small_install / "plan.docx").startswith("草案")
    assert main(["approve", draft_id, "--officer", "王五"]) == 0
    assert main(["export", draft_id, "--out", str(small_install / "approved.docx")]) == 0
    doc = Document(str(small_install / "approved.docx"))
    assert "草案" not in _header_text(small_install / "approved.docx")
    texts = [p.text for p in doc.paragraphs]
    assert "（草案）" not in texts[0] and any(t.startswith("审核：王五 (") for t in texts)
    assert "值班员：张三" in texts and "编制单位：老城区城运中心" in texts

    records = Records(load_settings().data_path("records.db"))
    try:
        approval = approval_of(records, draft_id, 1)
        assert approval is not None and approval.by == "王五"
        assert approval_of(records, draft_id, 2) is None  # a later version would need its own approval
        trail = records.audit_trail(subject=draft_id)
        assert any(e["action"] == "draft.approved" and e["actor"] == "王五" for e in trail)
        with pytest.raises(NotFoundError):
            approve(records, draft_id, 7, "王五")
    finally:
        records.close()
    with pytest.raises(NotFoundError):
        main(["export", "no-such-draft", "--out", str(small_install / "x.md")])
