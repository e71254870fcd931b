"""How a task's due time and status read, in the officer's local time, for the CLI, the workspace and the handover."""

from __future__ import annotations

from datetime import datetime

from assistant.export.local_time import zone_of
from assistant.tasks.due import DueKind
from assistant.tasks.model import Task

WORDS = {
    "zh": {"at_once": "立即", "no_clock": "无时钟时限", "overdue": "逾期", "late": "逾期完成"},
    "en": {"at_once": "at once", "no_clock": "no clock time", "overdue": "overdue", "late": "done late"},
}


def local_clock(moment: datetime, offset: str) -> str:
    """'11-22 10:00' in the centre's UTC offset."""
    return moment.astimezone(zone_of(offset)).strftime("%m-%d %H:%M")


def due_text(task: Task, offset: str, lang: str) -> str:
    """立即 | the local due time | 'no clock time' (the action's own words are shown beside it)."""
    words = WORDS["en" if lang == "en" else "zh"]
    if task.due_kind is DueKind.AT_ONCE:
        return words["at_once"]
    if task.due_kind is DueKind.BY and task.due_at is not None:
        return local_clock(task.due_at, offset)
    return words["no_clock"]


def state_text(task: Task, now: datetime, lang: str) -> str:
    """The status, with 逾期 when the deadline has passed (or 逾期完成 for a task finished after it)."""
    words = WORDS["en" if lang == "en" else "zh"]
    label = task.status.label(lang)
    if task.overdue(now):
        return f"{label} · {words['overdue']}"
    if task.late:
        return f"{label}（{words['late']}）" if lang != "en" else f"{label} ({words['late']})"
    return label
