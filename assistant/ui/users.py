"""The users file: salted scrypt password hashes and roles, readable without the web stack.

Kept apart from the Gradio code so ``assistant users add`` starts in a blink and the
hashing can be tested on its own. The file maps
``name: {password: "scrypt$<salt>$<hash>", role: officer|admin}``; no password is
ever stored in clear, and the file is written readable by its owner only (0600): a hash that
others can read can be attacked offline, so a file group or others can read is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
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


def check_private(file: Path) -> None:
    """Refuse a users file that group or others may read (POSIX permissions)."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(file.stat().st_mode)
    if mode & 0o077:
        raise SettingsError(
            f"用户文件 {file} 的权限为 {mode:04o}，同组或其他用户可读取密码哈希；请执行 chmod 600 {file} 后重试 / "
            f"the users file {file} has mode {mode:04o}: group or others can read the password hashes; "
            f"run `chmod 600 {file}` and try again"
        )


def load_users(path: str | Path, private: bool = True) -> dict[str, dict[str, str]]:
    """Users by name; a missing, malformed or (with ``private``) group/world-readable file is a settings error."""
    file = Path(path)
    if not file.exists():
        raise SettingsError(
            f"找不到用户文件 / users file not found: {file} (create it with `assistant users add NAME`)"
        )
    if private:
        check_private(file)
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
    users = load_users(path, private=False) if path.exists() else {}  # writing it again makes it private
    users[name.strip()] = {"password": hash_password(password), "role": role}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, yaml.safe_dump(users, allow_unicode=True, sort_keys=True))


def write_private(path: Path, body: str) -> None:
    """Write ``body`` to ``path`` readable and writable by the owner only (0600), replacing it atomically."""
    partial = path.with_name(f".{path.name}.part")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(body)
    os.chmod(partial, 0o600)  # whatever the umask
    os.replace(partial, path)
