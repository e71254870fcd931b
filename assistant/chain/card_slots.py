"""Filling an action card's text with the alert's facts: "{place}", "[约{households}户]", "{school}".

A bracketed part is dropped when a slot inside it is unknown ("疏散5号楼[约{households}户]居民"
→ "疏散5号楼居民"); a slot outside brackets that is unknown is written as "〔户数待核实〕", so a
gap reads as something to confirm, never as a made-up fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.chain.facts import AlertFacts

_SLOT = re.compile(r"\{([a-z_0-9]+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


def _number(value: float | int | None) -> str | None:
    return None if value is None else f"{value:g}"


def _site(kind: str) -> Callable[[AlertFacts], str | None]:
    def nearest(facts: AlertFacts) -> str | None:
        sites = sorted(facts.sites_of(kind), key=lambda s: s.distance_m if s.distance_m is not None else 1e9)
        return sites[0].describe(facts.lang) if sites else None

    return nearest


def _sites(facts: AlertFacts) -> str | None:
    if not facts.sites:
        return None
    return ("、" if facts.lang == "zh" else ", ").join(s.describe(facts.lang) for s in facts.sites[:5])


def _threshold(n: int) -> Callable[[AlertFacts], str | None]:
    def nth(facts: AlertFacts) -> str | None:
        return f"{facts.thresholds[n - 1]:g}" if len(facts.thresholds) >= n else None

    return nth


_LIST_GOES_ON = re.compile(r"\s*[、，,和及与]")


def local_place(facts: AlertFacts) -> str | None:
    """The place as the people on the ground name it: "示例市滨江区幸福里小区5号楼" → "幸福里小区5号楼". The title and
    summary carry the full address once; twenty actions repeating "示例市滨江区…" only bury what to do."""
    place = facts.place or None
    if place is None or facts.lang != "zh":
        return place
    local = place
    for name in (facts.jurisdiction.province, facts.jurisdiction.city, facts.district or facts.jurisdiction.district):
        if name and local.startswith(name):
            if _LIST_GOES_ON.match(local[len(name) :]):
                break  # "南山区、宝安区": the districts are the place, not a prefix of it
            local = local[len(name) :]
    return local if len(local) >= 2 and local != place.strip() else place


def _colour(facts: AlertFacts) -> str | None:
    if facts.colour is None:
        return None
    return facts.colour.zh if facts.lang == "zh" else facts.colour.value


SLOTS: dict[str, tuple[Callable[[AlertFacts], str | None], str, str]] = {
    # name: (value, Chinese label, English label) — the labels name a gap to confirm.
    "place": (local_place, "地点", "location"),
    "district": (lambda f: f.district, "所在区", "district"),
    "event": (lambda f: f.event or None, "事件", "event"),
    "signal": (lambda f: f.headline or None, "预警信号", "warning signal"),
    "hazard": (lambda f: f.hazard_label or None, "灾种", "hazard"),
    "time": (lambda f: f.local_time, "时间", "time"),
    "owner": (lambda f: f.owner, "产权/运营单位", "owner or operator"),
    "value": (lambda f: _number(f.value), "监测值", "reading"),
    "unit": (lambda f: f.shown_unit or None, "单位", "unit"),
    "reading": (lambda f: f.value_text, "监测值", "reading"),
    "threshold1": (_threshold(1), "第一报警阈值", "first alarm threshold"),
    "threshold2": (_threshold(2), "第二报警阈值", "second alarm threshold"),
    "trend": (lambda f: None if f.trend is None else f.trend_text, "变化趋势", "trend"),
    "households": (lambda f: _number(f.households), "户数", "households"),
    "people": (lambda f: _number(f.people), "人数", "people"),
    "floors": (lambda f: _number(f.floors), "楼层数", "storeys"),
    "building_use": (lambda f: f.building_use, "建筑用途", "building use"),
    "deaths": (lambda f: _number(f.deaths), "死亡人数", "deaths"),
    "injured": (lambda f: _number(f.injured), "受伤人数", "injured"),
    "trapped": (lambda f: _number(f.trapped), "被困人数", "people trapped"),
    "missing": (lambda f: _number(f.missing), "失联人数", "people missing"),
    "colour": (_colour, "预警颜色", "warning colour"),
    "sites": (_sites, "周边敏感目标", "sensitive sites nearby"),
    "similar": (lambda f: ("、" if f.lang == "zh" else ", ").join(f.similar_assets) or None, "同类设施", "similar assets"),
    "jurisdiction": (lambda f: f.jurisdiction.label(f.lang) if f.jurisdiction.known else None, "属地", "jurisdiction"),
    **{kind: (_site(kind), label_zh, label_en) for kind, label_zh, label_en in (
        ("school", "学校", "school"),
        ("kindergarten", "幼儿园", "kindergarten"),
        ("hospital", "医院", "hospital"),
        ("nursing_home", "养老机构", "care home"),
        ("metro", "地铁站", "metro station"),
        ("market", "市场/商场", "market"),
        ("station", "车站", "station"),
    )},
}  # fmt: skip


@dataclass(frozen=True)
class Filled:
    text: str
    gaps: tuple[str, ...]  # labels of facts the text needed but the alert did not give


def gap(zh: str, en: str, lang: str) -> str:
    """What a statement needs but the sources do not give, marked to confirm (the grounding check reads it)."""
    return f"〔{zh}待核实〕" if lang == "zh" else f"[{en}: to confirm]"


def unknown_slots(template: str) -> list[str]:
    """Slot names that are not in the vocabulary (for the card validator)."""
    return [name for name in _SLOT.findall(template) if name not in SLOTS]


def fill(template: str, facts: AlertFacts) -> Filled:
    lang = facts.lang
    values = {name: getter(facts) for name, (getter, _zh, _en) in SLOTS.items() if "{" + name + "}" in template}

    def optional(match: re.Match[str]) -> str:
        inner = match.group(1)
        return "" if any(values.get(n) is None for n in _SLOT.findall(inner)) else inner

    text = _OPTIONAL.sub(optional, template)
    gaps: list[str] = []

    def slot(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name)
        if value is not None:
            return value
        _getter, zh, en = SLOTS[name]
        gaps.append(zh if lang == "zh" else en)
        return gap(zh, en, lang)

    return Filled(_SLOT.sub(slot, text), tuple(gaps))
