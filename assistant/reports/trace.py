"""Is every figure of a report traceable? Numbers and times against the texts they were taken from.

- A time ("2026年11月22日 9时28分", "9时40分", "09:40") must be one of the recorded times, whole.
- A count or measure ("受伤2人", "40户", "约199米", "32.5 %LEL") must occur with the same unit in a
  source text (persons count alike whether written 人, 名 or 位; "3.2万户" is 32000 户), so a "2人"
  can never be vouched for by "GP-002" or a date.
- Any other number must occur as a number in a source text (dates and clock times left out).
Sources are the alert's facts, the officer's notes, the tasks, the draft and the cited clause. A
figure an officer typed into an edited section is theirs (source ``edited``) and is not second-guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.reports.model import Report

_TIMES = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}时\d{2}分"
    r"|\d{1,2}时\d{2}分"
    r"|\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} \(UTC(?:[+-]\d{1,2}(?::\d{2})?)?\)"
    r"|\b\d{2}:\d{2}\b"
)
# Dates and offsets in source texts ("2026-11-22 09:28（UTC+08:00）") are not figures anyone reports.
_DATES = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|UTC[+-]\d{1,2}(?::\d{2})?|\d{4}年\d{1,2}月\d{1,2}日"
)
_UNITS = ("%LEL", "%VOL", "persons/m²", "立方米", "平方米", "公里", "千米", "毫米", "万元", "人", "名", "位", "户", "层", "间", "米", "mm", "km", "ppm", "%", "℃")  # fmt: skip
_PERSON = {"人", "名", "位"}
_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?\s*(" + "|".join(re.escape(u) for u in _UNITS) + r")?")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _number(token: str, wan: bool = False) -> str:
    return f"{float(token) * (10000 if wan else 1):g}"


def _unit(unit: str) -> str:
    return "人" if unit in _PERSON else unit


def _figures(text: str) -> list[tuple[str, str, str]]:
    """(shown, number, unit) for every figure of ``text`` outside times and dates."""
    text = _DATES.sub(" ", _TIMES.sub(" ", _fold(text)))
    return [
        (m.group(0).strip(), _number(m.group(1), bool(m.group(2))), _unit(m.group(3) or ""))
        for m in _FIGURE.finditer(text)
    ]


@dataclass(frozen=True)
class Sources:
    times: frozenset[str]
    numbers: frozenset[str]
    measured: frozenset[tuple[str, str]]


def read_sources(texts: Iterable[str]) -> Sources:
    times: set[str] = set()
    numbers: set[str] = set()
    measured: set[tuple[str, str]] = set()
    for text in texts:
        times.update(m.group(0) for m in _TIMES.finditer(_fold(text)))
        for _shown, number, unit in _figures(text):
            numbers.add(number)
            if unit:
                measured.add((number, unit))
    return Sources(frozenset(times), frozenset(numbers), frozenset(measured))


@dataclass(frozen=True)
class Untraced:
    section: str  # "title" or a section key
    figure: str
    line: str


def untraced_in(text: str, sources: Sources, where: str = "") -> list[Untraced]:
    """The times and figures of ``text`` that no source holds."""
    folded = _fold(text)
    found = [Untraced(where, m.group(0), text) for m in _TIMES.finditer(folded) if m.group(0) not in sources.times]
    for shown, number, unit in _figures(text):
        held = (number, unit) in sources.measured if unit else number in sources.numbers
        if not held:
            found.append(Untraced(where, shown, text))
    return found


def untraced(report: Report, texts: Sequence[str] | None = None) -> list[Untraced]:
    """Every figure of the report's generated lines (title included) that its sources do not hold.

    ``texts`` defaults to the texts the report recorded; the evaluation passes texts it rebuilt
    itself from the alert, tasks and notes, so the report cannot vouch for its own figures.
    """
    sources = read_sources(report.sources if texts is None else texts)
    found = untraced_in(report.title, sources, "title")
    for section in report.sections:
        for line in section.lines:
            if line.source != "edited":
                found += untraced_in(line.text, sources, section.key)
    return found
