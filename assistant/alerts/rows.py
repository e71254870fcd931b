"""Alert <-> alerts-table row, kept apart from the store's transaction logic.

Structured parts (area shapes, references, thresholds) are JSON columns; the fields the
board and filters use (district, lat/lon, point, value) are plain columns.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from typing import Any

from assistant.alerts.times import from_db, to_db
from assistant.domain import Alert, AlertArea, Colour, Level, SensorReading

ALERT_COLUMNS = (
    "alert_id",
    "source_format",
    "sender",
    "sent",
    "sent_offset",
    "received_at",
    "event",
    "hazard",
    "colour",
    "level",
    "headline",
    "description",
    "instruction",
    "status",
    "msg_type",
    "refs",
    "urgency",
    "severity",
    "certainty",
    "language",
    "area",
    "district",
    "lat",
    "lon",
    "point_id",
    "sensor_type",
    "value",
    "unit",
    "thresholds",
    "exceedance",
    "asset_id",
    "owner",
    "expires",
    "raw",
    "state",
    "replaced_by",
    "incident_id",
    "sender_name",
)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder: replay writes 10k rows/s


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


@functools.lru_cache(maxsize=1024)
def _thresholds_json(items: tuple[tuple[str, float], ...]) -> str:
    """Most points share a few threshold sets; encode each set once."""
    return _dumps(dict(items))


def _area_json(area: AlertArea) -> str:
    if not (area.polygons or area.circles or area.geocodes or area.description or area.address):
        return "{}"
    return _dumps(
        {
            "description": area.description,
            "polygons": area.polygons,
            "circles": area.circles,
            "geocodes": area.geocodes,
            "address": area.address,
        }
    )


def alert_row(alert: Alert, received_at: str, state: str, replaced_by: str | None, incident_id: str | None) -> tuple:
    sensor = alert.sensor
    return (
        alert.alert_id,
        alert.source_format,
        alert.sender,
        to_db(alert.sent),
        alert.sent_offset,
        received_at,
        alert.event,
        alert.hazard,
        alert.colour.value if alert.colour else None,
        alert.level.value if alert.level else None,
        alert.headline,
        alert.description,
        alert.instruction,
        alert.status,
        alert.msg_type,
        _dumps(alert.references) if alert.references else "[]",
        alert.urgency,
        alert.severity,
        alert.certainty,
        alert.language,
        _area_json(alert.area),
        alert.area.district,
        alert.area.lat,
        alert.area.lon,
        sensor.point_id if sensor else None,
        sensor.sensor_type if sensor else None,
        sensor.value if sensor else None,
        sensor.unit if sensor else None,
        _thresholds_json(tuple(sensor.thresholds.items())) if sensor else None,
        sensor.exceedance if sensor else None,
        sensor.asset_id if sensor else None,
        alert.owner,
        to_db(alert.expires) if alert.expires else None,
        alert.raw,
        state,
        replaced_by,
        incident_id,
        alert.sender_name,
    )


def _area(row: sqlite3.Row) -> AlertArea:
    data = json.loads(row["area"] or "{}")
    return AlertArea(
        description=data.get("description", ""),
        polygons=tuple(tuple(tuple(p) for p in poly) for poly in data.get("polygons", ())),
        circles=tuple(tuple(c) for c in data.get("circles", ())),
        geocodes=tuple(tuple(g) for g in data.get("geocodes", ())),
        lat=row["lat"],
        lon=row["lon"],
        district=row["district"],
        address=data.get("address"),
    )


def alert_from_row(row: sqlite3.Row) -> Alert:
    sensor = None
    if row["point_id"] is not None:
        sensor = SensorReading(
            point_id=row["point_id"],
            sensor_type=row["sensor_type"],
            value=row["value"],
            unit=row["unit"],
            thresholds=json.loads(row["thresholds"] or "{}"),
            exceedance=row["exceedance"],
            asset_id=row["asset_id"],
        )
    return Alert(
        alert_id=row["alert_id"],
        source_format=row["source_format"],
        sender=row["sender"],
        sent=from_db(row["sent"]),
        sent_offset=row["sent_offset"],
        event=row["event"],
        hazard=row["hazard"],
        colour=Colour(row["colour"]) if row["colour"] else None,
        level=Level(row["level"]) if row["level"] else None,
        headline=row["headline"],
        description=row["description"],
        instruction=row["instruction"],
        status=row["status"],
        msg_type=row["msg_type"],
        references=tuple(json.loads(row["refs"])),
        urgency=row["urgency"],
        severity=row["severity"],
        certainty=row["certainty"],
        language=row["language"],
        area=_area(row),
        sensor=sensor,
        owner=row["owner"],
        expires=from_db(row["expires"]) if row["expires"] else None,
        raw=row["raw"],
        sender_name=row["sender_name"],
    )
