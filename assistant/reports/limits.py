"""A reporting clause's time limit, read from its own words: "1小时内", "半小时内", "两小时一报", "立即".

The deadline a report shows is always the one the cited phrase states, read here and nowhere
else, so a reviewer who reads the phrase reads the deadline: "单位负责人接报后须在1小时内…" is
within 60 minutes, "“一小时一报”" is a report every 60 minutes, "立即报告" is at once (the clause
names no minutes, and none is invented). A phrase with none of these is refused, not guessed.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from assistant.errors import AssistantError


class LimitMode(enum.StrEnum):
    WITHIN = "within"  # one deadline after the event ("1小时内报告")
    EVERY = "every"  # a report at a fixed cadence ("两小时一报")
    AT_ONCE = "at_once"  # "立即": at once, no number of minutes stated

    def label(self, lang: str) -> str:
        zh, en = _MODE_LABELS[self]
        return en if lang == "en" else zh


_MODE_LABELS = {
    LimitMode.WITHIN: ("时限", "within"),
    LimitMode.EVERY: ("定时报告", "every"),
    LimitMode.AT_ONCE: ("立即", "at once"),
}


@dataclass(frozen=True)
class Limit:
    mode: LimitMode
    minutes: int | None = None  # None only for AT_ONCE

    def describe(self, lang: str = "zh") -> str:
        """ "1小时内" / "每1小时一报" / "立即（条款未规定分钟数）" and the English equivalents."""
        if self.mode is LimitMode.AT_ONCE:
            return "at once (the clause states no number of minutes)" if lang == "en" else "立即（条款未规定分钟数）"
        assert self.minutes is not None
        amount = _amount(self.minutes, lang)
        if self.mode is LimitMode.EVERY:
            return f"a report every {amount}" if lang == "en" else f"每{amount}一报"
        return f"within {amount}" if lang == "en" else f"{amount}内"


def _amount(minutes: int, lang: str) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours > 1 else ''}" if lang == "en" else f"{hours}小时"
    return f"{minutes} minutes" if lang == "en" else f"{minutes}分钟"


_NUMBERS = {"半": 0.5, "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "八": 8, "十": 10, "十二": 12}
_AMOUNT = r"(?P<n>\d+(?:\.\d+)?|十二|半|[一两二三四五六八十])\s*(?:个)?(?P<unit>小时|分钟)"
_EVERY = re.compile(rf"{_AMOUNT}一报")
_WITHIN = re.compile(rf"{_AMOUNT}(?:以内|之内|内)")
_AT_ONCE = re.compile(r"立即|第一时间")


def _minutes(number: str, unit: str) -> int:
    value = float(number) if number[0].isdigit() else float(_NUMBERS[number])
    return round(value * (60 if unit == "小时" else 1))


def read_limit(phrase: str) -> Limit:
    """The limit a reporting phrase states; AssistantError when it states none."""
    if m := _EVERY.search(phrase):
        return Limit(LimitMode.EVERY, _minutes(m.group("n"), m.group("unit")))
    if m := _WITHIN.search(phrase):
        return Limit(LimitMode.WITHIN, _minutes(m.group("n"), m.group("unit")))
    if _AT_ONCE.search(phrase):
        return Limit(LimitMode.AT_ONCE)
    raise AssistantError(
        f"报告条款未写明时限 / the reporting phrase states no time limit: {phrase!r} "
        "（应含“N小时内”“半小时内”“N小时一报”或“立即” / needs 'N小时内', '半小时内', 'N小时一报' or '立即'）"
    )
