"""Aggregates, threshold verdicts and baseline regressions of a run, and the report files.

The JSON report is the artifact CI keeps and the baseline of the next run, so everything
a later diff needs (per-case scores with reasons) is in it.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import AssistantError
from assistant.evaluation.goldens import Golden
from assistant.evaluation.report_html import html_report
from assistant.evaluation.report_text import markdown
from assistant.evaluation.runner import CaseResult

# An aggregate counts as regressed when it falls by more than this against the baseline;
# latency is left to the thresholds (it varies with machine load, not with the code).
REGRESSION_TOLERANCE = 0.02
HAZARD_METRICS = ("key_points", "citations", "grounded", "level")


class ThresholdsError(AssistantError):
    """A thresholds file that is not the documented shape."""


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in [0, 1]) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def aggregate(results: Sequence[CaseResult]) -> dict[str, float]:
    """Mean of each metric per suite ("draft.key_points"), latency p50/p95 per suite, count of crashed cases."""
    values: dict[str, list[float]] = defaultdict(list)
    latency: dict[str, list[float]] = defaultdict(list)
    for result in results:
        if result.error:
            continue
        latency[result.suite].append(result.latency_s)
        for score in result.scores:
            values[f"{result.suite}.{score.name}"].append(score.value)
    summary = {key: statistics.fmean(v) for key, v in values.items()}
    summary["errors"] = float(sum(1 for r in results if r.error))
    for suite, seconds in latency.items():
        summary[f"{suite}.latency_p50_s"] = statistics.median(seconds)
        summary[f"{suite}.latency_p95_s"] = percentile(seconds, 0.95)
    return summary


def by_hazard(results: Sequence[CaseResult]) -> dict[str, dict[str, float]]:
    """Draft metrics per expected hazard, for the chart: where is the assistant weakest?"""
    groups: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for result in results:
        if result.task != "draft":
            continue
        for metric in HAZARD_METRICS:
            value = result.value(metric)
            if value is not None:
                groups[result.hazard][metric].append(value)
    return {h: {m: statistics.fmean(v) for m, v in metrics.items()} for h, metrics in sorted(groups.items())}


def load_thresholds(path: Path) -> dict[str, Any]:
    """The versioned thresholds file: ``version``, ``min``/``max`` per aggregate, optional ``case`` and ``similarity``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ThresholdsError(f"无法读取阈值文件 / cannot read thresholds {path}: {err}") from err
    if not isinstance(data, dict) or "version" not in data:
        raise ThresholdsError(f"{path}: 需要 version 字段 / a thresholds file needs a version field")
    for section in ("min", "max", "case", "similarity"):
        entries = data.get(section) or {}
        if not isinstance(entries, dict) or not all(isinstance(v, int | float) for v in entries.values()):
            raise ThresholdsError(f"{path}: {section} 应为 指标: 数值 / {section} must map metric names to numbers")
        data[section] = entries
    return data


def failures(summary: dict[str, float], thresholds: dict[str, Any]) -> list[dict[str, Any]]:
    """Aggregates that miss their threshold: ``min`` values must be reached, ``max`` values not exceeded."""
    found = []
    for op, section in ((">=", "min"), ("<=", "max")):
        for metric, limit in thresholds.get(section, {}).items():
            value = summary.get(metric)
            if value is not None and (value < limit if op == ">=" else value > limit):
                found.append({"metric": metric, "value": value, "op": op, "threshold": limit})
    return found


def unmeasured(summary: dict[str, float], thresholds: dict[str, Any]) -> list[str]:
    """Thresholds with nothing to judge in this run (a suite skipped, or a misspelt metric)."""
    return [m for s in ("min", "max") for m in thresholds.get(s, {}) if m not in summary]


