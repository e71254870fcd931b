"""Shared fixtures. Tests use real files and real stores in temporary directories."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ["ASSISTANT_RAISE_ERRORS"] = "1"

if TYPE_CHECKING:
    from assistant.services import Services

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"


@pytest.fixture
def realdata() -> Path:
    """The shared real-data folder; tests that need it skip on a user's fresh clone."""
    if not REALDATA.is_dir():
        pytest.skip(f"../shared/realdata is absent ({REALDATA}); real-document tests are skipped")
    return REALDATA


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """Services over the whole shipped library (offline drafter; vectors from the shipped seed cache).

    Built once per run: judgement, cards and the evaluation are tested against the real plans they cite.
    """
    from assistant.services import build_services, ensure_shipped_knowledge
    from assistant.settings import load_settings

    settings = load_settings(env={"ASSISTANT_DATA_DIR": str(tmp_path_factory.mktemp("shipped-data"))})
    built = build_services(settings)
    ensure_shipped_knowledge(built, background=False)
    yield built
    built.close()
