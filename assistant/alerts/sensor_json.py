"""Sensor readings (our JSON schema, documented in docs/alerts.md) into alerts.

A reading is one measurement at one monitoring point. It becomes an Alert whose colour
comes from the thresholds it crossed, so a gas detector at 32 %LEL and a rainstorm
warning can be ranked on one board. Every field problem is reported with the reading's
position and the field name, because platform integrators fix these by hand.
"""

from __future__ import annotations

import json
import math
from typing import Any

from assistant.alerts.identity import reading_id
from assistant.alerts.normalise import COLOUR_SEVERITY, detect_language
from assistant.alerts.routing import sensor_hazard
from assistant.alerts.stated_thresholds import stated_thresholds
from assistant.alerts.thresholds import SensorType, check_thresholds, grade, sensor_type, unit_factor
from assistant.alerts.times import TimeFormatError, parse_time
from assistant.domain import HAZARD_NAMES, Alert, AlertArea, Colour, SensorReading, hazard_by_name
from assistant.errors import AlertFormatError

_COLOUR_KEYS = {
    "red": Colour.RED,
    "orange": Colour.ORANGE,
    "yellow": Colour.YELLOW,
    "blue": Colour.BLUE,
    "红": Colour.RED,
    "红色": Colour.RED,
    "橙": Colour.ORANGE,
    "橙色": Colour.ORANGE,
    "黄": Colour.YELLOW,
    "黄色": Colour.YELLOW,
    "蓝": Colour.BLUE,
    "蓝色": Colour.BLUE,
}


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{field} 应为数字 / {field} must be a number, got {value!r}")
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise ValueError(f"{field} 应为数字 / {field} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{field} 不是有限数 / {field} is not finite: {value!r}")
    return number


def _text(data: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = data.get(name)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _thresholds(spec: SensorType, raw: Any, factor: float, stated: dict[Colour, float]) -> dict[Colour, float]:
    """The reading's ``thresholds`` object; else those its description names by colour (``stated``); else the
    type's defaults."""
    if raw is None or raw == {}:
        if stated:
            check_thresholds(spec, stated)
            return stated
        if not spec.defaults:
            raise ValueError(
                f"{spec.name} 没有默认阈值，读数须带 thresholds / sensor_type {spec.name} has no default "
                'thresholds: send e.g. "thresholds": {"yellow": ..., "orange": ..., "red": ...}'
            )
        return dict(spec.defaults)
    if not isinstance(raw, dict):
        raise ValueError(f"thresholds 应为对象 / thresholds must be an object like {{'yellow': 20}}, got {raw!r}")
    result: dict[Colour, float] = {}
    for key, value in raw.items():
        colour = _COLOUR_KEYS.get(str(key).strip().lower())
        if colour is None:
            raise ValueError(
                f"thresholds 的键 {key!r} 不是颜色 / threshold key {key!r} must be blue, yellow, orange or red"
            )
        if value is not None:
            result[colour] = _number(value, f"thresholds.{key}") * factor
    check_thresholds(spec, result)
    return result


def _area(location: Any) -> AlertArea:
    if location is None:
        return AlertArea()
    if not isinstance(location, dict):
        raise ValueError(f"location 应为对象 / location must be an object, got {location!r}")
    lat = _number(location["lat"], "location.lat") if location.get("lat") is not None else None
    lon = _number(location["lon"], "location.lon") if location.get("lon") is not None else None
    if (lat is None) != (lon is None):
        raise ValueError("location 须同时给出 lat 和 lon / location needs both lat and lon")
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"location 坐标超出范围 / location lat/lon out of range: {lat}, {lon}")
    address = _text(location, "address")
    district = _text(location, "district")
    street = _text(location, "street")
    parts = [p for p in (district, street, address) if p]
    return AlertArea(
        description=" ".join(dict.fromkeys(parts)),
        circles=((lat, lon, 0.0),) if lat is not None and lon is not None else (),
        lat=lat,
        lon=lon,
        district=district,
        address=address,
    )


def _hazard(data: dict[str, Any], spec: SensorType, place: AlertArea) -> str | None:
    """The reading's own ``hazard`` field, else the one its type and place imply (routing)."""
    given = _text(data, "hazard")
    if given is None:
        texts = (_text(data, name) for name in ("name", "description", "owner", "department"))
        return sensor_hazard(spec.name, spec.hazard, [place.description, *(t for t in texts if t)])
    if given in HAZARD_NAMES:
        return given
    try:
        return hazard_by_name(given).name
    except KeyError:
        raise ValueError(f"hazard {given!r} 不在灾种词表中 / is not in the hazard vocabulary") from None


