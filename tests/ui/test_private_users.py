"""The users file holds password hashes: written 0600, refused when group or others can read it;
anonymous local use records the name the browser session gave, not the generic 值班员."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.cli import main
from assistant.errors import SettingsError
from assistant.settings import load_settings
from assistant.ui.auth import ANONYMOUS, LOGIN_MESSAGE, SESSION_NAMES, Access, SessionNames, officer_name
from assistant.ui.users import add_user, load_users

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_users_add_writes_the_file_for_its_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    users = tmp_path / "users.yaml"
    monkeypatch.setenv("ASSISTANT_NEW_PASSWORD", "night-shift-7")
    previous = os.umask(0o022)  # the usual umask would give 0644
    try:
        assert main(["users", "add", "zhang", "--role", "admin", "--file", str(users)]) == 0
    finally:
        os.umask(previous)
    assert _mode(users) == 0o600
    assert set(load_users(users)) == {"zhang"}


def test_a_users_file_others_can_read_is_refused_with_the_fix(tmp_path: Path) -> None:
    users = tmp_path / "users.yaml"
    add_user(users, "zhang", "night-shift-7", "admin")
    users.chmod(0o644)
    settings = load_settings(env={"ASSISTANT_DATA_DIR": str(tmp_path), "ASSISTANT__UI__USERS_FILE": str(users)})
    with pytest.raises(SettingsError) as refused:
        Access(settings.ui)
    message = str(refused.value)
    assert message.startswith("用户文件") and "0644" in message and f"chmod 600 {users}" in message
    assert message.index("同组或其他用户可读取") < message.index("group or others can read")  # Chinese first


def test_adding_a_user_to_a_readable_file_makes_it_private(tmp_path: Path) -> None:
    users = tmp_path / "users.yaml"
    add_user(users, "zhang", "night-shift-7", "admin")
    users.chmod(0o640)
    add_user(users, "li", "night-shift-8", "officer")
    assert _mode(users) == 0o600 and set(load_users(users)) == {"zhang", "li"}


def test_an_anonymous_session_is_recorded_under_the_name_it_gave() -> None:
    alone, named = (
        SimpleNamespace(username=None, session_hash="s-1"),
        SimpleNamespace(username=None, session_hash="s-2"),
    )
    assert SESSION_NAMES.remember("s-2", "  王 值班  ") == "王 值班"
    assert officer_name(named) == "王 值班"  # type: ignore[arg-type]
    assert officer_name(alone) == ANONYMOUS  # type: ignore[arg-type]
    assert officer_name(SimpleNamespace(username="zhang", session_hash="s-2")) == "zhang"  # type: ignore[arg-type]


def test_session_names_are_bounded() -> None:
    names = SessionNames(limit=2)
    for n in range(3):
        names.remember(f"s{n}", f"officer {n}")
    assert names.get("s0") == "" and names.get("s2") == "officer 2"
    assert names.remember("s3", "   ") == ""


def test_the_login_page_message_is_chinese_first() -> None:
    assert LOGIN_MESSAGE.index("请使用值班账号") < LOGIN_MESSAGE.index("Sign in")
