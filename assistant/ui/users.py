"""The users file: salted scrypt password hashes and roles, readable without the web stack.

Kept apart from the Gradio code so ``assistant users add`` starts in a blink and the
hashing can be tested on its own. The file maps
``name: {password: "scrypt$<salt>$<hash>", role: officer|admin}``; no password is
ever stored in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import yaml

from assistant.errors import SettingsError

ROLES = ("officer", "admin")
MIN_PASSWORD = 8


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt, _digest = stored.split("$")
        salt_bytes = bytes.fromhex(salt)
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(hash_password(password, salt_bytes), stored)


def load_users(path: str | Path) -> dict[str, dict[str, str]]:
    """Users by name; a missing or malformed file is a settings error naming the file."""
    file = Path(path)
    if not file.exists():
        raise SettingsError(
            f"找不到用户文件 / users file not found: {file} (create it with `assistant users add NAME`)"
        )
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        users = {
            str(name): {"password": str(entry["password"]), "role": str(entry.get("role", "officer"))}
            for name, entry in data.items()
        }
    except (yaml.YAMLError, AttributeError, KeyError, TypeError) as err:
        raise SettingsError(
            f"用户文件格式错误 / malformed users file {file}: each user needs a password hash and a role ({err})"
        ) from err
    bad = [f"{name}: {u['role']}" for name, u in users.items() if u["role"] not in ROLES]
    if bad:
        raise SettingsError(f"用户角色只能是 officer 或 admin / roles must be officer or admin: {', '.join(bad)}")
    return users


def add_user(path: Path, name: str, password: str, role: str) -> None:
    """Create a user or reset their password and role, storing only the salted hash."""
    if role not in ROLES:
        raise SettingsError(f"角色只能是 {'/'.join(ROLES)} / role must be one of {', '.join(ROLES)}")
    if not name.strip() or len(password) < MIN_PASSWORD:
        raise SettingsError(
            f"用户名不能为空，密码至少{MIN_PASSWORD}位 / name must not be empty, password needs {MIN_PASSWORD}+ characters"
        )
    users = load_users(path) if path.exists() else {}
    users[name.strip()] = {"password": hash_password(password), "role": role}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(users, allow_unicode=True, sort_keys=True), encoding="utf-8")
