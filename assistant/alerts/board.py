"""The alert board: open incidents, worst first, as one indexed query.

Ranking, in order: colour (red first, no colour last), urgency (Immediate first),
peak exceedance in quarter steps (1.3× and 1.45× tie), closeness to a sensitive site
(within the configured radius first), then recency. The ranking columns are written
with the incident, and ``incidents_board`` indexes them in exactly this order, so the
top 50 is read straight off the index even with a large history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assistant.alerts.times import from_db
from assistant.domain import Colour, Incident, IncidentStatus, Level

BOARD_ORDER = "colour_rank, urgency_rank, exceed_bucket DESC, near_rank, last_seen DESC"


@dataclass(frozen=True)
class TaskCounts:
    """An incident's tasks at a glance: how many are done, waived, overdue, and the next deadline."""

    total: int
    done: int
    waived: int
    overdue: int
    next_deadline: datetime | None  # the earliest time an open task turns (or turned) overdue

    @property
    def open(self) -> int:
        return self.total - self.done - self.waived


def task_counts_query(incident_ids: list[str], now: str) -> tuple[str, list[Any]]:
    """One aggregate over the ``tasks_incident_counts`` index (covering) for the incidents on screen."""
    marks = ", ".join("?" * len(incident_ids))
    sql = (
        "SELECT incident_id, COUNT(*) AS total, SUM(status = 'done') AS done, SUM(status = 'waived') AS waived,"
        " SUM(deadline_at < ?) AS overdue, MIN(deadline_at) AS next_deadline"
        f" FROM tasks WHERE incident_id IN ({marks}) GROUP BY incident_id"
    )
    return sql, [now, *incident_ids]


def task_counts_from_row(row: Any) -> TaskCounts:
    deadline = row["next_deadline"]
    return TaskCounts(
        total=row["total"],
        done=row["done"] or 0,
        waived=row["waived"] or 0,
        overdue=row["overdue"] or 0,
        next_deadline=from_db(deadline) if deadline else None,
    )


@dataclass(frozen=True)
class BoardEntry:
    """One line of the board: the incident plus what the officer needs to judge it at a glance."""

    incident: Incident
    urgency: str | None
    latest_value: float | None
    unit: str | None
    near_site: str | None
    near_site_km: float | None
    lat: float | None
    lon: float | None
    recent: tuple[float, ...]
    tasks: TaskCounts | None = None  # None: no task was issued for this incident

    def to_dict(self) -> dict[str, Any]:
        i = self.incident
        return {
            "incident_id": i.incident_id,
            "title": i.title,
            "hazard": i.hazard,
            "colour": i.colour.value if i.colour else None,
            "level": i.level.value if i.level else None,
            "status": i.status.value,
            "count": i.count,
            "first_seen": i.first_seen.isoformat(),
            "last_seen": i.last_seen.isoformat(),
            "peak_value": i.peak_value,
            "peak_exceedance": i.peak_exceedance,
            "latest_value": self.latest_value,
            "unit": self.unit,
            "trend": i.trend,
            "district": i.district,
            "urgency": self.urgency,
            "near_site": self.near_site,
            "near_site_km": self.near_site_km,
            "lat": self.lat,
            "lon": self.lon,
            "assignee": i.assignee,
            "latest_alert_id": i.latest_alert_id,
            "tasks_total": self.tasks.total if self.tasks else 0,
            "tasks_done": self.tasks.done if self.tasks else 0,
            "tasks_waived": self.tasks.waived if self.tasks else 0,
            "tasks_overdue": self.tasks.overdue if self.tasks else 0,
            "next_deadline": self.tasks.next_deadline.isoformat() if self.tasks and self.tasks.next_deadline else None,
        }


def incident_from_row(row: Any) -> Incident:
    return Incident(
        incident_id=row["incident_id"],
        group_key=row["group_key"],
        hazard=row["hazard"],
        colour=Colour(row["colour"]) if row["colour"] else None,
        level=Level(row["level"]) if row["level"] else None,
        title=row["title"],
        status=IncidentStatus(row["status"]),
        count=row["count"],
        first_seen=from_db(row["first_seen"]),
        last_seen=from_db(row["last_seen"]),
        peak_value=row["peak_value"],
        peak_exceedance=row["peak_exceedance"],
        trend=row["trend"],
        district=row["district"],
        latest_alert_id=row["latest_alert_id"],
        assignee=row["assignee"],
    )


def entry_from_row(row: Any, tasks: TaskCounts | None = None) -> BoardEntry:
    recent = tuple(float(v) for v in row["recent"].split(",") if v)
    return BoardEntry(
        incident=incident_from_row(row),
        urgency=row["urgency"],
        latest_value=row["latest_value"],
        unit=row["unit"],
        near_site=row["near_site"],
        near_site_km=row["near_site_km"],
        lat=row["lat"],
        lon=row["lon"],
        recent=recent,
        tasks=tasks,
    )


def board_query(
    hazard: str | None = None,
    colour: str | None = None,
    district: str | None = None,
    status: str | None = None,
    limit: int = 50,
) -> tuple[str, list[Any]]:
    """SQL and parameters for the board; ``status`` None means every open status.

    Filters are equalities on indexed columns (colour through its rank), so SQLite can
    read the top rows of one ``incidents_board*`` index instead of scanning.
    """
    where: list[str] = []
    params: list[Any] = []
    if status:
        where.append("status = ?")
        params.append(IncidentStatus(status).value)
    else:
        where.append("is_open = 1")
    if hazard:
        where.append("hazard = ?")
        params.append(hazard)
    if colour:
        where.append("colour_rank = ?")
        params.append(Colour(colour).rank)
    if district:
        where.append("district = ?")
        params.append(district)
    params.append(max(1, min(int(limit), 500)))
    sql = f"SELECT * FROM incidents WHERE {' AND '.join(where)} ORDER BY {BOARD_ORDER} LIMIT ?"
    return sql, params


def describe(entry: BoardEntry) -> str:
    """One plain line for the CLI: colour, hazard, title, count, trend, place, status."""
    i = entry.incident
    colour = i.colour.zh if i.colour else "无色"
    near = (
        f" 近{entry.near_site} {entry.near_site_km:.2f}km" if entry.near_site and entry.near_site_km is not None else ""
    )
    exceed = f" 峰值{i.peak_exceedance:.2f}倍" if i.peak_exceedance else ""
    tasks = ""
    if entry.tasks:
        t = entry.tasks
        tasks = f" · 任务 {t.done}/{t.total}" + (f" 免除{t.waived}" if t.waived else "")
        tasks += f" 逾期{t.overdue}" if t.overdue else ""
        tasks += f" 下一时限 {t.next_deadline:%m-%d %H:%M}Z" if t.next_deadline else ""
    return (
        f"[{colour}] {i.incident_id} {i.hazard or '未分类'} · {i.title} · ×{i.count}{exceed} · {i.trend}"
        f" · {i.district or '-'}{near} · {i.status.value}{tasks} · 最近 {i.last_seen:%m-%d %H:%M}Z"
    )
