"""批准 / Approve in the workspace: only a named duty leader, recorded in the audit trail, and the
downloads of the approved version lose the DRAFT mark while a revised version carries it again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from uuid import uuid4

import gradio as gr
import pytest
from docx import Document

from assistant.records import Records
from assistant.settings import load_settings
from assistant.ui.approval import approval_line, approve_shown
from assistant.ui.auth import SESSION_NAMES, Access
from assistant.ui.downloads import export_files
from assistant.ui.users import add_user
from tests.factories import make_draft


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[SimpleNamespace]:
    users = tmp_path / "users.yaml"
    add_user(users, "zhang", "duty-pass-1", "admin")
    add_user(users, "li", "duty-pass-1", "officer")
    settings = load_settings(
        env={"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT__UI__USERS_FILE": str(users)}
    )
    records = Records(tmp_path / "records.db")
    records.save_draft(make_draft(), officer="li")
    yield SimpleNamespace(services=SimpleNamespace(records=records, settings=settings), access=Access(settings.ui))
    records.close()


def _header(path: Path) -> str:
    return "".join(p.text for p in Document(str(path)).sections[0].header.paragraphs)


def test_the_duty_leader_approves_the_version_on_screen_and_the_word_file_loses_its_mark(
    workspace: SimpleNamespace,
) -> None:
    services, access = workspace.services, workspace.access
    line, version = approval_line(services, "d-test", "zh")  # type: ignore[arg-type]
    assert version == 1 and "草案" in line and "批准" in line
    word, _ = export_files(services, make_draft(), 1)  # type: ignore[arg-type]
    assert _header(word).startswith("草案")

    with pytest.raises(gr.Error, match="值班领导"):  # an officer drafts, but does not sign off
        approve_shown(services, access, gr.Request(username="li"), "d-test", 1, "zh")  # type: ignore[arg-type]
    assert approval_line(services, "d-test", "zh")[0] == line  # type: ignore[arg-type]

    approval = approve_shown(services, access, gr.Request(username="zhang"), "d-test", 1, "zh")  # type: ignore[arg-type]
    assert approval.by == "zhang"
    entry = services.records.audit_trail(subject="d-test")[-1]
    assert (entry["action"], entry["actor"], entry["detail"]["version"]) == ("draft.approved", "zhang", 1)
    line, _ = approval_line(services, "d-test", "en")  # type: ignore[arg-type]
    assert line.startswith("Version 1 approved by zhang (") and "no DRAFT mark" in line
    approved_word, _ = export_files(services, make_draft(), 1)  # type: ignore[arg-type]
    assert approved_word != word and _header(approved_word) == ""
    texts = [p.text for p in Document(str(approved_word)).paragraphs]
    assert any(t.startswith("审核：zhang") for t in texts) and "（草案）" not in texts[0]

    services.records.save_draft(make_draft(), change="edited", officer="li")  # a revision is a draft again
    line, version = approval_line(services, "d-test", "zh")  # type: ignore[arg-type]
    assert version == 2 and line.startswith("第 2 版为草案")
    assert _header(export_files(services, make_draft(), 2)[0]).startswith("草案")  # type: ignore[arg-type]
    with pytest.raises(gr.Error, match="第 2 版"):  # the page still showed version 1
        approve_shown(services, access, gr.Request(username="zhang"), "d-test", 1, "zh")  # type: ignore[arg-type]


def test_anonymous_local_use_needs_a_name_to_approve(tmp_path: Path) -> None:
    settings = load_settings(env={"ASSISTANT_DATA_DIR": str(tmp_path)})
    access = Access(settings.ui)  # localhost without users: anonymous, role from ui.anonymous_role (admin)
    records = Records(tmp_path / "records.db")
    records.save_draft(make_draft(), officer="值班员")
    services = SimpleNamespace(records=records, settings=settings)
    session = f"approval-{uuid4().hex}"  # SESSION_NAMES is the app's, shared with other tests
    try:
        with pytest.raises(gr.Error, match="署名"):
            approve_shown(services, access, gr.Request(session_hash=session), "d-test", 1, "zh")  # type: ignore[arg-type]
        assert all(e["action"] != "draft.approved" for e in records.audit_trail(subject="d-test"))
        SESSION_NAMES.remember(session, "王五")  # the name the officer gave at the top of the page
        approval = approve_shown(services, access, gr.Request(session_hash=session), "d-test", 1, "zh")  # type: ignore[arg-type]
        assert approval.by == "王五" and records.audit_trail(subject="d-test")[-1]["actor"] == "王五"
    finally:
        records.close()
