"""A three-document copy of the shipped library (gas plan, gas regulation, a gas case).

Tests that run the whole stack use it with lexical retrieval, so no embedding is awaited.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT

DOCUMENTS = (
    "plans/plan-city-gas-emergency.md",
    "plans/reg-city-gas-583.md",
    "cases/case-shiyan-613-gas-explosion-2021.md",
)


def copy_small_library(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in DOCUMENTS:
        shutil.copy(PROJECT_ROOT / "knowledge" / name, folder / Path(name).name)
    return folder


def use_small_install(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point settings at a fresh data dir and the small library; returns the library folder."""
    library = copy_small_library(root / "library")
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("ASSISTANT__KNOWLEDGE__SHIPPED_DIRS", f"[{library}]")
    monkeypatch.setenv("ASSISTANT__RETRIEVAL__MODE", "lexical")
    return library
