"""CSV exports of sensor readings, for bulk replay of a platform's history.

Columns follow the sensor JSON fields, flattened: point_id, sensor_type, value, unit,
time, lat, lon, address, district, street, owner, asset_id, name, hazard, and one
column per threshold colour (blue, yellow, orange, red; empty = not set). Rows with
errors are reported by line number and the remaining rows still load.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from assistant.alerts.sensor_json import reading_to_alert
from assistant.alerts.times import TimeFormatError
from assistant.domain import Alert
from assistant.errors import AlertFormatError

COLUMNS = (
    "point_id",
    "sensor_type",
    "value",
    "unit",
    "time",
    "lat",
    "lon",
    "address",
    "district",
    "street",
    "owner",
    "asset_id",
    "name",
    "hazard",
    "blue",
    "yellow",
    "orange",
    "red",
)
REQUIRED = ("point_id", "sensor_type", "value", "unit", "time")
_LOCATION = ("lat", "lon", "address", "district", "street")
_THRESHOLDS = ("blue", "yellow", "orange", "red")


def row_to_reading(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row as a sensor JSON reading (empty cells are absent fields)."""
    cells = {k.strip(): v.strip() for k, v in row.items() if k and v is not None and v.strip()}
    reading: dict[str, Any] = {k: v for k, v in cells.items() if k not in _LOCATION + _THRESHOLDS}
    location = {k: cells[k] for k in _LOCATION if k in cells}
    if location:
        reading["location"] = location
    thresholds = {k: cells[k] for k in _THRESHOLDS if k in cells}
    if thresholds:
        reading["thresholds"] = thresholds
    return reading


def reading_to_row(reading: dict[str, Any]) -> dict[str, Any]:
    """Inverse of :func:`row_to_reading`, used by the simulator's CSV output."""
    row = {k: reading.get(k, "") for k in COLUMNS if k not in _LOCATION + _THRESHOLDS}
    row.update({k: (reading.get("location") or {}).get(k, "") for k in _LOCATION})
    row.update({k: (reading.get("thresholds") or {}).get(k, "") for k in _THRESHOLDS})
    return row


def parse_csv(text: str, source: str) -> tuple[list[Alert], list[AlertFormatError]]:
    try:
        return _parse_rows(text, source)
    except csv.Error as err:
        raise AlertFormatError(source, f"CSV 格式错误 / malformed CSV: {err}") from None


def _parse_rows(text: str, source: str) -> tuple[list[Alert], list[AlertFormatError]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise AlertFormatError(
            source, f"CSV 缺少列 / the CSV header lacks {', '.join(missing)} (columns: {', '.join(COLUMNS)})"
        )
    alerts: list[Alert] = []
    errors: list[AlertFormatError] = []
    for row in reader:
        line = reader.line_num
        try:
            alerts.append(reading_to_alert(row_to_reading(row), "csv"))
        except (ValueError, TimeFormatError) as err:
            errors.append(AlertFormatError(source, f"第{line}行 / line {line}: {err}"))
    return alerts, errors
