"""Aggregates, thresholds, baseline regressions and the three report files (JSON, Markdown, HTML)."""

from __future__ import annotations

import html
import json
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from assistant.evaluation.runner import CaseResult

REGRESSION_TOLERANCE = 0.02


def aggregate(results: Sequence[CaseResult]) -> dict[str, float]:
    """Mean of each metric per task ("draft.key_points"), latency p50/p95 per task, error count."""
    values: dict[str, list[float]] = defaultdict(list)
    latency: dict[str, list[float]] = defaultdict(list)
    for result in results:
        latency[result.task].append(result.latency_s)
        if result.error:
            values[f"{result.task}.errors"].append(1.0)
        for score in result.scores:
            values[f"{result.task}.{score.name}"].append(score.value)
    summary = {key: statistics.fmean(v) for key, v in values.items() if not key.endswith(".errors")}
    summary["errors"] = float(sum(len(v) for k, v in values.items() if k.endswith(".errors")))
    for task, seconds in latency.items():
        ordered = sorted(seconds)
        summary[f"{task}.latency_p50_s"] = statistics.median(ordered)
        summary[f"{task}.latency_p95_s"] = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return summary


def by_hazard(results: Sequence[CaseResult], metric: str = "key_points") -> dict[str, float]:
    groups: dict[str, list[float]] = defaultdict(list)
    for result in results:
        value = result.value(metric)
        if result.task == "draft" and value is not None:
            groups[result.hazard].append(value)
    return {hazard: statistics.fmean(v) for hazard, v in sorted(groups.items())}


def load_thresholds(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def failures(summary: dict[str, float], thresholds: dict[str, Any]) -> list[str]:
    """Which aggregate misses its threshold: ``min`` values must be reached, ``max`` values not exceeded."""
    problems = []
    for key, limit in thresholds.get("min", {}).items():
        if key in summary and summary[key] < limit:
            problems.append(f"{key} = {summary[key]:.3f} < {limit}")
    for key, limit in thresholds.get("max", {}).items():
        if key in summary and summary[key] > limit:
            problems.append(f"{key} = {summary[key]:.3f} > {limit}")
    return problems


def regressions(report: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Aggregates that fell by more than the tolerance, and cases whose metric fell, against an old report."""
    lines = []
    for key, old in baseline.get("summary", {}).items():
        new = report["summary"].get(key)
        if new is None or "latency" in key or key == "errors":
            continue
        if new < old - REGRESSION_TOLERANCE:
            lines.append(f"{key}: {old:.3f} → {new:.3f}")
    old_cases = {c["golden_id"]: c for c in baseline.get("cases", [])}
    for case in report["cases"]:
        before = old_cases.get(case["golden_id"])
        if not before:
            continue
        old_scores = {s["name"]: s["value"] for s in before["scores"]}
        for score in case["scores"]:
            if score["name"] in old_scores and score["value"] < old_scores[score["name"]] - 1e-9:
                lines.append(
                    f"  {case['golden_id']} {score['name']}: {old_scores[score['name']]:.2f} → "
                    f"{score['value']:.2f} ({score['reason'][:80]})"
                )
    return lines


def build_report(
    results: Sequence[CaseResult], thresholds: dict[str, Any], baseline: dict[str, Any] | None
) -> dict[str, Any]:
    summary = aggregate(results)
    report: dict[str, Any] = {
        "thresholds_version": thresholds.get("version"),
        "summary": summary,
        "by_hazard": by_hazard(results),
        "failures": failures(summary, thresholds),
        "cases": [asdict(r) for r in results],
    }
    report["regressions"] = regressions(report, baseline) if baseline else []
    return report


def markdown(report: dict[str, Any]) -> str:
    lines = ["# 评测报告 / Evaluation report", "", "| 指标 metric | 值 value |", "|---|---|"]
    lines += [f"| {k} | {v:.3f} |" for k, v in sorted(report["summary"].items())]
    lines += ["", "## 阈值 / thresholds", *(f"- FAIL {f}" for f in report["failures"])]
    if not report["failures"]:
        lines.append("- 全部通过 / all passed")
    if report["regressions"]:
        lines += [
            "",
            "## 与基线相比的退步 / regressions against the baseline",
            *(f"- {r}" for r in report["regressions"]),
        ]
    lines += ["", "## 未达满分的用例 / cases below full marks"]
    for case in report["cases"]:
        weak = [s for s in case["scores"] if s["value"] < 1.0]
        if weak or case["error"]:
            detail = "; ".join(f"{s['name']} {s['value']:.2f}: {s['reason'][:100]}" for s in weak)
            lines.append(f"- **{case['golden_id']}** ({case['task']}) {case['error']} {detail}")
    return "\n".join(lines) + "\n"


def _bar_chart(values: dict[str, float]) -> str:
    width, bar_h = 520, 22
    rows = []
    for i, (label, value) in enumerate(values.items()):
        y = i * (bar_h + 6)
        rows.append(
            f'<text x="0" y="{y + 16}" font-size="13">{html.escape(label)}</text>'
            f'<rect x="120" y="{y}" width="{value * (width - 170):.0f}" height="{bar_h}" fill="#c0392b"></rect>'
            f'<text x="{125 + value * (width - 170):.0f}" y="{y + 16}" font-size="12">{value:.2f}</text>'
        )
    height = max(1, len(values)) * (bar_h + 6)
    return f'<svg width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'


def html_report(report: dict[str, Any]) -> str:
    """A self-contained page: inline CSS and SVG, no scripts, no external files."""
    esc = html.escape
    summary_rows = "".join(f"<tr><td>{esc(k)}</td><td>{v:.3f}</td></tr>" for k, v in sorted(report["summary"].items()))
    verdict = (
        "".join(f"<li class='fail'>{esc(f)}</li>" for f in report["failures"])
        or "<li class='ok'>全部通过 / all passed</li>"
    )
    regress = "".join(f"<li class='fail'>{esc(r)}</li>" for r in report["regressions"])
    cases = []
    for case in report["cases"]:
        scores = "".join(
            f"<li class='{'ok' if s['value'] >= 1 else 'fail'}'>{esc(s['name'])} {s['value']:.2f} — {esc(s['reason'])}</li>"
            for s in case["scores"]
        )
        error = f"<p class='fail'>{esc(case['error'])}</p>" if case["error"] else ""
        cases.append(
            f"<details><summary>{esc(case['golden_id'])} · {esc(case['task'])} · {case['latency_s']:.2f}s"
            f"</summary>{error}<ul>{scores}</ul></details>"
        )
    return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>评测报告 / Evaluation report</title>
<style>body{{font-family:"Noto Sans CJK SC",sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse}}
td{{border:1px solid #ccc;padding:2px 8px}}.fail{{color:#b00}}.ok{{color:#070}}details{{margin:2px 0}}</style></head>
<body><h1>评测报告 / Evaluation report</h1><h2>阈值 / thresholds</h2><ul>{verdict}</ul>
<h2>与基线相比 / against the baseline</h2><ul>{regress or "<li>无退步 / no regressions</li>"}</ul>
<h2>汇总 / summary</h2><table>{summary_rows}</table>
<h2>按灾种的要点覆盖率 / key-point coverage by hazard</h2>{_bar_chart(report["by_hazard"])}
<h2>用例 / cases</h2>{"".join(cases)}</body></html>"""


def write_reports(report: dict[str, Any], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "report.json", folder / "report.md", folder / "report.html"]
    paths[0].write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    paths[1].write_text(markdown(report), encoding="utf-8")
    paths[2].write_text(html_report(report), encoding="utf-8")
    return paths
