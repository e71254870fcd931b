"""The reporting rules file (knowledge/data/reporting_rules.yaml): which clause sets a report's deadline.

Each rule quotes a clause of the library and says for which hazards and under which conditions it
applies; the deadline itself is read from the quoted phrase (:mod:`assistant.reports.limits`).
The file is data a reviewer checks against the documents it cites, so a malformed entry is refused
with the entry and field named rather than skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.domain import HAZARD_NAMES, Level
from assistant.errors import AssistantError, DocumentError
from assistant.reports.limits import Limit, read_limit
from assistant.settings import PROJECT_ROOT

RULES_FILE = PROJECT_ROOT / "knowledge" / "data" / "reporting_rules.yaml"
ALL_HAZARDS = "all"
CONDITIONS = ("casualties", "occurred", "level_at_least", "level_in", "deaths_at_least", "confirm")


@dataclass(frozen=True)
class When:
    """The conditions of one rule; every one given must hold (an empty When always holds)."""

    casualties: bool = False
    occurred: bool = False
    level_at_least: Level | None = None
    level_in: tuple[Level, ...] = ()
    deaths_at_least: int | None = None
    confirm: str = ""


@dataclass(frozen=True)
class ReportingRule:
    rule_id: str
    doc: str  # the document's front-matter id or file name
    section: str  # words of the clause's heading
    phrase: str  # words of the clause, exactly
    hazards: tuple[str, ...]
    when: When = field(default_factory=When)

    @property
    def limit(self) -> Limit:
        return read_limit(self.phrase)

    def covers(self, hazard: str | None) -> bool:
        return ALL_HAZARDS in self.hazards or (hazard is not None and hazard in self.hazards)


def _level(value: Any, where: str, path: Path) -> Level:
    try:
        return Level(str(value))
    except ValueError:
        raise DocumentError(str(path), f"{where}: 级别应为 I/II/III/IV / level must be I, II, III or IV") from None


def _when(data: Any, where: str, path: Path) -> When:
    if not isinstance(data, dict):
        raise DocumentError(str(path), f"{where}.when 应为映射 / when must be a mapping")
    unknown = sorted(set(data) - set(CONDITIONS))
    if unknown:
        raise DocumentError(
            str(path), f"{where}.when: 未知条件 / unknown conditions {unknown} ({', '.join(CONDITIONS)})"
        )
    levels = data.get("level_in") or []
    if not isinstance(levels, list):
        raise DocumentError(str(path), f"{where}.when.level_in 应为列表 / level_in must be a list")
    deaths = data.get("deaths_at_least")
    if deaths is not None and (isinstance(deaths, bool) or not isinstance(deaths, int) or deaths < 1):
        raise DocumentError(str(path), f"{where}.when.deaths_at_least 应为正整数 / must be a positive integer")
    return When(
        casualties=bool(data.get("casualties")),
        occurred=bool(data.get("occurred")),
        level_at_least=_level(data["level_at_least"], where, path) if data.get("level_at_least") else None,
        level_in=tuple(_level(v, where, path) for v in levels),
        deaths_at_least=deaths,
        confirm=str(data.get("confirm") or ""),
    )


def _rule(entry: Any, number: int, path: Path) -> ReportingRule:
    where = f"rules[{number}]"
    if not isinstance(entry, dict):
        raise DocumentError(str(path), f"{where} 应为映射 / must be a mapping")
    for name in ("id", "doc", "section", "phrase"):
        if not str(entry.get(name) or "").strip():
            raise DocumentError(str(path), f"{where}: 缺少 {name} / {name} is missing")
    hazards = entry.get("hazards")
    if not isinstance(hazards, list) or not hazards:
        raise DocumentError(str(path), f"{where}: hazards 应为非空列表 / hazards must be a non-empty list")
    unknown = [h for h in hazards if h != ALL_HAZARDS and h not in HAZARD_NAMES]
    if unknown:
        raise DocumentError(str(path), f"{where}: 未知灾种 / hazards not in the vocabulary: {unknown}")
    rule = ReportingRule(
        rule_id=str(entry["id"]),
        doc=str(entry["doc"]),
        section=str(entry["section"]),
        phrase=str(entry["phrase"]),
        hazards=tuple(str(h) for h in hazards),
        when=_when(entry.get("when") or {}, where, path),
    )
    try:
        rule.limit  # noqa: B018 - the phrase must state a limit
    except AssistantError as err:
        raise DocumentError(str(path), f"{where} ({rule.rule_id}): {err}") from None
    return rule


def load_rules(path: Path = RULES_FILE) -> tuple[ReportingRule, ...]:
    """Every rule of the file in order; a missing file means no rules (no deadline is ever invented)."""
    if not path.exists():
        return ()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise DocumentError(str(path), f"无法读取报送规则 / cannot read the reporting rules: {err}") from None
    entries = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise DocumentError(str(path), "需要 rules 列表 / the file needs a list under `rules`")
    rules = tuple(_rule(entry, number, path) for number, entry in enumerate(entries, start=1))
    ids = [r.rule_id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DocumentError(str(path), f"重复的规则 id / duplicate rule ids: {', '.join(duplicates)}")
    return rules
