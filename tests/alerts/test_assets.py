"""The asset registry: loading, distances to sensitive sites, similar assets."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.alerts.assets import AssetRegistry, haversine_km, load_assets
from assistant.errors import DocumentError


def test_loads_the_documented_schema(registry: AssetRegistry) -> None:
    assert registry.sample_data
    bridge = registry.asset("TB-1")
    assert bridge is not None and bridge.kind == "bridge" and bridge.attrs["structure_type"] == "独柱墩匝道桥"
    pipe = registry.asset("TP-3")
    assert pipe is not None and pipe.kind == "gas_pipe" and pipe.attrs["diameter_mm"] == 400
    assert [s.site_type for s in registry.sites] == ["school", "hospital"]


def test_distances(registry: AssetRegistry) -> None:
    # one degree of latitude is about 111.2 km
    assert haversine_km(31.0, 121.0, 32.0, 121.0) == pytest.approx(111.2, rel=1e-3)
    site, km = registry.nearest_site(31.2316, 121.4806) or (None, None)
    assert site is not None and site.name == "测试小学" and km is not None and km < 0.1
    assert [s.site_id for s, _ in registry.sites_within(31.2316, 121.4806, 1.0)] == ["TS-1"]
    assert registry.sites_within(31.2316, 121.4806, 0.01) == []


def test_similar_bridges_and_pipes(registry: AssetRegistry) -> None:
    bridges = registry.similar_assets("TB-1")
    assert [s.asset.asset_id for s in bridges] == ["TB-2", "TB-3"]  # the arch bridge is not similar
    best = bridges[0]
    assert best.score == 4  # structure, age, load rating, shared maintenance (支座更换)
    assert any("支座更换" in r for r in best.reasons)
    assert bridges[1].score == 1  # same structure type only
    pipes = registry.similar_assets("TP-1")
    assert [s.asset.asset_id for s in pipes] == ["TP-2"]
    assert pipes[0].score == 4  # material, age, pressure class, diameter within 25 %
    assert registry.similar_assets("nope") == []


def test_shipped_sample_registry_loads() -> None:
    path = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "assets_sample.yaml"
    if not path.exists():
        pytest.skip("the sample registry is not in this checkout")
    registry = load_assets(path)
    assert registry.sample_data and registry.sites and registry.assets


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("bridges: {id: x}", "bridges must be a list"),
        ("bridges: [{id: B, name: b, lat: north, lon: 1}]", "lat must be a number, got 'north'"),
        ("sensitive_sites: [{id: S, name: s, type: zoo, lat: 1, lon: 1}]", "type 'zoo'"),
        ("gas_pipes: [{id: P, lat: 1, lon: 1}]", "name is missing"),
        (
            "bridges: [{id: D, name: a, lat: 1, lon: 1}]\ngas_pipes: [{id: D, name: b, lat: 1, lon: 1}]",
            "duplicate ids: D",
        ),
        ("- just a list", "top level must be a mapping"),
    ],
)
def test_bad_registry_entries_are_named(tmp_path: Path, text: str, phrase: str) -> None:
    path = tmp_path / "assets.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        load_assets(path)
    assert phrase in caught.value.problem and caught.value.path == str(path)
