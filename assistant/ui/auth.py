"""Who may open the workspace, and with which role.

Users and their roles come from the users file (:mod:`assistant.ui.users`). Anonymous use is allowed only when the app
listens on localhost and ``ui.allow_anonymous_localhost`` is true; anywhere else the
app refuses to start without users, because an open workspace would expose incidents
and let anyone change the knowledge base.

In anonymous local use the workspace asks each browser session for the officer's name once
(:mod:`assistant.ui.officer`); it is kept here by Gradio session, so every record of that session
names the officer instead of the generic 值班员.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from assistant.errors import SettingsError
from assistant.settings import UISettings
from assistant.ui.users import load_users, verify_password

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ANONYMOUS = "值班员"
MAX_SESSIONS = 5000  # named anonymous sessions remembered (the oldest are forgotten first)
NAME_LENGTH = 40
LOGIN_MESSAGE = (
    "<h2>应急决策辅助助手 · Emergency decision support</h2>"
    "<p>请使用值班账号和密码登录（账号由管理员用 <code>assistant users add</code> 创建）。<br>"
    "Sign in with your duty account and password (an admin creates accounts with <code>assistant users add</code>).</p>"
)


class Access:
    """Login checks and roles from the users file, re-read when the file changes (no restart needed)."""

    def __init__(self, settings: UISettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._cache: tuple[float, dict[str, dict[str, str]]] = (-1.0, {})
        self.anonymous = False
        if settings.users_file:
            self._users()  # a broken users file stops the start, not the first login
        elif settings.host in LOCAL_HOSTS and settings.allow_anonymous_localhost:
            self.anonymous = True
        else:
            local = settings.host in LOCAL_HOSTS
            raise SettingsError(
                f"监听 {settings.host} 时必须登录：请设置 ui.users_file（用 `assistant users add NAME --role admin` 创建）"
                f" / logging in is required when listening on {settings.host}: set ui.users_file "
                "(create it with `assistant users add NAME --role admin`)"
                + (
                    ""
                    if not local
                    else "，或开启 ui.allow_anonymous_localhost / or enable ui.allow_anonymous_localhost"
                )
            )

    def _users(self) -> dict[str, dict[str, str]]:
        path = Path(self.settings.users_file)
        with self._lock:
            mtime = path.stat().st_mtime if path.exists() else -1.0
            if mtime != self._cache[0]:
                self._cache = (mtime, load_users(path))
            return self._cache[1]

    def check(self, name: str, password: str) -> bool:
        user = self._users().get(name)
        return user is not None and verify_password(password, user["password"])

    def gradio_auth(self) -> Callable[[str, str], bool] | None:
        """What ``mount_gradio_app(auth=...)`` takes: None only for anonymous local use."""
        return None if self.anonymous else self.check

    def names(self) -> list[str]:
        """Everyone in the users file, offered when assigning an incident (empty when anonymous)."""
        return sorted(self._users()) if self.settings.users_file else []

    def role(self, name: str | None) -> str:
        if self.anonymous or not name:
            return self.settings.anonymous_role
        return self._users().get(name, {}).get("role", "officer")

    def is_admin(self, request: gr.Request | None) -> bool:
        return self.role(username(request)) == "admin"


def username(request: gr.Request | None) -> str | None:
    return getattr(request, "username", None) if request is not None else None


class SessionNames:
    """The names anonymous officers gave, by Gradio session (thread-safe, bounded)."""

    def __init__(self, limit: int = MAX_SESSIONS) -> None:
        self._names: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()
        self.limit = limit

    def remember(self, session: str, name: str) -> str:
        """Keep ``name`` (trimmed, at most NAME_LENGTH characters) for ``session``; returns what was kept."""
        cleaned = " ".join(name.split())[:NAME_LENGTH]
        if not session or not cleaned:
            return ""
        with self._lock:
            self._names[session] = cleaned
            self._names.move_to_end(session)
            while len(self._names) > self.limit:
                self._names.popitem(last=False)
        return cleaned

    def get(self, session: str | None) -> str:
        with self._lock:
            return self._names.get(session or "", "")


SESSION_NAMES = SessionNames()


def session_of(request: gr.Request | None) -> str:
    return str(getattr(request, "session_hash", "") or "") if request is not None else ""


def officer_name(request: gr.Request | None) -> str:
    """The name recorded on status changes, drafts and chats: the login, else the name this browser
    session gave (anonymous local use), else the generic 值班员."""
    return username(request) or SESSION_NAMES.get(session_of(request)) or ANONYMOUS
