"""SQLite records of what was generated from what: drafts, chat turns and an audit trail.

Nothing is overwritten: an officer's edit or a revision is a new version of the draft
with its parent recorded, so a superior can always see what the machine proposed and
what a person changed. Schema changes are an ordered list of migrations.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.domain import PlanDraft
from assistant.errors import NotFoundError
from assistant.export.json_codec import draft_from_json, draft_to_json

_SCHEMA_1 = """
        CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            draft_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            parent_version INTEGER,
            change TEXT NOT NULL,
            officer TEXT,
            incident_id TEXT,
            alert_id TEXT,
            engine TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            body TEXT NOT NULL,
            retrieved TEXT NOT NULL,
            timings TEXT NOT NULL,
            UNIQUE (draft_id, version)
        );
        CREATE INDEX drafts_incident ON drafts (incident_id);
        CREATE INDEX drafts_officer ON drafts (officer);
        CREATE TABLE chat_turns (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            officer TEXT,
            incident_id TEXT,
            engine TEXT,
            prompt_version TEXT,
            covered INTEGER,
            citations TEXT NOT NULL,
            retrieved TEXT NOT NULL,
            timings TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX chat_session ON chat_turns (session_id);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT,
            action TEXT NOT NULL,
            subject TEXT,
            detail TEXT NOT NULL
        );
