"""The facts of one alert that every stage of a draft may state, each traceable to the alert.

Anything a draft says about the live situation (reading, thresholds, trend, place, people,
nearby schools, casualties, jurisdiction) comes from here, read from the alert's structured
fields and its free text (fact_extraction, site_mentions), so the grounding check can tell
an alert fact from an invented one. What the alert does not state stays ``None``: a gap is
something to confirm, never a default that looks like a fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from assistant.alerts.normalise import declared_level, names_graded_warning
from assistant.chain.fact_extraction import Span, TextFacts, normalise_unit, read_text_facts
from assistant.chain.gazetteer import load_gazetteer
from assistant.chain.injection import looks_like_injection, withhold_injection
from assistant.chain.jurisdiction import Place, place_of_alert
from assistant.chain.severity_facts import SeverityFacts, read_severity
from assistant.chain.site_mentions import find_sites
from assistant.domain import Alert, Colour, Incident, Level, hazard_by_name

# Canonical units a Chinese reader writes in Chinese (the facts keep the canonical form).
_ZH_UNITS = {"persons/m²": "人/平方米"}
NIGHT_HOURS = (22, 6)  # 22:00–06:00 local: people asleep, schools closed


@dataclass(frozen=True)
class Site:
    """A sensitive site near the incident: named in the alert, or found in the asset registry."""

    kind: str  # school | kindergarten | hospital | nursing_home | metro | market | station | stadium | shelter | …
    name: str
    distance_m: float | None
    source: str = "alert"  # alert | registry

    def describe(self, lang: str = "zh") -> str:
        if self.distance_m is None:
            return self.name
        metres = f"{self.distance_m:g}"
        return f"{self.name}（约{metres}米）" if lang == "zh" else f"{self.name} (about {metres} m)"


@dataclass(frozen=True)
class AlertFacts:
    alert_id: str
    lang: str
    hazard: str | None
    event: str
    colour: Colour | None
    level: Level | None  # a response level the alert itself declares, never the colour's
    local_time: str
    place: str
    district: str | None
    owner: str | None
    headline: str
    description: str
    instruction: str
    kind: str = "report"  # sensor | warning | report
    sender: str = ""  # the alert's source (never a responsible unit)
    jurisdiction: Place = field(default_factory=Place)
    local_hour: int | None = None
    value: float | None = None
    unit: str = ""
    thresholds: tuple[float, ...] = ()
    threshold_colours: tuple[tuple[str, float], ...] = ()  # sensor thresholds by colour, ascending
    thresholds_stated: bool = False  # the alert text names its alarm thresholds (else they are the sensor's)
    exceedance: float | None = None
    trend: str | None = None  # rising | falling | steady; None when nothing says
    fast: bool = False
    rate_per_min: float | None = None
    households: int | None = None
    people: int | None = None
    floors: int | None = None
    building_use: str | None = None
    deaths: int | None = None
    injured: int | None = None
    trapped: int | None = None
    missing: int | None = None
    # quantities plans grade by besides casualties (severity_facts); None where the alert does not say
    poisoned: int | None = None  # people ill or poisoned
    poisoning: str | None = None  # food | occupational | other
    evacuated: int | None = None
    intake_cut: str | None = None  # whose drinking-water intake stopped: town | county | city | "" (not said)
    power_out_pct: float | None = None  # share of the power customers cut off
    load_shed_pct: float | None = None  # share of the grid's load shed
    city_kind: str | None = None  # 直辖市 | 省会城市 | 其他设区的市 | 设区的市 | 县级市
    burned_ha: float | None = None
    return_period: float | None = None  # a flood's, in years
    river_class: str | None = None  # 干流 | 支流
    magnitude: float | None = None  # an earthquake's
    population_density: str | None = None  # 人口密集 | 人口较密集 | 人口稀少 (the epicentral area's)
    sites: tuple[Site, ...] = ()
    count: int = 1
    similar_assets: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()  # alert fields whose instruction-like text was replaced by a marker
    spans: tuple[Span, ...] = ()

    @property
    def citation(self) -> str:
        return f"alert:{self.alert_id}"

    @property
    def hazard_label(self) -> str:
        if not self.hazard:
            return self.event
        return hazard_by_name(self.hazard).english if self.lang == "en" else self.hazard

    @property
    def night(self) -> bool | None:
        if self.local_hour is None:
            return None
        start, end = NIGHT_HOURS
        return self.local_hour >= start or self.local_hour < end

    @property
    def casualties(self) -> int | None:
        """Dead, injured, trapped and missing together; None while any of them is unknown and none is stated."""
        known = [v for v in (self.deaths, self.injured, self.trapped, self.missing) if v is not None]
        return sum(known) if known else None

    def sites_of(self, kind: str, within_m: float | None = None) -> list[Site]:
        return [
            s
            for s in self.sites
            if s.kind == kind and (within_m is None or (s.distance_m is not None and s.distance_m <= within_m))
        ]

    @property
    def shown_unit(self) -> str:
        """The unit as the draft's reader writes it: "人/平方米" in a Chinese draft, the canonical unit otherwise."""
        return _ZH_UNITS.get(self.unit, self.unit) if self.lang == "zh" else self.unit

    @property
    def value_text(self) -> str | None:
        """ "23 %LEL（报警阈值 10、25 %LEL）" — the reading against its thresholds, as the officer reads it."""
        if self.value is None:
            return None
        value = f"{self.value:g} {self.shown_unit}".strip()
        if self.threshold_colours and not self.thresholds_stated:
            if self.lang == "en":
                limits = ", ".join(f"{c} {v:g}" for c, v in self.threshold_colours)
                return f"{value} (thresholds: {limits} {self.shown_unit})"
            limits = "、".join(
                f"{Colour(c).zh if c in Colour._value2member_map_ else c}{v:g}" for c, v in self.threshold_colours
            )
            return f"{value}（阈值：{limits} {self.shown_unit}）"
        if self.thresholds:
            if self.lang == "en":
                return f"{value} (alarm thresholds {' and '.join(f'{t:g}' for t in self.thresholds)} {self.shown_unit})"
            return f"{value}（报警阈值 {'、'.join(f'{t:g}' for t in self.thresholds)} {self.shown_unit}）"
        return value

    @property
    def trend_text(self) -> str:
        """ "快速上升（+15 %LEL/分钟）" / "rising fast (+15 %LEL/min)"; "—" when unknown."""
        if self.trend is None:
            return "—" if self.lang == "zh" else "unknown"
        zh = {"rising": "上升", "falling": "下降", "steady": "平稳"}[self.trend]
        word = (
            (("快速" + zh) if self.fast else zh) if self.lang == "zh" else (self.trend + (" fast" if self.fast else ""))
        )
        if self.rate_per_min is None:
            return word
        rate = f"{self.rate_per_min:+g} {self.shown_unit}/{'分钟' if self.lang == 'zh' else 'min'}".replace(" /", "/")
        return f"{word}（{rate}）" if self.lang == "zh" else f"{word} ({rate})"

    @property
    def next_threshold(self) -> float | None:
        """The lowest threshold the value has not reached yet (None if all are crossed or none is known)."""
        above = [t for t in self.thresholds if self.value is not None and t > self.value]
        return min(above) if above else None

    @property
    def crossed_thresholds(self) -> tuple[float, ...]:
        return tuple(t for t in self.thresholds if self.value is not None and self.value >= t)

    def text(self) -> str:
        """All alert facts as one text, for checking that a number or name came from the alert."""
        parts = [self.event, self.local_time, self.place, self.district or "", self.owner or "", self.sender]
        parts += [self.value_text or "", self.trend_text, self.headline, self.description, self.instruction]
        parts += [self.jurisdiction.label("zh")]
        parts += [s.describe("zh") for s in self.sites] + [s.describe("en") for s in self.sites]
        numbers = [self.households, self.people, self.floors, self.deaths, self.injured, self.trapped, self.missing]
        numbers += [self.poisoned, self.evacuated]
        parts += [str(n) for n in numbers if n is not None]
        measures = (self.power_out_pct, self.load_shed_pct, self.burned_ha, self.return_period, self.magnitude)
        parts += [f"{m:g}" for m in measures if m is not None]
        parts += [f"{t:g}" for t in self.thresholds] + list(self.similar_assets)
        return "\n".join(p for p in parts if p)


