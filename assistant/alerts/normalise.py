"""Normalisation shared by every alert format: hazard, colour, level.

The drafter and the board need the same three facts whatever the source said:
- hazard: a name from ``assistant.domain.HAZARDS``, found by keyword in the event, then the
  headline, then the description (the longest keyword in the first text that has one wins,
  so "Flash Flood Watch" is a rainstorm, not a river flood);
- colour: an explicit colour (a colour field, a CAP parameter such as ``awareness_level``
  or ``alert_color``, "暴雨黄色预警", "Orange warning") wins over the CAP severity, which
  is mapped explicitly (Extreme→red, Severe→orange, Moderate→yellow, Minor→blue, Unknown→none).
  A colour word in text counts only where it qualifies a warning, signal or level, never where it
  is the colour of a gas, smoke, light or sign ("黄绿色气体", "yellow smoke", "红色信号灯");
- level: only a response level the alert declares ("启动Ⅲ级应急响应", "Level II response"); a colour
  never implies one (the drafter proposes the level from the plans' grading criteria).
Traditional characters are folded to simplified ones first, so Taiwanese and Hong Kong
alerts (水庫洩洪, 紅色) match the same vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from assistant.domain import HAZARDS, Colour, Level

# Alert vocabulary that plan documents rarely use (CAP event names, Taiwanese terms).
# Kept here rather than in domain.HAZARDS because it only helps to read machine alerts.
ALERT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "洪涝": (
        "泄洪",
        "flood warning",
        "flood watch",
        "flood advisory",
        "coastal flood",
        "hydrologic",
        "river flood",
        "reservoir",
        "dam failure",
        "dam break",
    ),
    "暴雨内涝": (
        "豪雨",
        "大雨",
        "水浸",
        "rainfall",
        "heavy rainfall",
        "torrential rain",
        "downpour",
        "urban flooding",
        "street flooding",
        "flooded underpass",
        "flooded road",
    ),
    "高温": ("excessive heat", "heat advisory", "heat warning", "high temperature", "hot weather", "酷热"),
    "寒潮冰冻": (
        "frost",
        "freeze",
        "snowfall",
        "blizzard",
        "ice storm",
        "wind chill",
        "extreme cold",
        "road icing",
        "icy road",
        "black ice",
        "sleet",
        "冻雨",
        "霜冻",
        "降雪",
        "大雪",
    ),
    "大风": (
        "wind advisory",
        "high wind",
        "wind warning",
        "strong wind",
        "wind speed",
        "storm",
        "tornado",
        "hail",
        "lightning",
        "squall",
        "雷雨",
        "沙尘暴",
    ),
    "森林火灾": (
        "red flag warning",
        "fire weather",
        "grass fire",
        "grassfire",
        "fire danger",
        "森林火险",
        "草原火险",
        "火险",
        "林火",
        "山林起火",
        "林区起火",
    ),
    # a fire in a heritage building is a fire first (longer than the heritage words, so it wins); a fire named
    # by what burns (house, factory) is a building fire, a bare "Fire" is not (bush brigades post them too)
    "建筑火灾": (
        "structure fire",
        "古建筑火灾",
        "文物建筑火灾",
        "文物火灾",
        "起火",
        "着火",
        "失火",
        "house fire",
        "residential fire",
        "apartment fire",
        "factory fire",
        "warehouse fire",
        "commercial fire",
        "shop fire",
        "hotel fire",
        "market fire",
    ),
    "危化品": (
        "液氨",
        "液氯",
        "氯气",
        "槽罐车",
        "储罐",
        "危险货物",
        "ammonia leak",
        "chlorine",
        # a toxic gas named by its substance is a chemical leak, never a fuel-gas one ("Chlorine gas leak")
        "chlorine gas",
        "chlorine leak",
        "ammonia gas",
        "chemical leak",
        "chemical spill",
        "chemical fire",
        "chemical explosion",
        "hazmat",
        "hazardous material",
        "petrochemical",
        "refinery",
    ),
    # a spill into a river or canal is an environmental emergency first (longer than "chemical spill", so it wins)
    "突发环境": (
        "air quality",
        "空气质量",
        "重污染",
        "oil spill",
        "water contamination",
        "chemical spill into",
        "spill into the river",
        "spilled into the river",
    ),
    "台风": ("tropical cyclone", "ciclón tropical", "tormenta tropical"),
    "地震": ("海啸", "magnitude"),
    "地质灾害": (
        "土石流",
        "山体塌方",
        "山体坍塌",
        "山体垮塌",
        "rockfall",
        "rock fall",
        "sinkhole",
        "ground collapse",
        "slope failure",
    ),
    "燃气": (
        "瓦斯",
        "液化气",
        "combustible gas",
        "gas explosion",
        "gas pipeline",
        "gas main",
        "smell of gas",
        "gas odour",
        "gas odor",
        "methane",
    ),
    "公共卫生": (
        "foodborne",
        "norovirus",
        "gastroenteritis",
        "infectious disease",
        "cholera",
        "measles",
        "disease cluster",
        "不明原因疾病",
        "诺如",
        "霍乱",
        "聚集性疫情",
        "食源性",
        "腹泻",  # 多人呕吐腹泻: a food or water-borne illness before anyone names it
        "diarrhoea",
        "diarrhea",
    ),
    "有限空间": ("sewer", "下水道", "密闭空间", "hydrogen sulfide", "manhole", "septic tank"),
    "大面积停电": ("断电", "power failure", "power cut", "loss of power"),
    "生产安全": (
        "坍塌",
        "倒塌",
        "塔吊",
        "脚手架",
        "高处坠落",
        "煤矿",
        "矿难",
        "workplace accident",
        "construction accident",
        "mine accident",
        "mining accident",
        "building collapse",
        "structural collapse",
        "crane collapse",
    ),
    "交通运输": (
        "road closure",
        "traffic accident",
        "车祸",
        "追尾",
        "撞车",
        "翻车",
        "沉船",
        "翻船",
        "撞船",
        "渔船",
        "客船",
        "货船",
        "motor vehicle accident",
        "vehicle accident",
        "car crash",
        "road crash",
        "bus crash",
        "vehicle collision",
        "pile-up",
        "capsized",
        "capsize",
        "shipwreck",
        "ship collision",
        "plane crash",
    ),
}

_TRADITIONAL = str.maketrans(
    "庫洩颱風災紅黃藍綠級報積澇漲氣溫熱凍險預範圍鄉縣區鎮電斷橋樑擊強陣颶龍捲嘯體氫濃擁擠環傳戒區巿雲雷滅輕較",
    "库泄台风灾红黄蓝绿级报积涝涨气温热冻险预范围乡县区镇电断桥梁击强阵飓龙卷啸体氢浓拥挤环传戒区市云雷灭轻较",
)

_COLOUR_WORDS: dict[str, Colour] = {
    "红": Colour.RED,
    "橙": Colour.ORANGE,
    "黄": Colour.YELLOW,
    "蓝": Colour.BLUE,
    "绿": Colour.GREEN,
    "red": Colour.RED,
    "orange": Colour.ORANGE,
    "yellow": Colour.YELLOW,
    "blue": Colour.BLUE,
    "green": Colour.GREEN,
    "amber": Colour.ORANGE,  # the UK and Irish name of the middle warning
}

SEVERITY_COLOUR: dict[str, Colour | None] = {
    "extreme": Colour.RED,
    "severe": Colour.ORANGE,
    "moderate": Colour.YELLOW,
    "minor": Colour.BLUE,
    "unknown": None,
}

COLOUR_SEVERITY: dict[Colour, str] = {
    Colour.RED: "Extreme",
    Colour.ORANGE: "Severe",
    Colour.YELLOW: "Moderate",
    Colour.BLUE: "Minor",
    Colour.GREEN: "Minor",
}

# A colour is a warning colour only where it qualifies a warning, signal or level: "暴雨黄色预警", "红色警报",
# "橙色预警信号", "黄色等级", "预警级别为红色" — never a substance, smoke, light or sign ("黄绿色气体", "黄色烟雾",
# "红色信号灯", "红色警戒线"). The warning noun must not go on to name an object (灯, 弹, 线, 带, 牌 …).
_ZH_HUE = r"(?<![红橙黄蓝绿紫棕褐灰黑白])([红橙黄蓝绿])色"
_ZH_WARNING = r"(?:预警|警报|报警|告警|警戒|信号|等级|级别)"
_ZH_OBJECT = r"(?!\s*(?:灯|弹|旗|线|带|牌|标|器|装置|卡|贴|服|背心|光|烟|雾|气|液|粉|漆))"
_ZH_GRADE = r"[\[［（(]\s*(?:Ⅰ|Ⅱ|Ⅲ|Ⅳ|IV|III|II|I|[一二三四])\s*级"  # "暴雨红色[Ⅰ级/特别严重]"
# "黄色暴雨预警", "橙色高温预警信号": a signal's name may sit between the colour and the warning
_ZH_SIGNAL_NAME = (
    r"(?:暴雨|台风|高温|寒潮|大风|大雾|霾|道路结冰|冰雹|雷电|雷雨大风|暴雪|干旱|霜冻|沙尘暴|森林火险|森林草原火险|"
    r"地质灾害|地质灾害气象风险|山洪|洪水|内涝|城市内涝|气象|气象灾害|海浪|风暴潮)?"
)
_ZH_COLOUR = re.compile(  # fold() lower-cases Ⅰ to ⅰ, hence re.I
    rf"{_ZH_HUE}(?:\s*{_ZH_SIGNAL_NAME}{_ZH_WARNING}{_ZH_OBJECT}|\s*{_ZH_GRADE})", re.I
)
# "预警级别为红色", "预警等级：橙色", "信号颜色 黄色": the colour after the warning it grades.
_ZH_COLOUR_AFTER = re.compile(
    rf"(?:预警|警报|报警|告警|信号)(?:级别|等级|颜色)?\s*(?:为|是|:|：|升至|提升至|达到)?\s*[（(]?\s*{_ZH_HUE}(?!\s*(?:的|灯|光|烟|雾|气))"
)
# "地质灾害气象风险预警Ⅲ级（黄色）", "黄色）预警": a colour in brackets beside the grade it names
_ZH_GRADE_COLOUR = re.compile(
    rf"(?:(?:Ⅰ|Ⅱ|Ⅲ|Ⅳ|IV|III|II|I|[一二三四])\s*级\s*[（(]\s*{_ZH_HUE}\s*[）)]|{_ZH_HUE}\s*[）)]\s*{_ZH_WARNING}{_ZH_OBJECT})",
    re.I,
)
_ZH_CHANGED_TO = re.compile(  # "橙色预警信号…升级为红色": the new one, when the clause is about a warning
    rf"(?:预警|警报|告警|报警(?![器灯])|信号(?![灯弹])|级别|等级)[^。；;，,]{{0,16}}?"
    rf"(?:升级|降级|调整|变更|更新|改)为{_ZH_HUE}{_ZH_OBJECT}"
)
_EN_HUE = r"(red|orange|amber|yellow|blue|green)"
# Words between a colour and "warning"/"alert" that make it an object's colour, not a warning's.
_EN_NOT_A_WARNING = (
    r"flag|smoke|light|lights|lamp|lamps|gas|vapou?r|fumes?|cloud|liquid|powder|dust|paint|tape|sign|signs|card|"
    r"tag|tags|wristband|vest|helmet|box|car|truck|van|line|zone|dye|foam|water|glow|flame|flames|stripe"
)
_EN_OBJECT = r"(?!\s+(?:lights?|lamps?|signs?|tapes?|lines?|flares?|boards?|beacons?|strips?|triangles?|vests?|cards?|tags?|panels?)\b)"
_EN_THING_AFTER = rf"(?!\s+(?:{_EN_NOT_A_WARNING})\b)"  # "an alert of yellow smoke"
_EN_COLOUR_PATTERNS = (
    re.compile(rf"\b(?:code|level|alert level|warning level)\s+{_EN_HUE}\b{_EN_THING_AFTER}", re.I),
    re.compile(  # "Orange warning", "Red Rainstorm Warning", "orange-level alert"
        rf"\b{_EN_HUE}(?:[\s-]+(?!(?:{_EN_NOT_A_WARNING})\b)[a-z]+)?[\s-]+(?:warning|alert|level|signal|code)\b{_EN_OBJECT}",
        re.I,
    ),
    re.compile(rf"\b(?:warning|alert)(?:\s+level)?\s*(?:[-–:]|\bis\b|\bof\b)\s*{_EN_HUE}\b{_EN_THING_AFTER}", re.I),
    re.compile(  # "the warning was raised to red", "alert level upgraded to orange"
        rf"\b(?:warning|alert|signal)\b[^.;]{{0,30}}?\b(?:raised|upgraded|lowered|downgraded|changed|elevated|set)\s+to\s+"
        rf"(?:level\s+)?{_EN_HUE}\b{_EN_THING_AFTER}",
        re.I,
    ),
)
_AMBER_ALERT = re.compile(r"\bamber\s+alert\b", re.I)  # the child-abduction product, not a colour
_BARE_COLOUR = re.compile(r"^\s*(red|orange|yellow|blue|green|[红橙黄蓝绿]色?)\b", re.I)
_COLOUR_PARAM = re.compile(
    r"colou?r|awareness|sem[aá]foro|alert_?level|warning_?level|hsas|signal|(?:预警|告警|报警|警报|信号)(?:颜色|级别|等级)",
    re.I,
)

_ROMAN = {"Ⅰ": Level.I, "Ⅱ": Level.II, "Ⅲ": Level.III, "Ⅳ": Level.IV, "I": Level.I, "II": Level.II}
_ROMAN.update({"III": Level.III, "IV": Level.IV, "一": Level.I, "二": Level.II, "三": Level.III, "四": Level.IV})
# A response level the issuing authority declares ("启动防汛Ⅲ级应急响应", "Level II response"). A warning
# grade ("暴雨红色预警[Ⅰ级/特别严重]", "一级预警") is a different scale and is deliberately not matched.
_RESPONSE_PATTERNS = (
    re.compile(
        r"(Ⅰ|Ⅱ|Ⅲ|Ⅳ|IV|III|II|I|[一二三四])\s*级\s*(?:应急|防汛|防台风?|防汛防台风|防汛抗旱|防汛防旱防风防冻|抗震|救灾|救助)*\s*响应"
    ),
    re.compile(r"响应级别\s*(?:为|是|:|：)?\s*(Ⅰ|Ⅱ|Ⅲ|Ⅳ|IV|III|II|I|[一二三四])\s*级"),
    re.compile(r"\blevel\s+(IV|III|II|I)\s+(?:emergency\s+)?response\b", re.I),
)


def fold(text: str) -> str:
    """Traditional to simplified for the characters alerts use; lower-case for English."""
    return text.translate(_TRADITIONAL).lower()


def _keyword_table() -> list[tuple[str, str, re.Pattern[str] | None]]:
    table: list[tuple[str, str, re.Pattern[str] | None]] = []
    for hazard in HAZARDS:
        words = hazard.keywords + ALERT_KEYWORDS.get(hazard.name, ())
        for word in words:
            word = fold(word)
            pattern = re.compile(r"(?<![a-z])" + re.escape(word)) if word.isascii() else None
            table.append((word, hazard.name, pattern))
    table.sort(key=lambda item: len(item[0]), reverse=True)
    return table


_KEYWORDS = _keyword_table()


# A seismic network's event name is the magnitude and the place ("M 5.3, Tonga", "M4.9 - 209km WSW of ...").
_MAGNITUDE = re.compile(r"^\s*m\s?\d\.\d\b")  # a decimal: "M25 closed" is a motorway


def hazard_in(text: str) -> str | None:
    """The hazard whose longest keyword occurs in ``text``, or None."""
    folded = fold(text)
    if not folded.strip():
        return None
    if _MAGNITUDE.match(folded):
        return "地震"
    for word, name, pattern in _KEYWORDS:
        found = pattern.search(folded) if pattern else word in folded
        if found:
            return name
    return None


# A clause that warns of, forecasts or guards against a hazard does not report one happening.
_CAUTION = re.compile(
    r"防范|防御|注意|谨防|警惕|预防|提防|可能|或将|易发|风险|预警|预报|预计|隐患|避免|远离|排查|"
    r"\b(?:possible|possibly|may|might|could|risk|threat|watch(?:es)? for|be alert|beware|avoid|expected|likely|"
    r"forecast|warning|prone)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[。；;！!？?]|\.(?:\s|$)")
_CLAUSE = re.compile(r"[，,\n]")  # not "、": "防范山洪、滑坡" is one clause


@lru_cache(maxsize=512)  # asked again for the same alert by each plan lookup of a draft
def reported_hazards(text: str) -> tuple[str, ...]:
    """Every hazard the text reports as happening ("后山发生山体滑坡，掩埋2间民房" reports a landslide). A clause
    that warns of, forecasts or guards against one reports nothing, nor does what follows it in its sentence
    ("预计今天夜间，山区将有滑坡"; "storms could produce⏎debris flows")."""
    found: list[str] = []
    for sentence in _SENTENCE.split(fold(text or "")):
        for clause in _CLAUSE.split(sentence):
            if _CAUTION.search(clause):
                break
            for word, name, pattern in _KEYWORDS:
                if name not in found and (pattern.search(clause) if pattern else word in clause):
                    found.append(name)
    return tuple(found)


def detect_hazard(texts: Sequence[str]) -> str | None:
    """First text (most specific first: event, headline, description) that names a hazard."""
    for text in texts:
        hazard = hazard_in(text or "")
        if hazard:
            return hazard
    return None


def colour_word(value: str) -> Colour | None:
    """A colour named on its own, e.g. a parameter value 'Yellow', '紅色', '2; yellow; Moderate'."""
    folded = fold(value or "")
    bare = _BARE_COLOUR.match(folded)
    if bare:
        return _COLOUR_WORDS[bare.group(1)[0] if not bare.group(1).isascii() else bare.group(1)]
    for part in re.split(r"[;,/|\s]+", folded):
        if part in _COLOUR_WORDS and part.isascii():
            return _COLOUR_WORDS[part]
    return colour_in_text(folded)


def colour_in_text(text: str) -> Colour | None:
    """An explicit warning colour in free text ("暴雨黄色预警", "Code Orange", "Warning - Orange"), never the colour
    of a substance, smoke, light or sign ("黄绿色气体", "yellow smoke", "red warning light")."""
    folded = fold(text or "")
    for pattern in (_ZH_CHANGED_TO, _ZH_COLOUR, _ZH_COLOUR_AFTER, _ZH_GRADE_COLOUR):
        match = pattern.search(folded)
        if match:
            return _COLOUR_WORDS[next(group for group in match.groups() if group)]
    english = _AMBER_ALERT.sub(" ", folded)
    for pattern in _EN_COLOUR_PATTERNS:
        match = pattern.search(english)
        if match:
            return _COLOUR_WORDS[match.group(1).lower()]
    return None


def colour_from_parameters(parameters: Iterable[tuple[str, str]]) -> Colour | None:
    """A colour given by a CAP parameter whose name says it is a colour or warning level."""
    for name, value in parameters:
        if _COLOUR_PARAM.search(name or ""):
            colour = colour_word(value)
            if colour:
                return colour
    return None


# A warning graded by Roman numeral instead of colour (福建: 台风Ⅱ级预警; "Level II typhoon warning").
_GRADED_WARNING = re.compile(r"[ⅠⅡⅢⅣ]级预警|\b(?:level|grade)\s+(?:I{1,3}|IV)\s+[a-z ]*warning", re.IGNORECASE)


def names_graded_warning(text: str) -> bool:
    """Whether the text names a warning by its numeral grade rather than a colour."""
    return bool(_GRADED_WARNING.search(text))


def resolve_colour(explicit: Colour | None, texts: Sequence[str], severity: str | None) -> Colour | None:
    """Explicit colour, else a colour written in the texts (in order), else the severity mapping."""
    if explicit:
        return explicit
    for text in texts:
        colour = colour_in_text(text or "")
        if colour:
            return colour
    if any(names_graded_warning(text or "") for text in texts):
        return None  # "台风Ⅱ级预警": a grade the issuing plan says must not be read as a colour
    return SEVERITY_COLOUR.get((severity or "unknown").strip().lower())


def declared_level(texts: Sequence[str]) -> Level | None:
    """The response level the alert itself says was activated; None when it declares none.

    Never derived from the colour: a warning colour is how likely and how bad a hazard may become,
    a response level is set by a plan's grading criteria (see assistant/chain/levels.py).
    """
    for text in texts:
        folded = (text or "").translate(_TRADITIONAL)
        for pattern in _RESPONSE_PATTERNS:
            match = pattern.search(folded)
            if match:
                return _ROMAN[match.group(1).upper() if match.group(1).isascii() else match.group(1)]
    return None


def detect_language(text: str, declared: str | None = None) -> str:
    """'zh' or 'en' (or the declared CAP language's primary tag): what the officer will read."""
    if declared:
        return declared.split("-")[0].lower()
    return "zh" if re.search(r"[\u4e00-\u9fff]", text or "") else "en"
