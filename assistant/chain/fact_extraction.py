"""Facts written in an alert's free text (zh and en), each with the span it was read from.

Monitoring platforms put what matters in prose: "燃气浓度23%LEL（一级报警阈值10%LEL，二级报警
阈值25%LEL），1分钟内由8%LEL上升；居民楼18层约260户". An officer reads those numbers first, so
the drafter must too. Nothing is defaulted: a fact the text does not state stays ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.chain.numbers import NUMBER, parse_english_count, parse_number

UNIT = (
    r"%\s*LEL|％\s*LEL|%\s*VOL|％\s*VOL|ppm|mg/m3|mg/m³|mg/㎥|℃|°C|毫米|mm|厘米|cm|米/秒|m/s|人/平方米|人/㎡|人/m2"
    r"|kPa|MPa|米|m(?![a-zA-Z/])|%|％"
)
_MEASURE_ZH = r"(?:浓度|读数|监测值|测得值?|实测值?|数值|水位|位移|沉降|倾斜|倾角|裂缝宽度|裂缝|降雨量|雨量|风速|气温|温度|密度|含量)"
_MEASURE_EN = r"(?:concentration|reading|measured|level|displacement|rainfall|density|temperature|wind speed)"


@dataclass(frozen=True)
class Span:
    """Where a fact was read: which alert field, and the characters of it."""

    field: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Count:
    value: int
    span: Span | None = None


@dataclass(frozen=True)
class TextReading:
    value: float | None = None
    unit: str = ""
    thresholds: tuple[float, ...] = ()
    trend: str | None = None  # rising | falling | steady
    fast: bool = False
    rate_per_min: float | None = None
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class TextFacts:
    reading: TextReading = field(default_factory=TextReading)
    households: Count | None = None
    people: Count | None = None
    floors: Count | None = None
    building_use: str | None = None
    deaths: Count | None = None
    injured: Count | None = None
    trapped: Count | None = None
    missing: Count | None = None


def normalise_unit(unit: str) -> str:
    unit = re.sub(r"\s+", "", unit).replace("％", "%").replace("³", "3").replace("㎥", "m3").replace("°C", "℃")
    return {
        "%lel": "%LEL",
        "%vol": "%VOL",
        "米": "m",
        "厘米": "cm",
        "毫米": "mm",
        "米/秒": "m/s",
        "人/㎡": "人/m2",
        "人/平方米": "人/m2",
    }.get(unit.lower(), unit)


# ---------------------------------------------------------------- readings, thresholds, trend

_THRESHOLD_ZH = re.compile(
    rf"(?:[一二三四1-4]级|低|高|上限|下限)?(?:报警|预警|告警|警戒)?(?:阈值|限值|设定值|警戒值)\s*(?:为|是|:|：)?\s*({NUMBER})\s*({UNIT})?"
    rf"|(?:警戒|保证|危险|汛限|设计|校核)(?:洪)?水位\s*(?:为|:|：)?\s*({NUMBER})\s*({UNIT})"
)
_THRESHOLD_EN = re.compile(
    rf"(?:alarm |warning |alert )?thresholds?\s*(?:of|are|is|at|:)?\s*(\d+(?:\.\d+)?)\s*({UNIT})?"
    rf"(?:\s*(?:,|and|/)\s*(\d+(?:\.\d+)?)\s*({UNIT})?)?(?:\s*(?:,|and|/)\s*(\d+(?:\.\d+)?)\s*({UNIT})?)?",
    re.I,
)
_VALUE_ZH = re.compile(
    rf"{_MEASURE_ZH}\s*(?:已|达到|达|升至|涨至|降至|为|是|:|：|约|超过|高达)*\s*({NUMBER})\s*({UNIT})"
)
_VALUE_EN = re.compile(
    rf"{_MEASURE_EN}\s*(?:of|at|is|was|reached|has reached|:)?\s*(?:about\s+)?(\d+(?:\.\d+)?)\s*({UNIT})", re.I
)
_FROM_ZH = re.compile(
    rf"({NUMBER})\s*(分钟|小时|min|h)\s*(?:内|之内)?\s*{_MEASURE_ZH}?\s*(?:由|从)\s*({NUMBER})\s*({UNIT})?\s*(?:快速|迅速|急剧|持续)?\s*"
    r"(上升|升高|增加|上涨|下降|降低|回落|增至|增大至|增加至|增加到|升至|上升至|上升到|涨至|降至|下降至|回落至|减至|减小至)"
    rf"\s*({NUMBER})?\s*({UNIT})?"
)
_FROM_EN = re.compile(
    rf"(?:rose|risen|rising|increased|climbed|went up|fell|fallen|dropped|decreased)\s+from\s+(\d+(?:\.\d+)?)\s*({UNIT})?"
    rf"\s+to\s+(\d+(?:\.\d+)?)\s*({UNIT})?\s+(?:in|within|over)\s+(\w+)\s+(minutes?|mins?|hours?)",
    re.I,
)
_PER_ZH = re.compile(rf"每(分钟|小时)\s*(上涨|上升|增加|下降|回落)\s*({NUMBER})\s*({UNIT})")
_TREND_WORDS = (
    (
        "rising",
        True,
        r"快速上升|迅速上升|急剧上升|快速上涨|急剧上涨|持续快速|rising (?:fast|rapidly|quickly)|rapid(?:ly)? ris",
    ),
    ("rising", False, r"上升|上涨|升高|增大|持续增加|rising|increasing|climbing"),
    ("falling", False, r"下降|回落|降低|减小|falling|decreasing|receding"),
    ("steady", False, r"平稳|稳定|持平|steady|stable"),
)


def _span(field_name: str, m: re.Match[str], group: int = 0) -> Span:
    return Span(field_name, m.start(group), m.end(group), m.group(group))


# "超过警戒水位0.8米": the amount above the warning level, neither the level itself nor the reading
_EXCEEDS_ZH = re.compile(r"(?:超过|超出|超|高出|高于|低于|多出)$")


@dataclass(frozen=True)
class _Exceeds:
    """ "超过保证水位73.20米": the named level's value or the amount above it, told apart by the reading."""

    number: float
    span: Span


