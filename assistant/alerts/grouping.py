"""How alerts become incidents: the group key, the time window and the running summary.

Pure functions over a small mutable state object, so the store can keep the incidents
of one batch in memory and write each once at the end of the batch. Repeats from the
same monitoring point (sensor type included) or the same sender/event/area within the
window join one incident; the incident carries count, first/last seen, peak, latest
values and a trend computed from the last few readings.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from assistant.alerts.identity import incident_id
from assistant.alerts.normalise import fold
from assistant.alerts.thresholds import SENSOR_TYPES
from assistant.alerts.times import to_db
from assistant.domain import Alert, Colour, IncidentStatus

TREND_WINDOW = 6  # values kept for the trend
TREND_THRESHOLD = 0.05  # relative change that counts as rising or falling
URGENCY_RANK = {"Immediate": 0, "Expected": 1, "Future": 2, "Unknown": 3, "Past": 4}
NO_COLOUR_RANK = len(Colour)


@dataclass
class IncidentState:
    """One incident row while it is being updated (mirrors the incidents table)."""

    incident_id: str
    group_key: str
    first_seen: datetime
    last_seen: datetime
    title: str
    latest_alert_id: str
    status: IncidentStatus = IncidentStatus.NEW
    hazard: str | None = None
    colour: Colour | None = None
    level: str | None = None
    count: int = 0
    peak_value: float | None = None
    peak_exceedance: float | None = None
    latest_value: float | None = None
    unit: str | None = None
    recent: list[float] = field(default_factory=list)
    district: str | None = None
    lat: float | None = None
    lon: float | None = None
    assignee: str | None = None
    urgency: str | None = None
    near_site: str | None = None
    near_site_km: float | None = None
    near_rank: int = 1
    is_new: bool = False

    @property
    def trend(self) -> str:
        return trend_of(self.recent)

    @property
    def colour_rank(self) -> int:
        return self.colour.rank if self.colour else NO_COLOUR_RANK

    @property
    def urgency_rank(self) -> int:
        return URGENCY_RANK.get(self.urgency or "Unknown", 3)

    @property
    def exceed_bucket(self) -> float:
        """Peak exceedance in quarter steps, so a near-tie is decided by closeness to sensitive sites."""
        return math.floor((self.peak_exceedance or 0.0) * 4) / 4


def _area_key(alert: Alert) -> str:
    codes = sorted(f"{name}={value}" for name, value in alert.area.geocodes)
    basis = "|".join(codes) if codes else fold(alert.area.description)
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def group_key(alert: Alert) -> str:
    """Alerts with the same key and close in time are one incident."""
    if alert.sensor is not None:
        return f"sensor:{alert.sensor.point_id}:{alert.sensor.sensor_type}"
    topic = alert.hazard or fold(alert.event)
    return f"{alert.source_format}:{alert.sender}:{topic}:{_area_key(alert)}"


def opens_incident(alert: Alert) -> bool:
    """Only real, current warnings page the officer: not tests, not normal readings, not empty messages."""
    if alert.status != "Actual" or alert.msg_type not in ("Alert", "Update"):
        return False
    if alert.sensor is not None:
        return alert.colour is not Colour.GREEN
    return bool(alert.event)


def only_joins(alert: Alert) -> bool:
    """A normal reading from a point with an open incident is news (it is clearing), but opens nothing."""
    return alert.status == "Actual" and alert.sensor is not None and alert.colour is Colour.GREEN


def trend_value(alert: Alert) -> float:
    """What the trend follows: a reading's value (negated where low is the danger), else the colour's severity."""
    sensor = alert.sensor
    if sensor is not None:
        below = sensor.sensor_type in SENSOR_TYPES and SENSOR_TYPES[sensor.sensor_type].below
        return -sensor.value if below else sensor.value
    return float(NO_COLOUR_RANK - alert.colour.rank) if alert.colour else 0.0


def trend_of(values: list[float]) -> str:
    """rising / falling / steady: mean of the newer half against the older half of the last values."""
    if len(values) < 2:
        return "steady"
    half = len(values) // 2
    older, newer = values[: len(values) - half], values[len(values) - half :]
    before, after = sum(older) / len(older), sum(newer) / len(newer)
    change = (after - before) / max(abs(before), 1e-9)
    if change > TREND_THRESHOLD:
        return "rising"
    if change < -TREND_THRESHOLD:
        return "falling"
    return "steady"


def within_window(state: IncidentState, alert: Alert, window: timedelta) -> bool:
    return state.first_seen - window <= alert.sent <= state.last_seen + window


def new_incident(alert: Alert, key: str) -> IncidentState:
    state = IncidentState(
        incident_id=incident_id(key, alert.sent),
        group_key=key,
        first_seen=alert.sent,
        last_seen=alert.sent,
        title=alert.headline or alert.event,
        latest_alert_id=alert.alert_id,
        hazard=alert.hazard,
        district=alert.area.district,
        lat=alert.area.lat,
        lon=alert.area.lon,
        is_new=True,
    )
    absorb(state, alert)
    return state


def absorb(state: IncidentState, alert: Alert) -> None:
    """Fold one more alert into the incident's summary (alerts may arrive out of order).

    Peak value is the most dangerous reading (lowest, for oxygen); peak exceedance is the
    largest ratio to a crossed threshold, which need not come from the same reading.
    """
    state.count += 1
    state.first_seen = min(state.first_seen, alert.sent)
    if alert.sent >= state.last_seen or state.count == 1:
        state.last_seen = alert.sent
        state.latest_alert_id = alert.alert_id
        state.title = alert.headline or alert.event or state.title
        state.colour = alert.colour
        state.level = alert.level.value if alert.level else None
        state.urgency = alert.urgency
        state.hazard = alert.hazard or state.hazard
        if alert.sensor is not None:
            state.latest_value = alert.sensor.value
            state.unit = alert.sensor.unit
        state.recent = [*state.recent, trend_value(alert)][-TREND_WINDOW:]
    sensor = alert.sensor
    if sensor is None:
        return
    if sensor.exceedance is not None and (state.peak_exceedance is None or sensor.exceedance > state.peak_exceedance):
        state.peak_exceedance = sensor.exceedance
    below = sensor.sensor_type in SENSOR_TYPES and SENSOR_TYPES[sensor.sensor_type].below
    worse = state.peak_value is None or (sensor.value < state.peak_value if below else sensor.value > state.peak_value)
    if worse:
        state.peak_value = sensor.value


def row_of(state: IncidentState, now: datetime) -> tuple:
    """The incidents-table row, in column order of ``INCIDENT_COLUMNS``."""
    return (
        state.incident_id,
        state.group_key,
        state.hazard,
        state.colour.value if state.colour else None,
        state.level,
        state.title,
        state.status.value,
        0 if state.status is IncidentStatus.CLOSED else 1,
        state.count,
        to_db(state.first_seen),
        to_db(state.last_seen),
        state.peak_value,
        state.peak_exceedance,
        state.latest_value,
        state.unit,
        state.trend,
        ",".join(f"{v:.4g}" for v in state.recent),
        state.district,
        state.lat,
        state.lon,
        state.latest_alert_id,
        state.assignee,
        state.urgency,
        state.colour_rank,
        state.urgency_rank,
        state.exceed_bucket,
        state.near_rank,
        state.near_site,
        state.near_site_km,
        to_db(now),
    )


INCIDENT_COLUMNS = (
    "incident_id",
    "group_key",
    "hazard",
    "colour",
    "level",
    "title",
    "status",
    "is_open",
    "count",
    "first_seen",
    "last_seen",
    "peak_value",
    "peak_exceedance",
    "latest_value",
    "unit",
    "trend",
    "recent",
    "district",
    "lat",
    "lon",
    "latest_alert_id",
    "assignee",
    "urgency",
    "colour_rank",
    "urgency_rank",
    "exceed_bucket",
    "near_rank",
    "near_site",
    "near_site_km",
    "updated_at",
)
