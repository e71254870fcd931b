"""The offline base layer of the risk map: district outlines (and rivers) from a GeoJSON file.

The sample city ships ``knowledge/data/sample_city_districts.geojson`` (fictional outlines around the
sample asset registry); a city replaces it with its own file of the same shape: Polygon features
with ``name`` / ``name_en`` and ``kind: district``, LineString features with ``kind: river``.
Coordinates are GeoJSON's [lon, lat]. A malformed file is refused with the feature named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import DocumentError

Point = tuple[float, float]  # (lon, lat)


@dataclass(frozen=True)
class District:
    name: str
    name_en: str
    ring: tuple[Point, ...]  # outer ring, closed

    def contains(self, lon: float, lat: float) -> bool:
        """Ray casting: whether the point lies inside the outline."""
        inside = False
        for (x1, y1), (x2, y2) in zip(self.ring, self.ring[1:], strict=False):
            if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                inside = not inside
        return inside

    @property
    def centre(self) -> Point:
        """The mean of the outline's corners (enough to place a label or an incident known only by district)."""
        corners = self.ring[:-1] or self.ring
        return sum(p[0] for p in corners) / len(corners), sum(p[1] for p in corners) / len(corners)

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True)
class Line:
    name: str
    name_en: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class BaseLayer:
    title: str
    districts: tuple[District, ...]
    lines: tuple[Line, ...] = ()

    def district(self, name: str | None) -> District | None:
        return next((d for d in self.districts if name and d.name == name), None)

    def district_at(self, lon: float, lat: float) -> District | None:
        return next((d for d in self.districts if d.contains(lon, lat)), None)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) of everything drawn."""
        points = [p for d in self.districts for p in d.ring] + [p for line in self.lines for p in line.points]
        if not points:
            return (0.0, 0.0, 0.0, 0.0)
        return (
            min(p[0] for p in points),
            min(p[1] for p in points),
            max(p[0] for p in points),
            max(p[1] for p in points),
        )


def _points(raw: Any, where: str, path: Path) -> tuple[Point, ...]:
    try:
        points = tuple((float(p[0]), float(p[1])) for p in raw)
    except (TypeError, ValueError, IndexError):
        raise DocumentError(
            str(path), f"{where}: 坐标应为 [经度, 纬度] 列表 / coordinates must be [lon, lat] pairs"
        ) from None
    if any(not (-180 <= lon <= 180 and -90 <= lat <= 90) for lon, lat in points):
        raise DocumentError(str(path), f"{where}: 坐标超出范围 / lon/lat out of range")
    return points


def load_base_layer(path: str | Path) -> BaseLayer:
    """Read a GeoJSON FeatureCollection of district polygons and river lines."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise DocumentError(str(path), f"无法读取底图 / cannot read the base layer: {err}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DocumentError(
            str(path), "底图应为 GeoJSON FeatureCollection / the base layer must be a FeatureCollection"
        )
    districts: list[District] = []
    lines: list[Line] = []
    for number, feature in enumerate(data.get("features") or [], start=1):
        where = f"features[{number}]"
        if not isinstance(feature, dict):
            raise DocumentError(str(path), f"{where}: 应为 GeoJSON Feature / must be a Feature")
        props, geometry = feature.get("properties") or {}, feature.get("geometry") or {}
        name = str(props.get("name") or "").strip()
        if not name:
            raise DocumentError(str(path), f"{where}: 缺少 name / name is missing")
        kind = geometry.get("type")
        if kind == "Polygon" and geometry.get("coordinates"):
            ring = _points(geometry["coordinates"][0], where, path)
            if len(ring) < 4 or ring[0] != ring[-1]:
                raise DocumentError(str(path), f"{where}: 多边形应闭合且至少3个顶点 / a polygon ring must be closed")
            districts.append(District(name, str(props.get("name_en") or ""), ring))
        elif kind == "LineString":
            lines.append(Line(name, str(props.get("name_en") or ""), _points(geometry.get("coordinates"), where, path)))
        else:
            raise DocumentError(
                str(path), f"{where}: 只支持 Polygon 和 LineString / only Polygon and LineString are drawn"
            )
    if not districts:
        raise DocumentError(str(path), "底图没有区域多边形 / the base layer has no district polygon")
    return BaseLayer(str(data.get("name") or ""), tuple(districts), tuple(lines))
