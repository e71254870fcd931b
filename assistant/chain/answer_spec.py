"""The offline answer's templates (prompts/offline/answers.yaml), typed; prose stays in the file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template

import yaml

from assistant.settings import PROJECT_ROOT

ANSWERS_PATH = PROJECT_ROOT / "prompts" / "offline" / "answers.yaml"


@dataclass(frozen=True)
class AnswerSpec:
    version: str
    lead: dict[str, dict[str, str]]
    support: dict[str, dict[str, str]]
    incident: dict[str, dict[str, str]]
    not_covered: dict[str, dict[str, str]]
    missing_kinds: dict[str, dict[str, str]]

    @staticmethod
    def fill(template: str, **values: object) -> str:
        return Template(template).safe_substitute({k: str(v) for k, v in values.items()})

    def text(self, section: str, lang: str, key: str, **values: object) -> str:
        """One template of ``section`` in ``lang`` ("zh" is the fallback), filled."""
        table: dict[str, dict[str, str]] = getattr(self, section)
        templates = table.get(lang) or table["zh"]
        return self.fill(templates[key], **values)


@lru_cache(maxsize=2)
def load_answer_spec(path: Path = ANSWERS_PATH) -> AnswerSpec:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return AnswerSpec(
        version=str(data["version"]),
        lead=data["lead"],
        support=data["support"],
        incident=data["incident"],
        not_covered=data["not_covered"],
        missing_kinds=data["missing_kinds"],
    )
