"""SQLite store of reports up the chain: every version kept, and when which version was sent to whom.

Like drafts, nothing is overwritten: an officer's edit is a new version with its parent recorded;
marking a version sent records the recipient, the time it went and who recorded it. Schema changes
are an ordered list of migrations (``PRAGMA user_version``), in the file ``reports.db`` of the data dir.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import AssistantError, NotFoundError
from assistant.reports.model import Report, report_from_json, report_to_json

_SCHEMA_1 = """
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    parent_version INTEGER,
    incident_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    change TEXT NOT NULL,
    officer TEXT,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (report_id, version)
);
CREATE INDEX reports_incident ON reports (incident_id, id);
CREATE TABLE report_sends (
    id INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    sent_to TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    officer TEXT NOT NULL
);
CREATE INDEX report_sends_report ON report_sends (report_id, version);
"""
MIGRATIONS: tuple[str, ...] = (_SCHEMA_1,)


@dataclass(frozen=True)
class Sending:
    version: int
    to: str
    at: datetime  # when it went (as the officer states it), UTC
    officer: str
    recorded_at: datetime


@dataclass(frozen=True)
class ReportRecord:
    report: Report
    version: int
    parent_version: int | None
    change: str  # drafted | edited
    officer: str | None
    created_at: datetime
    sent: Sending | None = None  # this version's sending, if it was sent


def _utc(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")


def _read(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ReportStore:
    """One SQLite file; safe to share between the UI's worker threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._lock = threading.Lock()
        current = self._db.execute("PRAGMA user_version").fetchone()[0]
        if current > len(MIGRATIONS):
            raise AssistantError(
                f"报告库版本 {current} 比本程序新 / reports.db schema {current} is newer than this program; upgrade"
            )
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

    def save(self, report: Report, change: str, officer: str | None, at: datetime) -> ReportRecord:
        """Store ``report`` as the next version of its report_id."""
        with self._transaction() as db:
            parent = db.execute("SELECT MAX(version) FROM reports WHERE report_id=?", (report.report_id,)).fetchone()[0]
            version = (parent or 0) + 1
            db.execute(
                "INSERT INTO reports (report_id, version, parent_version, incident_id, kind, seq, change, officer,"
                " created_at, body) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    report.report_id,
                    version,
                    parent,
                    report.incident_id,
                    report.kind.value,
                    report.seq,
                    change,
                    officer,
                    _utc(at),
                    report_to_json(report),
                ),
            )
        return ReportRecord(report, version, parent, change, officer, _read(_utc(at)))

    def _sendings(self, report_id: str) -> dict[int, Sending]:
        rows = self._db.execute(
            "SELECT version, sent_to, sent_at, officer, recorded_at FROM report_sends WHERE report_id=? ORDER BY id",
            (report_id,),
        ).fetchall()
        return {v: Sending(v, to, _read(at), who, _read(rec)) for v, to, at, who, rec in rows}

    def versions(self, report_id: str) -> list[ReportRecord]:
        rows = self._db.execute(
            "SELECT version, parent_version, change, officer, created_at, body FROM reports WHERE report_id=?"
            " ORDER BY version",
            (report_id,),
        ).fetchall()
        if not rows:
            raise NotFoundError(f"没有这份报告 / no report with id {report_id}")
        sent = self._sendings(report_id)
        return [
            ReportRecord(report_from_json(body), v, parent, change, officer, _read(created), sent.get(v))
            for v, parent, change, officer, created, body in rows
        ]

    def latest(self, report_id: str) -> ReportRecord:
        return self.versions(report_id)[-1]

    def of_incident(self, incident_id: str) -> list[ReportRecord]:
        """The newest version of each of the incident's reports, oldest report first."""
        ids = [
            r[0]
            for r in self._db.execute(
                "SELECT report_id FROM reports WHERE incident_id=? GROUP BY report_id ORDER BY MIN(id)", (incident_id,)
            ).fetchall()
        ]
        return [self.latest(report_id) for report_id in ids]

    def mark_sent(self, report_id: str, version: int, to: str, at: datetime, officer: str, now: datetime) -> Sending:
        """Record that this version went to ``to`` at ``at``; a version is sent once."""
        if not to.strip():
            raise AssistantError("请写明报送对象 / say to whom the report was sent")
        if not officer.strip():
            raise AssistantError("请写明操作人 / say who is recording the sending")
        known = {r.version: r for r in self.versions(report_id)}
        if version not in known:
            raise NotFoundError(f"报告 {report_id} 没有第 {version} 版 / report {report_id} has no version {version}")
        if known[version].sent is not None:
            done = known[version].sent
            assert done is not None
            raise AssistantError(
                f"报告 {report_id} 第 {version} 版已于 {done.at.isoformat()} 报送 {done.to} / "
                f"version {version} of {report_id} was already sent to {done.to}"
            )
        with self._transaction() as db:
            db.execute(
                "INSERT INTO report_sends (report_id, version, sent_to, sent_at, recorded_at, officer)"
                " VALUES (?,?,?,?,?,?)",
                (report_id, version, to.strip(), _utc(at), _utc(now), officer.strip()),
            )
        return Sending(version, to.strip(), _read(_utc(at)), officer.strip(), _read(_utc(now)))

    def sent_reports(self, incident_id: str) -> list[tuple[Report, Sending]]:
        """Every sent version of the incident's reports, in the order they were sent."""
        found = []
        for record in self.of_incident(incident_id):
            for version in self.versions(record.report.report_id):
                if version.sent is not None:
                    found.append((version.report, version.sent))
        return sorted(found, key=lambda pair: pair[1].at)
