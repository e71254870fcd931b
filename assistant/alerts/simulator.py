"""Realistic, reproducible alert streams for demos and load tests (all places fictional).

Monitoring points of the kinds a city platform watches — combustible gas in residential
basements and restaurant kitchens, H2S in sewers, bridge displacement, river gauges,
rain gauges, crowd density on a riverside promenade — report at their usual intervals.
Most stay quiet; some develop an event (a ramp over their thresholds, with repeats and
a trend) and some of those clear again. A fictional observatory issues rainstorm
signals that upgrade and are finally lifted. The same seed gives the same stream.
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from assistant.alerts.csv_replay import COLUMNS, reading_to_row

CHINA = timezone(timedelta(hours=8))
DEFAULT_START = datetime(2025, 7, 1, 8, 0, tzinfo=CHINA)
CENTRE = (31.23, 121.47)
DISTRICTS = ("滨江区", "新港区", "北湖区", "老城区")
OBSERVATORY = "示例市气象台"


@dataclass(frozen=True)
class PointKind:
    sensor_type: str
    unit: str
    places: tuple[str, ...]
    owner: str
    interval_min: int
    baseline: tuple[float, float]
    noise: float
    peak: tuple[float, float]  # extra value at the height of an event
    thresholds: dict[str, float] | None  # None: the type's documented defaults apply
    per_scale: int


KINDS = (
    PointKind(
        "combustible_gas",
        "%LEL",
        ("小区地下室", "饭店后厨", "商场地下车库"),
        "城市燃气公司",
        1,
        (0, 3),
        0.8,
        (22, 70),
        None,
        8,
    ),
    PointKind("h2s", "ppm", ("污水井", "化粪池", "排水泵站集水井"), "排水管理所", 1, (0.3, 2.5), 0.4, (6, 45), None, 6),
    PointKind(
        "displacement",
        "mm",
        ("独柱墩匝道桥墩顶",),
        "市政道桥养护中心",
        5,
        (2, 5),
        0.3,
        (9, 24),
        {"blue": 10, "yellow": 15, "orange": 20, "red": 25},
        4,
    ),
    PointKind(
        "water_level",
        "m",
        ("河道水位站",),
        "水务局",
        5,
        (3.0, 3.4),
        0.02,
        (1.0, 2.4),
        {"blue": 4.0, "yellow": 4.5, "orange": 5.0, "red": 5.5},
        3,
    ),
    PointKind("rainfall", "mm/h", ("雨量站",), "气象局", 5, (0, 0.5), 0.3, (6, 40), None, 3),
    PointKind(
        "crowd_density",
        "persons/m²",
        ("滨江步道观景平台", "地铁站换乘通道"),
        "文旅局",
        1,
        (0.4, 1.2),
        0.15,
        (1.5, 4.8),
        {"blue": 2, "yellow": 3, "orange": 4, "red": 5},
        3,
    ),
)


@dataclass
class _Point:
    kind: PointKind
    point_id: str
    name: str
    district: str
    lat: float
    lon: float
    asset_id: str | None
    base: float
    event_start: int | None  # minute the event starts
    rise: int  # minutes to the peak
    hold: int
    clears: bool
    peak: float

    def value(self, minute: int, rng: random.Random) -> float:
        extra = 0.0
        if self.event_start is not None and minute >= self.event_start:
            t = minute - self.event_start
            if t < self.rise:
                extra = self.peak * t / self.rise
            elif t < self.rise + self.hold or not self.clears:
                extra = self.peak * (1 + 0.05 * math.sin(t / 3))
            else:
                extra = max(0.0, self.peak * (1 - (t - self.rise - self.hold) / self.rise))
        return max(0.0, self.base + extra + rng.gauss(0, self.kind.noise))


def _points(rng: random.Random, minutes: int, scale: int) -> list[_Point]:
    points = []
    for kind in KINDS:
        for n in range(1, kind.per_scale * scale + 1):
            district = rng.choice(DISTRICTS)
            place = rng.choice(kind.places)
            eventful = rng.random() < 0.35
            rise = rng.randint(10, 40)
            points.append(
                _Point(
                    kind=kind,
                    point_id=f"{kind.sensor_type.upper()}-{n:04d}",
                    name=f"示例市{district}{place}{n}号点（示例）",
                    district=district,
                    lat=round(CENTRE[0] + rng.uniform(-0.05, 0.05), 5),
                    lon=round(CENTRE[1] + rng.uniform(-0.05, 0.05), 5),
                    asset_id=f"BR-{(n - 1) % 4 + 1:03d}" if kind.sensor_type == "displacement" else None,
                    base=rng.uniform(*kind.baseline),
                    event_start=rng.randint(0, max(1, minutes - 20)) if eventful else None,
                    rise=rise,
                    hold=rng.randint(10, 60),
                    clears=rng.random() < 0.4,
                    peak=rng.uniform(*kind.peak),
                )
            )
    return points


def _reading(point: _Point, when: datetime, value: float) -> dict[str, Any]:
    reading: dict[str, Any] = {
        "point_id": point.point_id,
        "sensor_type": point.kind.sensor_type,
        "value": round(value, 3),
        "unit": point.kind.unit,
        "time": when.isoformat(),
        "location": {
            "lat": point.lat,
            "lon": point.lon,
            "district": point.district,
            "address": point.name,
        },
        "owner": point.kind.owner,
        "name": point.name,
    }
    if point.kind.thresholds:
        reading["thresholds"] = dict(point.kind.thresholds)
    if point.asset_id:
        reading["asset_id"] = point.asset_id
    return reading


def _signals(rng: random.Random, start: datetime, minutes: int) -> list[tuple[int, dict[str, Any]]]:
    """A rainstorm signal that is issued blue, upgraded once or twice, then lifted (or left active)."""
    if minutes < 30:
        return []
    colours = [("蓝色", "Blue", "Minor"), ("黄色", "Yellow", "Moderate"), ("橙色", "Orange", "Severe")]
    steps = rng.randint(2, 3)
    minute = rng.randint(0, minutes // 3)
    gap = max(5, (minutes - minute) // (steps + 1))
    signals, previous = [], ""
    for step in range(steps):
        zh, en, severity = colours[step]
        when = start + timedelta(minutes=minute)
        ident = f"SIM-RAIN-{when:%Y%m%d%H%M}-{step}"
        signals.append(
            (
                minute,
                {
                    "id": ident,
                    "sender": OBSERVATORY,
                    "pubTime": when.isoformat(timespec="minutes"),
                    "title": f"{OBSERVATORY}发布暴雨{zh}预警信号",
                    "status": "update" if previous else "active",
                    "severity": severity,
                    "severityColor": en,
                    "typeName": "暴雨",
                    "text": f"（模拟数据）{OBSERVATORY}{when:%H时%M分}发布暴雨{zh}预警信号，请注意防范。",
                    "related": previous,
                },
            )
        )
        previous, minute = ident, minute + gap
    if rng.random() < 0.5 and minute < minutes:
        when = start + timedelta(minutes=minute)
        signals.append(
            (
                minute,
                {
                    "id": f"SIM-RAIN-{when:%Y%m%d%H%M}-lift",
                    "sender": OBSERVATORY,
                    "pubTime": when.isoformat(timespec="minutes"),
                    "title": f"{OBSERVATORY}解除暴雨预警信号",
                    "status": "cancel",
                    "typeName": "暴雨",
                    "text": "（模拟数据）降雨减弱，解除暴雨预警信号。",
                    "related": previous,
                },
            )
        )
    return signals


def simulate(minutes: int, seed: int, start: datetime = DEFAULT_START, scale: int = 1) -> Iterator[dict[str, Any]]:
    """Readings and warning signals in time order; ``scale`` multiplies the number of points."""
    rng = random.Random(seed)
    points = _points(rng, minutes, scale)
    signals = dict(_signals(rng, start, minutes))
    for minute in range(minutes):
        when = start + timedelta(minutes=minute)
        if minute in signals:
            yield signals[minute]
        for point in points:
            if minute % point.kind.interval_min == 0:
                yield _reading(point, when, point.value(minute, rng))


def write_stream(records: Iterator[dict[str, Any]], path: str | Path) -> int:
    """Write JSONL (readings and signals) or, for a .csv path, the readings only; returns the count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        if path.suffix.lower() == ".csv":
            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            for record in records:
                if "point_id" in record:
                    writer.writerow(reading_to_row(record))
                    count += 1
        else:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count
