"""`assistant report status|draft|send|export` on a real data dir (shipped library, alert ingested by the CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from assistant.cli import main
from assistant.reports.store import ReportStore
from assistant.settings import PROJECT_ROOT

ALERT = PROJECT_ROOT / "evals" / "alerts" / "report_gas_explosion_injured_zh.xml"


@pytest.mark.slow
def test_report_draft_send_export_from_the_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    assert main(["alerts", "ingest", str(ALERT)]) == 0
    incident = capsys.readouterr().out.split("incidents: ")[1].split()[0].rstrip(",")
    assert main(["report", "status", incident]) == 0
    status = capsys.readouterr().out
    assert "生产安全事故报告和调查处理条例" in status and "1小时内" in status
    out = tmp_path / "first.docx"
    assert main(["report", "draft", incident, "--by", "王值班", "--phone", "010-5555 0101", "--out", str(out)]) == 0
    drafted = capsys.readouterr()
    assert "首报" in drafted.out and "受伤2人" in drafted.out and "untraced" not in drafted.err
    store = ReportStore(tmp_path / "data" / "reports.db")
    report_id = store.of_incident(incident)[0].report.report_id
    store.close()
    assert (
        main(["report", "send", report_id, "--to", "区应急管理局", "--by", "王值班", "--at", "2026-12-03 12:05"]) == 0
    )
    assert "2026-12-03 12:05" in capsys.readouterr().out
    assert main(["report", "export", report_id, "--out", str(tmp_path / "sent.docx")]) == 0
    sent = "\n".join(p.text for p in Document(str(tmp_path / "sent.docx")).paragraphs)
    assert "区应急管理局" in sent and "010-5555 0101" in sent
    assert "受伤2人" in "\n".join(p.text for p in Document(str(out)).paragraphs)