def _threshold_spans(
    texts: Iterable[tuple[str, str]],
) -> tuple[list[float], list[Span], set[tuple[str, int]], list[_Exceeds]]:
    """Stated thresholds, their spans, where their numbers start (so no number is read twice), and the numbers
    after "超过…水位" that are either the level or the amount above it."""
    values: list[float] = []
    spans: list[Span] = []
    starts: set[tuple[str, int]] = set()
    exceeds: list[_Exceeds] = []
    for name, text in texts:
        for m in _THRESHOLD_ZH.finditer(text):
            number = parse_number(m.group(1) or m.group(3) or "")
            if m.group(3) and _EXCEEDS_ZH.search(text[max(0, m.start() - 2) : m.start()]):
                starts.add((name, m.start(3)))  # not the reading; a threshold only if near the reading (below)
                if number is not None:
                    exceeds.append(_Exceeds(number, _span(name, m)))
                continue
            if number is not None:
                values.append(number)
                spans.append(_span(name, m))
                starts.add((name, m.start(1) if m.group(1) else m.start(3)))
        for m in _THRESHOLD_EN.finditer(text):
            for group in (1, 3, 5):
                if m.group(group):
                    values.append(float(m.group(group)))
                    starts.add((name, m.start(group)))
            spans.append(_span(name, m))
    return values, spans, starts, exceeds


def _levels_exceeded(exceeds: list[_Exceeds], value: float | None) -> list[_Exceeds]:
    """Of "超过保证水位73.20米" with a reading of 73.45 m, 73.20 is the level; of "超过警戒水位0.8米" with 6.5 m, 0.8 is
    the amount above it. A level lies near the reading, an amount is a small part of it; without a reading
    neither can be told, and nothing is taken."""
    if value is None or value <= 0:
        return []
    return [e for e in exceeds if value * 0.5 <= e.number <= value]


