"""Aggregates, threshold verdicts, baseline regressions and the three report files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.evaluation.metrics import Score
from assistant.evaluation.report import (
    ThresholdsError,
    aggregate,
    build_report,
    load_thresholds,
    write_reports,
)
from assistant.evaluation.runner import CaseResult

THRESHOLDS = {"version": 3, "min": {"draft.key_points": 0.9, "search_realdata.mrr": 0.5}, "max": {"errors": 0}}


def _case(golden_id: str, suite: str, latency: float, **scores: float) -> CaseResult:
    task = suite.split("_")[0]
    result = CaseResult(golden_id, task, "zh", "燃气", suite, latency_s=latency)
    result.scores = [Score(name, value, f"reason of {name}") for name, value in scores.items()]
    return result


def _results() -> list[CaseResult]:
    return [
        _case("d1", "draft", 0.2, key_points=1.0, citations=1.0),
        _case("d2", "draft", 0.4, key_points=0.5, citations=1.0),
        _case("s1", "search", 0.05, mrr=1.0),
        _case("s2", "search", 0.15, mrr=0.5),
    ]


def test_aggregate_means_per_suite_with_latency_percentiles() -> None:
    crashed = _case("d3", "draft", 9.0, key_points=0.0)
    crashed.error = "ValueError: broken alert"
    summary = aggregate([*_results(), crashed])
    assert summary["draft.key_points"] == 0.75, "a crashed case is counted as an error, not as a zero score"
    assert summary["search.mrr"] == 0.75 and summary["errors"] == 1.0
    assert summary["draft.latency_p50_s"] == pytest.approx(0.3) and summary["draft.latency_p95_s"] == 0.4


def test_failures_name_metric_value_and_threshold_and_skip_unmeasured() -> None:
    report = build_report(_results(), THRESHOLDS, None)
    assert report["failures"] == [{"metric": "draft.key_points", "value": 0.75, "op": ">=", "threshold": 0.9}]
    assert report["unmeasured"] == ["search_realdata.mrr"]
    assert report["meta"]["thresholds_version"] == 3


def test_regressions_against_a_baseline_per_metric_and_per_case() -> None:
    baseline = json.loads(json.dumps(build_report(_results(), THRESHOLDS, None)))
    worse = _results()
    worse[0].scores[1] = Score("citations", 0.5, "bad: doc01:0001 (not in the index)")
    worse[2].error = "RuntimeError: index closed"
    worse[2].scores = []
    report = build_report(worse, THRESHOLDS, baseline)
    found = {(r["case"], r["metric"]) for r in report["regressions"]}
    assert ("", "draft.citations") in found and ("", "errors") in found
    assert ("d1", "citations") in found and ("s1", "error") in found
    assert not any(r["metric"].endswith("latency_p95_s") for r in report["regressions"])
    same = build_report(_results(), THRESHOLDS, baseline)
    assert same["regressions"] == []


def test_thresholds_file_needs_a_version_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("min:\n  draft.stages: 1.0\n", encoding="utf-8")
    with pytest.raises(ThresholdsError, match="version"):
        load_thresholds(path)
    path.write_text("version: 1\nmin:\n  draft.stages: high\n", encoding="utf-8")
    with pytest.raises(ThresholdsError, match="min"):
        load_thresholds(path)
    path.write_text("version: 1\nmin:\n  draft.stages: 1.0\n", encoding="utf-8")
    assert load_thresholds(path)["max"] == {}


def test_the_shipped_thresholds_file_is_valid_and_versioned() -> None:
    from assistant.settings import PROJECT_ROOT

    data = load_thresholds(PROJECT_ROOT / "evals" / "thresholds.yaml")
    assert data["version"] and data["min"] and data["max"]["errors"] == 0


def test_reports_are_written_and_the_html_is_self_contained(tmp_path: Path) -> None:
    baseline = json.loads(json.dumps(build_report(_results(), THRESHOLDS, None)))
    worse = _results()
    worse[0].scores[0] = Score("key_points", 0.0, "missed: 切断气源/关闭阀门")
    report = build_report(worse, THRESHOLDS, baseline)
    json_path, md_path, html_path = write_reports(report, tmp_path / "out")
    assert json.loads(json_path.read_text(encoding="utf-8"))["summary"]["draft.key_points"] == 0.25
    md = md_path.read_text(encoding="utf-8")
    assert "draft.key_points = 0.250" in md and "missed: 切断气源/关闭阀门" in md and "d1 key_points" in md
    page = html_path.read_text(encoding="utf-8")
    assert "<script" not in page and "<svg" in page and "<style>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "nothing is fetched"
    assert "要点覆盖率 / key-point coverage" in page and "missed: 切断气源/关闭阀门" in page
    assert "<tr class='regressed'><td>d1</td>" in page, "the regressed case is highlighted"
    assert "<details open><summary><span class='badge fail'>" in page, "failed cases are unfolded"
