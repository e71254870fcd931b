"""The tasks a report lists, read from whatever task store services wires in.

A report needs only a task's words, unit, status and times, so any store with
``of_incident(incident_id)`` returning tasks with those attributes will do (the tasks package's
``TaskStore``); without one the hook :func:`assistant.reports.service.no_tasks` gives none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from assistant.reports.compose import TaskLine

TaskSource = Callable[[str], Sequence[TaskLine]]


class TaskLike(Protocol):
    task_id: Any
    text: str
    unit: str
    status: Any
    time_limit: str
    due_at: datetime | None
    done_at: datetime | None


class TaskStoreLike(Protocol):
    def of_incident(self, incident_id: str) -> Sequence[Any]: ...


def task_line(task: TaskLike) -> TaskLine:
    ref = getattr(task, "ref", None) or str(task.task_id)
    return TaskLine(
        task_id=str(ref),
        text=task.text,
        unit=task.unit,
        status=str(getattr(task.status, "value", task.status)),
        time_limit=task.time_limit,
        due_at=task.due_at,
        done_at=task.done_at,
    )


def tasks_from(store: TaskStoreLike) -> TaskSource:
    """The hook for :class:`ReportService` that lists a task store's tasks of one incident."""

    def of_incident(incident_id: str) -> list[TaskLine]:
        return [task_line(t) for t in store.of_incident(incident_id)]

    return of_incident
