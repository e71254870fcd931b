"""Tasks in the alert database: issued from a draft version, moved forward, noted, never deleted.

Every change is one transaction that also writes an incident event carrying the task's id, so the
incident's history (and the handover) shows who issued, acknowledged, finished or waived what, and
when. ``audit`` (the records audit trail, wired by services) hears of each change after it commits.
Times come from the injected clock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from assistant.alerts.store import AlertStore
from assistant.alerts.times import from_db, to_db
from assistant.domain import IncidentStatus, Loop, PlanDraft, Stage
from assistant.errors import AssistantError, NotFoundError
from assistant.tasks.actions import numbered_actions
from assistant.tasks.clock import Clock
from assistant.tasks.due import DueKind, parse_due
from assistant.tasks.model import FORWARD, Task, TaskEvent, TaskStatus, deadline_for

Audit = Callable[..., None]  # records.log(action, actor=..., subject=..., **detail)
_INSERT = (
    "INSERT INTO tasks (incident_id, draft_id, draft_version, stage, action_no, text, unit, time_limit, loop,"
    " due_kind, due_at, deadline_at, status, is_open, issued_at, issued_by, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"
)


def _who(by: str) -> str:
    if not by.strip():
        raise AssistantError("请用 --by 写明操作人 / say who is acting (--by NAME)")
    return by.strip()


def task_from_row(row: sqlite3.Row) -> Task:
    def when(name: str) -> datetime | None:
        return from_db(row[name]) if row[name] else None

    return Task(
        task_id=row["task_id"],
        incident_id=row["incident_id"],
        draft_id=row["draft_id"],
        draft_version=row["draft_version"],
        stage=Stage(row["stage"]),
        action_no=row["action_no"],
        text=row["text"],
        unit=row["unit"],
        time_limit=row["time_limit"],
        loop=Loop(row["loop"]),
        due_kind=DueKind(row["due_kind"]),
        due_at=when("due_at"),
        deadline_at=when("deadline_at"),
        status=TaskStatus(row["status"]),
        issued_at=from_db(row["issued_at"]),
        issued_by=row["issued_by"],
        updated_at=from_db(row["updated_at"]),
        done_at=when("done_at"),
        waive_reason=row["waive_reason"],
    )


def parse_task_id(text: str | int) -> int:
    """'T12', 't12' or '12' → 12."""
    value = str(text).strip().upper().removeprefix("T")
    if not value.isdigit():
        raise AssistantError(f"任务编号应为 T12 或 12 / a task id looks like T12 or 12, got {text!r}")
    return int(value)


class TaskStore:
    def __init__(self, alerts: AlertStore, clock: Clock, audit: Audit | None = None) -> None:
        self.alerts = alerts
        self.clock = clock
        self.audit = audit

    # ------------------------------------------------------------------ writing

    def issue(
        self, draft: PlanDraft, version: int, by: str, numbers: Iterable[int] | None = None
    ) -> tuple[list[Task], list[int]]:
        """Issue the chosen actions (all when ``numbers`` is None) of one draft version as tasks.

        Returns (the new tasks, numbers skipped because that action of this draft was already issued), so
        a second click issues nothing twice.
        """
        officer = _who(by)
        if not draft.incident_id:
            raise AssistantError(
                f"草案 {draft.draft_id} 未关联事件：请在事件工作台起草后再下达任务 / draft {draft.draft_id} belongs "
                "to no incident: draft it from the incident workspace (or after `assistant alerts ingest`) first"
            )
        actions = numbered_actions(draft)
        wanted = set(numbers) if numbers is not None else {a.number for a in actions}
        unknown = sorted(wanted - {a.number for a in actions})
        if unknown:
            raise AssistantError(
                f"草案没有第 {unknown[0]} 项措施（共 {len(actions)} 项）/ the draft has no action {unknown[0]} "
                f"(it has {len(actions)})"
            )
        now = self.clock.now()
        stamp = to_db(now)
        created: list[int] = []
        skipped: list[int] = []
        with self.alerts.write() as db:
            status = db.execute("SELECT status FROM incidents WHERE incident_id = ?", (draft.incident_id,)).fetchone()
            if status is None:
                raise NotFoundError(f"找不到事件 / no incident {draft.incident_id}")
            if status[0] == IncidentStatus.CLOSED.value:
                raise AssistantError(
                    f"事件 {draft.incident_id} 已关闭，不能下达任务 / incident {draft.incident_id} is closed"
                )
            issued = {
                (row[0], row[1])
                for row in db.execute("SELECT stage, text FROM tasks WHERE incident_id = ?", (draft.incident_id,))
            }
            for item in actions:
                if item.number not in wanted:
                    continue
                action = item.action
                if (item.stage.value, action.text) in issued:
                    skipped.append(item.number)
                    continue
                due = parse_due(action.time_limit)
                due_at = due.due_at(now)
                deadline = deadline_for(due.kind, due_at, TaskStatus.ISSUED)
                cursor = db.execute(
                    _INSERT,
                    (
                        draft.incident_id,
                        draft.draft_id,
                        version,
                        item.stage.value,
                        item.number,
                        action.text,
                        action.unit,
                        action.time_limit,
                        action.loop.value,
                        due.kind.value,
                        to_db(due_at) if due_at else None,
                        to_db(deadline) if deadline else None,
                        TaskStatus.ISSUED.value,
                        stamp,
                        officer,
                        stamp,
                    ),
                )
                task_id = int(cursor.lastrowid or 0)
                created.append(task_id)
                issued.add((item.stage.value, action.text))
                note = f"T{task_id} {action.unit}：{action.text[:60]}（{action.time_limit}）"
                _event(db, draft.incident_id, stamp, officer, "task.issued", note, task_id)
        self._audit("task.issued", officer, draft.incident_id, tasks=created, draft=draft.draft_id, version=version)
        return [self.task(n) for n in created], skipped

    def acknowledge(self, task_id: int | str, by: str, note: str = "") -> Task:
        return self._move(task_id, TaskStatus.ACKNOWLEDGED, by, note)

    def start(self, task_id: int | str, by: str, note: str = "") -> Task:
        return self._move(task_id, TaskStatus.IN_PROGRESS, by, note)

    def done(self, task_id: int | str, by: str, note: str = "") -> Task:
        return self._move(task_id, TaskStatus.DONE, by, note)

    def waive(self, task_id: int | str, by: str, reason: str) -> Task:
        """Set a task aside; the reason is required and recorded (it is what lets the incident close)."""
        if not reason.strip():
            raise AssistantError("免除任务须写明理由 / say why the task is waived (--reason)")
        return self._move(task_id, TaskStatus.WAIVED, by, reason.strip())

    def note(self, task_id: int | str, by: str, text: str) -> Task:
        """Feedback from the unit or the officer, kept with its time and author."""
        officer = _who(by)
        if not text.strip():
            raise AssistantError("反馈内容为空 / the note is empty")
        number = parse_task_id(task_id)
        stamp = to_db(self.clock.now())
        with self.alerts.write() as db:
            task = self._row(db, number)
            db.execute("UPDATE tasks SET updated_at = ? WHERE task_id = ?", (stamp, number))
            _event(db, task.incident_id, stamp, officer, "task.note", f"T{number}：{text.strip()}", number)
        self._audit("task.note", officer, task.incident_id, task=f"T{number}", note=text.strip())
        return self.task(number)

    def _move(self, task_id: int | str, to: TaskStatus, by: str, note: str) -> Task:
        officer = _who(by)
        number = parse_task_id(task_id)
        now = self.clock.now()
        stamp = to_db(now)
        with self.alerts.write() as db:
            task = self._row(db, number)
            if to not in FORWARD[task.status]:
                raise AssistantError(
                    f"任务 T{number} 当前为「{task.status.label('zh')}」，不能改为「{to.label('zh')}」 / task "
                    f"T{number} is {task.status.label('en')} and cannot become {to.label('en')}"
                )
            deadline = deadline_for(task.due_kind, task.due_at, to)
            db.execute(
                "UPDATE tasks SET status = ?, is_open = ?, deadline_at = ?, updated_at = ?, done_at = ?,"
                " waive_reason = ? WHERE task_id = ?",
                (
                    to.value,
                    int(to.is_open),
                    to_db(deadline) if deadline else None,
                    stamp,
                    stamp if to is TaskStatus.DONE else None,
                    note if to is TaskStatus.WAIVED else None,
                    number,
                ),
            )
            late = " 逾期 / overdue" if task.overdue(now) else ""
            text = f"T{number} {task.status.label('zh')}→{to.label('zh')}{late}" + (f"：{note}" if note else "")
            _event(db, task.incident_id, stamp, officer, f"task.{to.value}", text, number)
        self._audit(f"task.{to.value}", officer, task.incident_id, task=f"T{number}", note=note)
        return self.task(number)

    def _audit(self, action: str, actor: str, subject: str, **detail: Any) -> None:
        if self.audit is not None:
            self.audit(action, actor=actor, subject=subject, **detail)

    # ------------------------------------------------------------------ reading

    @staticmethod
    def _row(db: sqlite3.Connection, number: int) -> Task:
        row = db.execute("SELECT * FROM tasks WHERE task_id = ?", (number,)).fetchone()
        if row is None:
            raise NotFoundError(f"找不到任务 / no task T{number}")
        return task_from_row(row)

    def task(self, task_id: int | str) -> Task:
        with self.alerts.read() as db:
            return self._row(db, parse_task_id(task_id))

    def of_incident(self, incident_id: str) -> list[Task]:
        """The incident's tasks in issue order."""
        with self.alerts.read() as db:
            rows = db.execute("SELECT * FROM tasks WHERE incident_id = ? ORDER BY task_id", (incident_id,)).fetchall()
        return [task_from_row(r) for r in rows]

    def open_tasks(self, limit: int = 500) -> list[Task]:
        """Every open task, those with the earliest deadline first (tasks without a clock last)."""
        with self.alerts.read() as db:
            rows = db.execute(
                "SELECT * FROM tasks WHERE is_open = 1 ORDER BY deadline_at IS NULL, deadline_at, task_id LIMIT ?",
                (limit,),
            ).fetchall()
        return [task_from_row(r) for r in rows]

    def open_with_deadline_before(self, moment: datetime) -> list[Task]:
        """Open tasks that are (or will be by ``moment``) overdue, earliest deadline first."""
        with self.alerts.read() as db:
            rows = db.execute(
                "SELECT * FROM tasks WHERE is_open = 1 AND deadline_at IS NOT NULL AND deadline_at < ?"
                " ORDER BY deadline_at",
                (to_db(moment),),
            ).fetchall()
        return [task_from_row(r) for r in rows]

    def history(self, task_id: int | str) -> list[TaskEvent]:
        """Status changes and notes of one task, oldest first."""
        number = parse_task_id(task_id)
        with self.alerts.read() as db:
            rows = db.execute(
                "SELECT at, actor, action, note FROM incident_events WHERE task_id = ? ORDER BY id", (number,)
            ).fetchall()
        return [TaskEvent(from_db(r["at"]), r["actor"], r["action"], r["note"]) for r in rows]


def _event(db: sqlite3.Connection, incident_id: str, at: str, actor: str, action: str, note: str, task_id: int) -> None:
    db.execute(
        "INSERT INTO incident_events (incident_id, at, actor, action, note, task_id) VALUES (?, ?, ?, ?, ?, ?)",
        (incident_id, at, actor, action, note, task_id),
    )
