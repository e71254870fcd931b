"""The city's asset registry: bridges, gas pipes and sensitive sites (schools, hospitals...).

Two uses: how close an alert is to a sensitive site (the board ranks a gas alarm next
to a kindergarten above the same alarm in a car park), and the common-risk warning
across similar assets (after a warning on one bridge, which other bridges share its
structure type, age, load rating or maintenance history?). The file format is the one
of knowledge/data/assets_sample.yaml; a missing file simply means no registry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import DocumentError

SITE_TYPES = (
    "school",
    "hospital",
    "kindergarten",
    "nursing_home",
    "metro_station",
    "underpass",
    "market",
    "chemical_plant",
    "heritage",
)
EARTH_RADIUS_KM = 6371.0088
SIMILAR_YEARS = 5
SIMILAR_DIAMETER = 0.25  # relative difference still counted as "similar diameter"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; accurate to well under 1 % at city scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Asset:
    """A bridge or a gas-pipe section; ``attrs`` keeps the kind-specific fields as given."""

    asset_id: str
    kind: str  # bridge | gas_pipe
    name: str
    district: str
    lat: float
    lon: float
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SensitiveSite:
    site_id: str
    name: str
    site_type: str
    district: str
    lat: float
    lon: float


@dataclass(frozen=True)
class SimilarAsset:
    """Another asset sharing this one's risk profile, with the reasons in plain words."""

    asset: Asset
    score: int
    reasons: tuple[str, ...]


def _words(text: str) -> set[str]:
    """Maintenance keywords worth comparing: the Chinese terms after the year, e.g. 支座更换."""
    parts = str(text).replace("：", " ").replace("，", " ").replace(",", " ").split()
    return {p for p in parts if not p.isdigit() and len(p) >= 2}


def _close_years(ours: Any, theirs: Any) -> bool:
    return isinstance(ours, int) and isinstance(theirs, int) and abs(ours - theirs) <= SIMILAR_YEARS


