"""Gather a shift's handover from the alert store (incidents, their events) and the task store.

Reports due come from the reports module through ``reports_due``; when none is wired the
handover says that reports were not checked, rather than claiming none are due.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from assistant.alerts.notable import COLOUR_RAISED, LEVEL_PROPOSED, SIMILAR_ASSETS
from assistant.alerts.store import AlertStore
from assistant.domain import IncidentStatus
from assistant.errors import AssistantError
from assistant.handover.model import Change, Handover, Period, ReportDue
from assistant.tasks import TaskStore

# (open incident ids, end of the shift, end of the next shift) -> reports overdue or due before the latter
ReportsDue = Callable[[Sequence[str], datetime, datetime], Sequence[ReportDue]]
NOTABLE = (COLOUR_RAISED, LEVEL_PROPOSED, SIMILAR_ASSETS)
CLOSING = (IncidentStatus.CLOSED.value, "cancelled")  # an officer's close, or a source's CAP Cancel


def collect_handover(
    alerts: AlertStore,
    tasks: TaskStore,
    period: Period,
    prepared_by: str,
    reports_due: ReportsDue | None = None,
) -> Handover:
    """Everything the incoming officer needs for ``period``; ``reports_due`` None means not connected."""
    if not prepared_by.strip():
        raise AssistantError("请写明交班人 / say who hands over (--by NAME)")
    if not period.start < period.end <= period.next_end:
        raise AssistantError("交接时段无效：开始须早于结束 / the period must start before it ends")
    open_incidents = tuple(alerts.board(limit=500, now=period.end))
    titles = {e.incident.incident_id: e.incident.title for e in open_incidents}

    def title(incident_id: str) -> str:
        if incident_id not in titles:
            titles[incident_id] = alerts.incident(incident_id).title
        return titles[incident_id]

    pending = tasks.open_with_deadline_before(period.next_end)
    overdue = tuple(t for t in pending if t.deadline_at and t.deadline_at < period.end)
    due_next = tuple(t for t in pending if t.deadline_at and t.deadline_at >= period.end)
    opened = tuple(
        (incident_id, title(incident_id), event.at)
        for incident_id, event in alerts.events_between(period.start, period.end, ("created",))
    )
    closed = tuple(
        (incident_id, title(incident_id), event.at, event.actor)
        for incident_id, event in alerts.events_between(period.start, period.end, CLOSING)
        if event.to_status == IncidentStatus.CLOSED.value
    )
    changes = tuple(
        Change(event.at, incident_id, title(incident_id), event.action, event.note)
        for incident_id, event in alerts.events_between(period.start, period.end, NOTABLE)
    )
    for task in (*overdue, *due_next):
        title(task.incident_id)
    reports: tuple[ReportDue, ...] | None = None
    if reports_due is not None:
        ids = [e.incident.incident_id for e in open_incidents]
        reports = tuple(sorted(reports_due(ids, period.end, period.next_end), key=lambda r: r.due_at))
    return Handover(
        period=period,
        prepared_by=prepared_by.strip(),
        open_incidents=open_incidents,
        overdue=overdue,
        due_next=due_next,
        reports_due=reports,
        opened=opened,
        closed=closed,
        changes=changes,
        titles=titles,
    )
