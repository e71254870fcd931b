"""The offline drafter's stage templates (prompts/offline/stages.yaml), typed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template

import yaml

from assistant.domain import Loop, Stage
from assistant.settings import PROJECT_ROOT

SPEC_PATH = PROJECT_ROOT / "prompts" / "offline" / "stages.yaml"


@dataclass(frozen=True)
class StageSpec:
    stage: Stage
    queries: dict[str, tuple[str, ...]]
    keywords: tuple[str, ...]
    loop: Loop
    summary: dict[str, str]
    summary_warning: dict[str, str] | None = None  # a warning signal has no alarm count or sensor trend
    summary_warning_plain: dict[str, str] | None = None  # …nor, often, a figure


@dataclass(frozen=True)
class DrafterSpec:
    version: str
    cue_words: dict[str, tuple[str, ...]]
    stages: dict[Stage, StageSpec]
    level_actions: dict[str, dict[str, str]]
    below_label: dict[str, str]
    no_clause: dict[str, str]
    source_text: str  # the whole file: the grounding check accepts its policy numbers

    def fill(self, template: str, **values: object) -> str:
        return Template(template).safe_substitute({k: str(v) for k, v in values.items()})


@lru_cache(maxsize=4)
def load_spec(path: Path = SPEC_PATH) -> DrafterSpec:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    stages = {
        Stage(name): StageSpec(
            stage=Stage(name),
            queries={lang: tuple(q) for lang, q in body["queries"].items()},
            keywords=tuple(body["keywords"]),
            loop=Loop(body["loop"]),
            summary=body["summary"],
            summary_warning=body.get("summary_warning"),
            summary_warning_plain=body.get("summary_warning_plain"),
        )
        for name, body in data["stages"].items()
    }
    return DrafterSpec(
        version=str(data["version"]),
        cue_words={lang: tuple(words) for lang, words in data["cue_words"].items()},
        stages=stages,
        level_actions=data["level_actions"],
        below_label=data["below_label"],
        no_clause=data["no_clause"],
        source_text=text,
    )
