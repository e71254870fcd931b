from dataclasses import replace
from pathlib import Path

import pytest

from assistant.errors import NotFoundError
from assistant.records import Records
from tests.factories import make_draft


def test_edits_become_versions_and_nothing_is_overwritten(tmp_path: Path) -> None:
    records = Records(tmp_path / "records.db")
    first = records.save_draft(make_draft(), retrieved=["doc01:0001"], timings={"total_s": 0.4})
    edited = replace(make_draft(), summary="值班员修改后的概要")
    second = records.save_draft(edited, change="edited", officer="张三")
    assert (first.version, second.version, second.parent_version) == (1, 2, 1)
    records.close()

    reopened = Records(tmp_path / "records.db")
    versions = reopened.draft_versions("d-test")
    assert [v.draft.summary for v in versions] == [make_draft().summary, "值班员修改后的概要"]
    assert versions[0].retrieved == ("doc01:0001",) and versions[0].timings == {"total_s": 0.4}
    assert reopened.latest_draft("d-test").officer == "张三"
    assert [r["change"] for r in reopened.list_drafts(officer="张三")] == ["edited"]
    assert len(reopened.list_drafts(incident_id="i1")) == 2
    assert [a["action"] for a in reopened.audit_trail(subject="d-test")] == ["draft.generated", "draft.edited"]
    with pytest.raises(NotFoundError):
        reopened.latest_draft("missing")


def test_chat_turns_and_audit(tmp_path: Path) -> None:
    records = Records(tmp_path / "records.db")
    records.add_chat_turn("s1", "user", "燃气泄漏怎么处置？", officer="李四", incident_id="i1")
    records.add_chat_turn("s1", "assistant", "先切断气源[1]", engine="offline-drafter", covered=True, citations=["c1"])
    records.add_chat_turn("s2", "user", "other", officer="王五")
    turns = records.chat_turns(session_id="s1")
    assert [t.role for t in turns] == ["user", "assistant"]
    assert turns[1].covered is True and turns[1].citations == ("c1",)
    assert len(records.chat_turns(officer="王五")) == 1
    records.log("kb.remove", actor="admin", subject="doc01", title="旧预案")
    assert records.audit_trail(actor="admin")[0]["detail"] == {"title": "旧预案"}
