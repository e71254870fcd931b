"""What one shift hands to the next, gathered once and then written as a page and a document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assistant.alerts.board import BoardEntry
from assistant.tasks import Task


@dataclass(frozen=True)
class Period:
    """The shift being handed over [start, end), and how far ahead the next shift looks (end → next_end)."""

    start: datetime
    end: datetime
    next_end: datetime


@dataclass(frozen=True)
class ReportDue:
    """A report up the chain that falls due (from the reports module, through the hook in collect)."""

    incident_id: str
    title: str
    kind: str  # 首报 / 续报 / 终报
    due_at: datetime
    rule: str  # the document and clause that set the deadline


@dataclass(frozen=True)
class Change:
    """A notable change during the shift, read from the incident's events."""

    at: datetime
    incident_id: str
    title: str
    kind: str  # colour_raised | level_proposed | similar_assets
    detail: str


@dataclass(frozen=True)
class Handover:
    period: Period
    prepared_by: str
    open_incidents: tuple[BoardEntry, ...]  # worst first, as on the board
    overdue: tuple[Task, ...]  # open tasks whose deadline passed by the end of the shift
    due_next: tuple[Task, ...]  # open tasks whose deadline falls in the next shift
    reports_due: tuple[ReportDue, ...] | None  # None: the reports module is not connected
    opened: tuple[tuple[str, str, datetime], ...]  # (incident id, title, when) opened during the shift
    closed: tuple[tuple[str, str, datetime, str], ...]  # (incident id, title, when, by whom)
    changes: tuple[Change, ...]
    titles: dict[str, str]  # incident id → title, for the task lines