def regressions(report: dict[str, Any], baseline: dict[str, Any]) -> list[dict[str, Any]]:
    """Aggregates that fell by more than the tolerance, and per case every metric that fell or a new crash."""
    found = []
    for metric, old in baseline.get("summary", {}).items():
        new = report["summary"].get(metric)
        if new is None or "latency" in metric:
            continue
        worse = new > old if metric == "errors" else new < old - REGRESSION_TOLERANCE
        if worse:
            found.append({"case": "", "metric": metric, "old": old, "new": new, "reason": ""})
    old_cases = {c["golden_id"]: c for c in baseline.get("cases", [])}
    for case in report["cases"]:
        before = old_cases.get(case["golden_id"])
        if not before:
            continue
        if case["error"] and not before["error"]:
            found.append({"case": case["golden_id"], "metric": "error", "old": 0, "new": 1, "reason": case["error"]})
        old_scores = {s["name"]: s["value"] for s in before["scores"]}
        for score in case["scores"]:
            old = old_scores.get(score["name"])
            if old is not None and score["value"] < old - 1e-9:
                found.append(
                    {
                        "case": case["golden_id"],
                        "metric": score["name"],
                        "old": old,
                        "new": score["value"],
                        "reason": score["reason"],
                    }
                )
    return found


def format_failure(failure: dict[str, Any]) -> str:
    shown = "<" if failure["op"] == ">=" else ">"
    return f"{failure['metric']} = {failure['value']:.3f} {shown} {failure['threshold']}"


def format_regression(item: dict[str, Any]) -> str:
    if not item["case"]:
        return f"{item['metric']}: {item['old']:.3f} → {item['new']:.3f}"
    return f"  {item['case']} {item['metric']}: {item['old']:.2f} → {item['new']:.2f} ({item['reason'][:100]})"


def gate_counts(gated: Sequence[Golden], known: Sequence[Golden]) -> dict[str, float]:
    """Per task, how many cases the gate runs and how many are known failures kept outside it (watched)."""
    counts: dict[str, float] = {}
    for golden in gated:
        counts[f"{golden.task}.gated"] = counts.get(f"{golden.task}.gated", 0) + 1
    for golden in known:
        counts[f"{golden.task}.known_failures"] = counts.get(f"{golden.task}.known_failures", 0) + 1
    return counts


def level_changes(goldens: Sequence[Golden]) -> list[dict[str, Any]]:
    """Every case whose expected level changed from the old colour definition, with the reason."""
    return [
        {"case": g.id, "was": g.level_change["was"], "now": g.expect.get("level"), "why": g.level_change["why"]}
        for g in goldens
        if g.level_change
    ]


def build_report(
    results: Sequence[CaseResult],
    thresholds: dict[str, Any],
    baseline: dict[str, Any] | None,
    meta: dict[str, Any] | None = None,
    goldens: Sequence[Golden] = (),
    known: Sequence[Golden] = (),
) -> dict[str, Any]:
    summary = {**aggregate(results), **gate_counts(goldens, known)}
    report: dict[str, Any] = {
        "meta": {**(meta or {}), "thresholds_version": thresholds.get("version")},
        "summary": summary,
        "thresholds": {"min": thresholds.get("min", {}), "max": thresholds.get("max", {})},
        "failures": failures(summary, thresholds),
        "unmeasured": unmeasured(summary, thresholds),
        "by_hazard": by_hazard(results),
        "cases": [{**{k: v for k, v in asdict(r).items() if k != "scored_text"}, "passed": r.passed} for r in results],
        "known_failures": [{"case": g.id, "task": g.task, "note": g.note} for g in known],
        "level_changes": level_changes([*goldens, *known]),
    }
    report["regressions"] = regressions(report, baseline) if baseline else []
    return report


def write_reports(report: dict[str, Any], folder: Path) -> list[Path]:
    """report.json (the artifact and next baseline), report.md and the self-contained report.html."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "report.json", folder / "report.md", folder / "report.html"]
    paths[0].write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    paths[1].write_text(markdown(report), encoding="utf-8")
    paths[2].write_text(html_report(report), encoding="utf-8")
    return paths
