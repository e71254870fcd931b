"""Who may open the workspace: anonymous only on localhost, users with hashed passwords otherwise.

A users file (YAML) lists ``name: {password: "scrypt$<salt>$<hash>", role: officer|admin}``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from pathlib import Path

import yaml

from assistant.errors import SettingsError
from assistant.settings import UISettings

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
ROLES = ("officer", "admin")


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt, _digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    return hmac.compare_digest(hash_password(password, bytes.fromhex(salt)), stored)


def load_users(path: str) -> dict[str, dict[str, str]]:
    if not path:
        return {}
    file = Path(path)
    if not file.exists():
        raise SettingsError(f"找不到用户文件 / users file not found: {file}")
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    return {
        str(name): {"password": str(v["password"]), "role": str(v.get("role", "officer"))} for name, v in data.items()
    }


def authenticator(settings: UISettings) -> Callable[[str, str], bool] | None:
    """Gradio's auth callable, or None when anonymous local use is allowed; refuses unsafe setups."""
    users = load_users(settings.users_file)
    local = settings.host in LOCAL_HOSTS
    if not users:
        if local and settings.allow_anonymous_localhost:
            return None
        raise SettingsError(
            f"监听 {settings.host} 时必须登录：请设置 ui.users_file / logging in is required when listening on "
            f"{settings.host}: set ui.users_file (hashed passwords)"
        )

    def check(name: str, password: str) -> bool:
        user = users.get(name)
        return user is not None and verify_password(password, user["password"])

    return check


def role_of(settings: UISettings, name: str | None) -> str:
    """The role of a logged-in user; anonymous local use gets settings.anonymous_role."""
    if not name:
        return settings.anonymous_role
    return load_users(settings.users_file).get(name, {}).get("role", "officer")


def add_user(path: Path, name: str, password: str, role: str) -> None:
    """Create or replace one user in the users file, storing only the salted scrypt hash."""
    if role not in ROLES:
        raise SettingsError(f"角色只能是 {'/'.join(ROLES)} / role must be one of {', '.join(ROLES)}")
    if not name.strip() or len(password) < 8:
        raise SettingsError("用户名不能为空，密码至少8位 / name must not be empty, password needs 8+ characters")
    users = load_users(str(path)) if path.exists() else {}
    users[name.strip()] = {"password": hash_password(password), "role": role}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(users, allow_unicode=True, sort_keys=True), encoding="utf-8")
