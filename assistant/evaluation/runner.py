"""Runs goldens through the same services the UI uses and scores every case.

Drafts go through alert parsing, retrieval, drafting and grounding; questions through
the chat service; searches through the retriever. The realdata search cases index the
shared real plans lexically (their vectors would take many minutes on two cores).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.alerts.intake import parse_file, parse_payload
from assistant.domain import Alert, PlanDraft
from assistant.evaluation.goldens import Golden
from assistant.evaluation.metrics import (
    Score,
    citation_validity,
    equals,
    forbidden_advice,
    key_point_coverage,
    must_cite,
    stage_completeness,
    unsupported_share,
)
from assistant.evaluation.retrieval import is_relevant
from assistant.services import Services


@dataclass
class CaseResult:
    golden_id: str
    task: str
    lang: str
    hazard: str
    scores: list[Score] = field(default_factory=list)
    latency_s: float = 0.0
    error: str = ""

    def value(self, name: str) -> float | None:
        return next((s.value for s in self.scores if s.name == name), None)


def _load_alert(golden: Golden) -> Alert:
    if golden.alert_file is not None:
        result = parse_file(golden.alert_file)
    else:
        result = parse_payload(json.dumps(golden.alert, ensure_ascii=False), golden.id, suffix=".json")
    if not result.alerts:
        raise ValueError("; ".join(str(e) for e in result.errors) or "no alert parsed")
    return result.alerts[0]


def _draft_text(draft: PlanDraft) -> str:
    parts = [draft.summary, draft.level_basis]
    for stage in draft.stages:
        parts.append(stage.summary)
        parts += [f"{a.text} {a.unit} {a.time_limit} {' '.join(a.lessons)}" for a in stage.actions]
    return "\n".join(parts)


def score_draft(services: Services, golden: Golden, result: CaseResult) -> None:
    alert = _load_alert(golden)
    expect = golden.expect
    outcome = services.draft(alert, lang=golden.lang)
    draft = outcome.draft
    text = _draft_text(draft)
    hazards = expect.get("hazards") or []
    result.scores += [
        stage_completeness(draft),
        citation_validity(draft, outcome.retrieved, alert.alert_id),
        unsupported_share(draft),
        key_point_coverage(text, expect.get("key_points", [])),
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


def score_ask(services: Services, golden: Golden, result: CaseResult) -> None:
    expect = golden.expect
    answer = services.chat.ask(golden.question, lang=golden.lang)
    answerable = bool(expect.get("answerable", True))
    result.scores.append(equals("refusal", answer.covered, answerable))
    result.scores.append(forbidden_advice(answer.text, expect.get("forbidden", [])))
    if answerable and answer.covered:
        result.scores.append(key_point_coverage(answer.text, expect.get("key_points", [])))
        result.scores.append(must_cite(answer.citations, expect.get("must_cite", [])))


def score_search(services: Services, golden: Golden, result: CaseResult, k: int = 10) -> None:
    hits = services.knowledge.retriever.search(golden.question, k)
    rank = next((i for i, hit in enumerate(hits, start=1) if is_relevant(hit, golden.relevant)), None)
    reason = (
        f"first relevant at rank {rank}"
        if rank
        else "no relevant hit in top 10: " + " | ".join(f"{h.title}·{h.section}" for h in hits[:2])
    )
    result.scores += [
        Score("recall@5", 1.0 if rank and rank <= 5 else 0.0, reason),
        Score("mrr", 1 / rank if rank else 0.0, reason),
        Score("ndcg", 1 / math.log2(rank + 1) if rank else 0.0, reason),
    ]


SCORERS = {"draft": score_draft, "ask": score_ask, "search": score_search}


def run_goldens(services: Services, goldens: Sequence[Golden], realdata_plans: Path | None = None) -> list[CaseResult]:
    """Score every golden; a case that raises is recorded as an error (and fails), never skipped."""
    if realdata_plans is not None and any(g.corpus == "realdata" for g in goldens):
        services.knowledge.ingestor.ingest([realdata_plans], embed=False)
    results = []
    for golden in goldens:
        hazards = golden.expect.get("hazards") or ["—"]
        result = CaseResult(golden.id, golden.task, golden.lang, hazards[0])
        started = time.perf_counter()
        try:
            SCORERS[golden.task](services, golden, result)
        except Exception as err:
            result.error = f"{type(err).__name__}: {err}"
        result.latency_s = time.perf_counter() - started
        results.append(result)
    return results
