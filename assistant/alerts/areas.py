"""Geometry and place names of alert areas: CAP polygons, circles, geocodes, districts.

Shared by the CAP parser and the feed parser (NWS index entries carry the same shapes),
and used for closeness to sensitive sites, so coordinates are validated here once.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from assistant.alerts.xmlsafe import local_name, text_of
from assistant.domain import AlertArea


def value_pairs(element: Element) -> list[tuple[str, str]]:
    """valueName/value pairs; NWS index feeds put several pairs in one element."""
    pairs: list[tuple[str, str]] = []
    name = ""
    for item in element:
        tag = local_name(item.tag)
        if tag == "valueName":
            name = text_of(item)
        elif tag == "value":
            pairs.append((name, text_of(item)))
    return pairs


def parse_point(text: str, where: str) -> tuple[float, float]:
    try:
        lat_text, lon_text = text.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise ValueError(f"{where}坐标 {text!r} 不是“纬度,经度” / point {text!r} is not 'lat,lon'") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{where}坐标超出范围 / point {text!r} is out of range")
    return lat, lon


def parse_polygon(text: str, where: str) -> tuple[tuple[float, float], ...]:
    points = [parse_point(part, where) for part in text.split()]
    if len(set(points)) < 3:
        raise ValueError(f"{where}<polygon> 少于3个点 / <polygon> needs at least 3 distinct points: {text[:80]!r}")
    if points[0] != points[-1]:
        points.append(points[0])
    return tuple(points)


def parse_circle(text: str, where: str) -> tuple[float, float, float]:
    try:
        centre, radius = text.split()
        lat, lon = parse_point(centre, where)
        return lat, lon, float(radius)
    except ValueError as err:
        raise ValueError(
            f"{where}<circle> 应为“纬度,经度 半径” / <circle> must be 'lat,lon radius': {text!r} ({err})"
        ) from None


def area_centre(polygons: tuple, circles: tuple) -> tuple[float | None, float | None]:
    if circles:
        return circles[0][0], circles[0][1]
    if polygons:
        ring = polygons[0][:-1] or polygons[0]
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return None, None


# "西站区间" (a metro section between stations), "区域" and "区别" end in no district
_ADMIN_UNIT = re.compile(
    r"[\u4e00-\u9fff]+?(?:自治区|自治县|新区|省|市|区(?![间域别块级分])|县|縣|旗|乡|鄉|镇|鎮|街道)"
)


def district_of(description: str) -> str:
    """The district an area belongs to, for the board's district filter.

    Chinese areas name nested units ("示例市滨江区", "苗栗縣頭屋鄉"): the county-level unit
    (区/县/旗) is the district, else the city; other areas keep their first description.
    """
    units = _ADMIN_UNIT.findall(description)
    for endings in (("区", "县", "縣", "旗"), ("市",)):
        found = [u for u in units if u.endswith(endings) and not u.endswith("自治区")]
        if found:
            return found[-1] if endings == ("市",) else found[0]
    return description[:80]


def merge_areas(areas: list[AlertArea]) -> AlertArea:
    if not areas:
        return AlertArea()
    descriptions = list(dict.fromkeys(a.description for a in areas if a.description))
    polygons = tuple(p for a in areas for p in a.polygons)
    circles = tuple(c for a in areas for c in a.circles)
    lat, lon = area_centre(polygons, circles)
    return AlertArea(
        description="; ".join(descriptions),
        polygons=polygons,
        circles=circles,
        geocodes=tuple(dict.fromkeys(g for a in areas for g in a.geocodes)),
        lat=lat,
        lon=lon,
        district=district_of(descriptions[0]) if descriptions else None,
    )
