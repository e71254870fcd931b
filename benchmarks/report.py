"""What a benchmark returns, and how results are written (JSON for machines, Markdown for people)."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Check:
    """A target: ``value`` must be >= ``target`` (or <= when ``at_most``)."""

    label: str
    value: float
    target: float
    at_most: bool = False

    @property
    def passed(self) -> bool:
        return self.value <= self.target if self.at_most else self.value >= self.target


@dataclass
class BenchResult:
    name: str
    title: str
    rows: list[dict[str, Any]]
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)  # (title, rows) after the main one

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def markdown(self) -> str:
        lines = [f"## {self.title}", "", *_table(self.rows)]
        for title, rows in self.tables:
            lines += [f"### {title}", "", *_table(rows)]
        for check in self.checks:
            sign = "≤" if check.at_most else "≥"
            verdict = "PASS" if check.passed else "FAIL"
            lines.append(f"- **{verdict}** {check.label}: {check.value:.3g} (target {sign} {check.target:g})")
        lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"


def _table(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    headers = list(rows[0])
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return [*lines, *("| " + " | ".join(_cell(row.get(h)) for h in headers) + " |" for row in rows), ""]


def _cell(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def environment() -> dict[str, Any]:
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def write(result: BenchResult, folder: Path) -> tuple[Path, Path]:
    """Write ``<name>.json`` and ``<name>.md`` (the latest run replaces the previous one)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = environment()
    data = {**asdict(result), "passed": result.passed, "environment": env}
    for check, row in zip(result.checks, data["checks"], strict=True):
        row["passed"] = check.passed
    json_path, md_path = folder / f"{result.name}.json", folder / f"{result.name}.md"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    footer = f"\n_{env['when']} · Python {env['python']} · {env['cpus']} CPUs · load {env['load_average']:.2f}_\n"
    md_path.write_text(result.markdown() + footer, encoding="utf-8")
    return json_path, md_path
