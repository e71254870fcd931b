"""`assistant users add`: the users file holds salted hashes and roles, and bad input is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.cli import main
from assistant.errors import SettingsError
from assistant.settings import load_settings
from assistant.ui.auth import Access
from assistant.ui.users import verify_password


def test_users_add_writes_a_hashed_password_and_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    users = tmp_path / "users.yaml"
    monkeypatch.setenv("ASSISTANT_NEW_PASSWORD", "night-shift-7")
    assert main(["users", "add", "张伟", "--role", "admin", "--file", str(users)]) == 0
    assert main(["users", "add", "li", "--file", str(users)]) == 0
    stored = yaml.safe_load(users.read_text(encoding="utf-8"))
    assert "night-shift-7" not in users.read_text(encoding="utf-8")
    assert verify_password("night-shift-7", stored["张伟"]["password"])
    settings = load_settings(env={"ASSISTANT_DATA_DIR": str(tmp_path), "ASSISTANT__UI__USERS_FILE": str(users)})
    access = Access(settings.ui)
    assert access.role("张伟") == "admin" and access.role("li") == "officer"


def test_users_add_refuses_a_short_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_NEW_PASSWORD", "short")
    monkeypatch.setenv("ASSISTANT_RAISE_ERRORS", "1")
    with pytest.raises(SettingsError, match="密码至少8位"):
        main(["users", "add", "li", "--file", str(tmp_path / "u.yaml")])
    assert not (tmp_path / "u.yaml").exists()
