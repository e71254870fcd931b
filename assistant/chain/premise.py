"""A count or value the question states, checked against the clauses' bounds: which grade or signal it meets.

"死亡5人就算重大事故了吧？" states 5 deaths and names 重大; the grading clause that answers is the
one whose bounds hold 5 ("死亡3人以上、不足10人" → 较大), not the one the question names. The
bounds are read as the grading texts define them: "以上" includes the number, "以下"/"不足" exclude it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.chain.clauses import Clause
from assistant.chain.quantities import Quantity, quantities_in

# What a grading clause counts, and the other wordings a question uses for it.
_COUNTED = {
    "死亡": ("死亡", "遇难", "死"),
    "重伤": ("重伤",),
    "受伤": ("受伤",),
    "失踪": ("失踪",),
    "中毒": ("中毒",),
}
_EN_COUNTED = {"死亡": r"deaths?|dead|died|killed|fatalities", "重伤": r"seriously injured|serious injuries"}
_NUM = r"(\d+)"
LOSS = "直接经济损失"  # graded in 万元: "直接经济损失1000万元以上、不足5000万元"
_AMOUNT = r"(\d+(?:\.\d+)?)(万元|亿元)"
_LOSS_WORDS = r"(?:直接经济损失|直接损失|经济损失|损失)"


@dataclass(frozen=True)
class StatedCount:
    word: str  # the grading word: 死亡, 重伤 …, or 直接经济损失
    value: float  # people, or 万元 for a loss


@dataclass(frozen=True)
class Bounds:
    low: float | None  # included
    high: float | None  # excluded

    def holds(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value < self.high)


def _wan(number: str, unit: str) -> float:
    return float(number) * (10000 if unit == "亿元" else 1)


def stated_counts(question: str) -> list[StatedCount]:
    """The head counts and losses a question states: "死亡5人", "5人死亡", "5 deaths", "直接经济损失6000万元"."""
    found: list[StatedCount] = []
    for word, wordings in _COUNTED.items():
        alt = "|".join(wordings)
        for pattern in (rf"(?:{alt})了?{_NUM}(?:个)?人", rf"{_NUM}(?:个)?人(?:{alt})"):
            found += [StatedCount(word, int(m.group(1))) for m in re.finditer(pattern, question)]
    for m in re.finditer(rf"{_LOSS_WORDS}(?:约|达|为)?{_AMOUNT}|{_AMOUNT}的?(?:直接)?(?:经济)?损失", question):
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        found.append(StatedCount(LOSS, _wan(number, unit)))
    lowered = question.lower()
    for word, alt in _EN_COUNTED.items():
        for pattern in (
            rf"\b(\d+)\s+(?:people\s+|persons\s+)?(?:were\s+)?(?:{alt})\b",
            rf"\b(?:{alt})\s+(?:of\s+)?(\d+)\b",
        ):
            found += [StatedCount(word, int(m.group(1))) for m in re.finditer(pattern, lowered)]
    return list(dict.fromkeys(found))


def bounds_of(text: str, word: str) -> Bounds | None:
    """The bounds a grading clause sets on one count: "死亡3人以上、不足10人" → [3, 10); a loss in 万元."""
    start = text.find(word)
    if start < 0:
        return None
    tail = text[start + len(word) : start + len(word) + 24]
    tail = re.split(r"[，,；;或]", tail, maxsplit=1)[0]
    if word == LOSS:
        if m := re.match(rf"{_AMOUNT}以上(?:、\s*(?:不足|不到|少于)?{_AMOUNT}(?:以下)?)?", tail):
            return Bounds(_wan(m.group(1), m.group(2)), _wan(m.group(3), m.group(4)) if m.group(3) else None)
        if m := re.match(rf"(?:不足|不到|少于){_AMOUNT}|{_AMOUNT}以下", tail):
            number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            return Bounds(None, _wan(number, unit))
        return None
    if m := re.match(rf"{_NUM}人以上(?:、\s*(?:不足|不到|少于)?{_NUM}人(?:以下)?)?", tail):
        return Bounds(int(m.group(1)), int(m.group(2)) if m.group(2) else None)
    if m := re.match(rf"(?:不足|不到|少于){_NUM}人|{_NUM}人以下", tail):
        return Bounds(None, int(m.group(1) or m.group(2)))
    return None


def fits(text: str, counts: list[StatedCount]) -> bool | None:
    """Whether a grading clause's bounds hold any stated count (None: it bounds none of them).

    Several clauses may hold one each ("死亡8人" 较大, "损失6000万元" 重大): the grade is the highest
    met (the grading texts' own rule), which the caller decides among the fitting clauses.
    """
    verdicts = [b.holds(c.value) for c in counts if (b := bounds_of(text, c.word)) is not None]
    return any(verdicts) if verdicts else None


# "高温红色预警是不是38℃就发布？": a measured value the question states, against the clause's threshold.
_YES_NO = re.compile(
    r"吗[？?]?\s*$|吧[？?]?\s*$|是不是|是否|对不对|对吗|^(?:is|are|does|do|will|would|should|can|must|was)\b", re.I
)
_HEAD_COUNTS = ("人", "万人", "户", "例")
_FLOOR_PREFIX = ("超过", "达到", "达", "高于", "至少")


def yes_no(question: str) -> bool:
    """Whether the question asks yes or no ("…吗？", "是不是…", "Is …?")."""
    return bool(_YES_NO.search(question.strip()))


def _unit(quantity: Quantity) -> str:
    return "°C" if quantity.unit in ("℃", "°C") else quantity.unit


_EN_UNITS = {"mm": "毫米", "cm": "厘米", "m": "米", "°c": "°C", "℃": "°C"}
_EN_MEASURE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(mm|cm|m|°c|℃)(?![a-z])", re.I)
_EN_WINDOW = re.compile(r"\b(?:in|within|over)\s+(\d+(?:\.\d+)?)\s+hours?\b", re.I)


def stated_measures(question: str) -> list[Quantity]:
    """The measured values a question states (38℃, 120毫米, "80 mm"): not head counts, not time limits."""
    found = [q for q in quantities_in(question) if q.unit not in _HEAD_COUNTS and not q.is_time]
    if found:
        return found
    return [
        Quantity(m.group(0), m.group(1), "", _EN_UNITS[m.group(2).lower()], "", "")
        for m in _EN_MEASURE.finditer(question)
    ]


def floor_of(text: str, unit: str) -> float | None:
    """The threshold a clause sets in that unit: "升至40℃以上" → 40 (included)."""
    for quantity in quantities_in(text):
        if _unit(quantity) == unit and (quantity.suffix == "以上" or quantity.prefix in _FLOOR_PREFIX):
            return float(quantity.value)
    return None


@dataclass(frozen=True)
class MeasureCheck:
    """A stated value against the answering clause's threshold, and the sibling clause it does reach."""

    stated: Quantity
    holds: bool
    reached: Clause | None = None  # the highest sibling threshold the value meets, when it misses the asked one
    window: float | None = None  # the hours the question says the value was reached in

    def said(self, lang: str) -> str:
        """The stated value with its window: "6小时60毫米", "60 mm in 6 hours"."""
        value = f"{self.stated.value}{self.stated.unit}" if lang == "zh" else self.stated.english()
        if self.window is None:
            return value
        hours = f"{self.window:g}"
        return f"{hours}小时{value}" if lang == "zh" else f"{value} in {hours} hours"


def _hours(quantity: Quantity) -> float | None:
    per_hour = {"分钟": 1 / 60, "小时": 1.0, "天": 24.0, "日": 24.0}
    return float(quantity.value) * per_hour[quantity.unit] if quantity.unit in per_hour else None


def window_of(text: str) -> float | None:
    """The time window a threshold is measured over, in hours ("3小时内降雨量…" → 3); None when it states none."""
    hours = [h for q in quantities_in(text) if q.is_time and (h := _hours(q)) is not None]
    return hours[0] if hours else None


def _meets(text: str, unit: str, value: float, window: float | None) -> float | None:
    """The clause's floor when the value meets it within the clause's own window, else None.

    60毫米 in 6 hours does not meet "3小时内50毫米以上": the same amount over a longer time is a
    lower signal, so a question's window longer than the clause's cannot confirm it.
    """
    floor = floor_of(text, unit)
    if floor is None or value < floor:
        return None
    own = window_of(text)
    return floor if window is None or own is None or window <= own else None


def check_measure(
    stated: list[Quantity], best: Clause, siblings: list[Clause], window: float | None = None
) -> MeasureCheck | None:
    """``None`` unless the clause sets a threshold in the unit of a value the question states;
    ``window`` is the time the question says the value was reached in (hours)."""
    for quantity in stated:
        unit, value = _unit(quantity), float(quantity.value)
        if floor_of(best.text, unit) is None:
            continue
        if _meets(best.text, unit, value, window) is not None:
            return MeasureCheck(quantity, True, window=window)
        met = [(f, -(window_of(c.text) or 0.0), c) for c in siblings if (f := _meets(c.text, unit, value, window))]
        reached = max(met, key=lambda item: item[:2])[2] if met else None
        return MeasureCheck(quantity, False, reached, window)
    return None


def stated_window(question: str) -> float | None:
    """The time window a question states its value over ("6小时降雨量60毫米" → 6, "in 3 hours" → 3)."""
    window = window_of(question)
    if window is None and (match := _EN_WINDOW.search(question)):
        return float(match.group(1))
    return window
