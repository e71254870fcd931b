"""What each figure of a Chinese clause counts, for an English lead that gives figures.

"死亡10人以上、不足30人，或者重伤50人以上、不足100人" rendered as its figures alone reads
"10 or more people, fewer than 30 people, 50 or more people, …": the officer cannot tell the
dead from the injured. Each figure takes the measure word of its own clause part (the last one
before it, else the first after it, never across "，；。或"), so the lead reads
"death toll: 10 or more people, fewer than 30 people; seriously injured: 50 or more people, …".
"""

from __future__ import annotations

import re

from assistant.chain.glossary import Glossary, Match
from assistant.chain.quantities import quantities_in

_PART_BREAK = re.compile(r"[，,；;。]|或者?")
_COUNT_GAP = 2  # "26人死亡": the counted word follows the figure at once


def figure_spans(text: str) -> list[tuple[int, int, str]]:
    """Where each figure of the text stands (start, end) and its English ("10人以上" → "10 or more people")."""
    spans: list[tuple[int, int, str]] = []
    start = 0
    for quantity in quantities_in(text):
        at = text.find(quantity.text, start)
        if at >= 0:
            start = at + len(quantity.text)
            spans.append((at, start, quantity.english()))
    return spans


def labelled_figures(text: str, glossary: Glossary, limit: int) -> str:
    """ "label: figure, figure; label: figure" for the clause's first ``limit`` figures; "" when none is labelled."""
    spans = figure_spans(text)
    measures = [  # the words a figure counts, not the units inside the figures ("毫米", "小时")
        m
        for m in glossary.find(text, "zh")
        if m.term.kind == "measure" and len(m.text) >= 2 and not any(a < m.end and m.start < b for a, b, _ in spans)
    ]
    groups: list[tuple[str, list[str]]] = []
    for at, end, english in spans[:limit]:
        label = _label(text, at, end, measures)
        if groups and groups[-1][0] == label:
            if english not in groups[-1][1]:
                groups[-1][1].append(english)
        else:
            groups.append((label, [english]))
    if not any(label for label, _ in groups):
        return ""
    return "; ".join(f"{label}: {', '.join(figures)}" if label else ", ".join(figures) for label, figures in groups)


def _label(text: str, at: int, end: int, measures: list[Match]) -> str:
    """The measure named in the same clause part as the figure at ``at``–``end``, in English: the word right
    after it ("138人受伤"), else the last one before it ("重伤50人以上、不足100人"), else the first after it."""
    right_after = [m for m in measures if end <= m.start <= end + _COUNT_GAP]
    if right_after:
        return right_after[0].term.en[0]
    before = [m for m in measures if m.end <= at and not _PART_BREAK.search(text[m.end : at])]
    if before:
        return before[-1].term.en[0]
    after = [m for m in measures if m.start >= end and not _PART_BREAK.search(text[end : m.start])]
    return after[0].term.en[0] if after else ""
