"""Scoring of ``task: ask`` goldens: refusal, forbidden advice, lead sentence, key points, citations, grounding.

``lead`` checks that the answer's first sentence already answers the question ("一级", "总指挥"):
an officer reads the first line, not five bullets. English answers over Chinese sources
quote the Chinese clause, so English goldens are matched against the English text only.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from assistant.evaluation.cases import CaseResult, RunOptions
from assistant.evaluation.goldens import Golden
from assistant.evaluation.metrics import (
    Score,
    forbidden_advice,
    key_point_coverage,
    must_cite,
    normalise,
)
from assistant.evaluation.plan_metrics import answer_grounding, unsupported_share
from assistant.evaluation.refusal import refusal_score
from assistant.services import Services

_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s|$)|\n")
_QUOTED_CJK = re.compile(r"[“「《(（\"][^”」》)）\"]*[\u4e00-\u9fff][^”」》)）\"]*[”」》)）\"]")
_CJK_RUN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def english_only(text: str) -> str:
    """The English of an answer: quoted excerpt lines, quoted Chinese and remaining Chinese removed."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    kept = _QUOTED_CJK.sub(" ", "\n".join(lines))
    return re.sub(r"[ \t]+", " ", _CJK_RUN.sub(" ", kept))


def first_sentence(text: str) -> str:
    """Up to the first sentence end (。！？!?, a full stop before a space or the end, a line break)."""
    body = text.lstrip()
    match = _SENTENCE_END.search(body)
    return body[: match.end()] if match else body


def lead_coverage(text: str, groups: Sequence[Sequence[str]]) -> Score:
    """1 when every group has a wording in the answer's first sentence, else 0 (which groups are missing)."""
    if not groups:
        return Score("lead", 1.0, "no lead expected")
    sentence = first_sentence(text)
    body = normalise(sentence)
    missed = [g for g in groups if not any(normalise(word) in body for word in g)]
    if not missed:
        return Score("lead", 1.0, "first sentence answers: " + sentence[:80])
    reason = "first sentence lacks " + "; ".join("/".join(g) for g in missed) + ": " + sentence[:80]
    return Score("lead", 0.0, reason)


def score_ask(services: Services, golden: Golden, result: CaseResult, options: RunOptions) -> None:
    expect = golden.expect
    started = time.perf_counter()
    answer = services.chat.ask(golden.question, lang=golden.lang)
    result.latency_s = time.perf_counter() - started
    answerable = bool(expect.get("answerable", True))
    result.scores.append(refusal_score(answer, answerable))
    result.scores.append(forbidden_advice(answer.text, expect.get("forbidden", [])))
    if answerable and answer.covered:
        body = english_only(answer.text) if golden.lang == "en" else answer.text
        if "lead" in expect:
            result.scores.append(lead_coverage(body, expect["lead"]))
        result.scores.append(
            key_point_coverage(body, expect.get("key_points", []), options.similarity, options.similarity_threshold)
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