"""

# Ordered schema migrations; each runs once, in one transaction, and bumps user_version.
MIGRATIONS: tuple[str, ...] = (_SCHEMA_1,)


@dataclass(frozen=True)
class DraftRecord:
    draft: PlanDraft
    version: int
    parent_version: int | None
    change: str  # generated | edited | revised | stage_regenerated
    officer: str | None
    created_at: str
    retrieved: tuple[str, ...]
    timings: dict[str, float]


@dataclass(frozen=True)
class ChatTurn:
    session_id: str
    role: str
    content: str
    officer: str | None
    incident_id: str | None
    engine: str | None
    covered: bool | None
    citations: tuple[str, ...]
    created_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Records:
    """One SQLite file; safe to share between the UI's worker threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._lock = threading.Lock()
        self._migrate()

    def _migrate(self) -> None:
        current = self._db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self._lock:
                self._db.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------ drafts

    def save_draft(
        self,
        draft: PlanDraft,
        *,
        change: str = "generated",
        officer: str | None = None,
        retrieved: Sequence[str] = (),
        timings: dict[str, float] | None = None,
    ) -> DraftRecord:
        """Store ``draft`` as the next version of its draft_id; the previous version is its parent."""
        with self._transaction() as db:
            row = db.execute("SELECT MAX(version) FROM drafts WHERE draft_id=?", (draft.draft_id,)).fetchone()
            parent = row[0]
            version = (parent or 0) + 1
            created = _now()
            db.execute(
                "INSERT INTO drafts (draft_id, version, parent_version, change, officer, incident_id, alert_id,"
                " engine, prompt_version, created_at, body, retrieved, timings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    draft.draft_id,
                    version,
                    parent,
                    change,
                    officer,
                    draft.incident_id,
                    draft.alert_id,
                    draft.engine,
                    draft.prompt_version,
                    created,
                    draft_to_json(draft),
                    json.dumps(list(retrieved)),
                    json.dumps(timings or {}),
                ),
            )
            db.execute(
                "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?,?,?,?,?)",
                (created, officer, f"draft.{change}", draft.draft_id, json.dumps({"version": version})),
            )
        return DraftRecord(draft, version, parent, change, officer, created, tuple(retrieved), dict(timings or {}))

    def _draft_record(self, row: sqlite3.Row | tuple[Any, ...]) -> DraftRecord:
        version, parent, change, officer, created, body, retrieved, timings = row
        return DraftRecord(
            draft=draft_from_json(body),
            version=version,
            parent_version=parent,
            change=change,
            officer=officer,
            created_at=created,
            retrieved=tuple(json.loads(retrieved)),
            timings=json.loads(timings),
        )

    _DRAFT_COLUMNS = "version, parent_version, change, officer, created_at, body, retrieved, timings"

    def draft_versions(self, draft_id: str) -> list[DraftRecord]:
        rows = self._db.execute(
            f"SELECT {self._DRAFT_COLUMNS} FROM drafts WHERE draft_id=? ORDER BY version", (draft_id,)
        ).fetchall()
        return [self._draft_record(r) for r in rows]

    def latest_draft(self, draft_id: str) -> DraftRecord:
        row = self._db.execute(
            f"SELECT {self._DRAFT_COLUMNS} FROM drafts WHERE draft_id=? ORDER BY version DESC LIMIT 1", (draft_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"没有这份草案 / no draft with id {draft_id}")
        return self._draft_record(row)

    def list_drafts(
        self, incident_id: str | None = None, officer: str | None = None, limit: int = 200
    ) -> list[dict[str, Any]]:
        """One row per stored version, newest first, for the records page."""
        where, params = self._filters(incident_id=incident_id, officer=officer)
        rows = self._db.execute(
            "SELECT draft_id, version, change, officer, incident_id, alert_id, engine, prompt_version, created_at"
            f" FROM drafts {where} ORDER BY id DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
        keys = ("draft_id", "version", "change", "officer", "incident_id", "alert_id", "engine", "prompt_version")
        return [dict(zip((*keys, "created_at"), r, strict=True)) for r in rows]

    # ------------------------------------------------------------ chat

    def add_chat_turn(
        self,
        session_id: str,
        role: str,
        content: str,
        *,
        officer: str | None = None,
        incident_id: str | None = None,
        engine: str | None = None,
        prompt_version: str | None = None,
        covered: bool | None = None,
        citations: Sequence[str] = (),
        retrieved: Sequence[str] = (),
        timings: dict[str, float] | None = None,
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO chat_turns (session_id, role, content, officer, incident_id, engine, prompt_version,"
                " covered, citations, retrieved, timings, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    session_id,
                    role,
                    content,
                    officer,
                    incident_id,
                    engine,
                    prompt_version,
                    None if covered is None else int(covered),
                    json.dumps(list(citations)),
                    json.dumps(list(retrieved)),
                    json.dumps(timings or {}),
                    _now(),
                ),
            )

    def chat_turns(
        self, session_id: str | None = None, incident_id: str | None = None, officer: str | None = None
    ) -> list[ChatTurn]:
        where, params = self._filters(session_id=session_id, incident_id=incident_id, officer=officer)
        rows = self._db.execute(
            "SELECT session_id, role, content, officer, incident_id, engine, covered, citations, created_at"
            f" FROM chat_turns {where} ORDER BY id",
            params,
        ).fetchall()
        return [
            ChatTurn(s, r, c, o, i, e, None if cov is None else bool(cov), tuple(json.loads(cit)), at)
            for s, r, c, o, i, e, cov, cit, at in rows
        ]

    # ------------------------------------------------------------ audit

    def log(self, action: str, *, actor: str | None = None, subject: str | None = None, **detail: Any) -> None:
        """Record who did what (document removed, incident closed ...), for accountability."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?,?,?,?,?)",
                (_now(), actor, action, subject, json.dumps(detail, ensure_ascii=False, default=str)),
            )

    def audit_trail(self, subject: str | None = None, actor: str | None = None) -> list[dict[str, Any]]:
        where, params = self._filters(subject=subject, actor=actor)
        rows = self._db.execute(f"SELECT at, actor, action, subject, detail FROM audit {where} ORDER BY id", params)
        return [
            {"at": at, "actor": a, "action": act, "subject": s, "detail": json.loads(d)}
            for at, a, act, s, d in rows.fetchall()
        ]

    @staticmethod
    def _filters(**values: str | None) -> tuple[str, tuple[str, ...]]:
        present = {k: v for k, v in values.items() if v}
        if not present:
            return "", ()
        return "WHERE " + " AND ".join(f"{k}=?" for k in present), tuple(present.values())
