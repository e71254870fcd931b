"""Sensitive sites an alert names, with their distance: "距离区实验小学约150米", "150 m from Riverside Primary School".

A school 150 m from a gas leak changes what must happen in the next 20 minutes, so the
site, its kind and its distance are read from the alert text itself (the asset registry
adds the ones the alert does not name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# kind -> words naming it (Chinese suffixes, English words); order matters: 幼儿园 before 园, 小学 before 学校.
SITE_KINDS: dict[str, tuple[str, ...]] = {
    "kindergarten": ("幼儿园", "托儿所", "托育中心", "kindergarten", "nursery", "preschool"),
    "school": ("小学", "中学", "学校", "职校", "大学", "学院", "school", "college", "university"),
    "hospital": ("医院", "卫生院", "卫生服务中心", "急救中心", "hospital", "clinic"),
    "nursing_home": (
        "养老院",
        "敬老院",
        "福利院",
        "老年公寓",
        "养老机构",
        "照料中心",
        "nursing home",
        "care home",
        "elderly home",
    ),
    "metro": (
        "地铁站",
        "地铁口",
        "轨道交通站",
        "地铁",
        "metro station",
        "subway station",
        "underground station",
        "metro",
    ),
    "station": ("火车站", "高铁站", "汽车站", "客运站", "railway station", "train station", "bus station"),
    "market": (
        "农贸市场",
        "菜市场",
        "集贸市场",
        "商场",
        "购物中心",
        "超市",
        "商业综合体",
        "market",
        "shopping mall",
        "mall",
        "supermarket",
    ),
    "stadium": ("体育场", "体育馆", "stadium", "arena"),
    "shelter": ("避难场所", "应急避难场所", "shelter"),
}
_ZH_WORDS = sorted((w for words in SITE_KINDS.values() for w in words if not w.isascii()), key=len, reverse=True)
_EN_WORDS = sorted((w for words in SITE_KINDS.values() for w in words if w.isascii()), key=len, reverse=True)
_ZH_SITE = r"(?:地铁[\u4e00-\u9fff]{1,8}?站|" + "|".join(map(re.escape, _ZH_WORDS)) + ")"  # 地铁江滨站
_EN_SITE = "(?:" + "|".join(map(re.escape, _EN_WORDS)) + ")"
_DIST = r"(\d+(?:\.\d+)?)\s*(米|m|公里|千米|km|metres|meters)"
_ZH_NAME = rf"([\u4e00-\u9fffA-Za-z0-9（）()]{{0,14}}?{_ZH_SITE})"

# 150米处有一所小学 / 周边200米内有区人民医院: the distance comes before the name
_ZH_DISTANCE_FIRST = re.compile(
    rf"(?:约|大约)?\s*{_DIST}\s*(?:范围)?(?:内|处|外)?\s*(?:有|为|是|即)?\s*(?:一所|一家|一座|一处)?\s*{_ZH_NAME}"
)
_PATTERNS_ZH = (
    # 距离区实验小学约150米 / 离地铁站仅80米 / 与幼儿园相距约200米
    re.compile(
        rf"(?:距离?|离|与|临近|毗邻|靠近)\s*{_ZH_NAME}\s*(?:相距|直线距离)?\s*(?:约|大约|仅|不足|不到)?\s*{_DIST}"
    ),
    # 区实验小学（约150米） / 医院(距约300米)
    re.compile(rf"{_ZH_NAME}\s*[（(]\s*(?:距离?|相距)?\s*(?:约|大约)?\s*{_DIST}\s*[)）]"),
    # 柳湾小学距河堤约300米 / 区实验小学离泄漏点不足100米: the site, then how far it is from the hazard
    re.compile(rf"{_ZH_NAME}\s*(?:距离?|离)[\u4e00-\u9fff]{{1,8}}?\s*(?:约|大约|仅|不足|不到)?\s*{_DIST}"),
    # 示例中学在下游约2公里 / 卫生院位于上风向约500米: the site, where it lies from the hazard, then how far
    re.compile(
        rf"{_ZH_NAME}\s*(?:位于|在)\s*[\u4e00-\u9fff]{{0,6}}?(?:下游|上游|下风向|上风向|侧风向|[东南西北]侧|以[东南西北]|方向)"
        rf"\s*(?:约|大约|仅|不足|不到)?\s*{_DIST}"
    ),
    _ZH_DISTANCE_FIRST,
)
_PATTERNS_EN = (
    # 150 m from Riverside Primary School / about 200 metres from the hospital
    re.compile(
        rf"{_DIST}\s*(?:away\s+)?(?:from|of|to)\s+(?:the\s+|a\s+|an\s+)?((?:(?-i:[A-Z])[\w'’-]*\s+){{0,5}}?{_EN_SITE})",
        re.I,
    ),
    # a hospital 200 m away / Riverside Primary School (150 m)
    re.compile(
        rf"((?:(?-i:[A-Z])[\w'’-]*\s+){{0,5}}?{_EN_SITE})\s*(?:is\s+|lies\s+)?(?:about\s+|some\s+|only\s+)?[(（]?\s*{_DIST}\s*(?:away)?[)）]?",
        re.I,
    ),
)
_MENTION_ZH = re.compile(rf"(?:周边|附近|周围|旁边|临近|毗邻|紧邻)[^，。；;]{{0,12}}?({_ZH_SITE})")


@dataclass(frozen=True)
class SiteMention:
    kind: str
    name: str
    distance_m: float | None
    start: int
    end: int


def site_kind(name: str) -> str | None:
    lowered = name.lower()
    for kind, words in SITE_KINDS.items():
        if any(w in lowered for w in words):
            return kind
    return None


def _metres(value: str, unit: str) -> float:
    number = float(value)
    return number * 1000 if unit.lower() in ("公里", "千米", "km") else number


def _clean_name(name: str) -> str:
    name = re.sub(r"^(?:(?:the|a|an|and|or|near|by|from|to|of|with)\s+)+", "", name.strip(), flags=re.I)
    return re.sub(r"^(?:约|大约|距离|距|离|周边|附近|有|一所|一家)+", "", name).strip(" ，,")


def find_sites(text: str) -> list[SiteMention]:
    """Every sensitive site named in ``text``; with a distance where the text gives one."""
    found: list[SiteMention] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str | None, name: str, distance: float | None, start: int, end: int) -> None:
        if kind is None or any(start < e and end > s for s, e in taken):
            return
        taken.append((start, end))
        found.append(SiteMention(kind, _clean_name(name), distance, start, end))

    for pattern in _PATTERNS_ZH:
        for m in pattern.finditer(text):
            groups = m.groups()
            if pattern is _ZH_DISTANCE_FIRST:
                value, unit, name = groups
            else:
                name, value, unit = groups
            add(site_kind(name), name, _metres(value, unit), m.start(), m.end())
    for pattern in _PATTERNS_EN:
        for m in pattern.finditer(text):
            groups = m.groups()
            if pattern is _PATTERNS_EN[0]:
                value, unit, name = groups
            else:
                name, value, unit = groups
            add(site_kind(name), name, _metres(value, unit), m.start(), m.end())
    for m in _MENTION_ZH.finditer(text):
        add(site_kind(m.group(1)), m.group(1), None, m.start(1), m.end(1))
    return sorted(found, key=lambda s: s.start)
