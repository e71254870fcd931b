"""五色图 / risk map: a tab with the whole city, and a small map of the surroundings in the incident workspace.

The SVG is drawn on the server (:mod:`assistant.maps.svg`) from the open incidents, the asset registry
and the configured base layer, so the map works with no network. A click on an incident marker opens
that incident in the workspace. The tab redraws on a timer only when what it shows has changed.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.alerts.board import BoardEntry
from assistant.domain import Colour
from assistant.errors import AssistantError
from assistant.maps.basemap import BaseLayer, load_base_layer
from assistant.maps.layers import MapData, build_map
from assistant.maps.svg import render_svg
from assistant.services import Services
from assistant.settings import PROJECT_ROOT
from assistant.ui.i18n import text
from assistant.ui.session import Workspace

REFRESH_S = 5.0
SURROUNDINGS_DEG = 0.012  # about 1.3 km around the incident in the workspace's small map
CLICK_JS = (
    "element.addEventListener('click', (e) => {"
    " const t = e.target.closest('[data-incident]');"
    " if (t) { trigger('click', {incident: t.dataset.incident}); } });"
)
LEGEND = {
    "zh": {
        "incident": "事件（按预警颜色）",
        "bridge": "桥梁",
        "pipe": "燃气管段",
        "site": "敏感目标",
        "similar": "同类资产共性风险（虚线连至源资产）",
        "approx": "虚线圈：位置按区域估计",
        "unplaced": "另有 {n} 起事件不在底图范围内",
        "empty": "底图不可用：{why}",
    },
    "en": {
        "incident": "incident (warning colour)",
        "bridge": "bridge",
        "pipe": "gas-pipe section",
        "site": "sensitive site",
        "similar": "similar-asset warning (dashed to its source asset)",
        "approx": "dashed circle: placed at its district",
        "unplaced": "{n} more incidents are outside the base map",
        "empty": "No base map: {why}",
    },
}
COLOUR_WORDS = {
    "zh": {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝", "green": "绿（低风险）"},
    "en": {"red": "red", "orange": "orange", "yellow": "yellow", "blue": "blue", "green": "green (low risk)"},
}
_BASES: dict[str, tuple[float, BaseLayer]] = {}


def base_layer(services: Services) -> BaseLayer:
    """The configured base layer, re-read when its file changes."""
    configured = Path(services.settings.ui.map_base_layer)
    path = configured if configured.is_absolute() else PROJECT_ROOT / configured
    mtime = path.stat().st_mtime if path.exists() else -1.0
    cached = _BASES.get(str(path))
    if cached is None or cached[0] != mtime:
        _BASES[str(path)] = (mtime, load_base_layer(path))
    return _BASES[str(path)][1]


def map_data(services: Services, base: BaseLayer) -> MapData:
    """Open incidents (as on the board), the registry and its similar-asset warnings."""

    def asset_of(entry: BoardEntry) -> str | None:
        sensor = services.alerts.alert(entry.incident.latest_alert_id).sensor
        return sensor.asset_id if sensor else None

    return build_map(services.alerts.board(limit=300), base, services.assets, asset_of)


def legend_html(lang: str, data: MapData | None = None) -> str:
    key = "en" if lang == "en" else "zh"
    words = LEGEND[key]
    chips = "".join(f'<span class="chip chip-{c.value}">{escape(COLOUR_WORDS[key][c.value])}</span>' for c in Colour)
    symbols = (
        f'<span class="sym" style="margin:0 8px">● {words["incident"]}</span><span class="sym" style="margin:0 8px">■ {words["bridge"]}</span>'
        f'<span class="sym" style="margin:0 8px">◆ {words["pipe"]}</span><span class="sym" style="margin:0 8px;color:#5b3a8c">▲ {words["site"]}</span>'
        f'<span class="sym" style="margin:0 8px">┄ {words["similar"]}</span><span class="sym" style="margin:0 8px">◌ {words["approx"]}</span>'
    )
    extra = ""
    if data is not None and data.unplaced:
        extra = f'<div class="map-unplaced">{escape(words["unplaced"].format(n=len(data.unplaced)))}</div>'
    return f'<div class="map-legend">{chips}{symbols}</div>{extra}'


def map_html(services: Services, lang: str, focus: str = "", small: bool = False) -> str:
    """The whole map (or the surroundings of ``focus``) with its legend; a readable note if the base layer fails."""
    try:
        base = base_layer(services)
    except AssistantError as err:
        return f'<p class="map-error">{escape(LEGEND["en" if lang == "en" else "zh"]["empty"].format(why=err))}</p>'
    data = map_data(services, base)
    if small and not data.incident(focus):
        return ""
    svg = render_svg(
        data,
        base,
        lang,
        width=640 if small else 960,
        height=420 if small else 660,
        focus=focus,
        radius_deg=SURROUNDINGS_DEG if small else 0.0,
        tiles=services.settings.ui.map_tiles,
    )
    return f'<div class="map{" map-small" if small else ""}">{svg}</div>{legend_html(lang, None if small else data)}'


def _open(ws: Workspace, html: gr.HTML) -> None:
    def open_incident(evt: gr.EventData) -> tuple[Any, Any]:
        incident_id = str(getattr(evt, "incident", "") or "")
        if not incident_id:
            return gr.skip(), gr.skip()
        return incident_id, gr.Tabs(selected="incident")

    html.click(open_incident, None, [ws.incident, ws.tabs], api_visibility="private", show_progress="hidden")


def build_map_tab(ws: Workspace) -> None:
    services, loc = ws.services, ws.localiser
    lang0 = services.settings.ui.language
    loc.value(gr.Markdown(text("map_hint", lang0)), "map_hint")
    first = map_html(services, lang0)
    html = gr.HTML(first, elem_id="risk-map", js_on_load=CLICK_JS)
    shown = gr.State(first)
    refresh = loc.value(gr.Button(text("map_refresh", lang0), size="sm", elem_id="map-refresh"), "map_refresh")

    def redraw(lang: str, last: str) -> tuple[Any, Any]:
        drawn = map_html(services, lang)
        return (gr.skip(), gr.skip()) if drawn == last else (drawn, drawn)

    gr.Timer(REFRESH_S).tick(redraw, [ws.lang, shown], [html, shown], show_progress="hidden", api_visibility="private")
    for trigger in (refresh.click, ws.lang.change, ws.changed.change):
        trigger(
            lambda lang: (map_html(services, lang),) * 2,
            ws.lang,
            [html, shown],
            show_progress="hidden",
            api_visibility="private",
        )
    _open(ws, html)


def build_incident_map(ws: Workspace) -> None:
    """The small map of the selected incident's surroundings (hidden when the incident has no place on the map)."""
    services, loc = ws.services, ws.localiser
    lang0 = services.settings.ui.language
    with loc.label(gr.Accordion(text("map_small", lang0), open=True), "map_small"):
        html = gr.HTML(elem_id="incident-map", js_on_load=CLICK_JS)
    for trigger in (ws.incident.change, ws.changed.change, ws.lang.change):
        trigger(
            lambda incident, lang: map_html(services, lang, focus=incident, small=True) if incident else "",
            [ws.incident, ws.lang],
            html,
            show_progress="hidden",
            api_visibility="private",
        )
    _open(ws, html)