def read_reading(texts: list[tuple[str, str]]) -> TextReading:
    """The measured value, the alarm thresholds, and the direction and rate of change stated in text."""
    thresholds, spans, threshold_starts, exceeds = _threshold_spans(texts)
    value: float | None = None
    unit = ""
    trend: str | None = None
    fast = False
    rate: float | None = None
    for name, text in texts:
        for pattern in (_VALUE_ZH, _VALUE_EN):
            for m in pattern.finditer(text):
                if (name, m.start(1)) in threshold_starts or value is not None:
                    continue
                value, unit = parse_number(m.group(1)), normalise_unit(m.group(2))
                spans.append(_span(name, m))
    for name, text in texts:
        for m in _FROM_ZH.finditer(text):
            duration, start_value = parse_number(m.group(1)), parse_number(m.group(3))
            if value is None and m.group(6) and m.group(5)[-1] in "至到":  # "由12毫米增至28毫米": the reading now
                value, unit = parse_number(m.group(6)), normalise_unit(m.group(7) or m.group(4) or "")
            minutes = (duration or 0) * (60 if m.group(2) in ("小时", "h") else 1)
            trend = "falling" if m.group(5).startswith(("下降", "降", "回落", "减")) else "rising"
            if value is not None and start_value is not None and minutes:
                rate = (value - start_value) / minutes
            spans.append(_span(name, m))
        for m in _FROM_EN.finditer(text):
            start_value, end_value = float(m.group(1)), float(m.group(3))
            duration = parse_english_count(m.group(5))
            minutes = (duration or 0) * (60 if m.group(6).lower().startswith("hour") else 1)
            value = value if value is not None else end_value
            unit = unit or normalise_unit(m.group(4) or m.group(2) or "")
            trend = "rising" if end_value > start_value else "falling"
            if minutes:
                rate = (end_value - start_value) / minutes
            spans.append(_span(name, m))
        for m in _PER_ZH.finditer(text):
            amount = parse_number(m.group(3)) or 0.0
            per_min = amount / (60 if m.group(1) == "小时" else 1)
            falling = m.group(2) in ("下降", "回落")
            rate, trend = (-per_min if falling else per_min), ("falling" if falling else "rising")
            spans.append(_span(name, m))
    if trend is None:
        for name, text in texts:
            for word_trend, is_fast, words in _TREND_WORDS:
                found = re.search(words, text, re.I)
                if found:
                    trend, fast = word_trend, is_fast
                    spans.append(_span(name, found))
                    break
            if trend:
                break
    elif re.search(_TREND_WORDS[0][2], " ".join(t for _n, t in texts), re.I):
        fast = True
    for level in _levels_exceeded(exceeds, value):
        thresholds.append(level.number)
        spans.append(level.span)
    return TextReading(value, unit, tuple(sorted(set(thresholds))), trend, fast, rate, tuple(spans))


# ---------------------------------------------------------------- people, households, floors, casualties

