"""Bounds of a grading condition, and the conditions measured by more than a casualty count.

"10人以上、30人以下" and "3至9人" are ranges of people; plans also grade by the people ill in one
food poisoning ("一次食物中毒人数30至99人，未出现死亡病例"), a town's water intake stopping
("造成乡镇集中式饮用水水源地取水中断"), the share of a city's power customers cut off — per kind of
city ("其他设区的市电网：…30%以上、50%以下供电用户停电") —, the forest area burned ("受害森林面积1公顷
以下") and a flood's return period on a main river ("干流20～50年一遇"). Each such condition keeps
what it is measured on (``scope``) and what else it requires (``condition``), so a judge can tell
a row for another kind of city or river from one that applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"(\d+(?:\.\d+)?)"
_TO = r"\s*(?:至|到|-|—|～|~)\s*"


@dataclass(frozen=True)
class Measured:
    # food_poisoned | food_deaths | intake_cut | power_out_share | load_shed_share | burned_area | return_period |
    # magnitude (an earthquake's initial grading; scope: 人口密集 | 人口较密集) | water_level (a river gauge against
    # its named levels; scope: 超过警戒 | 接近保证)
    metric: str
    low: float | None
    high: float | None
    unit: str
    scope: str = ""
    condition: str = ""


def bounds(clause: str, unit: str | None = None, whole: bool = True) -> tuple[float | None, float | None, str] | None:
    """ "10人以上、30人以下" → (10, 30); "3至9人" → (3, 10); "不足3人" → (None, 3); "超过100人" → (101, None);
    "1亿元以上" → (10000, None) 万元. ``unit`` forces the unit (else read from the clause); ``whole`` counts
    whole things, so a written range includes its upper end ("3至9人") — return periods ("20～50年一遇") do
    not, as the next row starts where this one ends."""
    unit = unit or (
        "万元"
        if re.search(r"亿元|万元|\d元", clause)
        else "户"
        if "户" in clause
        else "%"
        if re.search(r"[%％]", clause)
        else "人"
    )
    if unit == "人" and not re.search(r"\d\s*万?(?:人|名)", clause):
        return None  # "日均降雨量150—200毫米": a number, but not of people

    def number(m: re.Match[str], group: int) -> float:
        value = float(m.group(group))
        suffix = clause[m.end(group) : m.end(group) + 1]
        if unit == "万元":
            return value * 10000.0 if suffix == "亿" else value if suffix == "万" else value / 10000.0
        return value * 10000.0 if suffix == "万" else value

    counted = whole and unit in ("人", "户")
    if m := re.search(rf"{_NUMBER}{_TO}{_NUMBER}", clause):
        return number(m, 1), number(m, 2) + (1 if counted else 0), unit
    if m := re.search(rf"{_NUMBER}[^\d、，]{{0,6}}以上[^\d]{{0,3}}{_NUMBER}[^\d]{{0,6}}以下", clause):
        return number(m, 1), number(m, 2), unit
    if m := re.search(rf"{_NUMBER}[^\d、，]{{0,6}}以上[^\d]{{0,4}}(?:不足|少于){_NUMBER}", clause):
        return number(m, 1), number(m, 2), unit
    if m := re.search(rf"(?:不足|少于|未达|低于){_NUMBER}", clause):
        return None, number(m, 1), unit
    if m := re.search(rf"{_NUMBER}[^\d、，]{{0,6}}以下", clause):
        return None, number(m, 1), unit
    if m := re.search(rf"{_NUMBER}[^\d、，]{{0,6}}以上", clause):
        return number(m, 1), None, unit
    if m := re.search(rf"超过{_NUMBER}", clause):  # "超过100人": more than 100, so 101 people at least
        return number(m, 1) + (1 if counted else 0), None, unit
    if m := re.search(rf"达到{_NUMBER}", clause):
        return number(m, 1), None, unit
    return None


# ---------------------------------------------------------------- the row a power-outage condition belongs to

_GRID_ROW = re.compile(r"^[\s\-*·•]*(?P<label>[^：:\n]{1,40}?)电网[：:]")
_LOAD = re.compile(r"(?:电网)?负荷\d+兆瓦(?:以上|以下)(?:、\d+兆瓦以下)?")


def grid_kind(label: str) -> str:
    """The kind of grid a row of the power-outage grading is for, as alerts name their city."""
    if "直辖市" in label:
        return "直辖市"
    if "省会" in label or "人民政府所在地" in label or "首府" in label:
        return "省会城市"
    if "设区的市" in label or "地级市" in label:
        return "其他设区的市"
    if "县级市" in label:
        return "县级市"
    if "省" in label:
        return "省级"
    return "区域性" if "区域" in label else label


def grid_row(line: str) -> tuple[str, str, int] | None:
    """(kind, load condition, where the row starts) of "电网负荷600兆瓦以上的其他设区的市电网：…"; None if the
    line is not such a row."""
    m = _GRID_ROW.match(line)
    if not m:
        return None
    label = m.group("label")
    load = _LOAD.search(label)
    return grid_kind(label), _load_text(load), m.start("label")


def segment_load(segment: str) -> str:
    """ "负荷600兆瓦以下的，减供负荷40%以上": the load this part of a row is for."""
    return _load_text(_LOAD.search(segment))


def _load_text(load: re.Match[str] | None) -> str:
    """ "负荷600兆瓦以上的" → "电网负荷600兆瓦以上"; "" when the row names no load."""
    return ("电网" + load.group(0).removeprefix("电网")) if load else ""


# ---------------------------------------------------------------- conditions measured by more than casualties

_DEATH_CONDITION = re.compile(r"[，,、]?\s*((?:未|并|且|同时)?(?:出现|有|无)\s*死亡(?:病例)?)")
_INTAKE = re.compile(r"(设区的市级以上城市|县级城市|乡镇)[^，。；]*?取水中断")
_INTAKE_SCOPES = {"设区的市级以上城市": "city", "县级城市": "county", "乡镇": "town"}
_RETURN = re.compile(rf"{_NUMBER}(?:{_TO}{_NUMBER})?\s*年一遇(以上|以下)?")
# An earthquake's initial grading (初判) before casualties are known: "人口较密集地区发生5.0级以上、6.0级以下地震"
_QUAKE = re.compile(rf"(人口较密集|人口密集)地区发生{_NUMBER}级以上(?:、{_NUMBER}级以下)?地震")


# A river gauge against its named levels: "主要防洪河道（多个）主要控制站水位超过警戒水位 / 接近保证水位"
_WATER_LEVEL = re.compile(r"(多个)?(?:主要)?控制站水位(超过|超出|达到|接近|逼近)(警戒|保证)水位")


def _river_scope(clause: str) -> str:
    if "干流" in clause:
        return "干流"
    if re.search(r"主要(?:一级)?支流", clause):
        return "主要支流"
    return "其他溪河" if re.search(r"其他[^，。；]*?(?:溪河|河流|江河)", clause) else ""


def measured(clause: str, line_kind: str = "", grid: str = "", load: str = "") -> Measured | None:
    """The condition of ``clause`` when it is measured by one of the quantities above; ``line_kind`` is "food"
    on a line about food poisoning, ``grid`` and ``load`` the power-outage row the clause is in."""
    if line_kind == "food":
        death = _DEATH_CONDITION.search(clause)
        if "食物中毒" in clause and (found := bounds(clause, "人")):
            condition = death.group(1).lstrip("并且同时") if death else ""
            return Measured("food_poisoned", *found, condition=condition)
        if "死亡病例" in clause:  # "或出现死亡病例", "或出现10例以上死亡病例" in a food poisoning
            count = re.search(rf"{_NUMBER}\s*例以上", clause)
            return Measured("food_deaths", float(count.group(1)) if count else 1.0, None, "人")
        return None
    if m := _INTAKE.search(clause):
        return Measured("intake_cut", None, None, "", scope=_INTAKE_SCOPES[m.group(1)])
    if re.search(r"供电用户停电", clause) and re.search(r"[%％]", clause) and (found := bounds(clause, "%")):
        return Measured("power_out_share", *found, scope=grid, condition=load)
    shed = clause.find("减供负荷")  # the row's label may carry its own figures ("电网负荷5000兆瓦以上、…")
    if shed >= 0 and re.search(r"[%％]", clause) and (found := bounds(clause[shed:], "%")):
        return Measured("load_shed_share", *found, scope=grid, condition=load)
    if re.search(r"受害(?:森林|林地)?面积|过火面积", clause) and "公顷" in clause and (found := bounds(clause, "公顷")):
        return Measured("burned_area", *found)
    if m := _WATER_LEVEL.search(clause):  # scope: 超过警戒 | 接近保证; condition: which gauges it must be
        how = "接近" if m.group(2) in ("接近", "逼近") else "超过"
        where = f"主要防洪河道多个主要控制站均{how}{m.group(3)}水位" if m.group(1) else "该站为主要防洪河道的主要控制站"
        return Measured("water_level", None, None, "", scope=how + m.group(3), condition=where)
    if m := _QUAKE.search(clause):
        high = float(m.group(3)) if m.group(3) else None
        return Measured("magnitude", float(m.group(2)), high, "级", scope=m.group(1))
    if m := _RETURN.search(clause):
        low, high = float(m.group(1)), float(m.group(2)) if m.group(2) and m.group(3) != "以上" else None
        if not m.group(2) and m.group(3) == "以下":
            low, high = 0.0, low
        return Measured("return_period", low, high, "年", scope=_river_scope(clause))
    return None
