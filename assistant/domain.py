"""Plain types shared by every layer: hazards, stages, levels, chunks, alerts, drafts.

This module imports nothing of ours, so any adapter may depend on it. The hazard
vocabulary lives here because documents, alerts and evaluations must agree on
one set of names; extend ``HAZARDS`` rather than inventing labels elsewhere.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Hazard:
    """One entry of the controlled hazard vocabulary (Chinese name is the key)."""

    name: str
    english: str
    keywords: tuple[str, ...]


HAZARDS: tuple[Hazard, ...] = (
    Hazard("燃气", "gas", ("燃气", "天然气", "液化石油气", "煤气", "可燃气", "甲烷", "gas leak", "natural gas", "LPG")),
    Hazard(
        "危化品",
        "hazardous chemicals",
        ("危险化学品", "危化品", "化工", "化学品", "hazardous chemical", "chemical plant"),
    ),
    Hazard(
        "有限空间",
        "confined space",
        ("有限空间", "受限空间", "硫化氢", "窨井", "化粪池", "confined space", "hydrogen sulphide", "H2S"),
    ),
    Hazard(
        "暴雨内涝",
        "rainstorm and waterlogging",
        (
            "暴雨",
            "内涝",
            "积水",
            "排水防涝",
            "rainstorm",
            "heavy rain",
            "waterlogging",
            "flash flood",
            # longer than the river words "flood warning", "flood advisory", "flood watch": an event named a
            # flash flood is rain flooding first (facts.py sends one about rivers, dikes, dams to 洪涝)
            "flash flood warning",
            "flash flood emergency",
            "flash flood advisory",
            "flash flood watch",
        ),
    ),
    Hazard("洪涝", "flood", ("洪水", "洪涝", "防汛", "汛情", "水位", "堤防", "水库", "flood", "river level", "levee")),
    Hazard("台风", "typhoon", ("台风", "热带风暴", "热带气旋", "typhoon", "hurricane", "tropical storm", "cyclone")),
    Hazard(
        "海洋灾害",
        "marine hazard",
        ("海洋灾害", "风暴潮", "海浪", "离岸流", "storm surge", "rip current", "high surf", "beach hazard"),
    ),
    Hazard("地震", "earthquake", ("地震", "震级", "余震", "earthquake", "seismic", "tsunami")),
    Hazard(
        "地质灾害",
        "geological hazard",
        ("地质灾害", "滑坡", "泥石流", "崩塌", "地面塌陷", "landslide", "mudslide", "debris flow"),
    ),
    Hazard(
        "森林火灾",
        "forest and grassland fire",
        ("森林火灾", "草原火灾", "森林草原", "山火", "wildfire", "bushfire", "forest fire"),
    ),
    Hazard("建筑火灾", "building fire", ("火灾", "高层建筑", "消防", "building fire", "fire safety", "high-rise fire")),
    Hazard("桥梁隧道", "bridges and tunnels", ("桥梁", "隧道", "高架", "桥", "bridge", "tunnel", "viaduct")),
    Hazard("大客流", "crowd", ("大客流", "踩踏", "人群", "大型群众性活动", "客流", "crowd", "stampede", "crush")),
    Hazard(
        "大面积停电", "large-scale power outage", ("停电", "电网", "供电", "power outage", "blackout", "power grid")
    ),
    Hazard("高温", "heat", ("高温", "热浪", "中暑", "heat wave", "heatwave", "extreme heat")),
    Hazard(
        "寒潮冰冻",
        "cold wave, snow and ice",
        ("寒潮", "低温", "冰冻", "暴雪", "道路结冰", "cold wave", "winter storm", "snow", "freezing"),
    ),
    Hazard("大风", "gale", ("大风", "雷雨大风", "冰雹", "雷电", "gale", "high wind", "thunderstorm")),
    Hazard("干旱", "drought", ("干旱", "旱情", "抗旱", "drought")),
    Hazard(
        "突发环境",
        "environmental emergency",
        ("突发环境", "环境污染", "水污染", "大气污染", "environmental emergency", "pollution"),
    ),
    Hazard(
        "公共卫生",
        "public health",
        ("公共卫生", "传染病", "疫情", "食物中毒", "public health", "epidemic", "outbreak", "food poisoning"),
    ),
    Hazard(
        "生产安全",
        "work safety",
        (
            "生产安全",
            "安全生产",
            "事故灾难",
            "生产经营单位",
            "work safety",
            "industrial accident",
            # a tunnel being dug or a mine flooding is a construction or mining accident, not a tunnel in traffic
            # (longer than "隧道", so the longest keyword decides)
            "隧道施工",
            "施工突水",
            "突水突泥",
            "煤矿透水",
            "矿井透水",
            "water inrush",
        ),
    ),
    Hazard(
        "交通运输",
        "transport",
        (
            "交通事故",
            "水上交通",
            "船舶",
            "航空",
            "铁路",
            "道路交通",
            "地铁",
            "transport accident",
            "collision",
            "derailment",
        ),
    ),
    Hazard(
        "文物古建",
        "cultural heritage buildings",
        ("文物建筑", "古建筑", "文物保护单位", "不可移动文物", "文物", "heritage building", "historic building"),
    ),
    Hazard("综合", "all hazards", ("突发事件总体", "总体应急预案", "自然灾害救助", "all-hazards", "general emergency")),
)

HAZARD_NAMES: frozenset[str] = frozenset(h.name for h in HAZARDS)
# Accidents (事故灾难): besides their own plans, the work-safety grading (deaths, serious injuries, loss) applies —
# the documents whose main hazard is work safety (the national plan, Order 493), not every one listing it.
ACCIDENT_HAZARDS: frozenset[str] = frozenset(
    {"燃气", "危化品", "有限空间", "建筑火灾", "桥梁隧道", "交通运输", "生产安全"}
)
# Hazards one command grades together: the flood-control headquarters (防汛抗旱防台风) grade rain, river
# floods, typhoons and drought alike; accidents are graded by the work-safety criteria.
HAZARD_FAMILIES: tuple[frozenset[str], ...] = (frozenset({"暴雨内涝", "洪涝", "台风", "干旱"}), ACCIDENT_HAZARDS)


# What a natural hazard sets off that its own plan does not grade: once the alert reports one happening (a
# rainstorm's landslide has buried houses), the secondary hazard's plan grades it too. A warning to guard against
# one ("注意防范滑坡、泥石流") is no report.
SECONDARY_HAZARDS: dict[str, frozenset[str]] = {
    hazard: frozenset({"地质灾害"}) for hazard in ("暴雨内涝", "洪涝", "台风", "地震")
}


def graded_together(a: str, b: str) -> bool:
    """Whether a plan whose main hazard is ``a`` grades events of hazard ``b`` (a geological plan that lists
    rainstorms as a cause does not grade a rainstorm)."""
    return a == b or any(a in family and b in family for family in HAZARD_FAMILIES)


def secondary_graded(hazard: str | None, reported: Iterable[str]) -> frozenset[str]:
    """The secondary hazards among ``reported`` (hazards the alert says happened) whose own plans grade an alert
    of ``hazard`` as well: a rainstorm alert reporting a landslide is also compared with the geological plan."""
    if hazard is None:
        return frozenset()
    return frozenset(h for h in reported if h in SECONDARY_HAZARDS.get(hazard, frozenset()))


def hazard_by_name(name: str) -> Hazard:
    """Look up a hazard by its Chinese name or English label (case-insensitive)."""
    for hazard in HAZARDS:
        if name == hazard.name or name.lower() == hazard.english.lower():
            return hazard
    raise KeyError(name)


class DocKind(enum.StrEnum):
    PLAN = "plan"
    CASE = "case"
    REGULATION = "regulation"
    OTHER = "other"


class Stage(enum.StrEnum):
    """The six-stage chain, in the order every plan must follow."""

    RISK_CONTROL = "risk_control"
    MONITORING = "monitoring"
    ANALYSIS = "analysis"
    RESPONSE = "response"
    RECOVERY = "recovery"
    INVESTIGATION = "investigation"

    @property
    def zh(self) -> str:
        return _STAGE_LABELS[self][0]

    @property
    def en(self) -> str:
        return _STAGE_LABELS[self][1]

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


_STAGE_LABELS: dict[Stage, tuple[str, str]] = {
    Stage.RISK_CONTROL: ("风险管控", "Risk control"),
    Stage.MONITORING: ("监测预警", "Monitoring and warning"),
    Stage.ANALYSIS: ("分析研判", "Analysis and judgement"),
    Stage.RESPONSE: ("应急处置", "Emergency response"),
    Stage.RECOVERY: ("善后恢复", "Recovery"),
    Stage.INVESTIGATION: ("调查评估", "Investigation and assessment"),
}

STAGES: tuple[Stage, ...] = tuple(Stage)


class Colour(enum.StrEnum):
    """Warning colours, most severe first; green is the risk map's low-risk colour."""

    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    BLUE = "blue"
    GREEN = "green"

    @property
    def zh(self) -> str:
        return {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色", "green": "绿色"}[self.value]

    @property
    def rank(self) -> int:
        """0 for red ... 4 for green, so sorting ascending puts the worst first."""
        return list(Colour).index(self)


class Level(enum.StrEnum):
    """Severity / response grades: I 特别重大 ... IV 一般."""

    I = "I"  # noqa: E741 - the official name of the grade
    II = "II"
    III = "III"
    IV = "IV"

    @property
    def zh(self) -> str:
        return {"I": "Ⅰ级（特别重大）", "II": "Ⅱ级（重大）", "III": "Ⅲ级（较大）", "IV": "Ⅳ级（一般）"}[self.value]

    @property
    def colour(self) -> Colour:
        return {"I": Colour.RED, "II": Colour.ORANGE, "III": Colour.YELLOW, "IV": Colour.BLUE}[self.value]


def level_for_colour(colour: Colour) -> Level | None:
    """The grade a warning colour corresponds to; green has none."""
    return {Colour.RED: Level.I, Colour.ORANGE: Level.II, Colour.YELLOW: Level.III, Colour.BLUE: Level.IV}.get(colour)


# ---------------------------------------------------------------- knowledge


@dataclass(frozen=True)
class DocumentMeta:
    """What we know about one source document; ``doc_id`` is a hash of its content."""

    doc_id: str
    title: str
    kind: DocKind
    hazards: tuple[str, ...]
    source_path: str
    lang: str = "zh"
    region: str | None = None
    issuer: str | None = None
    year: int | None = None
    source: str | None = None
    pages: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of one section; never spans two sections."""

    chunk_id: str
    doc_id: str
    text: str
    heading_path: tuple[str, ...] = ()
    page_start: int | None = None
    page_end: int | None = None
    position: int = 0

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)

    def retrieval_text(self, title: str = "") -> str:
        """Text that is embedded and indexed: title and heading path give the chunk its context."""
        prefix = " > ".join(p for p in (title, self.heading) if p)
        return f"{prefix}\n{self.text}" if prefix else self.text


@dataclass(frozen=True)
class Citation:
    """Where a retrieved passage comes from, as shown to the officer."""

    chunk_id: str
    doc_id: str
    title: str
    heading: str
    page: int | None
    kind: DocKind
    score: float
    text: str

    @property
    def section(self) -> str:
        """The heading path without a leading repeat of the title (Markdown files open with it)."""
        parts = [p.strip() for p in self.heading.split(" > ")]
        if parts and parts[0] == self.title.strip():
            parts = parts[1:]
        return " > ".join(p for p in parts if p)

    def label(self) -> str:
        page = f" p.{self.page}" if self.page else ""
        section = f" · {self.section}" if self.section else ""
        return f"《{self.title}》{section}{page}"


# ---------------------------------------------------------------- alerts


@dataclass(frozen=True)
class AlertArea:
    description: str = ""
    polygons: tuple[tuple[tuple[float, float], ...], ...] = ()
    circles: tuple[tuple[float, float, float], ...] = ()  # lat, lon, radius km
    geocodes: tuple[tuple[str, str], ...] = ()
    lat: float | None = None
    lon: float | None = None
    district: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class SensorReading:
    point_id: str
    sensor_type: str
    value: float
    unit: str
    thresholds: dict[str, float] = field(default_factory=dict)  # colour value -> threshold
    exceedance: float | None = None  # value / the threshold it crossed
    asset_id: str | None = None


@dataclass(frozen=True)
class Alert:
    """One normalised alert, whatever format it arrived in."""

    alert_id: str
    source_format: str  # cap | sensor | cn_warning | csv
    sender: str  # who sent it (an id such as "district-gas-monitor"): its source, never a responsible unit
    sent: datetime  # UTC
    sent_offset: str  # the original UTC offset, e.g. "+08:00"
    event: str
    hazard: str | None
    colour: Colour | None
    level: Level | None  # a response level the alert declares ("启动Ⅲ级应急响应"); never derived from the colour
    headline: str = ""
    description: str = ""
    instruction: str = ""
    status: str = "Actual"
    msg_type: str = "Alert"
    references: tuple[str, ...] = ()
    urgency: str | None = None
    severity: str | None = None
    certainty: str | None = None
    language: str = "zh"
    area: AlertArea = field(default_factory=AlertArea)
    sensor: SensorReading | None = None
    owner: str | None = None  # who owns or operates the monitored asset; None when the alert does not say
    expires: datetime | None = None
    raw: str = ""
    sender_name: str = ""  # the sender's readable name (CAP senderName, "北京市气象台")


class IncidentStatus(enum.StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    HANDLING = "handling"
    CLOSED = "closed"


ASSIGNED = "assigned"  # the incident event of handing it to an officer; its note holds the assignee


@dataclass(frozen=True)
class Incident:
    """Related alerts grouped into one thing the officer handles."""

    incident_id: str
    group_key: str
    hazard: str | None
    colour: Colour | None
    level: Level | None
    title: str
    status: IncidentStatus
    count: int
    first_seen: datetime
    last_seen: datetime
    peak_value: float | None = None
    peak_exceedance: float | None = None
    trend: str = "steady"  # rising | falling | steady
    district: str | None = None
    latest_alert_id: str = ""
    assignee: str | None = None


# ---------------------------------------------------------------- drafts


class Loop(enum.StrEnum):
    """The three closed loops: street/town within 4 h, cross-department, district-wide."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"

    @property
    def zh(self) -> str:
        return {
            "small": "小循环（镇街，4小时内闭环）",
            "medium": "中循环（跨部门协同）",
            "large": "大循环（区级统筹调度）",
        }[self.value]


@dataclass(frozen=True)
class Action:
    text: str
    unit: str
    time_limit: str
    loop: Loop
    citations: tuple[str, ...]  # chunk ids, or "alert:<id>"
    resources: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    # Where the action came from: "card:<id>" (an action card), "clause" (a plan sentence), "guide" (a warning
    # signal's defence guide), "template:<name>" (text every draft carries, whatever the hazard), "officer", "llm".
    origin: str = ""

    @property
    def is_boilerplate(self) -> bool:
        """Text the drafter writes for every alert: it shows no judgement about this one."""
        return self.origin.startswith("template")


@dataclass(frozen=True)
class StageResult:
    stage: Stage
    summary: str
    actions: tuple[Action, ...]
    open_questions: tuple[str, ...] = ()


class EvidenceStatus(enum.StrEnum):
    """Per-paragraph grounding verdict shown next to each statement.

    A citation is not a reason: "supported" needs a clause that applies to *this* alert (its
    jurisdiction, its hazard, its conditions met by the facts). A clause of an inapplicable plan
    is only a reference; a statement the alert's facts contradict is a conflict; a statement
    that depends on facts the alert does not give is "to confirm".
    """

    SUPPORTED = "supported"
    REFERENCE = "reference"
    TO_CONFIRM = "to_confirm"
    UNSUPPORTED = "unsupported"
    CONFLICT = "conflict"

    @property
    def zh(self) -> str:
        return {
            "supported": "有据",
            "reference": "参考",
            "to_confirm": "待核实",
            "unsupported": "无据",
            "conflict": "与告警不符",
        }[self.value]

    @property
    def en(self) -> str:
        return {
            "supported": "supported",
            "reference": "reference only",
            "to_confirm": "to confirm",
            "unsupported": "unsupported",
            "conflict": "conflicts with the alert",
        }[self.value]


@dataclass(frozen=True)
class EvidenceCheck:
    """The grounding verdict for one place in a draft or answer: "summary", "level", "response.2" ..."""

    location: str
    status: EvidenceStatus
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanDraft:
    draft_id: str
    title: str
    lang: str
    alert_id: str | None
    incident_id: str | None
    engine: str  # model name, or "offline-drafter"
    prompt_version: str
    created: datetime
    summary: str
    proposed_level: Level | None
    level_basis: str
    stages: tuple[StageResult, ...]
    citations: tuple[Citation, ...]
    notices: tuple[str, ...] = ()
    checks: tuple[EvidenceCheck, ...] = ()
    level_citations: tuple[str, ...] = ()  # the grading clause (and alert) the proposed level stands on
    warning_line: str = ""  # the warning level (colour) and who issued it: a different scale from the response level
    to_confirm: tuple[str, ...] = ()  # facts the level (and actions) depend on that the alert does not give
    escalation: tuple[str, ...] = ()  # "死亡3人以上 → Ⅲ级（较大）…": the triggers that would raise the level

    def check_for(self, location: str) -> EvidenceCheck | None:
        return next((c for c in self.checks if c.location == location), None)