_NUM = rf"(?<![\d.])({NUMBER})(?![\d.]*\s*(?:persons?|人)?\s*/)"  # not "5.2" of "5.2 persons/m²"
_CASUALTY_ZH = {
    "deaths": (
        rf"{_NUM}\s*(?:名|人|位)\s*(?:死亡|遇难|身亡|罹难)",
        rf"(?:死亡|遇难|身亡)\s*{_NUM}\s*(?:名|人)",
        # "两名儿童经抢救无效死亡", "2人经抢救无效死亡": who they are and what happened between the count and the
        # word — never across a list ("5人受伤、无人死亡") or a negation
        rf"{_NUM}\s*(?:名|人|位)(?:(?!无人|无一|没有|未造成|未出现)[^，。；;、（）()\d零〇一二两三四五六七八九十百千]){{1,12}}?"
        r"(?:死亡|遇难|身亡)",
        # "死亡人数升至6人", "遇难人数已增至7人"; "3死5伤" as headlines write it; "发现4具遗体"
        rf"(?:死亡|遇难)(?:人数)?\s*(?:已|升至|增至|上升至|上升到|增加到|达到|达|为)+\s*{_NUM}\s*(?:名|人)?",
        rf"{_NUM}\s*死(?=\s*{NUMBER}\s*伤|[，。、；;）)]|$)",
        rf"{_NUM}\s*具(?:遗体|尸体)",
    ),
    "injured": (
        rf"{_NUM}\s*(?:名|人|位)\s*(?:受伤|轻伤|重伤|轻重伤)",
        rf"(?:受伤|伤)\s*{_NUM}\s*(?:名|人)",
        rf"(?<=死)\s*{_NUM}\s*伤(?![亡害])",  # "3死5伤"
        # "2名乘客受伤", "3名工人作业时受伤": who they are between the count and the word
        rf"{_NUM}\s*(?:名|位)(?:(?!无人|无一|没有|未)[^，。；;、（）()\d零〇一二两三四五六七八九十百千]){{1,12}}?"
        r"(?:受伤|轻伤|重伤)",
    ),
    "trapped": (
        rf"{_NUM}\s*(?:名|人|位)\s*(?:被困|受困|被埋压|被埋|被压埋|被掩埋)",
        rf"(?:被困|受困|被埋压|被埋)(?:人员|群众)?\s*(?:约)?\s*{_NUM}\s*(?:名|人)",
        # "约20名乘客被困", "3名工人被困井下": who they are between the count and the word, never across a list
        # or a negation ("2名乘客受伤、无人被困")
        rf"{_NUM}\s*(?:名|位)(?:(?!无人|无一|没有|未)[^，。；;、（）()\d零〇一二两三四五六七八九十百千]){{1,12}}?"
        r"(?:被困|受困|被埋压|被压埋|被掩埋)",
    ),
    "missing": (
        rf"{_NUM}\s*(?:名|人|位)\s*(?:失联|失踪|失去联系)",
        rf"(?:失联|失踪)(?:人员)?\s*{_NUM}\s*(?:名|人)",
        # "两名检修工人下井清淤后失去联系": who they are and what they did between the count and the word
        rf"{_NUM}\s*(?:名|位)[^，。；;\d零〇一二两三四五六七八九十百千]{{1,12}}?(?:失联|失踪|失去联系)",
    ),
}
# The public a head count names ("about 40 diners"); casualties may also be responders ("2 firefighters died"),
# who are never counted as the people present.
_EN_PUBLIC = (
    r"people|persons?|residents?|villagers?|visitors?|students?|passengers?|occupants?|pupils?|workers?|patients?"
    r"|diners?|customers?|guests?|shoppers?|tenants?|spectators?|children|child|staff|employees?|tourists?"
)
_EN_WHO = rf"{_EN_PUBLIC}|miners?|crew|firefighters?|rescuers?|drivers?|pedestrians?|men|women"
# "2 children", "3 construction workers": the count, at most one describing word, and who they are
_EN_COUNT = rf"(?<![Nn]o )(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:(?:[a-z-]+\s+)?(?:{_EN_WHO})\s+)?"
_EN_BE = r"(?:(?:were|are|was|is|have been|had been)\s+)?(?:reported\s+)?"
_HOSPITAL_EN = r"(?:taken|rushed|sent|admitted|brought) to hospital|hospitali[sz]ed|in hospital"
# Wire-report order, the verb before the count: "the blast killed four people and injured 21", "the death toll has
# risen to 6"
_EN_ABOUT = r"(?:at least\s+|about\s+|around\s+|some\s+|another\s+|nearly\s+)?"
_EN_N = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b"
_CASUALTY_EN = {
    "deaths": (
        rf"{_EN_COUNT}{_EN_BE}(?:dead|killed|died|deaths|fatalities)",
        rf"\b(?:killed|killing|claimed the lives of)\s+{_EN_ABOUT}{_EN_N}",
        rf"\bdeath toll\s+(?:has\s+)?(?:risen|rose|climbed|stands|stood|reached|is|was)?\s*(?:to|at)?\s*{_EN_N}",
    ),
    "injured": (
        rf"{_EN_COUNT}{_EN_BE}(?:injured|hurt|injuries|{_HOSPITAL_EN})",
        rf"\b(?:injured|injuring|wounded|wounding)\s+{_EN_ABOUT}{_EN_N}",
    ),
    "trapped": (rf"{_EN_COUNT}{_EN_BE}(?:still\s+)?(?:trapped|stranded)",),
    "missing": (rf"{_EN_COUNT}{_EN_BE}(?:still\s+)?(?:missing|unaccounted|out of contact|lost contact)",),
}
# "The tanker driver died at the scene", "驾驶员当场死亡": one person named by role, no count — that is one.
_ONE_EN = (
    r"driver|worker|miner|passenger|pedestrian|resident|man|woman|child|boy|girl|firefighter|operator|cyclist"
    r"|motorcyclist|tenant|occupant|student|employee|guard|pilot|diver|welder|electrician"
)
_BE_ONE = r"(?:was\s+|is\s+|has\s+been\s+|had\s+been\s+|remains\s+)?"
_SINGLE = {
    "deaths": (
        re.compile(rf"\b(?:the|a|an|one)\s+(?:[a-z-]+\s+){{0,2}}(?:{_ONE_EN})\s+{_BE_ONE}(?:killed|died|dead)\b", re.I),
        re.compile(
            r"(?<![\d两二三四五六七八九十名人])(?:司机|驾驶员|驾驶人|押运员)(?:当场|经抢救无效|送医后)?(?:死亡|身亡|遇难)"
        ),
    ),
    "injured": (
        re.compile(rf"\b(?:the|a|an|one)\s+(?:[a-z-]+\s+){{0,2}}(?:{_ONE_EN})\s+{_BE_ONE}(?:injured|hurt)\b", re.I),
        re.compile(r"(?<![\d两二三四五六七八九十名人])(?:司机|驾驶员|驾驶人|押运员)(?:受伤|受重伤|受轻伤)"),
    ),
    "trapped": (
        re.compile(rf"\b(?:the|a|an|one)\s+(?:[a-z-]+\s+){{0,2}}(?:{_ONE_EN})\s+{_BE_ONE}trapped\b", re.I),
        re.compile(r"(?<![\d两二三四五六七八九十名人])(?:司机|驾驶员|驾驶人|押运员)被困"),
    ),
    "missing": (
        re.compile(rf"\b(?:the|a|an|one)\s+(?:[a-z-]+\s+){{0,2}}(?:{_ONE_EN})\s+{_BE_ONE}missing\b", re.I),
        re.compile(r"(?<![\d两二三四五六七八九十名人])(?:司机|驾驶员|驾驶人|押运员)(?:失联|失踪)"),
    ),
}