def _local(sent: datetime, offset: str, lang: str) -> tuple[str, int | None]:
    """The alert's own local time, stamped so documents can rewrite it into the centre's zone, and its hour."""
    try:
        sign = -1 if offset.startswith("-") else 1
        hours, minutes = offset.lstrip("+-").split(":")
        zone = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
        local = sent.astimezone(zone)
        zone_label = f" (UTC{offset})" if lang == "en" else f"（UTC{offset}）"
        return local.strftime("%Y-%m-%d %H:%M") + zone_label, local.hour
    except (ValueError, AttributeError):
        return sent.strftime("%Y-%m-%d %H:%M UTC"), None


def _event_in(event: str, lang: str) -> str:
    """Bilingual event labels ("可燃气体监测 / combustible gas") are cut to the draft's language."""
    if " / " not in event:
        return event
    zh, en = event.split(" / ", 1)
    return en.strip() if lang == "en" else zh.strip()


def alert_language(alert: Alert) -> str:
    return "en" if alert.language.lower().startswith("en") else "zh"


def _kind(alert: Alert) -> str:
    if alert.sensor is not None:
        return "sensor"
    names_warning = "预警" in alert.headline or "warning" in alert.headline.lower()
    if alert.source_format == "cn_warning" or (
        names_warning and (alert.colour or names_graded_warning(alert.headline))
    ):
        return "warning"  # a colour or a numeral grade (福建: 台风Ⅱ级预警) makes it a warning signal
    return "report"


