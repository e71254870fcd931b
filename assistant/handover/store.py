"""Handovers kept in the alert database: what was handed over (as written), by whom, and who took it.

The incoming officer's acknowledgement is recorded once, with the time from the task clock, and
also reported to the audit trail; the outgoing officer cannot acknowledge their own handover.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from assistant.alerts.store import AlertStore
from assistant.alerts.times import from_db, to_db
from assistant.errors import AssistantError, NotFoundError
from assistant.handover.model import Period
from assistant.tasks.clock import Clock
from assistant.tasks.store import Audit


@dataclass(frozen=True)
class HandoverRecord:
    handover_id: int
    created_at: datetime
    created_by: str
    period: Period
    lang: str
    body: str  # the Markdown handed over, exactly as shown
    acknowledged_by: str | None
    acknowledged_at: datetime | None


def _record(row: sqlite3.Row) -> HandoverRecord:
    return HandoverRecord(
        handover_id=row["handover_id"],
        created_at=from_db(row["created_at"]),
        created_by=row["created_by"],
        period=Period(from_db(row["period_start"]), from_db(row["period_end"]), from_db(row["next_end"])),
        lang=row["lang"],
        body=row["body"],
        acknowledged_by=row["acknowledged_by"],
        acknowledged_at=from_db(row["acknowledged_at"]) if row["acknowledged_at"] else None,
    )


class HandoverStore:
    def __init__(self, alerts: AlertStore, clock: Clock, audit: Audit | None = None) -> None:
        self.alerts = alerts
        self.clock = clock
        self.audit = audit

    def save(self, period: Period, by: str, lang: str, body: str) -> HandoverRecord:
        stamp = to_db(self.clock.now())
        with self.alerts.write() as db:
            cursor = db.execute(
                "INSERT INTO handovers (created_at, created_by, period_start, period_end, next_end, lang, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (stamp, by, to_db(period.start), to_db(period.end), to_db(period.next_end), lang, body),
            )
            number = int(cursor.lastrowid or 0)
        if self.audit:
            self.audit("handover.prepared", actor=by, subject=f"handover-{number}", period_end=to_db(period.end))
        return self.get(number)

    def acknowledge(self, handover_id: int, by: str) -> HandoverRecord:
        """The incoming officer takes the shift; recorded once."""
        officer = by.strip()
        if not officer:
            raise AssistantError("请写明接班人 / say who takes over (--by NAME)")
        stamp = to_db(self.clock.now())
        with self.alerts.write() as db:
            row = db.execute("SELECT * FROM handovers WHERE handover_id = ?", (handover_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"找不到交接班记录 / no handover {handover_id}")
            current = _record(row)
            if current.acknowledged_by:
                raise AssistantError(
                    f"第 {handover_id} 号交接班已由 {current.acknowledged_by} 确认 / handover {handover_id} was already "
                    f"acknowledged by {current.acknowledged_by}"
                )
            if officer == current.created_by:
                raise AssistantError(
                    f"接班确认须由接班人本人完成，交班人 {officer} 不能确认 / the incoming officer acknowledges a "
                    f"handover, not the one who handed over ({officer})"
                )
            db.execute(
                "UPDATE handovers SET acknowledged_by = ?, acknowledged_at = ? WHERE handover_id = ?",
                (officer, stamp, handover_id),
            )
        if self.audit:
            self.audit("handover.acknowledged", actor=officer, subject=f"handover-{handover_id}")
        return self.get(handover_id)

    def get(self, handover_id: int) -> HandoverRecord:
        with self.alerts.read() as db:
            row = db.execute("SELECT * FROM handovers WHERE handover_id = ?", (handover_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"找不到交接班记录 / no handover {handover_id}")
        return _record(row)

    def latest(self) -> HandoverRecord | None:
        with self.alerts.read() as db:
            row = db.execute("SELECT * FROM handovers ORDER BY handover_id DESC LIMIT 1").fetchone()
        return _record(row) if row else None
