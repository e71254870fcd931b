"""Per-case metrics: each returns a score in [0, 1] and a reason a reviewer can act on.

Text checks normalise first (NFKC, case, spaces) so "切断 气源" and "切断气源" match.
Forbidden advice counts only when not negated in its clause ("严禁使用明火" is good advice).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.chain.sentences import bigrams, split_sentences
from assistant.domain import STAGES, Citation, EvidenceStatus, PlanDraft

NEGATIONS = (
    "严禁",
    "禁止",
    "不得",
    "不要",
    "切勿",
    "避免",
    "勿",
    "不准",
    "不可",
    "杜绝",
    "do not",
    "don't",
    "never",
    "must not",
    "avoid",
    "no ",
)
CLAUSE_END = re.compile(r"[。；;！!？?\n，,]")
CONTENT_OVERLAP = 0.08


@dataclass(frozen=True)
class Score:
    name: str
    value: float
    reason: str


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


Similarity = Callable[[Sequence[str], Sequence[str]], float]  # (phrases, sentences) -> best cosine


def key_point_coverage(
    text: str, groups: Sequence[Sequence[str]], similarity: Similarity | None = None, threshold: float = 1.0
) -> Score:
    """Share of key points (synonym groups) present in the text.

    A group missing word for word still counts when ``similarity`` finds a sentence at least
    ``threshold`` close to one of its synonyms (a paraphrase such as "关断阀门" for "切断气源").
    """
    if not groups:
        return Score("key_points", 1.0, "no key points expected")
    body = normalise(text)
    missed = [group for group in groups if not any(normalise(word) in body for word in group)]
    paraphrased = []
    if missed and similarity is not None:
        sentences = [s for s in split_sentences(text) if len(s) >= 4]
        paraphrased = [g for g in missed if sentences and similarity(list(g), sentences) >= threshold]
        missed = [g for g in missed if g not in paraphrased]
    value = 1 - len(missed) / len(groups)
    reason = "all key points covered" if not missed else "missed: " + "; ".join("/".join(g) for g in missed)
    if paraphrased:
        reason += " (by meaning: " + "; ".join("/".join(g) for g in paraphrased) + ")"
    return Score("key_points", value, reason)


def embedding_similarity(
    embed_query: Callable[[str], list[float]], embed_texts: Callable[[list[str]], list[list[float]]]
) -> Similarity:
    """Best cosine between any phrase (query mode) and any sentence (passage mode); vectors are normalised."""

    def best(phrases: Sequence[str], sentences: Sequence[str]) -> float:
        passages = embed_texts(list(sentences))
        scores = [sum(a * b for a, b in zip(embed_query(p), v, strict=True)) for p in phrases for v in passages]
        return max(scores, default=0.0)

    return best


def _negated(text: str, start: int) -> bool:
    clause_start = max((m.end() for m in CLAUSE_END.finditer(text, 0, start)), default=0)
    clause = text[clause_start:start].lower()
    return any(word in clause for word in NEGATIONS)


def forbidden_advice(text: str, phrases: Sequence[str]) -> Score:
    """1 when no forbidden phrase is advised (a phrase under a negation in its clause is fine)."""
    found = []
    lowered = text.lower()
    for phrase in phrases:
        for match in re.finditer(re.escape(phrase.lower()), lowered):
            if not _negated(lowered, match.start()):
                found.append(phrase)
                break
    return Score("forbidden", 0.0 if found else 1.0, "advises: " + ", ".join(found) if found else "none advised")


def stage_completeness(draft: PlanDraft) -> Score:
    stages = [s.stage for s in draft.stages]
    empty = [s.stage.zh for s in draft.stages if not s.actions]
    if stages != list(STAGES):
        missing = [s.zh for s in STAGES if s not in stages]
        return Score("stages", 0.0, f"stages missing or out of order: {missing or stages}")
    if empty:
        return Score("stages", 0.0, f"stages without actions: {empty}")
    return Score("stages", 1.0, "six stages in order, each with actions")


def citation_validity(draft: PlanDraft, retrieved: Sequence[str], alert_id: str | None) -> Score:
    """Share of action citations that exist, were retrieved for this case, and share content with the action."""
    passages = {c.chunk_id: c for c in draft.citations}
    total, bad = 0, []
    for stage in draft.stages:
        for action in stage.actions:
            for cited in action.citations:
                total += 1
                if cited.startswith("alert:"):
                    if alert_id and cited != f"alert:{alert_id}":
                        bad.append(f"{cited} (another alert)")
                    continue
                if cited.startswith("officer:"):
                    continue
                passage = passages.get(cited)
                if passage is None or cited not in retrieved:
                    bad.append(f"{cited} (not retrieved)")
                    continue
                overlap = bigrams(action.text) & bigrams(f"{passage.title} {passage.heading} {passage.text}")
                if len(overlap) / max(1, len(bigrams(action.text))) < CONTENT_OVERLAP:
                    bad.append(f"{cited} (no shared content with “{action.text[:20]}…”)")
    if total == 0:
        return Score("citations", 0.0, "no citations at all")
    return Score("citations", 1 - len(bad) / total, "all valid" if not bad else "bad: " + "; ".join(bad[:5]))


def unsupported_share(draft: PlanDraft) -> Score:
    """1 minus the share of checked places the grounding check could not support."""
    if not draft.checks:
        return Score("grounded", 0.0, "no grounding checks ran")
    bad = [c for c in draft.checks if c.status is not EvidenceStatus.SUPPORTED]
    reason = "all supported" if not bad else "; ".join(f"{c.location}: {'; '.join(c.problems)[:60]}" for c in bad[:4])
    return Score("grounded", 1 - len(bad) / len(draft.checks), reason)


def must_cite(citations: Sequence[Citation], titles: Sequence[str]) -> Score:
    if not titles:
        return Score("must_cite", 1.0, "nothing required")
    cited = " ".join(c.title for c in citations)
    missing = [t for t in titles if t not in cited]
    return Score(
        "must_cite", 1 - len(missing) / len(titles), "missing: " + ", ".join(missing) if missing else "all cited"
    )


def equals(name: str, actual: object, expected: object) -> Score:
    ok = actual == expected
    return Score(name, 1.0 if ok else 0.0, f"{actual!r}" + ("" if ok else f" != expected {expected!r}"))
