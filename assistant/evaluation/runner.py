"""Runs goldens through the same services the UI uses and scores every case.

Drafts go through alert parsing, retrieval, drafting and grounding; questions through
the chat service; searches through the retriever. The realdata search cases index the
shared real plans lexically and search them lexically (their ~2,500 passages would take
about 8 minutes to embed on two cores, too long for every CI run).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from assistant.evaluation.ask_scoring import score_ask
from assistant.evaluation.cases import CaseResult, RunOptions
from assistant.evaluation.discrimination import add_discrimination
from assistant.evaluation.draft_scoring import score_draft
from assistant.evaluation.goldens import Golden
from assistant.evaluation.metrics import Score
from assistant.evaluation.report_scoring import score_report
from assistant.evaluation.retrieval import is_relevant
from assistant.services import Services

__all__ = ["CaseResult", "RunOptions", "run_case", "run_goldens"]

Scorer = Callable[[Services, Golden, CaseResult, RunOptions], None]


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


SCORERS: dict[str, Scorer] = {"draft": score_draft, "ask": score_ask, "search": score_search, "report": score_report}


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
    ordered = [results[i] for i in range(len(goldens))]
    add_discrimination(ordered, goldens)
    return ordered


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
