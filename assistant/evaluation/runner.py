"""Runs goldens through the same services the UI uses and scores every case.

Drafts go through alert parsing, retrieval, drafting and grounding; questions through
the chat service; searches through the retriever. The realdata search cases index the
shared real plans lexically and search them lexically (their ~2,500 passages would take
about 8 minutes to embed on two cores, too long for every CI run).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.alerts.intake import parse_file, parse_payload
from assistant.domain import Alert, PlanDraft
from assistant.evaluation.goldens import Golden
from assistant.evaluation.judge import Judge
from assistant.evaluation.metrics import (
    Score,
    Similarity,
    equals,
    forbidden_advice,
    key_point_coverage,
    must_cite,
    refusal_correctness,
)
from assistant.evaluation.plan_metrics import (
    answer_grounding,
    citation_validity,
    stage_completeness,
    unsupported_share,
)
from assistant.evaluation.retrieval import is_relevant
from assistant.services import Services


@dataclass
class CaseResult:
    """A deepeval-style test case after scoring: which golden, its scores, how long the service took."""

    golden_id: str
    task: str
    lang: str
    hazard: str
    suite: str  # the aggregate it counts toward: the task, or "search_realdata" (absent on some machines)
    scores: list[Score] = field(default_factory=list)
    latency_s: float = 0.0
    error: str = ""

    def value(self, name: str) -> float | None:
        return next((s.value for s in self.scores if s.name == name), None)

    @property
    def passed(self) -> bool:
        return not self.error and all(s.success for s in self.scores)


@dataclass(frozen=True)
class RunOptions:
    """How cases are scored beyond the defaults: paraphrase matching, an LLM judge, per-case pass marks."""

    similarity: Similarity | None = None
    similarity_threshold: float = 1.0  # calibrated value: evals/thresholds.yaml similarity.key_points
    judge: Judge | None = None
    case_thresholds: dict[str, float] = field(default_factory=dict)


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


Scorer = Callable[[Services, Golden, CaseResult, RunOptions], None]


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


def score_ask(services: Services, golden: Golden, result: CaseResult, options: RunOptions) -> None:
    expect = golden.expect
    started = time.perf_counter()
    answer = services.chat.ask(golden.question, lang=golden.lang)
    result.latency_s = time.perf_counter() - started
    answerable = bool(expect.get("answerable", True))
    result.scores.append(refusal_correctness(answer.covered, len(answer.citations), answerable))
    result.scores.append(forbidden_advice(answer.text, expect.get("forbidden", [])))
    if answerable and answer.covered:
        result.scores.append(
            key_point_coverage(
                answer.text, expect.get("key_points", []), options.similarity, options.similarity_threshold
            )
        )
        result.scores.append(must_cite(answer.citations, expect.get("must_cite", [])))
        result.scores.append(
            unsupported_share(answer.checks)
            if answer.checks
            else answer_grounding(answer.text, answer.citations, golden.question)
        )
        if options.judge is not None:
            result.scores.append(options.judge.faithfulness(answer.text, answer.citations, golden.lang))
    if options.judge is not None:
        result.scores.append(options.judge.relevance(golden.question, answer.text, golden.lang))


def score_search(services: Services, golden: Golden, result: CaseResult, options: RunOptions) -> None:
    # The configured k and mode, as in the UI; the real plans are indexed without vectors (see above).
    mode = "lexical" if golden.corpus == "realdata" else None
    started = time.perf_counter()
    hits = services.knowledge.retriever.search(golden.question, mode=mode)
    k = len(hits)
    result.latency_s = time.perf_counter() - started
    rank = next((i for i, hit in enumerate(hits, start=1) if is_relevant(hit, golden.relevant)), None)
    reason = (
        f"first relevant at rank {rank}"
        if rank
        else f"no relevant hit in top {k}: " + " | ".join(f"{h.title}·{h.section}" for h in hits[:2])
    )
    result.scores += [
        Score("recall@5", 1.0 if rank and rank <= 5 else 0.0, reason),
        Score("mrr", 1 / rank if rank else 0.0, reason),
        Score("ndcg", 1 / math.log2(rank + 1) if rank else 0.0, reason),
    ]


SCORERS: dict[str, Scorer] = {"draft": score_draft, "ask": score_ask, "search": score_search}


def run_goldens(
    services: Services,
    goldens: Sequence[Golden],
    realdata_plans: Path | None = None,
    options: RunOptions | None = None,
) -> list[CaseResult]:
    """Score every golden; a case that raises is recorded as an error (and fails), never skipped.

    Cases over the real plans run last, after those plans are ingested, so the other cases
    score the same whether or not the real plans are present on this machine.
    """
    options = options or RunOptions()
    order = sorted(range(len(goldens)), key=lambda i: goldens[i].corpus == "realdata")
    results: dict[int, CaseResult] = {}
    ingested = False
    for i in order:
        golden = goldens[i]
        if golden.corpus == "realdata" and not ingested:
            if realdata_plans is None:
                raise ValueError("真实预案用例需要 realdata 目录 / realdata cases need the real plans folder")
            services.knowledge.ingestor.ingest([realdata_plans], embed=False)
            ingested = True
        results[i] = run_case(services, golden, options)
    return [results[i] for i in range(len(goldens))]


def run_case(services: Services, golden: Golden, options: RunOptions) -> CaseResult:
    hazards = golden.expect.get("hazards") or ["—"]
    suite = golden.task if golden.corpus == "knowledge" else f"{golden.task}_{golden.corpus}"
    result = CaseResult(golden.id, golden.task, golden.lang, hazards[0], suite)
    try:
        SCORERS[golden.task](services, golden, result, options)  # each times its own service call
    except Exception as err:
        result.error = f"{type(err).__name__}: {err}"
    result.scores = [
        replace(s, threshold=options.case_thresholds[s.name]) if s.name in options.case_thresholds else s
        for s in result.scores
    ]
    return result