def _single(texts: list[tuple[str, str]], kind: str) -> Count | None:
    """One person of a role with no count before them ("the driver died"): a count of 1."""
    for name, text in texts:
        for pattern in _SINGLE[kind]:
            if m := pattern.search(text):
                return Count(1, _span(name, m))
    return None


_NO_CASUALTIES = re.compile(
    r"(?:无|暂无|未造成|未发现|没有)人员伤亡|no (?:casualties|injuries|one (?:was )?(?:hurt|injured))", re.I
)
_NO_DEATHS = re.compile(
    r"(?:无|暂无|未出现|未发现|没有|尚无)(?:人员)?死亡(?:病例)?|无人(?:员)?死亡|no (?:deaths|fatalities|one (?:has )?died)"
    r"|nobody (?:has )?died",
    re.I,
)
_NO_TRAPPED = re.compile(
    r"(?:无|暂无|未发现|没有)(?:人员)?被困|no one (?:is |was )?trapped|nobody (?:is |was )?trapped", re.I
)
_HOUSEHOLDS = (
    re.compile(rf"{_NUM}\s*户(?!外|籍|口|型|主)"),
    re.compile(r"(\d[\d,]*)\s+(?:households|homes|flats|apartments|families)", re.I),
)
_NOT_PRESENT = r"(?!次|/|死亡|受伤|被困|受困|失联|失踪|遇难|中毒|发病)"  # a count of casualties is not of those present
_PEOPLE_CONTEXT = (
    r"(?:居民|群众|人员|学生|游客|住户|师生|员工|乘客|职工|工人|老人|村民|观众|租住|租户|在场|现场|滞留|聚集)"
)
_PEOPLE = (
    re.compile(
        rf"{_PEOPLE_CONTEXT}[^，。；;\d]{{0,4}}?(?:约|共|近|超过|逾)?\s*{_NUM}\s*(?:余|多)?\s*(?:名|人|位)(?!次|/|死亡|受伤|被困|失联|失踪|遇难)"
    ),
    re.compile(rf"(?:约|共|近|超过|逾)?\s*{_NUM}\s*(?:余|多)?\s*(?:名|人|位)\s*{_PEOPLE_CONTEXT}"),
    re.compile(rf"(?<=户)\s*[、，,]\s*(?:约|共)?\s*{_NUM}\s*(?:余|多)?\s*(?:名|人){_NOT_PRESENT}"),  # "约120户、420人"
    re.compile(rf"(?:约|共|近|超过|逾)\s*{_NUM}\s*(?:余|多)?\s*(?:名|人){_NOT_PRESENT}"),  # "广场及周边约8万人"
    re.compile(  # not "2 persons" of "4.2 persons/m²": a density is not a head count
        rf"(?<![\d.,])(\d[\d,]*)\s+(?:{_EN_PUBLIC})\b"
        r"(?!\s*(?:/|per\b))(?!\s+(?:were\s+|are\s+|was\s+|have been\s+)?(?:dead|killed|died|injured|hurt|trapped|stranded|missing"
        rf"|{_HOSPITAL_EN}))",
        re.I,
    ),
)
_FLOORS = (
    re.compile(rf"(?<![第地下负B\d一二三四五六七八九十])(?:地上)?{_NUM}\s*层(?!楼|高)(?:[^，。；]{{0,4}})"),
    re.compile(r"(\d{1,3})[- ](?:storey|story|floor)s?\b|(\d{1,3})\s+floors\b", re.I),
)
_BUILDING_USE = (
    ("居民住宅", ("居民楼", "住宅楼", "住宅", "小区", "residential", "apartment block", "tower block")),
    ("学校", ("学校", "校舍", "教学楼", "school building")),
    ("商业综合体", ("商场", "商业综合体", "购物中心", "shopping centre", "shopping mall")),
    ("餐饮场所", ("餐饮", "餐厅", "饭店", "后厨", "restaurant", "kitchen")),
    ("地下车库", ("地下车库", "地下停车场", "underground car park", "basement car park")),
    ("医院", ("医院", "hospital")),
    ("养老机构", ("养老院", "敬老院", "care home", "nursing home")),
    ("工业厂房", ("厂房", "车间", "工厂", "factory", "plant")),
)


