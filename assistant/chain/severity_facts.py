"""The quantities plans grade by beyond casualties, read from an alert's text (zh and en).

Grading clauses count more than the dead and injured: the people ill in one food poisoning
(一次食物中毒人数), the people evacuated (疏散、转移人员), whether a drinking-water intake stopped
and whose (乡镇/县级城市/设区的市), the share of a city's power customers cut off and what kind of
city it is, the forest area burned, a flood's return period and whether it is on a main river.
Each is read only where the text states it; what it does not state stays ``None`` (to confirm).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.chain.fact_extraction import Count, Span
from assistant.chain.numbers import NUMBER, parse_english_count, parse_number

_N = rf"(?<![\d.])({NUMBER})"
_EN_N = r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten)"
_WHO_ZH = r"(?:居民|群众|人员|学生|师生|村民|住户|员工|职工|工人|游客|乘客|就餐人员|患者)"
_WHO_EN = (
    r"(?:people|persons|residents|villagers|students|pupils|staff|workers|employees|diners|customers|guests"
    r"|children|patients|passengers|households|families)"
)
_BE_EN = r"(?:(?:have|had|has)\s+)?(?:(?:been|were|was|are|is)\s+)?"

_ILL = (
    re.compile(rf"{_N}\s*(?:余|多)?\s*(?:名|人|例|位)[^，。；;,\d]{{0,8}}?(?:食物中毒|中毒|发病|患病|身体不适|不适)"),
    re.compile(rf"{_N}\s*(?:余|多)?\s*(?:名|人|例|位)[^，。；;,\d]{{0,8}}?出现[^，。；;\d]{{0,24}}?症状"),
    re.compile(
        rf"(?:中毒|发病|患病|就诊|出现症状)(?:人数|者|人员|学生|病例|患者)?\s*(?:达到|已达|达|为|共|约|累计)*"
        rf"\s*{_N}\s*(?:名|人|例)"
    ),
    re.compile(
        rf"{_EN_N}\s+(?:{_WHO_EN}\s+)?{_BE_EN}(?:fallen\s+|fell\s+|become\s+|became\s+|taken\s+|got\s+)?(?:ill|sick|poisoned|hospitali[sz]ed)\b",
        re.I,
    ),
    re.compile(rf"{_EN_N}\s+(?:{_WHO_EN}\s+)?(?:developed|showed|reported|with)\s+(?:symptoms|vomiting|diarrh)", re.I),
    re.compile(rf"{_EN_N}\s+(?:suspected\s+)?cases\s+of\s+(?:suspected\s+)?(?:food\s+)?poisoning", re.I),
    re.compile(rf"(?:sickened|poisoned)\s+(?:about\s+|some\s+|around\s+|at least\s+)?{_EN_N}\b", re.I),
)
_FOOD = re.compile(r"食物中毒|食源性|食品安全事故|food[- ]?poisoning|food[- ]?borne", re.I)
_OCCUPATIONAL = re.compile(r"职业中毒|职业病|occupational poisoning", re.I)
_OTHER_POISON = re.compile(r"一氧化碳|煤气中毒|硫化氢|氯气|氨气|carbon monoxide|hydrogen sulphide|chlorine", re.I)

_NOT_MOVED = r"(?!次|死亡|受伤|被困|受困|失联|失踪|遇难|中毒)"  # "撤离后2人受伤" counts the injured
_EVACUATED = (
    re.compile(
        rf"(?:疏散|转移|撤离|安置)[^，。；;\d]{{0,8}}?(?:约|共|近|超过|逾|达)?\s*{_N}\s*(?:余|多)?\s*(?:名|人){_NOT_MOVED}"
    ),
    re.compile(rf"{_N}\s*(?:余|多)?\s*(?:名|人)\s*{_WHO_ZH}?[^，。；;\d]{{0,6}}?(?:疏散|转移|撤离)"),
    # "约160名村民受威胁，需立即搬迁转移": the people the next clause says must be moved (需搬迁转移人数)
    re.compile(
        rf"{_N}\s*(?:余|多)?\s*(?:名|人)\s*{_WHO_ZH}?[^。；;\d]{{0,10}}?需(?:要)?(?:立即|紧急|尽快)?(?:搬迁|转移|撤离|疏散)"
    ),
    re.compile(rf"{_EN_N}\s+(?:{_WHO_EN}\s+)?{_BE_EN}(?:evacuated|relocated|moved to safety|moved out)", re.I),
    re.compile(
        rf"(?:evacuat(?:ed|ing|ion of)|relocat(?:ed|ing|ion of))\s+(?:about\s+|some\s+|around\s+|over\s+|more than\s+)?"
        rf"{_EN_N}\s+{_WHO_EN}",
        re.I,
    ),
)
_HOUSEHOLDS = re.compile(r"^户|households|families", re.I)  # an evacuated count must be of people, not homes

_INTAKE_CUT = re.compile(
    r"(?:停止|暂停|中断|关闭|切断)(?:了)?取水|取水(?:口)?(?:已|被)?(?:中断|暂停|停止|关闭)"
    r"|(?:intake|abstraction)[^.;]{0,30}?\b(?:stopped|suspended|shut|closed|halted|interrupted|cut)"
    r"|(?:stopped|suspended|shut|closed|halted)\s+(?:its\s+|the\s+)?(?:water\s+)?(?:intake|abstraction|drawing water)",
    re.I,
)
_INTAKE_OWNER_ZH = re.compile(r"([\u4e00-\u9fff]{1,12}?)(?:自来水厂|水厂|供水厂|水源地|取水口|取水泵站)")
_INTAKE_OWNER_EN = re.compile(r"\b(town|township|village|county|city|municipal)\b[^.;]{0,30}?(?:water|intake)", re.I)

_POWER_SHARE = (
    re.compile(
        r"(?:约|近|超过|逾)?\s*(\d+(?:\.\d+)?)\s*[%％]\s*(?:的)?(?:供电)?(?:用户|用电户|电力用户)(?:停电|失电|断电)"
    ),
    re.compile(r"(?:停电|失电)(?:用户|户数)?(?:约|占|比例|达|为|已达)+[^\d]{0,6}(\d+(?:\.\d+)?)\s*[%％]"),
    re.compile(
        r"(?:停电|失电)[^。；;]{0,30}?占[^\d。；;]{0,10}(\d+(?:\.\d+)?)\s*[%％]"
    ),  # "停电用户约12万户，占全市35%"
    re.compile(
        r"(\d+(?:\.\d+)?)\s*(?:%|per ?cent)\s+of\s+(?:the\s+)?(?:\w+'s\s+)?(?:electricity\s+|power\s+)?"
        r"(?:customers|users|consumers|households)",
        re.I,
    ),
)
_LOAD_SHED = (
    re.compile(r"减供负荷\s*(?:约|达|为|超过|近)*\s*(\d+(?:\.\d+)?)\s*[%％]"),
    re.compile(
        r"(?:load (?:shed(?:ding)?|reduction|loss|cut)|shed load)\s+(?:of\s+)?(?:about\s+|some\s+)?(\d+(?:\.\d+)?)\s*(?:%|per ?cent)",
        re.I,
    ),
    re.compile(
        r"(\d+(?:\.\d+)?)\s*(?:%|per ?cent)\s+of\s+(?:the\s+)?(?:grid(?:'s)?\s+)?load\s+(?:was\s+|has been\s+)?(?:shed|lost|cut)",
        re.I,
    ),
)
_CITY_KINDS = (  # (kind, pattern); a negated capital ("非省会", "not a provincial capital") is handled below
    ("直辖市", re.compile(r"直辖市|municipality directly under", re.I)),
    ("县级市", re.compile(r"县级市|county-level city", re.I)),
    ("省会城市", re.compile(r"(?<![非不是])省会|自治区首府|provincial capital|regional capital", re.I)),
    ("设区的市", re.compile(r"设区的市|地级市|prefecture-level city", re.I)),
)
_NOT_CAPITAL = re.compile(r"非省会|不是省会|not (?:a |the )?(?:provincial )?capital", re.I)

_AREA_ZH = re.compile(
    rf"(?:(?:过火|受害森林|受害林地|受害|燃烧|火场|烧毁林地|烧毁|受灾)(?:林地|森林|草原)?面积|(?:烧毁|过火)(?:林地|山林|森林)?)"
    rf"\s*(?:约|近|达|已达|超过|为|共)*\s*{_N}\s*(万亩|亩|公顷|平方公里|平方千米|平方米|hm2|ha)"
)
_AREA_EN = (
    re.compile(
        r"(\d[\d,]*(?:\.\d+)?)\s*(hectares?|ha|acres?|km²|km2|square kilomet(?:re|er)s|sq km|mu)\b"
        r"(?:\s+of\s+(?:forest|woodland|grassland|land))?\s+(?:have\s+|has\s+)?(?:been\s+)?(?:burned|burnt|scorched|affected)",
        re.I,
    ),
    re.compile(
        r"(?:burned|burnt|scorched)\s+(?:area\s*(?:is\s+|was\s+|:\s*)?)?(?:of\s+)?(?:about\s+|some\s+|around\s+|nearly\s+)?"
        r"(\d[\d,]*(?:\.\d+)?)\s*(hectares?|ha|acres?|km²|km2|square kilomet(?:re|er)s|sq km|mu)\b",
        re.I,
    ),
)
_HECTARES = {
    "公顷": 1.0, "ha": 1.0, "hm2": 1.0, "hectare": 1.0, "hectares": 1.0,
    "亩": 1 / 15, "mu": 1 / 15, "万亩": 10000 / 15,
    "平方公里": 100.0, "平方千米": 100.0, "km²": 100.0, "km2": 100.0, "square kilometres": 100.0,
    "square kilometers": 100.0, "sq km": 100.0,
    "平方米": 0.0001, "acre": 0.404686, "acres": 0.404686,
}  # fmt: skip

_RETURN_ZH = re.compile(rf"(?:重现期\s*(?:约|为|达|超过)*\s*)?{_N}\s*(?:[～~\-—至到]\s*{_N}\s*)?年一遇")
_RETURN_EN = re.compile(
    r"(?:1|one|once)[- ]in[- ](?:a[- ])?(\d+)[- ]years?|(\d+)[- ]year(?:s)?[- ](?:flood|return period|event)"
    r"|return period of (?:about |around |some )?(\d+) years",
    re.I,
)
# An earthquake's magnitude and how densely its epicentral area is peopled (国家地震应急预案 初判).
_MAGNITUDE = (
    re.compile(r"(?<![\d.])(\d(?:\.\d)?)\s*级(?:强烈|强|浅源)?地震"),
    re.compile(r"震级\s*(?:为|:|：)?\s*(?:M[sSlLwW]?\s*)?(\d(?:\.\d)?)"),
    re.compile(r"\bmagnitude[- ](\d(?:\.\d)?)\b|\bM[wWlLsS]?\s?(\d\.\d)\b", re.I),
)
_DENSITY = (  # most specific first: "fairly densely populated" is not "densely populated"
    ("人口较密集", re.compile(r"人口较密集|(?:fairly|moderately|relatively|quite)\s+dense(?:ly)?\s+populat", re.I)),
    ("人口稀少", re.compile(r"人口稀少|人口稀疏|sparsely\s+populated|thinly\s+populated", re.I)),
    ("人口密集", re.compile(r"人口密集|(?:densely|heavily)\s+populated", re.I)),
)
_MAIN_RIVER = re.compile(r"干流|main stem|mainstream|main channel|main river", re.I)
_TRIBUTARY = re.compile(r"支流|tributar", re.I)


@dataclass(frozen=True)
class Measure:
    value: float
    span: Span


@dataclass(frozen=True)
class SeverityFacts:
    ill: Count | None = None  # people ill or poisoned in the event
    poisoning: str | None = None  # food | occupational | other; None when the text does not say
    evacuated: Count | None = None
    intake_cut: str | None = None  # town | county | city | "" (stopped, whose intake not stated)
    power_out_pct: Measure | None = None
    load_shed_pct: Measure | None = None
    city_kind: str | None = None  # 直辖市 | 省会城市 | 其他设区的市 | 设区的市 (capital or not unknown) | 县级市
    burned_ha: Measure | None = None
    return_period: Measure | None = None
    river_class: str | None = None  # 干流 | 支流
    magnitude: Measure | None = None  # an earthquake's
    density: str | None = None  # 人口密集 | 人口较密集 | 人口稀少: the epicentral area's, as the text states it

    @property
    def spans(self) -> tuple[Span, ...]:
        found = (
            self.ill,
            self.evacuated,
            self.power_out_pct,
            self.load_shed_pct,
            self.burned_ha,
            self.return_period,
            self.magnitude,
        )
        return tuple(f.span for f in found if f is not None and f.span is not None)


def _span(name: str, m: re.Match[str]) -> Span:
    return Span(name, m.start(), m.end(), m.group(0))


def _number(raw: str) -> float | None:
    value = parse_number(raw)
    return value if value is not None else parse_english_count(raw.replace(",", ""))


def _first_count(
    texts: list[tuple[str, str]], patterns: tuple[re.Pattern[str], ...], people_only: bool
) -> Count | None:
    for name, text in texts:
        for pattern in patterns:
            for m in pattern.finditer(text):
                if people_only and _HOUSEHOLDS.search(text[m.end(1) : m.end(1) + 12].strip()):
                    continue
                value = _number(m.group(1))
                if value is not None:
                    return Count(int(value), _span(name, m))
    return None


def _intake(texts: list[tuple[str, str]]) -> str | None:
    """Whose drinking-water intake stopped: the water plant or source named just before the stop."""
    for _name, text in texts:
        for m in _INTAKE_CUT.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            owners = _INTAKE_OWNER_ZH.findall(before) or _INTAKE_OWNER_ZH.findall(text)
            if owners:  # "示例镇", "示例县城关", "示例市第三": the last division the owner names
                divisions = re.findall(r"县城|[镇乡县市]", owners[-1])
                last = divisions[-1] if divisions else ""
                return {"镇": "town", "乡": "town", "县": "county", "县城": "county", "市": "city"}.get(last, "")
            if english := _INTAKE_OWNER_EN.search(text[max(0, m.start() - 60) : m.end()]):
                word = english.group(1).lower()
                return {"town": "town", "township": "town", "village": "town", "county": "county"}.get(word, "city")
            return ""
    return None


def _city_kind(texts: list[tuple[str, str]], municipality: bool) -> str | None:
    text = " ".join(t for _n, t in texts)
    for kind, pattern in _CITY_KINDS:
        if kind == "省会城市" and _NOT_CAPITAL.search(text):
            continue
        if pattern.search(text):
            if kind == "设区的市":
                return "其他设区的市" if _NOT_CAPITAL.search(text) else "设区的市"
            return kind
    return "直辖市" if municipality else None


def _measure(texts: list[tuple[str, str]], patterns: tuple[re.Pattern[str], ...]) -> Measure | None:
    for name, text in texts:
        for pattern in patterns:
            if m := pattern.search(text):
                value = next(_number(g) for g in m.groups() if g)
                if value is not None:
                    return Measure(value, _span(name, m))
    return None


def _burned(texts: list[tuple[str, str]]) -> Measure | None:
    for name, text in texts:
        for pattern in (_AREA_ZH, *_AREA_EN):
            if m := pattern.search(text):
                value = _number(m.group(1))
                factor = _HECTARES.get(m.group(2).lower(), _HECTARES.get(m.group(2)))
                if value is not None and factor is not None:
                    return Measure(round(value * factor, 4), _span(name, m))
    return None


def _return_period(texts: list[tuple[str, str]]) -> Measure | None:
    """The flood's return period; of a stated range ("10～20年一遇") the lower end, which no clause overstates."""
    for name, text in texts:
        if m := _RETURN_ZH.search(text):
            value = parse_number(m.group(1))
            if value is not None:
                return Measure(value, _span(name, m))
        if m := _RETURN_EN.search(text):
            return Measure(float(next(g for g in m.groups() if g)), _span(name, m))
    return None


