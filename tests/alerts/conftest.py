"""Fixtures for the alert tests: project-written files and a fresh store per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.alerts.assets import AssetRegistry, load_assets
from assistant.alerts.store import AlertStore

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def registry() -> AssetRegistry:
    return load_assets(FIXTURES / "assets.yaml")


@pytest.fixture
def store(tmp_path: Path, registry: AssetRegistry) -> Iterator[AlertStore]:
    with AlertStore(tmp_path / "alerts.db", group_window_min=120, assets=registry, near_km=1.0) as opened:
        yield opened
