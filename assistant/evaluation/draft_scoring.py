"""Scoring of ``task: draft`` goldens: stages, citations, grounding, key points, safety, level, colour, hazard."""

from __future__ import annotations

import json
import time

from assistant.alerts.intake import parse_file, parse_payload
from assistant.domain import Alert, PlanDraft
from assistant.evaluation.cases import CaseResult, RunOptions
from assistant.evaluation.goldens import Golden
from assistant.evaluation.metrics import Score, equals, forbidden_advice, key_point_coverage, must_cite
from assistant.evaluation.plan_metrics import citation_validity, stage_completeness, unsupported_share
from assistant.services import Services


def load_alert(golden: Golden) -> Alert:
    if golden.alert_file is not None:
        result = parse_file(golden.alert_file)
    else:
        result = parse_payload(json.dumps(golden.alert, ensure_ascii=False), golden.id, suffix=".json")
    if not result.alerts:
        raise ValueError("; ".join(str(e) for e in result.errors) or "no alert parsed")
    return result.alerts[0]


def draft_text(draft: PlanDraft) -> str:
    parts = [draft.summary, draft.level_basis]
    for stage in draft.stages:
        parts.append(stage.summary)
        parts += [f"{a.text} {a.unit} {a.time_limit} {' '.join(a.lessons)}" for a in stage.actions]
    return "\n".join(parts)


def _indexed(services: Services, draft: PlanDraft) -> set[str]:
    cited = sorted(
        {c for s in draft.stages for a in s.actions for c in a.citations if not c.startswith(("alert:", "officer:"))}
    )
    return services.knowledge.index.catalogue.existing(cited) if cited else set()


def score_draft(services: Services, golden: Golden, result: CaseResult, options: RunOptions) -> None:
    alert = load_alert(golden)
    expect = golden.expect
    started = time.perf_counter()
    outcome = services.draft(alert, lang=golden.lang)
    result.latency_s = time.perf_counter() - started
    draft = outcome.draft
    text = draft_text(draft)
    hazards = expect.get("hazards") or []
    result.scores += [
        stage_completeness(draft, expect.get("stages", ())),
        citation_validity(draft, outcome.retrieved, alert.alert_id, _indexed(services, draft)),
        unsupported_share(draft.checks),
        key_point_coverage(text, expect.get("key_points", []), options.similarity, options.similarity_threshold),
        forbidden_advice("\n".join(a.text for s in draft.stages for a in s.actions), expect.get("forbidden", [])),
        must_cite(draft.citations, expect.get("must_cite", [])),
    ]
    if hazards:
        ok = alert.hazard in hazards
        result.scores.append(
            Score("hazard", 1.0 if ok else 0.0, f"{alert.hazard}" + ("" if ok else f" not in {hazards}"))
        )
    if "colour" in expect:
        result.scores.append(equals("colour", alert.colour.value if alert.colour else None, expect["colour"]))
    if "level" in expect:
        result.scores.append(
            equals("level", draft.proposed_level.value if draft.proposed_level else None, expect["level"])
        )
    if options.judge is not None:
        result.scores.append(options.judge.faithfulness(text, draft.citations, golden.lang))
        result.scores.append(
            options.judge.relevance(f"{alert.headline or alert.event} {alert.description}", text, golden.lang)
        )
