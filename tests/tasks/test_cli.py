"""``assistant tasks ...`` through the real entry point, against a settings file and data dir in tmp."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.alerts.store import AlertStore
from assistant.cli import commands, main
from assistant.errors import AssistantError
from assistant.records import Records
from tests.tasks.conftest import draft_for, gas_reading


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(f"data_dir: {tmp_path / 'data'}\nui:\n  utc_offset: '+08:00'\n", encoding="utf-8")
    return path


@pytest.fixture
def incident_id(tmp_path: Path, settings: Path) -> str:
    """An incident in the data dir's alerts.db and a draft for it (version 1) in records.db."""
    with AlertStore(tmp_path / "data" / "alerts.db") as store:
        incident = store.ingest(gas_reading()).incident_id or ""  # type: ignore[arg-type]
    records = Records(tmp_path / "data" / "records.db")
    records.save_draft(draft_for(incident), officer="张伟")
    records.close()
    return incident


def tasks(settings: Path, *argv: str) -> int:
    return main(["--settings", str(settings), "tasks", *argv])


def test_the_tasks_group_is_registered() -> None:
    assert "tasks" in commands.GROUPS


def test_issue_move_note_and_close_from_the_shell(
    settings: Path, incident_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tasks(settings, "actions", "d-gas") == 0
    listed = capsys.readouterr().out
    assert "  5. [应急处置] 关闭泄漏点上游阀门切断气源 · 燃气企业抢修人员 · 接报后30分钟内到场 (by)" in listed
    assert "  6. [应急处置] 对受影响建筑开展安全评估 · 住房城乡建设部门 · 处置结束后 (event)" in listed

    assert tasks(settings, "issue", "d-gas", "--actions", "4-6", "--by", "张伟") == 0
    out = capsys.readouterr().out
    assert "已下达 3 项任务" in out
    assert "   T1 [已下达 · 逾期] 时限 立即（接警后立即） · 城运中心值班员" in out  # 立即: late until a unit takes it
    assert "   T2 [已下达] 时限 " in out and "（接报后30分钟内到场） · 燃气企业抢修人员" in out
    assert "T3 [已下达] 时限 无时钟时限（处置结束后）" in out
    assert tasks(settings, "issue", "d-gas", "--actions", "4", "--by", "张伟") == 0
    assert "已下达 0 项任务，1 项此前已下达（4）" in capsys.readouterr().out

    assert tasks(settings, "ack", "T1", "--by", "李娜") == 0
    assert "   T1 [已签收] 时限 立即" in capsys.readouterr().out
    assert tasks(settings, "done", "2", "--by", "王强", "--note", "阀门已关闭") == 0
    assert tasks(settings, "note", "T3", "评估单位已联系", "--by", "李娜") == 0
    capsys.readouterr()
    assert tasks(settings, "show", "T2") == 0
    shown = capsys.readouterr().out
    assert "[已完成]" in shown and "王强: task.done T2 已下达→已完成：阀门已关闭" in shown

    with pytest.raises(AssistantError, match="还有 2 项任务未完成（T1、T3）"):
        main(["--settings", str(settings), "alerts", "close", incident_id, "--by", "张伟"])
    assert tasks(settings, "waive", "T1", "--reason", "区应急局已到场，无需电话通知", "--by", "张伟") == 0
    assert tasks(settings, "waive", "T3", "--reason", "无建筑受损", "--by", "张伟") == 0
    capsys.readouterr()
    assert tasks(settings, "list", incident_id) == 0
    assert "T3 [已免除] 时限 无时钟时限（处置结束后）" in capsys.readouterr().out
    assert main(["--settings", str(settings), "alerts", "close", incident_id, "--by", "张伟"]) == 0
    assert "closed · 任务 1/3 免除2" in capsys.readouterr().out


def test_listing_and_bad_input(settings: Path, incident_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert tasks(settings, "list") == 0
    assert "没有任务" in capsys.readouterr().out
    tasks(settings, "issue", "d-gas", "--by", "张伟")
    capsys.readouterr()
    assert tasks(settings, "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 9 and rows[0]["due_kind"] == "at_once" and rows[0]["incident_id"] == incident_id
    with pytest.raises(AssistantError, match="超出范围"):
        tasks(settings, "issue", "d-gas", "--actions", "10", "--by", "张伟")
    with pytest.raises(AssistantError, match="no draft"):
        tasks(settings, "issue", "nope", "--by", "张伟")
    with pytest.raises(AssistantError, match="no incident"):
        tasks(settings, "list", "inc-missing")
