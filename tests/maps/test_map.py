"""The five-colour map: base layer, layers from real alerts and the registry, and the SVG drawn from them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.alerts.assets import load_assets
from assistant.alerts.intake import parse_file, parse_payload
from assistant.alerts.store import AlertStore
from assistant.domain import Colour
from assistant.errors import DocumentError
from assistant.maps.basemap import load_base_layer
from assistant.maps.layers import build_map
from assistant.maps.svg import FILL, render_svg
from assistant.settings import PROJECT_ROOT

BASE = PROJECT_ROOT / "knowledge" / "data" / "sample_city_districts.geojson"
REGISTRY = PROJECT_ROOT / "knowledge" / "data" / "assets_sample.yaml"
GAS_ALARM = PROJECT_ROOT / "examples" / "alerts" / "gas_alarm.json"  # GP-001, yellow, 老城区
BRIDGE = PROJECT_ROOT / "evals" / "alerts" / "report_bridge_displacement.json"  # BR-001, orange, 滨江区
CAP_NO_POINT = PROJECT_ROOT / "evals" / "alerts" / "cap_gas_leak_severe_zh.xml"  # 滨江区, no coordinates


def test_every_asset_of_the_sample_registry_lies_in_its_district() -> None:
    base, registry = load_base_layer(BASE), load_assets(REGISTRY)
    assert {d.name for d in base.districts} == {"老城区", "滨江区", "北湖区", "新港区"}
    places = [(a.asset_id, a.district, a.lon, a.lat) for a in registry.assets.values()]
    places += [(s.site_id, s.district, s.lon, s.lat) for s in registry.sites]
    wrong = [(i, d) for i, d, lon, lat in places if (base.district_at(lon, lat) or base.districts[0]).name != d]
    assert wrong == []


def _store(tmp_path: Path, *files: Path) -> AlertStore:
    store = AlertStore(tmp_path / "alerts.db")
    for file in files:
        store.ingest(parse_file(file).alerts[0])
    return store


def _asset_of(store: AlertStore):  # type: ignore[no-untyped-def]
    def asset(entry):  # type: ignore[no-untyped-def]
        sensor = store.alert(entry.incident.latest_alert_id).sensor
        return sensor.asset_id if sensor else None

    return asset


def test_incidents_assets_sites_and_similar_asset_warnings(tmp_path: Path) -> None:
    store = _store(tmp_path, GAS_ALARM, BRIDGE, CAP_NO_POINT)
    base, registry = load_base_layer(BASE), load_assets(REGISTRY)
    data = build_map(store.board(), base, registry, _asset_of(store))
    colours = {m.asset_id or m.title: m.colour for m in data.incidents}
    assert colours["GP-001"] is Colour.YELLOW and colours["BR-001"] is Colour.ORANGE
    approximate = [m for m in data.incidents if m.approximate]
    assert len(approximate) == 1 and (approximate[0].lon, approximate[0].lat) == base.district("滨江区").centre  # type: ignore[union-attr]
    assets = {a.asset_id: a for a in data.assets}
    assert assets["GP-001"].colour is Colour.YELLOW and assets["BR-001"].colour is Colour.ORANGE
    assert assets["BR-005"].colour is Colour.GREEN  # no incident on it: low risk
    linked = {(link.source_id, link.asset_id) for link in data.links}
    assert ("BR-001", "BR-002") in linked and ("GP-001", "GP-002") in linked
    assert all(link.reasons for link in data.links)
    assert data.shading["老城区"] is Colour.YELLOW and data.shading["滨江区"] is Colour.ORANGE
    assert data.shading["北湖区"] is Colour.GREEN
    assert len(data.sites) == len(registry.sites)
    store.close()


def test_an_incident_outside_the_map_is_counted_not_drawn(tmp_path: Path) -> None:
    store = _store(tmp_path, PROJECT_ROOT / "evals" / "alerts" / "cap_rainstorm_red_beijing_zh.xml")
    data = build_map(store.board(), load_base_layer(BASE), None, _asset_of(store))
    assert data.incidents == () and len(data.unplaced) == 1
    store.close()


def test_the_svg_colours_incidents_links_and_escapes_names(tmp_path: Path) -> None:
    payload = json.loads(GAS_ALARM.read_text(encoding="utf-8"))
    payload["name"] = '<script>alert("x")</script> 地下室'
    store = AlertStore(tmp_path / "alerts.db")
    store.ingest(parse_payload(json.dumps(payload, ensure_ascii=False), "test", suffix=".json").alerts[0])
    data = build_map(store.board(), load_base_layer(BASE), load_assets(REGISTRY), _asset_of(store))
    incident = data.incidents[0].incident_id
    svg = render_svg(data, load_base_layer(BASE), "zh", focus=incident)
    assert svg.startswith("<svg") and "<script" not in svg and "&lt;script&gt;" in svg
    assert f'data-incident="{incident}" data-colour="yellow"' in svg and FILL[Colour.YELLOW] in svg
    assert svg.count('class="similar"') == len(data.links) >= 2
    assert "老城区" in svg and 'class="river"' in svg
    english = render_svg(data, load_base_layer(BASE), "en")
    assert "Old Town District" in english and "<image" not in english  # offline: no tiles
    tiled = render_svg(data, load_base_layer(BASE), "zh", tiles="http://tiles.test/{z}/{x}/{y}.png")
    assert '<image href="http://tiles.test/' in tiled
    store.close()


def test_a_malformed_base_layer_is_refused_with_the_feature_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}))
    with pytest.raises(DocumentError, match=r"features\[1\].*name"):
        load_base_layer(path)