def reading_to_alert(data: Any, source_format: str = "sensor", raw: str | None = None) -> Alert:
    """One reading object as an Alert; ValueError/TimeFormatError name the field at fault."""
    if not isinstance(data, dict):
        raise ValueError(f"读数应为 JSON 对象 / a reading must be a JSON object, got {type(data).__name__}")
    point_id = _text(data, "point_id")
    if point_id is None:
        raise ValueError("缺少 point_id / point_id is missing")
    if data.get("sensor_type") is None:
        raise ValueError("缺少 sensor_type / sensor_type is missing")
    spec = sensor_type(data["sensor_type"])
    if "value" not in data:
        raise ValueError("缺少 value / value is missing")
    unit = _text(data, "unit")
    if unit is None:
        raise ValueError(f"缺少 unit / unit is missing (for {spec.name} send {', '.join(spec.units)})")
    factor = unit_factor(spec, unit)
    value = _number(data["value"], "value") * factor
    stated = stated_thresholds(_text(data, "description") or "", spec, unit)
    thresholds = _thresholds(spec, data.get("thresholds"), factor, stated)
    sent, offset = parse_time(data.get("time"), "time")
    colour, exceedance = grade(spec, value, thresholds)
    area = _area(data.get("location"))
    name = _text(data, "name") or point_id
    owner = _text(data, "owner", "department")
    reading = SensorReading(
        point_id=point_id,
        sensor_type=spec.name,
        value=round(value, 4),
        unit=spec.unit,
        thresholds={c.value: v for c, v in thresholds.items()},
        exceedance=exceedance,
        asset_id=_text(data, "asset_id"),
    )
    shown = f"{reading.value:g} {spec.unit}"
    limit = thresholds.get(colour)
    verdict = f"超{colour.zh}阈值 {limit:g}" if limit is not None else "正常"
    return Alert(
        alert_id=reading_id(point_id, spec.name, sent),
        source_format=source_format,
        # The platform that sent the reading is its source; the owner is who must act on the asset.
        sender=_text(data, "platform", "source", "sender") or "sensor-platform",
        sent=sent,
        sent_offset=offset,
        event=f"{spec.label_zh}监测 / {spec.label_en}",
        hazard=_hazard(data, spec, area),
        colour=colour,
        level=None,
        headline=f"{name} {spec.label_zh} {shown}（{verdict}）",
        description=_text(data, "description") or "",
        urgency="Immediate" if colour is not Colour.GREEN else "Past",
        severity=COLOUR_SEVERITY[colour] if colour is not Colour.GREEN else "Minor",
        certainty="Observed",
        language=_language(data, area),
        area=area,
        sensor=reading,
        owner=owner,
        raw=raw if raw is not None else json.dumps(data, ensure_ascii=False, sort_keys=True),
    )


def _language(data: dict[str, Any], area: AlertArea) -> str:
    """The language the point is described in (name, place, notes, owner): what the officer reads; Chinese when
    nothing describes it."""
    fields = (_text(data, "name"), _text(data, "description"), _text(data, "owner", "department"), area.address)
    words = " ".join(t for t in fields if t)
    declared = _text(data, "language", "lang")
    return detect_language(words, declared) if words or declared else "zh"


def readings_in(document: Any) -> list[Any]:
    """The readings of a sensor document: one object, a list, or {"readings": [...]}."""
    if isinstance(document, dict) and isinstance(document.get("readings"), list):
        return list(document["readings"])
    if isinstance(document, list):
        return document
    return [document]


def parse_readings(
    document: Any, source: str, source_format: str = "sensor"
) -> tuple[list[Alert], list[AlertFormatError]]:
    """All readings of a document; a bad reading is reported by position and does not stop the rest."""
    alerts: list[Alert] = []
    errors: list[AlertFormatError] = []
    readings = readings_in(document)
    for number, reading in enumerate(readings, start=1):
        where = f"reading {number}" if len(readings) > 1 else "reading"
        if isinstance(reading, dict) and reading.get("point_id"):
            where += f" (point_id {reading['point_id']})"
        try:
            alerts.append(reading_to_alert(reading, source_format))
        except (ValueError, TimeFormatError) as err:
            errors.append(AlertFormatError(source, f"{where}: {err}"))
    return alerts, errors
