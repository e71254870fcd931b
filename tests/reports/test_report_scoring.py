"""The report goldens' metrics can fail: an invented figure, a wrong deadline, an unmarked unknown."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.evaluation.cases import CaseResult, RunOptions
from assistant.evaluation.draft_scoring import load_alert
from assistant.evaluation.goldens import Golden, load_goldens
from assistant.evaluation.report_scoring import (
    deadline_score,
    golden_tasks,
    rebuilt_sources,
    score_report,
    unknowns_score,
)
from assistant.reports.model import Line, ReportSection
from assistant.reports.trace import untraced
from assistant.services import Services
from assistant.settings import PROJECT_ROOT

GOLDENS = PROJECT_ROOT / "evals" / "goldens" / "reports.jsonl"


def _golden(case: str) -> Golden:
    return next(g for g in load_goldens([GOLDENS]) if g.id == case)


def test_the_report_goldens_are_at_least_ten_and_cover_every_kind_and_no_rule() -> None:
    goldens = load_goldens([GOLDENS])
    assert len(goldens) >= 10 and all(g.task == "report" for g in goldens)
    assert {(g.report or {}).get("kind") for g in goldens} == {"initial", "followup", "final"}
    assert any(g.expect["rule"] is None for g in goldens) and any(g.lang == "en" for g in goldens)


@pytest.mark.parametrize("case", ["rp-gas-explosion-initial", "rp-gas-followup-tasks-notes"])
def test_a_golden_passes_and_its_metrics_would_catch_a_fault(shipped: Services, case: str) -> None:
    golden = _golden(case)
    result = CaseResult(golden.id, "report", golden.lang, "燃气", "report")
    score_report(shipped, golden, result, RunOptions())
    assert result.passed, [(s.name, s.reason) for s in result.scores if not s.success]
    assert {s.name for s in result.scores} >= {"sections", "grounded", "deadline", "figures"}

    record = shipped.reports.store.of_incident(shipped.alerts.ingest(load_alert(golden)).incident_id or "")[-1]
    alert = load_alert(golden)
    sources = rebuilt_sources(shipped, golden, alert, record, golden_tasks(golden, alert))
    report = record.report
    forged = replace(
        report,
        sections=(
            *report.sections[:3],
            ReportSection("casualties", (Line("人员伤亡：死亡4人。", "alert:x"),)),
            *report.sections[4:],
        ),
    )
    assert [u.figure for u in untraced(forged, sources)] == ["4人"]
    wrong = {**golden.expect, "limit": {"mode": "within", "minutes": 120}}
    assert deadline_score(shipped, report, wrong).value == 0.0
    assert deadline_score(shipped, report, {**golden.expect, "rule": None}).value == 0.0
    unmarked = replace(
        report,
        sections=(
            *report.sections[:3],
            ReportSection("casualties", (Line("人员伤亡：无。", "alert:x"),)),
            *report.sections[4:],
        ),
    )
    assert unknowns_score(unmarked, ["deaths"]).value == 0.0
