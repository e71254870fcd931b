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


def _signal_names(facts: AlertFacts) -> list[str]:
    """The event first ("暴雪"), then the hazard ("台风" for an English "Typhoon" alert)."""
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
            depth = _match_depth(citation, name)
            text = guidance_text(citation, facts.colour) if depth else None
            if text and not looks_like_injection(text) and (best is None or depth > best[0]):
                best = (depth, citation, text)
        if best:
            return best[1], best[2]
    return None