_CASUALTY_WORD = re.compile(r"死亡|遇难|受伤|被困|受困|被埋|埋压|失联|失踪|dead|killed|injured|trapped|missing")
_PER_AREA = re.compile(r"每\s*平方?米|平方米|每平米|per\s+(?:square|sq|m)", re.I)  # "每平方米5人" is a density


# "已救出被困群众12人", "5 trapped residents were rescued": people out of danger are no longer trapped or missing
_RESCUED_BEFORE = re.compile(r"(?:救出|营救出|解救出?|搜救出|转移出|找到)(?:了)?\s*$")
_RESCUED_AFTER = re.compile(
    r"^[^，。；;,.]{0,16}?(?:已|均|全部)?(?:获救|被救出|救出|脱险|脱困|找到)"
    r"|^[^,.;]{0,24}?\b(?:were|was|have been|has been)\s+(?:rescued|freed|pulled out|found alive)",
    re.I,
)


def _rescued(text: str, m: re.Match[str]) -> bool:
    return bool(
        _RESCUED_BEFORE.search(text[max(0, m.start() - 6) : m.start()]) or _RESCUED_AFTER.search(text[m.end() :])
    )


def _first_count(
    texts: list[tuple[str, str]],
    patterns: Iterable[re.Pattern[str] | str],
    flags: int = 0,
    casualty: bool = True,
    still: bool = False,
) -> Count | None:
    """The first number a pattern finds; for people counts (``casualty=False``) not one a casualty word owns; with
    ``still`` not one of people already rescued (the trapped and the missing)."""
    for name, text in texts:
        for pattern in patterns:
            compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
            for m in compiled.finditer(text):
                if still and _rescued(text, m):
                    continue
                if not casualty and _CASUALTY_WORD.search(text[max(0, m.start() - 4) : m.end() + 4]):
                    continue  # "被困人员2名" is a casualty count, not the people present
                if not casualty and _PER_AREA.search(m.group(0)):
                    continue
                raw = next(g for g in m.groups() if g)
                number = parse_number(raw)
                if number is None:
                    number = parse_english_count(raw)
                if number is not None:
                    return Count(int(number), _span(name, m))
    return None


def read_text_facts(texts: list[tuple[str, str]]) -> TextFacts:
    """All facts of the vocabulary that the given (field, text) pairs state."""
    casualties: dict[str, Count | None] = {}
    for kind in ("deaths", "injured", "trapped", "missing"):
        still = kind in ("trapped", "missing")
        casualties[kind] = (
            _first_count(texts, _CASUALTY_ZH[kind], still=still)
            or _first_count(texts, _CASUALTY_EN[kind], re.I, still=still)
            or _single(texts, kind)
        )
    for name, text in texts:
        if m := _NO_CASUALTIES.search(text):
            for kind in ("deaths", "injured"):
                casualties[kind] = casualties[kind] or Count(0, _span(name, m))
        if m := _NO_DEATHS.search(text):
            casualties["deaths"] = casualties["deaths"] or Count(0, _span(name, m))
        if m := _NO_TRAPPED.search(text):
            casualties["trapped"] = casualties["trapped"] or Count(0, _span(name, m))
    floors = _first_count(texts, _FLOORS)
    use = next(
        (label for label, words in _BUILDING_USE for _n, text in texts if any(w in text.lower() for w in words)), None
    )
    return TextFacts(
        reading=read_reading(texts),
        households=_first_count(texts, _HOUSEHOLDS),
        people=_first_count(texts, _PEOPLE, casualty=False),
        floors=floors,
        building_use=use,
        **casualties,
    )