def _density(text: str) -> str | None:
    return next((kind for kind, pattern in _DENSITY if pattern.search(text)), None)


def read_severity(texts: list[tuple[str, str]], municipality: bool = False) -> SeverityFacts:
    """The grading quantities the given (field, text) pairs state; ``municipality`` when the place is one."""
    joined = " ".join(t for _n, t in texts)
    ill = _first_count(texts, _ILL, people_only=False)
    poisoning = (
        "food"
        if _FOOD.search(joined)
        else "occupational"
        if _OCCUPATIONAL.search(joined)
        else "other"
        if _OTHER_POISON.search(joined)
        else None
    )
    river = "干流" if _MAIN_RIVER.search(joined) else "支流" if _TRIBUTARY.search(joined) else None
    return SeverityFacts(
        ill=ill,
        poisoning=poisoning,
        evacuated=_first_count(texts, _EVACUATED, people_only=True),
        intake_cut=_intake(texts),
        power_out_pct=_measure(texts, _POWER_SHARE),
        load_shed_pct=_measure(texts, _LOAD_SHED),
        city_kind=_city_kind(texts, municipality),
        burned_ha=_burned(texts),
        return_period=_return_period(texts),
        river_class=river,
        magnitude=_measure(texts, _MAGNITUDE),
        density=_density(joined),
    )
