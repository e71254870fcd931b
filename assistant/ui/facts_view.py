"""The alert facts an officer reads first, as short cell texts for the board and rows for the workspace.

Peak is the reading against its thresholds, Trend carries its rate, Nearby lists the sites the alert
names and those the asset registry finds, People and Casualties say "未载明 / not stated" rather than
a reassuring zero when the alert does not say.
"""

from __future__ import annotations

from html import escape

from assistant.chain.facts import AlertFacts
from assistant.domain import Incident

TREND_ARROWS = {"rising": "↑", "falling": "↓", "steady": "→"}


def _zh(lang: str) -> bool:
    return lang != "en"


def peak_cell(facts: AlertFacts, incident: Incident) -> str:
    """ "23 %LEL / 阈值 10、25" — the highest reading when the incident has several, its thresholds beside it."""
    value = facts.value
    if incident.peak_value is not None and (value is None or incident.peak_value > value):
        value = incident.peak_value
    if value is None:
        return ""
    shown = f"{value:g} {facts.unit}".strip()
    if facts.thresholds:
        joined = (
            "、".join(f"{t:g}" for t in facts.thresholds)
            if _zh(facts.lang)
            else ", ".join(f"{t:g}" for t in facts.thresholds)
        )
        shown += f" / {'阈值' if _zh(facts.lang) else 'thresholds'} {joined}"
    return shown


def trend_cell(facts: AlertFacts, incident: Incident) -> str:
    """Trend of the alert text (with its rate), else of repeated readings; "—" when nothing says."""
    if facts.trend is not None:
        return f"{TREND_ARROWS.get(facts.trend, '')} {facts.trend_text}".strip()
    if incident.count >= 2:
        word = {"rising": ("上升", "rising"), "falling": ("下降", "falling"), "steady": ("平稳", "steady")}[
            incident.trend
        ]
        return f"{TREND_ARROWS.get(incident.trend, '')} {word[0] if _zh(facts.lang) else word[1]}"
    return "—"


def nearby_cell(facts: AlertFacts, limit: int = 2) -> str:
    sep = "、" if _zh(facts.lang) else "; "
    return sep.join(s.describe(facts.lang) for s in facts.sites[:limit])


def people_cell(facts: AlertFacts) -> str:
    zh = _zh(facts.lang)
    parts = []
    if facts.households is not None:
        parts.append(f"约{facts.households}户" if zh else f"~{facts.households} households")
    if facts.people is not None:
        parts.append(f"约{facts.people}人" if zh else f"~{facts.people} people")
    if facts.floors is not None:
        parts.append(f"{facts.floors}层" if zh else f"{facts.floors} storeys")
    return (" " if zh else ", ").join(parts)


def casualties_cell(facts: AlertFacts) -> str:
    zh = _zh(facts.lang)
    counts = [
        (label_zh if zh else label_en, value)
        for label_zh, label_en, value in (
            ("死", "dead", facts.deaths),
            ("伤", "injured", facts.injured),
            ("困", "trapped", facts.trapped),
            ("失联", "missing", facts.missing),
        )
        if value is not None
    ]
    if not counts:
        return "未载明" if zh else "not stated"
    if all(value == 0 for _label, value in counts):
        return "无伤亡" if zh else "none"
    return " ".join(f"{label}{value}" for label, value in counts) if zh else ", ".join(f"{v} {k}" for k, v in counts)


def fact_rows(facts: AlertFacts) -> list[tuple[str, str]]:
    """(label, escaped value) rows for the workspace's alert details; empty facts are left out."""
    zh = _zh(facts.lang)
    rows = [
        ("监测值与阈值" if zh else "Reading vs thresholds", facts.value_text or ""),
        ("变化趋势" if zh else "Trend", facts.trend_text if facts.trend else ""),
        ("涉及人员" if zh else "People affected", people_cell(facts)),
        ("伤亡" if zh else "Casualties", casualties_cell(facts)),
        ("周边敏感目标" if zh else "Sensitive sites nearby", nearby_cell(facts, limit=6)),
        (
            "属地" if zh else "Jurisdiction",
            facts.jurisdiction.label(facts.lang) if facts.jurisdiction.known else ("属地不明" if zh else "unknown"),
        ),
        ("信息来源" if zh else "Source", facts.sender),
        ("产权/运营单位" if zh else "Owner / operator", facts.owner or ""),
    ]
    return [(label, escape(value)) for label, value in rows if value]
