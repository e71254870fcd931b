"""The words of a level proposal and of each condition's verdict, from ``prompts/offline/levels.yaml``.

Shared by the criteria judge (why a condition is met or not) and the proposal (basis, triggers), so
both speak the alert's language and the wording is reviewed as a file, not edited in code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

import yaml

from assistant.settings import PROJECT_ROOT

TEMPLATES_PATH = PROJECT_ROOT / "prompts" / "offline" / "levels.yaml"


@lru_cache(maxsize=2)
def templates(path: Path = TEMPLATES_PATH) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def wording(lang: str, key: str, **values: object) -> str:
    """The template ``key`` in ``lang`` ("zh" or "en") with its slots filled."""
    return Template(templates()[lang][key]).safe_substitute({k: str(v) for k, v in values.items()})


def metric_label(lang: str, metric: str) -> str:
    """What a grading metric counts, in the officer's words ("死亡和失踪人数" / "deaths and missing")."""
    return str(templates()["metrics"][lang].get(metric, metric))


def trigger_label(lang: str, metric: str) -> str:
    """What starts a grade on its own ("死亡或失踪" / "death or missing person"), else the metric's label."""
    return str(templates()["trigger_labels"][lang].get(metric) or metric_label(lang, metric))
