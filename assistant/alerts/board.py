"""The alert board: open incidents, worst first, as one indexed query.

Ranking, in order: colour (red first, no colour last), urgency (Immediate first),
peak exceedance in quarter steps (1.3× and 1.45× tie), closeness to a sensitive site
(within the configured radius first), then recency. The ranking columns are written
with the incident, and ``incidents_board`` indexes them in exactly this order, so the
top 50 is read straight off the index even with a large history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.alerts.times import from_db
from assistant.domain import Colour, Incident, IncidentStatus, Level

BOARD_ORDER = "colour_rank, urgency_rank, exceed_bucket DESC, near_rank, last_seen DESC"


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


def entry_from_row(row: Any) -> BoardEntry:
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
    return (
        f"[{colour}] {i.incident_id} {i.hazard or '未分类'} · {i.title} · ×{i.count}{exceed} · {i.trend}"
        f" · {i.district or '-'}{near} · {i.status.value} · 最近 {i.last_seen:%m-%d %H:%M}Z"
    )