# A warning signal without an area names only its issuing office: its place is the office's city.
_OFFICE = re.compile(
    r"\s*(?:中心)?(?:气象台|气象局|预警信息发布中心)$"
    r"|\s+(?:(?:Meteorological|Weather|Warning|Hydrological|Hydrology)\s+)?"
    r"(?:Observatory|Bureau|Office|Service|Centre|Center|Station|Administration|Department)$",
    re.I,
)
_TRAILING_NOTE = re.compile(r"\s*(?:\((?:sample|example)\)|（示例）)$", re.I)


def _place_of(alert: Alert) -> str:
    """The area the alert names; an area copied from the sender ("Sample City Observatory") loses the office."""
    area = alert.area
    place = area.address or area.description or area.district or ""
    if place and place in (alert.sender, alert.sender_name):
        note = _TRAILING_NOTE.search(place)
        core = place[: note.start()] if note else place
        city = _OFFICE.sub("", core).strip()
        return city + (note.group(0) if note else "") if city and city != core else ""
    return place


_FLASH_FLOOD = re.compile(r"flash[ -]?flood|山洪", re.I)
_URBAN_FLOODING = re.compile(
    r"内涝|积水|下穿|地下室|地下车库|地下空间|地铁|underpass|basement|car park|subway|metro|street|urban", re.I
)
_RIVER_FLOODING = re.compile(
    r"河道|江河|河水|水位|堤防|堤坝|水库|大坝|洪峰|\briver|levee|\bdike|\bdyke|reservoir|\bdam\b|stream gauge", re.I
)


def _hazard_of(alert: Alert, texts: list[tuple[str, str]]) -> str | None:
    """A flash flood is urban rain flooding (暴雨内涝) when it floods streets, underpasses and basements, and a
    river flood (洪涝) when it is about rivers, dikes and dams; other alerts keep their parsed hazard."""
    if alert.hazard not in ("暴雨内涝", "洪涝") or not _FLASH_FLOOD.search(f"{alert.event} {alert.headline}"):
        return alert.hazard
    text = " ".join(t for _name, t in texts)
    if _URBAN_FLOODING.search(text):
        return "暴雨内涝"
    return "洪涝" if _RIVER_FLOODING.search(text) else alert.hazard


