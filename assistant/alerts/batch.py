"""One write transaction of the alert store, and what CAP references do inside it.

The batch keeps the incidents it touches in memory and writes each once at commit, so
replaying thousands of readings costs one incident write per incident, not per reading.
``supersede`` and ``cancel`` implement CAP Update and Cancel against stored alerts.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from assistant.alerts.grouping import INCIDENT_COLUMNS, IncidentState, row_of
from assistant.alerts.times import from_db, to_db
from assistant.domain import Alert, Colour, IncidentStatus
from assistant.errors import AssistantError

UPSERT_INCIDENT = (
    f"INSERT OR REPLACE INTO incidents ({', '.join(INCIDENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(INCIDENT_COLUMNS))})"
)


def now_utc() -> datetime:
    return datetime.now(UTC)


def state_from_row(row: sqlite3.Row) -> IncidentState:
    return IncidentState(
        incident_id=row["incident_id"],
        group_key=row["group_key"],
        first_seen=from_db(row["first_seen"]),
        last_seen=from_db(row["last_seen"]),
        title=row["title"],
        latest_alert_id=row["latest_alert_id"],
        status=IncidentStatus(row["status"]),
        hazard=row["hazard"],
        colour=Colour(row["colour"]) if row["colour"] else None,
        level=row["level"],
        count=row["count"],
        peak_value=row["peak_value"],
        peak_exceedance=row["peak_exceedance"],
        latest_value=row["latest_value"],
        unit=row["unit"],
        recent=[float(v) for v in row["recent"].split(",") if v],
        district=row["district"],
        lat=row["lat"],
        lon=row["lon"],
        assignee=row["assignee"],
        urgency=row["urgency"],
        near_site=row["near_site"],
        near_site_km=row["near_site_km"],
        near_rank=row["near_rank"],
    )


class Batch:
    """Incidents touched by one transaction, kept in memory and written once at commit."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.by_key: dict[str, IncidentState | None] = {}
        self.by_id: dict[str, IncidentState] = {}
        self.dirty: dict[str, IncidentState] = {}
        self.now = now_utc()
        self.received_at = to_db(self.now)
        self.known: set[str] | None = None  # ids already stored, when prefetched for a batch

    def prefetch_known(self, alert_ids: list[str]) -> None:
        """Which of a batch's ids are already stored: one query per 500 ids instead of one per alert."""
        self.known = set()
        for start in range(0, len(alert_ids), 500):
            part = alert_ids[start : start + 500]
            marks = ", ".join("?" * len(part))
            rows = self.db.execute(f"SELECT alert_id FROM alerts WHERE alert_id IN ({marks})", part)
            self.known.update(row[0] for row in rows)

    def open_for_key(self, key: str) -> IncidentState | None:
        if key not in self.by_key:
            row = self.db.execute(
                "SELECT * FROM incidents WHERE group_key = ? AND is_open = 1 ORDER BY last_seen DESC LIMIT 1", (key,)
            ).fetchone()
            self.by_key[key] = self._remember(state_from_row(row)) if row else None
        state = self.by_key[key]
        return state if state is not None and state.status is not IncidentStatus.CLOSED else None

    def by_incident(self, incident_id: str) -> IncidentState | None:
        if incident_id not in self.by_id:
            row = self.db.execute("SELECT * FROM incidents WHERE incident_id = ?", (incident_id,)).fetchone()
            if row is None:
                return None
            self._remember(state_from_row(row))
        return self.by_id[incident_id]

    def _remember(self, state: IncidentState) -> IncidentState:
        return self.by_id.setdefault(state.incident_id, state)

    def touch(self, state: IncidentState) -> None:
        self._remember(state)
        self.dirty[state.incident_id] = state

    def event(self, incident_id: str, actor: str, action: str, **fields: Any) -> None:
        self.db.execute(
            "INSERT INTO incident_events (incident_id, at, actor, action, from_status, to_status, note, alert_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                incident_id,
                to_db(self.now),
                actor,
                action,
                fields.get("from_status"),
                fields.get("to_status"),
                fields.get("note", ""),
                fields.get("alert_id"),
            ),
        )

    def flush(self) -> None:
        if self.dirty:
            self.db.executemany(UPSERT_INCIDENT, [row_of(s, self.now) for s in self.dirty.values()])
        self.dirty.clear()


