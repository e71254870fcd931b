"""A task: one action of a draft handed to its responsible unit, with a due time and a status.

Statuses move forward only: issued → acknowledged → in progress → done, or waived with a
reason from any open status; a step may be skipped (a unit may report done straight away).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from assistant.domain import Loop, Stage
from assistant.tasks.due import DueKind


class TaskStatus(enum.StrEnum):
    ISSUED = "issued"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WAIVED = "waived"

    @property
    def is_open(self) -> bool:
        return self not in (TaskStatus.DONE, TaskStatus.WAIVED)

    def label(self, lang: str) -> str:
        return STATUS_LABELS["en" if lang == "en" else "zh"][self.value]


STATUS_LABELS = {
    "zh": {"issued": "已下达", "acknowledged": "已签收", "in_progress": "处置中", "done": "已完成", "waived": "已免除"},
    "en": {
        "issued": "issued",
        "acknowledged": "acknowledged",
        "in_progress": "in progress",
        "done": "done",
        "waived": "waived",
    },
}
FORWARD: dict[TaskStatus, tuple[TaskStatus, ...]] = {
    TaskStatus.ISSUED: (TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.WAIVED),
    TaskStatus.ACKNOWLEDGED: (TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.WAIVED),
    TaskStatus.IN_PROGRESS: (TaskStatus.DONE, TaskStatus.WAIVED),
    TaskStatus.DONE: (),
    TaskStatus.WAIVED: (),
}


def deadline_for(kind: DueKind, due_at: datetime | None, status: TaskStatus) -> datetime | None:
    """When the task turns overdue unless it moves on; None when no clock applies (any more).

    A task with a stated duration is overdue when its due time passes before it is done. A task due
    立即 (at once) asks the unit to take it up at once: it is overdue while nobody has acknowledged it,
    and no longer once the unit has — its completion has no stated time, and none is invented.
    """
    if due_at is None or not status.is_open:
        return None
    if kind is DueKind.AT_ONCE:
        return due_at if status is TaskStatus.ISSUED else None
    return due_at if kind is DueKind.BY else None


@dataclass(frozen=True)
class Task:
    task_id: int
    incident_id: str
    draft_id: str
    draft_version: int
    stage: Stage
    action_no: int  # the action's number in the draft (all stages, in order), as `tasks issue --actions` takes it
    text: str
    unit: str
    time_limit: str  # the action's own words, always shown
    loop: Loop
    due_kind: DueKind
    due_at: datetime | None
    deadline_at: datetime | None
    status: TaskStatus
    issued_at: datetime
    issued_by: str
    updated_at: datetime
    done_at: datetime | None = None
    waive_reason: str | None = None

    @property
    def ref(self) -> str:
        """How officers name a task: T12."""
        return f"T{self.task_id}"

    def overdue(self, now: datetime) -> bool:
        return self.deadline_at is not None and self.deadline_at < now

    @property
    def late(self) -> bool:
        """Done after its stated due time."""
        return (
            self.status is TaskStatus.DONE
            and self.due_kind is DueKind.BY
            and self.due_at is not None
            and self.done_at is not None
            and self.done_at > self.due_at
        )


@dataclass(frozen=True)
class TaskEvent:
    """One entry of a task's history: a status change or a feedback note, with who and when."""

    at: datetime
    actor: str
    action: str  # task.issued | task.acknowledged | task.in_progress | task.done | task.waived | task.note
    note: str
