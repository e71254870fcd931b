"""The alert store: SQLite (WAL) holding alerts, incidents, their history and refusals.

Guarantees the rest of the system relies on:
- idempotent: the same alert identity twice is one record (the second is a duplicate);
- atomic: one message (or one batch, when replaying) is one transaction, so a failure
  never leaves a half-written alert or incident;
- CAP semantics: an ``Update`` supersedes the alerts it references and joins their
  incident; a ``Cancel`` cancels them and closes an incident left with no active alert;
  a reference that arrives before its target is applied when the target arrives;
- nothing is deleted; every status change records who and when.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from assistant.alerts.assets import AssetRegistry
from assistant.alerts.batch import Batch, cancel, now_utc, refuse_close_with_open_tasks, supersede
from assistant.alerts.board import (
    BoardEntry,
    TaskCounts,
    board_query,
    entry_from_row,
    incident_from_row,
    task_counts_from_row,
    task_counts_query,
)
from assistant.alerts.grouping import (
    IncidentState,
    group_key,
    new_incident,
    only_joins,
    opens_incident,
    within_window,
)
from assistant.alerts.identity import reference_ids
from assistant.alerts.migrations import migrate
from assistant.alerts.notable import absorb_noting_colour, note_similar_assets
from assistant.alerts.rows import ALERT_COLUMNS, alert_from_row, alert_row
from assistant.alerts.times import from_db, to_db
from assistant.domain import ASSIGNED, Alert, Incident, IncidentStatus
from assistant.errors import AssistantError, NotFoundError

_FORWARD = {
    IncidentStatus.NEW: (IncidentStatus.ACKNOWLEDGED, IncidentStatus.HANDLING, IncidentStatus.CLOSED),
    IncidentStatus.ACKNOWLEDGED: (IncidentStatus.HANDLING, IncidentStatus.CLOSED),
    IncidentStatus.HANDLING: (IncidentStatus.CLOSED,),
    IncidentStatus.CLOSED: (),
}
# Errors caused by one message's content; anything else (disk full, locked database) is raised.
_MESSAGE_ERRORS = (sqlite3.IntegrityError, sqlite3.InterfaceError, ValueError, TypeError)
_INSERT_ALERT = f"INSERT INTO alerts ({', '.join(ALERT_COLUMNS)}) VALUES ({', '.join('?' * len(ALERT_COLUMNS))})"


@dataclass(frozen=True)
class IngestOutcome:
    alert_id: str
    incident_id: str | None
    duplicate: bool = False
    effects: tuple[str, ...] = ()  # e.g. "superseded msg-…", "cancelled msg-…", "closed inc-…"


@dataclass(frozen=True)
class IncidentEvent:
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    note: str
    alert_id: str | None
    task_id: int | None = None  # set on task changes (assistant.tasks): "task.done" of T12 ...


@dataclass(frozen=True)
class Rejection:
    at: datetime
    source: str
    problem: str


def _event_from_row(r: sqlite3.Row) -> IncidentEvent:
    return IncidentEvent(
        from_db(r["at"]),
        r["actor"],
        r["action"],
        r["from_status"],
        r["to_status"],
        r["note"],
        r["alert_id"],
        r["task_id"],
    )


class AlertStore:
    """One SQLite file; safe to share between threads (one writer at a time)."""

    def __init__(
        self,
        path: str | Path,
        group_window_min: int = 120,
        assets: AssetRegistry | None = None,
        near_km: float = 1.0,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.window = timedelta(minutes=group_window_min)
        self.assets = assets
        self.near_km = near_km
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._lock = threading.RLock()
        with self._lock:
            migrate(self._db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> AlertStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Batch]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                batch = Batch(self._db)
                yield batch
                batch.flush()
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction for the tables other modules keep in this database (tasks, handovers),
        so a task change and its incident event commit together, serialised with alert ingestion."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection for reading those tables (rows are ``sqlite3.Row``)."""
        with self._lock:
            yield self._db

    # ------------------------------------------------------------------ writing

    def ingest(self, alert: Alert) -> IngestOutcome:
        """Store one alert in its own transaction and group it into an incident."""
        with self._transaction() as batch:
            return self._ingest(batch, alert)

    def ingest_many(self, alerts: Iterable[Alert], batch_size: int = 2000) -> list[IngestOutcome]:
        """Bulk ingestion in batched transactions; a failing batch is retried one message at a time
        and a message that still fails is kept in ``rejections`` (it gets no outcome)."""
        outcomes: list[IngestOutcome] = []
        chunk: list[Alert] = []
        for alert in alerts:
            chunk.append(alert)
            if len(chunk) >= batch_size:
                outcomes.extend(self._ingest_chunk(chunk))
                chunk = []
        if chunk:
            outcomes.extend(self._ingest_chunk(chunk))
        return outcomes

    def _ingest_chunk(self, chunk: list[Alert]) -> list[IngestOutcome]:
        try:
            with self._transaction() as batch:
                batch.prefetch_known([alert.alert_id for alert in chunk])
                return [self._ingest(batch, alert) for alert in chunk]
        except _MESSAGE_ERRORS:
            pass
        outcomes = []
        for alert in chunk:  # one message per transaction, so one bad message costs only itself
            try:
                outcomes.append(self.ingest(alert))
            except _MESSAGE_ERRORS as err:
                problem = f"无法保存告警 / cannot store alert {alert.alert_id}: {type(err).__name__}: {err}"
                self.record_rejection("alert store", problem, alert.raw or "")
        return outcomes

    def _ingest(self, batch: Batch, alert: Alert) -> IngestOutcome:
        if batch.known is None or alert.alert_id in batch.known:
            existing = batch.db.execute(
                "SELECT incident_id FROM alerts WHERE alert_id = ?", (alert.alert_id,)
            ).fetchone()
            if existing is not None:
                return IngestOutcome(alert.alert_id, existing[0], duplicate=True)
        effects: list[str] = []
        state, replaced_by = "active", None
        if alert.sensor is None:
            for referrer, kind in batch.db.execute(
                "SELECT alert_id, msg_type FROM alert_refs WHERE ref_id = ?", (alert.alert_id,)
            ):
                if state != "cancelled":
                    state, replaced_by = ("cancelled" if kind == "Cancel" else "superseded"), referrer
        targets = reference_ids(alert.references)
        incident: IncidentState | None = None
        if alert.msg_type == "Cancel":
            incident = cancel(batch, alert, targets, effects)
        else:
            if alert.msg_type == "Update":
                incident = supersede(batch, alert, targets, effects)
            if state == "active" and (opens_incident(alert) or only_joins(alert)):
                incident = self._group(batch, alert, incident, create=not only_joins(alert))
        row = alert_row(alert, batch.received_at, state, replaced_by, incident.incident_id if incident else None)
        batch.db.execute(_INSERT_ALERT, row)
        if batch.known is not None:
            batch.known.add(alert.alert_id)
        if targets:
            batch.db.executemany(
                "INSERT OR IGNORE INTO alert_refs (alert_id, ref_id, msg_type) VALUES (?, ?, ?)",
                [(alert.alert_id, target, alert.msg_type) for target in targets],
            )
        return IngestOutcome(alert.alert_id, incident.incident_id if incident else None, effects=tuple(effects))

    def _group(
        self, batch: Batch, alert: Alert, joined: IncidentState | None, create: bool = True
    ) -> IncidentState | None:
        if joined is not None and joined.status is not IncidentStatus.CLOSED:
            absorb_noting_colour(batch, joined, alert)
            return joined
        key = group_key(alert)
        current = batch.open_for_key(key)
        if current is not None and within_window(current, alert, self.window):
            absorb_noting_colour(batch, current, alert)
            return current
        if not create:
            return None
        state = new_incident(alert, key)
        self._place(state)
        batch.by_key[key] = state
        batch.touch(state)
        batch.event(state.incident_id, "system", "created", to_status=state.status.value, alert_id=alert.alert_id)
        note_similar_assets(batch, state, alert, self.assets)
        return state

    def _place(self, state: IncidentState) -> None:
        """Nearest sensitive site, so the board can rank by closeness."""
        if self.assets is None or state.lat is None or state.lon is None:
            return
        nearest = self.assets.nearest_site(state.lat, state.lon)
        if nearest is not None:
            site, km = nearest
            state.near_site, state.near_site_km = site.name, round(km, 3)
            state.near_rank = 0 if km <= self.near_km else 1

    def record_rejection(self, source: str, problem: str, payload: str | bytes = "") -> None:
        """Keep a refused payload and the reason, so nothing sent to us is lost."""
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8", errors="replace")
        with self._lock:
            self._db.execute(
                "INSERT INTO rejections (at, source, problem, payload) VALUES (?, ?, ?, ?)",
                (to_db(now_utc()), source, problem, payload[:2_000_000]),
            )

    def transition(self, incident_id: str, to: IncidentStatus, by: str, note: str = "") -> Incident:
        """Move an incident forward (new → acknowledged → handling → closed), recording who and when."""
        if not by.strip():
            raise AssistantError("请用 --by 写明操作人 / say who is acting (--by NAME)")
        with self._transaction() as batch:
            state = batch.by_incident(incident_id)
            if state is None:
                raise NotFoundError(f"找不到事件 / no incident {incident_id}")
            if to not in _FORWARD[state.status]:
                raise AssistantError(
                    f"事件 {incident_id} 当前为 {state.status.value}，不能改为 {to.value} / "
                    f"incident {incident_id} is {state.status.value} and cannot become {to.value}"
                )
            if to is IncidentStatus.CLOSED:
                refuse_close_with_open_tasks(batch.db, incident_id)
            before = state.status
            state.status = to
            if to in (IncidentStatus.ACKNOWLEDGED, IncidentStatus.HANDLING):
                state.assignee = by
            batch.touch(state)
            batch.event(incident_id, by, to.value, from_status=before.value, to_status=to.value, note=note)
        return self.incident(incident_id)

    def assign(self, incident_id: str, assignee: str, by: str) -> Incident:
        """Hand an open incident to a named officer; the event records who assigned it to whom."""
        if not by.strip():
            raise AssistantError("请用 --by 写明操作人 / say who is acting (--by NAME)")
        if not assignee.strip():
            raise AssistantError("请写明指派给谁 / say who the incident is assigned to")
        with self._transaction() as batch:
            state = batch.by_incident(incident_id)
            if state is None:
                raise NotFoundError(f"找不到事件 / no incident {incident_id}")
            if state.status is IncidentStatus.CLOSED:
                raise AssistantError(f"事件 {incident_id} 已关闭，不能指派 / incident {incident_id} is closed")
            state.assignee = assignee.strip()
            batch.touch(state)
            batch.event(incident_id, by, ASSIGNED, note=state.assignee)
        return self.incident(incident_id)

    def record_event(self, incident_id: str, actor: str, action: str, note: str = "") -> None:
        """Note something that happened to an incident outside the alert flow (e.g. a level proposed by a draft)."""
        with self._transaction() as batch:
            if batch.by_incident(incident_id) is None:
                raise NotFoundError(f"找不到事件 / no incident {incident_id}")
            batch.event(incident_id, actor, action, note=note)

    # ------------------------------------------------------------------ reading

    def alert(self, alert_id: str) -> Alert:
        with self._lock:
            row = self._db.execute("SELECT * FROM alerts WHERE alert_id = ?", (alert_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"找不到告警 / no alert {alert_id}")
        return alert_from_row(row)

    def alert_state(self, alert_id: str) -> tuple[str, str | None]:
        """(active | superseded | cancelled, id of the message that replaced it)."""
        with self._lock:
            row = self._db.execute("SELECT state, replaced_by FROM alerts WHERE alert_id = ?", (alert_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"找不到告警 / no alert {alert_id}")
        return row["state"], row["replaced_by"]

    def alerts_of(self, incident_id: str, limit: int = 200) -> list[Alert]:
        """The incident's alerts, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM alerts WHERE incident_id = ? ORDER BY sent DESC LIMIT ?", (incident_id, limit)
            ).fetchall()
        return [alert_from_row(r) for r in rows]

    def incident(self, incident_id: str) -> Incident:
        with self._lock:
            row = self._db.execute("SELECT * FROM incidents WHERE incident_id = ?", (incident_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"找不到事件 / no incident {incident_id}")
        return incident_from_row(row)

    def board_entry(self, incident_id: str, now: datetime | None = None) -> BoardEntry:
        with self._lock:
            row = self._db.execute("SELECT * FROM incidents WHERE incident_id = ?", (incident_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"找不到事件 / no incident {incident_id}")
            tasks = self._task_counts([incident_id], now)
        return entry_from_row(row, tasks.get(incident_id))

    def _task_counts(self, incident_ids: list[str], now: datetime | None) -> dict[str, TaskCounts]:
        """Tasks done/total, overdue at ``now`` and next deadline, for incidents that have tasks."""
        if not incident_ids:
            return {}
        sql, params = task_counts_query(incident_ids, to_db(now or now_utc()))
        return {row["incident_id"]: task_counts_from_row(row) for row in self._db.execute(sql, params)}

    def events(self, incident_id: str) -> list[IncidentEvent]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM incident_events WHERE incident_id = ? ORDER BY id", (incident_id,)
            ).fetchall()
        return [_event_from_row(r) for r in rows]

    def events_between(self, start: datetime, end: datetime, actions: Sequence[str]) -> list[tuple[str, IncidentEvent]]:
        """(incident id, event) of the given kinds recorded in [start, end), oldest first: what a shift saw."""
        marks = ", ".join("?" * len(actions))
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM incident_events WHERE at >= ? AND at < ? AND action IN ({marks}) ORDER BY at, id",
                (to_db(start), to_db(end), *actions),
            ).fetchall()
        return [(r["incident_id"], _event_from_row(r)) for r in rows]

    def board(
        self,
        hazard: str | None = None,
        colour: str | None = None,
        district: str | None = None,
        status: str | None = None,
        limit: int = 50,
        now: datetime | None = None,
    ) -> list[BoardEntry]:
        """Open incidents ranked for the officer (see :mod:`assistant.alerts.board`), each with its tasks
        counted at ``now`` (the task clock; default the system clock)."""
        sql, params = board_query(hazard, colour, district, status, limit)
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
            tasks = self._task_counts([r["incident_id"] for r in rows], now)
        return [entry_from_row(r, tasks.get(r["incident_id"])) for r in rows]

    def rejections(self, limit: int = 50) -> list[Rejection]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM rejections ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [Rejection(from_db(r["at"]), r["source"], r["problem"]) for r in rows]

    def counts(self) -> dict[str, int]:
        with self._lock:
            one = self._db.execute
            return {
                "alerts": one("SELECT COUNT(*) FROM alerts").fetchone()[0],
                "incidents": one("SELECT COUNT(*) FROM incidents").fetchone()[0],
                "open_incidents": one("SELECT COUNT(*) FROM incidents WHERE is_open = 1").fetchone()[0],
                "rejections": one("SELECT COUNT(*) FROM rejections").fetchone()[0],
            }