def open_tasks(db: sqlite3.Connection, incident_id: str) -> list[int]:
    """Ids of the incident's tasks that are neither done nor waived (see assistant.tasks)."""
    rows = db.execute(
        "SELECT task_id FROM tasks WHERE incident_id = ? AND is_open = 1 ORDER BY task_id", (incident_id,)
    )
    return [row[0] for row in rows]


def refuse_close_with_open_tasks(db: sqlite3.Connection, incident_id: str) -> None:
    """The close rule: every task done, or waived with a reason, before an incident closes."""
    pending = open_tasks(db, incident_id)
    if pending:
        shown = "、".join(f"T{n}" for n in pending[:8]) + ("…" if len(pending) > 8 else "")
        raise AssistantError(
            f"事件 {incident_id} 还有 {len(pending)} 项任务未完成（{shown}）：请先完成，或写明理由免除后再关闭"
            f"（assistant tasks waive ID --reason 理由 --by 姓名） / incident {incident_id} has {len(pending)} open "
            f"task(s) ({shown.replace('、', ', ')}): complete them, or waive them with a reason, before closing"
        )


def referenced(batch: Batch, targets: list[str]) -> list[sqlite3.Row]:
    if not targets:
        return []
    marks = ", ".join("?" * len(targets))
    return batch.db.execute(
        f"SELECT alert_id, incident_id, state FROM alerts WHERE alert_id IN ({marks})", targets
    ).fetchall()


def supersede(batch: Batch, alert: Alert, targets: list[str], effects: list[str]) -> IncidentState | None:
    joined = None
    for row in referenced(batch, targets):
        if row["state"] == "active":
            batch.db.execute(
                "UPDATE alerts SET state = 'superseded', replaced_by = ? WHERE alert_id = ?",
                (alert.alert_id, row["alert_id"]),
            )
            effects.append(f"superseded {row['alert_id']}")
        if joined is None and row["incident_id"]:
            candidate = batch.by_incident(row["incident_id"])
            if candidate is not None and candidate.status is not IncidentStatus.CLOSED:
                joined = candidate
    return joined


def cancel(batch: Batch, alert: Alert, targets: list[str], effects: list[str]) -> IncidentState | None:
    touched: list[IncidentState] = []
    for row in referenced(batch, targets):
        if row["state"] != "cancelled":
            batch.db.execute(
                "UPDATE alerts SET state = 'cancelled', replaced_by = ? WHERE alert_id = ?",
                (alert.alert_id, row["alert_id"]),
            )
            effects.append(f"cancelled {row['alert_id']}")
        incident = batch.by_incident(row["incident_id"]) if row["incident_id"] else None
        if incident is not None and incident not in touched:
            touched.append(incident)
    for incident in touched:
        active = batch.db.execute(
            "SELECT COUNT(*) FROM alerts WHERE incident_id = ? AND state = 'active'", (incident.incident_id,)
        ).fetchone()[0]
        if active == 0 and incident.status is not IncidentStatus.CLOSED and open_tasks(batch.db, incident.incident_id):
            batch.event(  # the close rule holds for the source too: the officer closes once the tasks are settled
                incident.incident_id,
                f"{alert.sender} (CAP Cancel)",
                "cancelled_with_open_tasks",
                note="来源撤销了全部告警，但仍有未完成任务，事件保持打开 / the source cancelled every alert; "
                "tasks are still open, so the incident stays open",
                alert_id=alert.alert_id,
            )
        elif active == 0 and incident.status is not IncidentStatus.CLOSED:
            before = incident.status
            incident.status = IncidentStatus.CLOSED
            batch.touch(incident)
            batch.event(
                incident.incident_id,
                f"{alert.sender} (CAP Cancel)",
                "cancelled",
                from_status=before.value,
                to_status=IncidentStatus.CLOSED.value,
                note="来源撤销了全部告警 / the source cancelled every alert of this incident",
                alert_id=alert.alert_id,
            )
            effects.append(f"closed {incident.incident_id}")
    return touched[0] if touched else None
