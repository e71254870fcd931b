"""The facts of one alert that every stage of a draft may state, with their source.

Anything a draft says about the live situation (value, place, time, owner) must come
from here, so the grounding check can tell an alert fact from an invented one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from assistant.chain.injection import looks_like_injection, withhold_injection
from assistant.domain import Alert, Colour, Incident, Level, hazard_by_name, level_for_colour


@dataclass(frozen=True)
class NearbySite:
    name: str
    kind: str
    distance_km: float


@dataclass(frozen=True)
class AlertFacts:
    alert_id: str
    lang: str
    hazard: str | None
    event: str
    colour: Colour | None
    level: Level | None
    local_time: str
    place: str
    district: str | None
    owner: str | None
    value_text: str | None  # "25 %LEL（黄色阈值 20 %LEL，超限 1.25 倍）"
    exceedance: float | None
    headline: str
    description: str
    instruction: str
    count: int = 1
    trend: str = "steady"
    nearby: tuple[NearbySite, ...] = field(default_factory=tuple)
    similar_assets: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()  # alert fields whose instruction-like text was replaced by a marker

    @property
    def citation(self) -> str:
        return f"alert:{self.alert_id}"

    @property
    def hazard_label(self) -> str:
        if not self.hazard:
            return self.event
        return hazard_by_name(self.hazard).english if self.lang == "en" else self.hazard

    def text(self) -> str:
        """All alert facts as one text, for checking that a number or name came from the alert."""
        parts = [self.event, self.local_time, self.place, self.district or "", self.owner or "", self.value_text or ""]
        parts += [self.headline, self.description, self.instruction]
        parts += [f"{s.name} {s.distance_km:.1f}" for s in self.nearby]
        parts += list(self.similar_assets)
        return "\n".join(p for p in parts if p)


def _local_time(sent: datetime, offset: str) -> str:
    try:
        sign = -1 if offset.startswith("-") else 1
        hours, minutes = offset.lstrip("+-").split(":")
        zone = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
        return sent.astimezone(zone).strftime("%Y-%m-%d %H:%M") + f"（UTC{offset}）"
    except (ValueError, AttributeError):
        return sent.strftime("%Y-%m-%d %H:%M UTC")


def _value_text(alert: Alert, lang: str) -> tuple[str | None, float | None]:
    reading = alert.sensor
    if reading is None:
        return None, None
    value = f"{reading.value:g} {reading.unit}".strip()
    crossed = [(colour, limit) for colour, limit in reading.thresholds.items() if reading.value >= limit]
    if not crossed:
        return value, reading.exceedance
    colour, limit = max(crossed, key=lambda item: item[1])
    ratio = reading.exceedance if reading.exceedance is not None else (reading.value / limit if limit else None)
    colour_zh = Colour(colour).zh if colour in Colour._value2member_map_ else colour
    if lang == "en":
        detail = f"{value} ({colour} threshold {limit:g} {reading.unit}"
        return detail + (f", {ratio:.2f}× the threshold)" if ratio else ")"), ratio
    detail = f"{value}（{colour_zh}阈值 {limit:g} {reading.unit}"
    return detail + (f"，为阈值的 {ratio:.2f} 倍）" if ratio else "）"), ratio


def _event_in(event: str, lang: str) -> str:
    """Bilingual event labels ("可燃气体监测 / combustible gas") are cut to the draft's language."""
    if " / " not in event:
        return event
    zh, en = event.split(" / ", 1)
    return en.strip() if lang == "en" else zh.strip()


def alert_language(alert: Alert) -> str:
    return "en" if alert.language.lower().startswith("en") else "zh"


def facts_from_alert(
    alert: Alert,
    incident: Incident | None = None,
    lang: str | None = None,
    nearby: tuple[NearbySite, ...] = (),
    similar_assets: tuple[str, ...] = (),
) -> AlertFacts:
    """Normalised facts; the incident (when given) adds repeat count and trend."""
    lang = lang or alert_language(alert)
    value_text, exceedance = _value_text(alert, lang)
    level = alert.level or (level_for_colour(alert.colour) if alert.colour else None)
    area = alert.area
    quoted = {
        "place": area.address or area.description or area.district or "",
        "owner": alert.owner or "",
        "event": _event_in(alert.event, lang),
        "headline": alert.headline,
        "description": alert.description,
        "instruction": alert.instruction,
    }
    withheld = tuple(name for name, text in quoted.items() if looks_like_injection(text))
    safe = {name: withhold_injection(text, lang) if name in withheld else text for name, text in quoted.items()}
    return AlertFacts(
        alert_id=alert.alert_id,
        lang=lang,
        hazard=alert.hazard,
        event=safe["event"],
        colour=alert.colour,
        level=level,
        local_time=_local_time(alert.sent, alert.sent_offset),
        place=safe["place"],
        district=area.district,
        owner=safe["owner"] or None,
        value_text=value_text,
        exceedance=exceedance,
        headline=safe["headline"],
        description=safe["description"],
        instruction=safe["instruction"],
        count=incident.count if incident else 1,
        trend=incident.trend if incident else "steady",
        nearby=nearby,
        similar_assets=similar_assets,
        withheld=withheld,
    )
