"""The five-colour map drawn on the server as SVG: no script, no network, any browser.

Everything is projected with Web Mercator at a zoom that fits the view, so a tile server (when
``ui.map_tiles`` is set) lines up under the vector layers; without one the district outlines are
the base map. Incidents carry ``data-incident`` so the page can open the one clicked. All names
are escaped: they come from alerts and files, and are data, never markup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from assistant.domain import Colour
from assistant.maps.basemap import BaseLayer, Point
from assistant.maps.layers import AssetMark, IncidentMark, MapData, SimilarLink

TILE = 256
FILL = {
    Colour.RED: "#d62728",
    Colour.ORANGE: "#ff7f0e",
    Colour.YELLOW: "#ffd700",
    Colour.BLUE: "#1f77b4",
    Colour.GREEN: "#2ca02c",
}
NO_COLOUR = "#999999"
WORDS = {
    "zh": {"approx": "（位置按区域估计）", "similar": "同类资产共性风险，源自", "incident": "事件", "none": "无颜色"},
    "en": {"approx": " (placed at its district)", "similar": "similar-asset warning from", "incident": "incident", "none": "no colour"},
}  # fmt: skip


def fill(colour: Colour | None) -> str:
    return FILL.get(colour, NO_COLOUR) if colour is not None else NO_COLOUR


@dataclass(frozen=True)
class View:
    """A window on the Web Mercator world: its size in pixels, zoom, and top-left world pixel."""

    width: int
    height: int
    zoom: float
    left: float
    top: float

    def world(self, lon: float, lat: float) -> tuple[float, float]:
        scale = TILE * 2**self.zoom
        sin = math.sin(math.radians(max(min(lat, 85.0), -85.0)))
        return (lon + 180) / 360 * scale, (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale

    def xy(self, point: Point) -> tuple[float, float]:
        x, y = self.world(*point)
        return round(x - self.left, 1), round(y - self.top, 1)


def fit(bounds: tuple[float, float, float, float], width: int, height: int, whole_zoom: bool = False) -> View:
    """The view that shows ``bounds`` (min lon, min lat, max lon, max lat) with a margin, centred."""
    west, south, east, north = bounds
    probe = View(width, height, 0, 0, 0)
    x0, y1 = probe.world(west, south)
    x1, y0 = probe.world(east, north)
    span_x, span_y = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    zoom = math.log2(min(width * 0.92 / span_x, height * 0.92 / span_y))
    zoom = min(zoom, 18.0)
    if whole_zoom:
        zoom = math.floor(zoom)
    view = View(width, height, zoom, 0, 0)
    cx, cy = view.world((west + east) / 2, (south + north) / 2)
    return View(width, height, zoom, cx - width / 2, cy - height / 2)


def _tiles(view: View, template: str) -> str:
    z = int(view.zoom)
    count = 2**z
    first_x, first_y = int(view.left // TILE), int(view.top // TILE)
    last_x, last_y = int((view.left + view.width) // TILE), int((view.top + view.height) // TILE)
    images = []
    for tx in range(first_x, last_x + 1):
        for ty in range(first_y, last_y + 1):
            if 0 <= ty < count:
                url = template.format(z=z, x=tx % count, y=ty)
                x, y = tx * TILE - view.left, ty * TILE - view.top
                images.append(
                    f'<image href="{escape(url, quote=True)}" x="{x:.1f}" y="{y:.1f}" width="{TILE}" height="{TILE}"/>'
                )
    return "".join(images)


def _path(view: View, points: tuple[Point, ...], close: bool) -> str:
    coords = [view.xy(p) for p in points]
    return "M" + " L".join(f"{x},{y}" for x, y in coords) + (" Z" if close else "")


def _base(view: View, base: BaseLayer, shading: dict[str, Colour], lang: str, tiled: bool) -> str:
    out = []
    for district in base.districts:
        colour = fill(shading.get(district.name, Colour.GREEN))
        opacity = 0.12 if tiled else 0.22
        out.append(
            f'<path class="district" data-district="{escape(district.name, quote=True)}" d="{_path(view, district.ring, True)}"'
            f' fill="{colour}" fill-opacity="{opacity}" stroke="#555" stroke-width="1.2"/>'
        )
    for line in base.lines:
        out.append(
            f'<path class="river" d="{_path(view, line.points, False)}" fill="none" stroke="#6baed6" stroke-width="5" stroke-linecap="round"/>'
        )
    for district in base.districts:
        x, y = view.xy(district.centre)
        out.append(
            f'<text class="district-name" x="{x}" y="{y}" text-anchor="middle" font-size="15" fill="#333" opacity="0.75">{escape(district.label(lang))}</text>'
        )
    return "".join(out)


def _link(view: View, link: SimilarLink, assets: dict[str, AssetMark], lang: str) -> str:
    source, target = assets.get(link.source_id), assets.get(link.asset_id)
    if source is None or target is None:
        return ""
    (x1, y1), (x2, y2) = view.xy((source.lon, source.lat)), view.xy((target.lon, target.lat))
    tip = escape(
        f"{target.name}：{WORDS[lang]['similar']} {source.name}（{link.source_id}）；" + "；".join(link.reasons)
    )
    colour = fill(link.colour)
    return (
        f'<g class="similar" data-source="{escape(link.source_id, quote=True)}" data-asset="{escape(link.asset_id, quote=True)}"'
        f' data-incident="{escape(link.incident_id, quote=True)}"><title>{tip}</title>'
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<circle cx="{x2}" cy="{y2}" r="11" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="4 3"/></g>'
    )


def _asset(view: View, asset: AssetMark) -> str:
    x, y = view.xy((asset.lon, asset.lat))
    tip = escape(f"{asset.name}（{asset.asset_id}）")
    colour = fill(asset.colour)
    if asset.kind == "bridge":
        shape = f'<rect x="{x - 6}" y="{y - 6}" width="12" height="12" fill="{colour}" stroke="#222" stroke-width="1"/>'
    else:
        shape = f'<path d="M{x},{y - 7} L{x + 7},{y} L{x},{y + 7} L{x - 7},{y} Z" fill="{colour}" stroke="#222" stroke-width="1"/>'
    return f'<g class="asset" data-asset="{escape(asset.asset_id, quote=True)}" data-colour="{asset.colour.value}"><title>{tip}</title>{shape}</g>'


def _incident(view: View, mark: IncidentMark, focus: str, lang: str) -> str:
    x, y = view.xy((mark.lon, mark.lat))
    words = WORDS[lang]
    colour_name = (mark.colour.value if lang == "en" else mark.colour.zh) if mark.colour else words["none"]
    tip = escape(f"{mark.title}（{colour_name}，{mark.incident_id}）" + (words["approx"] if mark.approximate else ""))
    radius = 12 if mark.incident_id == focus else 9
    dash = ' stroke-dasharray="3 2"' if mark.approximate else ""
    halo = (
        f'<circle cx="{x}" cy="{y}" r="{radius + 6}" fill="none" stroke="{fill(mark.colour)}" stroke-width="3" opacity="0.6"/>'
        if mark.incident_id == focus
        else ""
    )
    colour = mark.colour.value if mark.colour else "none"
    return (
        f'<g class="incident" data-incident="{escape(mark.incident_id, quote=True)}" data-colour="{colour}" style="cursor:pointer">'
        f"<title>{tip}</title>{halo}"
        f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{fill(mark.colour)}" stroke="#111" stroke-width="2"{dash}/></g>'
    )


def _site(view: View, site_name: str, site_type: str, lon: float, lat: float) -> str:
    x, y = view.xy((lon, lat))
    return (
        f'<g class="site" data-type="{escape(site_type, quote=True)}"><title>{escape(site_name)}</title>'
        f'<path d="M{x},{y - 6} L{x + 6},{y + 5} L{x - 6},{y + 5} Z" fill="#5b3a8c" stroke="#fff" stroke-width="1"/></g>'
    )


def render_svg(
    data: MapData,
    base: BaseLayer,
    lang: str = "zh",
    width: int = 900,
    height: int = 620,
    focus: str = "",
    radius_deg: float = 0.0,
    tiles: str = "",
) -> str:
    """The map as one SVG element; ``focus`` centres it on an incident (within ``radius_deg``) and marks it."""
    lang = "en" if lang == "en" else "zh"
    bounds = base.bounds
    mark = data.incident(focus) if focus else None
    if mark is not None and radius_deg > 0:
        bounds = (
            mark.lon - radius_deg,
            mark.lat - radius_deg * 0.8,
            mark.lon + radius_deg,
            mark.lat + radius_deg * 0.8,
        )
    view = fit(bounds, width, height, whole_zoom=bool(tiles))
    assets = {a.asset_id: a for a in data.assets}
    layers = [
        f'<rect width="{width}" height="{height}" fill="#eef2f5"/>',
        _tiles(view, tiles) if tiles else "",
        _base(view, base, data.shading, lang, bool(tiles)),
        "".join(_link(view, link, assets, lang) for link in data.links),
        "".join(_asset(view, asset) for asset in data.assets),
        "".join(_site(view, s.name, s.site_type, s.lon, s.lat) for s in data.sites),
        "".join(
            _incident(view, m, focus, lang)
            for m in sorted(data.incidents, key=lambda m: -(m.colour.rank if m.colour else 9))
        ),
    ]
    label = escape(base.title or "risk map", quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%"'
        f' preserveAspectRatio="xMidYMid meet" role="img" aria-label="{label}" class="risk-map">'
        + "".join(layers)
        + "</svg>"
    )