def _positive(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return float(value) if ok else None


def _bridge_reasons(a: Asset, b: Asset) -> list[str]:
    if a.attrs.get("structure_type") != b.attrs.get("structure_type"):
        return []
    reasons = [f"同结构类型 / same structure type: {a.attrs.get('structure_type')}"]
    if _close_years(a.attrs.get("build_year"), b.attrs.get("build_year")):
        reasons.append(f"建成年代相近 / built within {SIMILAR_YEARS} years: {b.attrs['build_year']}")
    if a.attrs.get("load_rating") and a.attrs.get("load_rating") == b.attrs.get("load_rating"):
        reasons.append(f"同荷载等级 / same load rating: {a.attrs['load_rating']}")
    ours = {w for m in a.attrs.get("maintenance") or [] for w in _words(m)}
    theirs = {w for m in b.attrs.get("maintenance") or [] for w in _words(m)}
    shared = sorted(ours & theirs)
    if shared:
        reasons.append(f"相似维修史 / shared maintenance history: {'、'.join(shared[:3])}")
    return reasons


def _pipe_reasons(a: Asset, b: Asset) -> list[str]:
    if a.attrs.get("material") != b.attrs.get("material"):
        return []
    reasons = [f"同材质 / same material: {a.attrs.get('material')}"]
    if _close_years(a.attrs.get("install_year"), b.attrs.get("install_year")):
        reasons.append(f"敷设年代相近 / installed within {SIMILAR_YEARS} years: {b.attrs['install_year']}")
    if a.attrs.get("pressure_class") and a.attrs.get("pressure_class") == b.attrs.get("pressure_class"):
        reasons.append(f"同压力级制 / same pressure class: {a.attrs['pressure_class']}")
    ours, theirs = _positive(a.attrs.get("diameter_mm")), _positive(b.attrs.get("diameter_mm"))
    if ours and theirs and abs(ours - theirs) / max(ours, theirs) <= SIMILAR_DIAMETER:
        reasons.append(f"管径相近 / similar diameter: DN{b.attrs['diameter_mm']}")
    return reasons


class AssetRegistry:
    """Assets and sensitive sites of one city, searchable by id and by distance."""

    def __init__(self, assets: list[Asset], sites: list[SensitiveSite], sample_data: bool = False) -> None:
        self.assets = {a.asset_id: a for a in assets}
        self.sites = sites
        self.sample_data = sample_data

    def asset(self, asset_id: str) -> Asset | None:
        return self.assets.get(asset_id)

    def nearest_site(self, lat: float, lon: float) -> tuple[SensitiveSite, float] | None:
        """The closest sensitive site and its distance in km, or None when there are no sites."""
        best = min(((s, haversine_km(lat, lon, s.lat, s.lon)) for s in self.sites), key=lambda x: x[1], default=None)
        return best

    def sites_within(self, lat: float, lon: float, radius_km: float) -> list[tuple[SensitiveSite, float]]:
        found = [(s, haversine_km(lat, lon, s.lat, s.lon)) for s in self.sites]
        return sorted((item for item in found if item[1] <= radius_km), key=lambda x: x[1])

    def similar_assets(self, asset_id: str) -> list[SimilarAsset]:
        """Assets of the same kind sharing structure/material and more; best match first."""
        origin = self.assets.get(asset_id)
        if origin is None:
            return []
        compare = _bridge_reasons if origin.kind == "bridge" else _pipe_reasons
        found = []
        for other in self.assets.values():
            if other.asset_id == asset_id or other.kind != origin.kind:
                continue
            reasons = compare(origin, other)
            if reasons:
                found.append(SimilarAsset(other, len(reasons), tuple(reasons)))
        return sorted(found, key=lambda s: (-s.score, s.asset.asset_id))


def _number(entry: dict[str, Any], name: str, where: str, path: Path) -> float:
    value = entry.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DocumentError(str(path), f"{where}: {name} 应为数字 / {name} must be a number, got {value!r}")
    return float(value)


def _common(entry: Any, where: str, path: Path) -> tuple[str, str, str, float, float]:
    if not isinstance(entry, dict):
        raise DocumentError(str(path), f"{where}: 应为映射 / must be a mapping, got {entry!r}")
    for name in ("id", "name"):
        if not str(entry.get(name) or "").strip():
            raise DocumentError(str(path), f"{where}: 缺少 {name} / {name} is missing")
    lat, lon = _number(entry, "lat", where, path), _number(entry, "lon", where, path)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DocumentError(str(path), f"{where}: 坐标超出范围 / lat/lon out of range")
    return str(entry["id"]), str(entry["name"]), str(entry.get("district") or ""), lat, lon


def _section(data: dict[str, Any], name: str, path: Path) -> list[Any]:
    value = data.get(name) or []
    if not isinstance(value, list):
        raise DocumentError(str(path), f"{name} 应为列表 / {name} must be a list")
    return value


def load_assets(path: str | Path) -> AssetRegistry:
    """Read a registry file; DocumentError names the entry and field at fault."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise DocumentError(str(path), f"无法读取资产清单 / cannot read the asset registry: {err}") from None
    if not isinstance(data, dict):
        raise DocumentError(str(path), "顶层应为映射 / the top level must be a mapping")
    assets: list[Asset] = []
    for kind, section in (("bridge", "bridges"), ("gas_pipe", "gas_pipes")):
        for number, entry in enumerate(_section(data, section, path), start=1):
            asset_id, name, district, lat, lon = _common(entry, f"{section}[{number}]", path)
            attrs = {k: v for k, v in entry.items() if k not in ("id", "name", "district", "lat", "lon")}
            assets.append(Asset(asset_id, kind, name, district, lat, lon, attrs))
    sites = []
    for number, entry in enumerate(_section(data, "sensitive_sites", path), start=1):
        where = f"sensitive_sites[{number}]"
        site_id, name, district, lat, lon = _common(entry, where, path)
        site_type = str(entry.get("type") or "")
        if site_type not in SITE_TYPES:
            raise DocumentError(str(path), f"{where}: type {site_type!r} 无效 / must be one of {', '.join(SITE_TYPES)}")
        sites.append(SensitiveSite(site_id, name, site_type, district, lat, lon))
    ids = [a.asset_id for a in assets] + [s.site_id for s in sites]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DocumentError(str(path), f"重复的 id / duplicate ids: {', '.join(duplicates)}")
    return AssetRegistry(assets, sites, sample_data=bool(data.get("sample_data")))
