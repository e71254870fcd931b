"""Scoring of ``task: ask`` goldens: refusal, forbidden advice, key points, citations, grounding."""

from __future__ import annotations

import time

from assistant.evaluation.cases import CaseResult, RunOptions
from assistant.evaluation.goldens import Golden
from assistant.evaluation.metrics import forbidden_advice, key_point_coverage, must_cite, refusal_correctness
from assistant.evaluation.plan_metrics import answer_grounding, unsupported_share
from assistant.services import Services


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
