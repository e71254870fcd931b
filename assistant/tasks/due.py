"""When a task is due, read from its action's free-text time limit.

Three outcomes, and the third is common on purpose:
- a stated duration ("30分钟内", "接报后1小时内报告", "within 2 hours") → due at issue + that duration;
  several durations ("一般、较大4小时内；重大以上2小时内") → the shortest, so nothing is late by our choice;
- at once ("立即", "接警后立即电话通知", "immediately") → due at issue, shown as 立即;
- a limit that names another event ("到场后立即", "处置结束后", "退水后", "险情控制后开展", "当日") or a
  duration counted from one ("批复后一年内") → no clock due time: the text is shown and none is invented.

A limit counts from issue only when nothing precedes it but the arrival of the alarm, report or
warning itself ("接警后", "接报后", "预警发布后", "on receiving the alarm"): that is the moment the officer
issues the task. A duration may also follow a qualifier that names no event ("重大以上2小时内").
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta


class DueKind(enum.StrEnum):
    AT_ONCE = "at_once"  # due when issued
    BY = "by"  # due at issue + a stated duration
    EVENT = "event"  # tied to an event or condition: no clock due time


@dataclass(frozen=True)
class Due:
    kind: DueKind
    within: timedelta | None = None  # the stated duration (kind BY)

    def due_at(self, issued: datetime) -> datetime | None:
        if self.kind is DueKind.AT_ONCE:
            return issued
        if self.kind is DueKind.BY and self.within is not None:
            return issued + self.within
        return None


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {
    "秒": timedelta(seconds=1),
    "分钟": timedelta(minutes=1),
    "分": timedelta(minutes=1),
    "小时": timedelta(hours=1),
    "个小时": timedelta(hours=1),
    "天": timedelta(days=1),
    "日": timedelta(days=1),
    "周": timedelta(weeks=1),
    "个月": timedelta(days=30),
    "年": timedelta(days=365),
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "hr": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
}
_NUMBER_ZH = r"\d+(?:\.\d+)?|[零一二两三四五六七八九十百]+|半"
# "30分钟内", "1小时以内", "不超过2小时", "24小时之内", "半小时内", "20分钟到场": a duration that bounds the task.
_DURATION_ZH = re.compile(
    rf"(?P<cap>不超过|不得超过|最迟|最长)?\s*(?P<n>{_NUMBER_ZH})\s*(?P<unit>个小时|小时|分钟|秒|天|日|周|个月|年)"
    r"(?P<within>以内|之内|内|到场|到达|赶到|赶赴|完成|报告|上报|报送)?"
)
# Text before a duration that ends like this names the event it counts from ("批复后", "退水起", "开放时").
_ANCHOR_ZH = re.compile(r"(?:后|起|时|前|期间|当日|之日)$")
# Events that are the alarm, report or warning itself (or the incident it reports): they happened at issue.
_START_ZH = re.compile(
    r"^自?(?:(?:[红橙黄蓝]色)?预警(?:信号)?发布|发布预警|接到?(?:报警|警情|报告|预警|告警|通知)?|接[警报]|"
    r"收到(?:报警|报告|预警|告警)|核实报警|报警|告警|事发|震|[\u4e00-\u9fff]{0,4}发生(?:之日)?)"
    r"(?:后|起|时|之日起)?$"
)
_AT_ONCE_ZH = re.compile(r"立即|立刻|即刻|马上|第一时间|随即")
_WORDS_EN = r"\d+(?:\.\d+)?|an?|one|two|three|four|five|six|ten|twelve|twenty-four|thirty|sixty"
_UNIT_EN = r"(?:minute|min|hour|hr|day|week|month|year)"
_DURATION_EN = re.compile(
    rf"\b(?:within|no later than|not more than|at most)\s+(?:the\s+)?(?:first\s+)?(?P<n>{_WORDS_EN})[\s-]*"
    rf"(?P<unit>{_UNIT_EN})s?\b"
    rf"|\b(?P<n2>\d+(?:\.\d+)?)[\s-]*(?P<unit2>{_UNIT_EN})s?(?:\s+per\s+\w+)?\s+(?:at most|or less)\b",
    re.IGNORECASE,
)
_EN_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "ten": 10,
    "twelve": 12,
    "twenty-four": 24,
    "thirty": 30,
    "sixty": 60,
}
_ALARM_EN = r"(?:alarm|alert|report|warning|call|accident|incident|event|quake|earthquake)"
# "within a year of approval", "within 2 hours after the crest": counted from another event.
_OTHER_EVENT_EN = re.compile(rf"^\s+(?:of|after|from)\s+(?!(?:the\s+)?{_ALARM_EN}\b)", re.IGNORECASE)
_AT_ONCE_EN = re.compile(
    r"\b(?:immediately|at once|right away|straight away|without delay|on the call|during the call)\b", re.IGNORECASE
)
_START_EN = re.compile(
    r"\b(?:on|upon|after)\s+(?:receiving|receipt of|getting)\s+(?:the\s+)?(?:alarm|alert|report|warning|call)\b"
    r"|\b(?:as soon as|the moment) the (?:alarm|alert|warning|report|call)\b",
    re.IGNORECASE,
)
_EVENT_EN = re.compile(
    r"\b(?:after|(?<!at )once|before|until|when|whenever|as soon as|the moment|arrival|arrive|during|throughout|while|"
    r"the same day)\b",
    re.IGNORECASE,
)


def _zh_number(text: str) -> float | None:
    if text == "半":
        return 0.5
    try:
        return float(text)
    except ValueError:
        pass
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char in "十百":
            total += (current or 1) * (10 if char == "十" else 100)
            current = 0
        else:
            return None
    return float(total + current)


def _before(clause: str, position: int) -> str:
    """What precedes a duration or "立即" in its clause ("" when nothing does)."""
    return clause[:position].strip(" ，,。；;、：:（）()")


def _from_issue_zh(before: str, qualifiers_allowed: bool) -> bool:
    """Whether a limit preceded by ``before`` counts from the moment of issue.

    "接警后"/"预警发布后" do; "到场后"/"批复后" name a later event and do not. A qualifier that names no event
    ("一般、较大4小时内", "每级上报不超过2小时") leaves a duration counting from issue, but never "立即":
    "达到红色阈值即刻" is a condition.
    """
    if not before or _START_ZH.match(before):
        return True
    return qualifiers_allowed and not _ANCHOR_ZH.search(before)


def _parse_zh(text: str) -> Due:
    clauses = [c for c in re.split(r"[，,；;。]", text) if c.strip()]
    durations: list[timedelta] = []
    for clause in clauses:
        for match in _DURATION_ZH.finditer(clause):
            value = _zh_number(match.group("n"))
            if not (match.group("within") or match.group("cap")) or not value:
                continue  # "事故发生之日起7日" without 内 is a follow-up period, not a deadline
            if _from_issue_zh(_before(clause, match.start()), qualifiers_allowed=True):
                durations.append(_UNITS[match.group("unit")] * value)
    if durations:
        return Due(DueKind.BY, min(durations))
    first = clauses[0] if clauses else ""  # "到场后立即并持续至险情解除": the first clause says when it starts
    at_once = _AT_ONCE_ZH.search(first)
    if at_once and _from_issue_zh(_before(first, at_once.start()), qualifiers_allowed=False):
        return Due(DueKind.AT_ONCE)
    return Due(DueKind.EVENT)


def _parse_en(text: str) -> Due:
    durations: list[timedelta] = []
    for match in _DURATION_EN.finditer(text):
        number, unit = (match["n"], match["unit"]) if match["n"] else (match["n2"], match["unit2"])
        if _OTHER_EVENT_EN.match(text[match.end() :]):
            return Due(DueKind.EVENT)
        durations.append(_UNITS[unit.lower()] * float(_EN_WORDS.get(number.lower(), number)))
    if durations:
        return Due(DueKind.BY, min(durations))
    first = re.split(r"[,;]", text)[0]
    if _START_EN.search(first) or (_AT_ONCE_EN.search(first) and not _EVENT_EN.search(first)):
        return Due(DueKind.AT_ONCE)
    return Due(DueKind.EVENT)


def parse_due(time_limit: str) -> Due:
    """The due rule a time limit states; anything unclear is ``EVENT`` (shown as text, no clock)."""
    text = time_limit.strip()
    if re.search(r"[\u4e00-\u9fff]", text):
        return _parse_zh(text)
    return _parse_en(text)
