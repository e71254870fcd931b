"""Tasks: a draft's actions handed to their units, with due times, status and feedback, until closed.

:class:`TaskStore` (in the alert database) issues and moves tasks; :func:`parse_due` reads a due
rule from an action's time limit; :class:`Clock` is the injected "now". The board counts tasks per
incident in :mod:`assistant.alerts.board`, and the alert store refuses to close an incident with
open tasks.
"""

from assistant.tasks.clock import Clock
from assistant.tasks.due import Due, DueKind, parse_due
from assistant.tasks.model import Task, TaskEvent, TaskStatus
from assistant.tasks.store import TaskStore, parse_task_id

__all__ = ["Clock", "Due", "DueKind", "Task", "TaskEvent", "TaskStatus", "TaskStore", "parse_due", "parse_task_id"]
