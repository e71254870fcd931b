"""The defence guide for a weather warning signal, graded by the signal's colour.

A 台风红色预警信号 asks for different measures than a blue one (停课停业 against 回港避风), and
the guide attached to 中国气象局令第16号 lists them per colour. Plan retrieval by hazard does not
reliably surface that one line, so it is looked up directly: the regulation section whose heading
names the signal, then the line for the alert's colour (or the section's single defence paragraph).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.chain.facts import AlertFacts
from assistant.chain.injection import looks_like_injection
from assistant.domain import Citation, Colour, DocKind

if TYPE_CHECKING:
    from assistant.chain.evidence import Searcher

_GUIDE_HEADING = "预警信号"
_DEFENCE_LINE = re.compile(r"^(?:[-•·*]\s*)?防御(?:指南)?要点[：:]\s*(.+)$")
_COLOUR_LINE = re.compile(r"^(?:[-•·*]\s*)?([红橙黄蓝、]+)色(?:时|以上)?[：:]\s*(.+)$")
_BASED_ON = re.compile(r"在([红橙黄蓝])色措施基础上")


# The signals of 中国气象局令第16号, longest first ("道路结冰" before "结冰"-like overlaps), and their English names.
SIGNALS = (
    "道路结冰",
    "沙尘暴",
    "台风",
    "暴雨",
    "暴雪",
    "寒潮",
    "大风",
    "高温",
    "干旱",
    "雷电",
    "冰雹",
    "霜冻",
    "大雾",
    "霾",
)
_ENGLISH_SIGNALS = (
    ("road icing", "道路结冰"), ("icy road", "道路结冰"), ("road ice", "道路结冰"), ("sandstorm", "沙尘暴"),
    ("dust storm", "沙尘暴"), ("sand and dust", "沙尘暴"), ("typhoon", "台风"), ("rainstorm", "暴雨"),
    ("heavy rain", "暴雨"), ("blizzard", "暴雪"), ("snowstorm", "暴雪"), ("heavy snow", "暴雪"), ("cold wave", "寒潮"),
    ("gale", "大风"), ("strong wind", "大风"), ("high temperature", "高温"), ("heat", "高温"), ("drought", "干旱"),
    ("lightning", "雷电"), ("thunder", "雷电"), ("hail", "冰雹"), ("frost", "霜冻"), ("fog", "大雾"), ("haze", "霾"),
)  # fmt: skip


def signal_of(facts: AlertFacts) -> str | None:
    """The warning signal the alert itself names (its event, then its headline), in the guide's Chinese name."""
    for text in (facts.event, facts.headline):
        found = next((name for name in SIGNALS if name in text), None)
        if found:
            return found
        lowered = text.lower()
        found = next((name for word, name in _ENGLISH_SIGNALS if re.search(rf"\b{word}", lowered)), None)
        if found:
            return found
    return None


def _section_signals(citation: Citation) -> set[str]:
    """The signals a guide section is about: those named by the deepest heading that names any
    ("十一、霜冻、大雾、道路结冰预警信号 > （二）大雾" is about 大雾 only)."""
    for part in reversed(citation.heading.split(" > ")):
        named = {name for name in SIGNALS if name in part}
        if named:
            return named
    return set()


def is_other_signals_guide(citation: Citation, facts: AlertFacts) -> bool:
    """A section of the warning-signal guide about another signal than the alert's own (the fog guide's
    "封闭高速公路、停航" for a road-ice warning): never evidence for this alert."""
    signal = signal_of(facts) if facts.kind == "warning" else None
    if signal is None or _GUIDE_HEADING not in citation.heading:
        return False
    named = _section_signals(citation)
    return bool(named) and signal not in named


def _signal_names(facts: AlertFacts) -> list[str]:
    """The signal the alert names ("道路结冰", "台风" for an English "Typhoon"), else its event and hazard."""
    signal = signal_of(facts)
    if signal:
        return [signal]
    names = [facts.event.strip(), (facts.hazard or "").strip()]
    return [name for name in dict.fromkeys(names) if name]


def _match_depth(citation: Citation, name: str) -> int:
    """How deep in the heading path the signal is named: "（二）冰雹" beats "十、雷电、冰雹预警信号"."""
    path = citation.heading.split(" > ")
    if not any(_GUIDE_HEADING in part and name in part for part in path):
        return 0
    return max(depth for depth, part in enumerate(path, 1) if name in part)


def guidance_text(citation: Citation, colour: Colour | None) -> str | None:
    """The defence measures for this colour in one guide section, or None if the section has none."""
    lines = [line.strip() for line in citation.text.splitlines() if line.strip()]
    for line in lines:
        match = _DEFENCE_LINE.match(line)
        if match:
            return match.group(1)
    if "防御" not in citation.heading:
        return None  # a section of standards (蓝色：12小时内降雨量将达50毫米以上) is not guidance
    graded = {m.group(1): m.group(2) for m in map(_COLOUR_LINE.match, lines) if m}
    if not graded:
        return " ".join(lines) or None
    if colour is None or colour is Colour.GREEN:
        return None
    mark = colour.zh[0]
    chosen = next((text for colours, text in graded.items() if mark in colours), None)
    if chosen is None:
        return None
    base = _BASED_ON.search(chosen)
    if base:
        lower = next((text for colours, text in graded.items() if base.group(1) in colours), None)
        if lower and lower != chosen:
            return f"{lower} {chosen}"
    return chosen


def find_signal_guidance(searcher: Searcher, facts: AlertFacts, k: int = 6) -> tuple[Citation, str] | None:
    """The guide section for the alert's signal and the measures for its colour, if the library has them."""
    if facts.value_text:
        return None  # a sensor reading is not a weather warning signal: spare the draft two searches
    best: tuple[int, Citation, str] | None = None
    for name in _signal_names(facts):
        for citation in searcher.search(f"{name}预警信号 防御指南 防御要点", k, kind=DocKind.REGULATION.value):
            depth = _match_depth(citation, name) if name in _section_signals(citation) or name not in SIGNALS else 0
            text = guidance_text(citation, facts.colour) if depth else None
            if text and not looks_like_injection(text) and (best is None or depth > best[0]):
                best = (depth, citation, text)
        if best:
            return best[1], best[2]
    return None
