"""Dates and clock times in a clause ("2023年6月21日20时40分许", "19日21时59分"), and how they read in English.

"几点发生的 / when did it happen" asks for a moment, not a time limit: the answering clause is the
one that states a date or a clock time, and an English answer over a Chinese clause states that
moment in English ("21 June 2023, about 20:40") rather than a keyword summary.
"""

from __future__ import annotations

import re

_MONTHS = ("January February March April May June July August September October November December").split()
_MOMENT = re.compile(
    r"(?:(?P<year>(?:19|20)\d\d)年)?(?:(?P<month>\d{1,2})月)?(?:(?P<day>\d{1,2})日)?"
    r"(?:(?P<part>凌晨|早上|上午|中午|下午|傍晚|晚上|夜间))?"
    r"(?:(?P<hour>\d{1,2})(?:时|点)(?:(?P<minute>\d{1,2})分)?)?(?P<about>许|左右)?"
)
_EN_MOMENT = re.compile(
    rf"\b\d{{1,2}}:\d{{2}}\b|\b\d{{1,2}} (?:{'|'.join(_MONTHS)})\b|\b(?:{'|'.join(_MONTHS)}) \d{{1,2}}\b"
)
_PARTS = {
    "凌晨": "early morning",
    "早上": "morning",
    "上午": "morning",
    "中午": "noon",
    "下午": "afternoon",
    "傍晚": "evening",
    "晚上": "evening",
    "夜间": "night",
}


def _moments(text: str) -> list[re.Match[str]]:
    found = []
    for match in _MOMENT.finditer(text):
        if match.group("hour") or (match.group("day") and (match.group("month") or match.group("part"))):
            found.append(match)
        elif match.group("day") and match.end() < len(text) and text[match.end() : match.end() + 1] in "起至到":
            found.append(match)  # "自19日起": a day the clause dates by
    return found


def states_moment(text: str) -> bool:
    """Whether a clause states a date or a clock time (not a duration such as "3小时内")."""
    return bool(_moments(text)) or bool(_EN_MOMENT.search(text))


def moment_en(match: re.Match[str]) -> str:
    """ "2023年6月21日20时40分许" → "21 June 2023, about 20:40"; "20日下午" → "the 20th, afternoon"."""
    date = ""
    day, month, year = match.group("day"), match.group("month"), match.group("year")
    if day and month:
        date = f"{int(day)} {_MONTHS[int(month) - 1]}" + (f" {year}" if year else "")
    elif day:
        date = f"the {_ordinal(int(day))}"
    clock = ""
    if match.group("hour"):
        clock = f"{int(match.group('hour')):02d}:{int(match.group('minute') or 0):02d}"
        clock = f"about {clock}" if match.group("about") else clock
    part = _PARTS.get(match.group("part") or "", "")
    return ", ".join(p for p in (date, part, clock) if p)


def moments_en(text: str, limit: int = 3) -> list[str]:
    """The moments a Chinese clause states, in order, in English."""
    return [m for m in (moment_en(match) for match in _moments(text)) if m][:limit]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
