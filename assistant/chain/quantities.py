"""Figures in plan clauses (1小时内, 100毫米以上, 不足30人, 19.5%至23.5%) and how they read in English.

An English answer over a Chinese clause cannot translate the clause, but it can state the
figures exactly: deadlines, thresholds and counts are what the officer asked for, and
their English form must carry the same bound ("以上" includes the number, "不足" excludes it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"\d+(?:\.\d+)?"
_UNITS = {
    "个工作日": ("working day", "working days"),
    "小时": ("hour", "hours"),
    "分钟": ("minute", "minutes"),
    "个月": ("month", "months"),
    "日": ("day", "days"),
    "天": ("day", "days"),
    "周": ("week", "weeks"),
    "年": ("year", "years"),
    "平方公里": ("km²", "km²"),
    "公里": ("km", "km"),
    "毫米": ("mm", "mm"),
    "厘米": ("cm", "cm"),
    "米": ("m", "m"),
    "℃": ("°C", "°C"),
    "°C": ("°C", "°C"),
    "公顷": ("hectare", "hectares"),
    "%LEL": ("%LEL", "%LEL"),
    "%": ("%", "%"),
    "mg/m³": ("mg/m³", "mg/m³"),
    "mg/m3": ("mg/m³", "mg/m³"),
    "万人": ("ten-thousand people", "ten-thousand people"),
    "人": ("person", "people"),
    "例": ("case", "cases"),
    "户": ("household", "households"),
    "万元": ("ten-thousand yuan", "ten-thousand yuan"),
    "亿元": ("hundred-million yuan", "hundred-million yuan"),
    "级": ("force", "force"),
}
_TIME_UNITS = ("个工作日", "小时", "分钟", "个月", "日", "天", "周", "年")
_UNIT_PATTERN = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_PREFIX = r"(不足|不得超过|不超过|超过|达到|达|低于|高于|至少|最长|最多|每)?"
_SUFFIX = r"(以上|以下|以内|之内|内|前|后|左右)?"
_QUANTITY = re.compile(
    rf"{_PREFIX}\s*({_NUMBER})\s*(?:({_UNIT_PATTERN})\s*)?(?:(?:至|到|～|~|—|-)\s*({_NUMBER})\s*)?({_UNIT_PATTERN}){_SUFFIX}"
)
_DATE = re.compile(r"(?:19|20)\d\d")
_IMMEDIATE = re.compile(r"立即|立刻|第一时间|马上|迅速|及时|immediately|at once|without delay", re.IGNORECASE)
_PREFIX_EN = {
    "不足": "fewer than",
    "不超过": "no more than",
    "不得超过": "no more than",
    "超过": "more than",
    "达到": "",
    "达": "",
    "低于": "below",
    "高于": "above",
    "至少": "at least",
    "最长": "at most",
    "最多": "at most",
    "每": "every",
}
_SUFFIX_EN = {"以上": "or more", "以下": "or less", "以内": "within", "之内": "within", "内": "within", "左右": "about"}


@dataclass(frozen=True)
class Quantity:
    text: str  # as written in the clause
    value: str
    upper: str  # the upper bound of a range, or ""
    unit: str
    prefix: str
    suffix: str

    @property
    def is_time(self) -> bool:
        return self.unit in _TIME_UNITS

    @property
    def is_deadline(self) -> bool:
        """A limit rather than a duration in passing: 1小时内, 不超过2小时, 20日前."""
        return self.is_time and (
            self.suffix in ("内", "以内", "之内", "前") or self.prefix in ("不超过", "不得超过", "最长")
        )

    def english(self) -> str:
        """The figure with its bound in English: "within 1 hour", "100 mm or more", "fewer than 30 people"."""
        one, many = _UNITS.get(self.unit, (self.unit, self.unit))
        plural = many if (self.upper or self.value not in ("1", "1.0")) else one
        symbol = plural in ("%", "°C", "%LEL", "mm", "cm", "m", "km", "km²", "mg/m³")
        if self.unit == "级":
            number = f"force {self.value}" + (f" to {self.upper}" if self.upper else "")
            noun = ""
        elif self.unit in ("万元", "亿元", "万人"):
            number, noun = _scaled(self.value, self.upper, self.unit)
        elif symbol:
            glue = " " if plural in ("°C", "mm", "cm", "m", "km", "km²", "mg/m³") else ""
            number = f"{self.value}{glue}{plural}" + (f" to {self.upper}{glue}{plural}" if self.upper else "")
            noun = ""
        else:
            number = self.value + (f" to {self.upper}" if self.upper else "")
            noun = plural
        bound = _SUFFIX_EN.get(self.suffix, "")
        if bound == "within":
            return " ".join(w for w in ("within", number, noun) if w)
        if self.suffix in ("前", "后"):
            return " ".join(w for w in (number, noun, "before" if self.suffix == "前" else "after") if w)
        if self.suffix == "左右":
            return " ".join(w for w in ("about", number, noun) if w)
        words = [_PREFIX_EN.get(self.prefix, ""), number]
        words += [bound, noun] if noun else [noun, bound]
        return " ".join(w for w in words if w)


def _scaled(value: str, upper: str, unit: str) -> tuple[str, str]:
    factor = {"万元": 1e4, "亿元": 1e8, "万人": 1e4}[unit]
    noun = "yuan" if unit.endswith("元") else "people"
    parts = [_plain(float(n) * factor) for n in (value, upper) if n]
    return " to ".join(parts), noun


def _plain(value: float) -> str:
    if value >= 1e9:
        return f"{value / 1e9:g} billion"
    if value >= 1e6:
        return f"{value / 1e6:g} million"
    return f"{value:,.0f}"


def quantities_in(text: str) -> list[Quantity]:
    """Every figure with a unit in a Chinese clause, in order."""
    found = []
    for match in _QUANTITY.finditer(text):
        prefix, value, first_unit, upper, unit, suffix = match.groups()
        if unit in ("年", "日") and _DATE.fullmatch(value):
            continue  # "2021年", "13日": a date, not a duration
        found.append(Quantity(match.group(0).strip(), value, upper or "", unit, prefix or "", suffix or ""))
        del first_unit  # "19.5%至23.5%": the unit is written twice; the second one counts
    return found


def deadlines_in(text: str) -> list[str]:
    """Stated time limits ("1小时内", "不超过2小时", "20日前"), else "立即" and the like."""
    limits = [q.text for q in quantities_in(text) if q.is_deadline]
    if limits:
        return limits
    times = [q.text for q in quantities_in(text) if q.is_time]
    immediate = _IMMEDIATE.findall(text)
    return times + immediate


def english_deadlines(text: str) -> list[str]:
    limits = [q.english() for q in quantities_in(text) if q.is_deadline]
    if limits:
        return limits
    if _IMMEDIATE.search(text):
        return ["immediately"]
    return [q.english() for q in quantities_in(text) if q.is_time]
