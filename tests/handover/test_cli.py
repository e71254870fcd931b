"""``assistant handover`` writes the handover as Word or Markdown and records the incoming officer's acknowledgement."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from assistant.alerts.store import AlertStore
from assistant.cli import main
from assistant.errors import AssistantError
from assistant.records import Records
from tests.small_library import use_small_install
from tests.tasks.conftest import gas_reading


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir with one open gas incident; the three-document library, searched lexically (reports read it)."""
    use_small_install(tmp_path, monkeypatch)
    path = tmp_path / "settings.yaml"
    path.write_text(f"data_dir: {tmp_path / 'data'}\nexport:\n  issuing_unit: 老城区城运中心\n", encoding="utf-8")
    with AlertStore(tmp_path / "data" / "alerts.db") as store:
        store.ingest(gas_reading())  # type: ignore[arg-type]
    return path


def handover(settings: Path, *argv: str) -> int:
    return main(["--settings", str(settings), "handover", *argv])


def test_word_then_acknowledged_by_the_incoming_officer(
    settings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "handover.docx"
    assert handover(settings, "--since", "12h", "--by", "张伟", "--out", str(out)) == 0
    assert "第 1 号交接班已记录，已写入" in capsys.readouterr().err
    word = Document(str(out))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "交接班记录" in text and "交班人：张伟" in text and "编制单位：老城区城运中心" in text
    cells = {c.text for table in word.tables for row in table.rows for c in row.cells}
    assert any("中山路12号地下室可燃气体探测器" in c for c in cells)  # the open incident
    assert "待报送信息" in text and "信息报送模块未接入" not in text  # the reports module was asked
    with pytest.raises(AssistantError, match="交班人 张伟 不能确认"):
        handover(settings, "--ack", "1", "--by", "张伟")
    assert handover(settings, "--ack", "1", "--by", "李娜") == 0
    assert "已由 李娜 确认接班" in capsys.readouterr().out
    audit = Records(tmp_path / "data" / "records.db")
    assert [e["action"] for e in audit.audit_trail()] == ["handover.prepared", "handover.acknowledged"]
    audit.close()


def test_markdown_and_the_default_period(settings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "handover.md"
    assert handover(settings, "--by", "张伟", "--out", str(out), "--lang", "en") == 0
    assert out.read_text(encoding="utf-8").startswith("# Shift handover, ")
    assert handover(settings, "--by", "李娜") == 0  # printed; starts where the last one ended
    assert "## 一、值守概况" in capsys.readouterr().out
    with pytest.raises(AssistantError, match=r"\.docx 或 \.md"):
        handover(settings, "--by", "张伟", "--out", str(tmp_path / "handover.pdf"))