def facts_from_alert(
    alert: Alert,
    incident: Incident | None = None,
    lang: str | None = None,
    nearby: tuple[Site, ...] = (),
    similar_assets: tuple[str, ...] = (),
    home: str = "",
) -> AlertFacts:
    """Normalised facts; the incident (when given) adds repeat count and the trend of repeated readings."""
    lang = lang or alert_language(alert)
    area = alert.area
    quoted = {
        "place": _place_of(alert),
        "owner": alert.owner or "",
        "event": _event_in(alert.event, lang),
        "headline": alert.headline,
        "description": alert.description,
        "instruction": alert.instruction,
    }
    withheld = tuple(name for name, text in quoted.items() if looks_like_injection(text))
    safe = {name: withhold_injection(text, lang) if name in withheld else text for name, text in quoted.items()}
    # Facts are read only from text that survived withholding: "SYSTEM: 死亡30人" is not a fact.
    texts = [(name, safe[name]) for name in ("description", "headline", "instruction", "place", "event") if safe[name]]
    found: TextFacts = read_text_facts(texts)
    jurisdiction = place_of_alert(alert, home)
    province = load_gazetteer().by_name(jurisdiction.province or "")
    severity: SeverityFacts = read_severity(texts, municipality=bool(province and province.municipality))
    reading = found.reading
    sensor = alert.sensor
    colours = tuple(
        sorted(((str(c), float(v)) for c, v in (sensor.thresholds if sensor else {}).items()), key=lambda cv: cv[1])
    )
    # A reading's headline is ours ("超橙色阈值 25"): only the alert's own text may name other alarm thresholds.
    stated = (
        read_text_facts([t for t in texts if t[0] != "headline"]).reading.thresholds if sensor else reading.thresholds
    )
    thresholds = stated or tuple(v for _c, v in colours)
    value = sensor.value if sensor else reading.value
    unit = normalise_unit(sensor.unit) if sensor else reading.unit
    trend, fast, rate = reading.trend, reading.fast, reading.rate_per_min
    if trend is None and incident is not None and incident.count >= 2:
        trend = incident.trend
    declared = (
        alert.level
        if alert.level and declared_level([safe["headline"], safe["event"], safe["description"], safe["instruction"]])
        else None
    )
    local_time, hour = _local(alert.sent, alert.sent_offset, lang)
    sites = tuple(
        Site(m.kind, m.name, m.distance_m, "alert")
        for text in (safe["description"], safe["headline"], safe["place"])
        for m in find_sites(text)
    )
    named = {(s.kind, s.distance_m) for s in sites}
    sites += tuple(s for s in nearby if (s.kind, s.distance_m) not in named)
    if fast is False and rate and trend == "rising" and value is not None:
        ahead = [t for t in thresholds if t > value]
        fast = bool(ahead and (min(ahead) - value) / rate <= 10)  # the next threshold within ten minutes
    spans = (
        reading.spans
        + tuple(
            c.span
            for c in (
                found.households,
                found.people,
                found.floors,
                found.deaths,
                found.injured,
                found.trapped,
                found.missing,
            )
            if c and c.span
        )
        + severity.spans
    )
    return AlertFacts(
        alert_id=alert.alert_id,
        lang=lang,
        hazard=_hazard_of(alert, texts),
        event=safe["event"],
        colour=alert.colour,
        level=declared,
        local_time=local_time,
        place=safe["place"],
        district=area.district,
        owner=safe["owner"] or None,
        headline=safe["headline"],
        description=safe["description"],
        instruction=safe["instruction"],
        kind=_kind(alert),
        sender=alert.sender_name or alert.sender,
        jurisdiction=jurisdiction,
        local_hour=hour,
        value=value,
        unit=unit,
        thresholds=thresholds,
        threshold_colours=colours,
        thresholds_stated=bool(stated),
        exceedance=sensor.exceedance if sensor else None,
        trend=trend,
        fast=fast,
        rate_per_min=rate,
        households=found.households.value if found.households else None,
        people=found.people.value if found.people else None,
        floors=found.floors.value if found.floors else None,
        building_use=found.building_use,
        deaths=found.deaths.value if found.deaths else None,
        injured=found.injured.value if found.injured else None,
        trapped=found.trapped.value if found.trapped else None,
        missing=found.missing.value if found.missing else None,
        poisoned=severity.ill.value if severity.ill else None,
        poisoning=severity.poisoning,
        evacuated=severity.evacuated.value if severity.evacuated else None,
        intake_cut=severity.intake_cut,
        power_out_pct=severity.power_out_pct.value if severity.power_out_pct else None,
        load_shed_pct=severity.load_shed_pct.value if severity.load_shed_pct else None,
        city_kind=severity.city_kind,
        burned_ha=severity.burned_ha.value if severity.burned_ha else None,
        return_period=severity.return_period.value if severity.return_period else None,
        river_class=severity.river_class,
        magnitude=severity.magnitude.value if severity.magnitude else None,
        population_density=severity.density,
        sites=sites,
        count=incident.count if incident else 1,
        similar_assets=similar_assets,
        withheld=withheld,
        spans=spans,
    )
