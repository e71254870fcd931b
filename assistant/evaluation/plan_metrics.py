"""Metrics on a draft's structure and evidence: stages, citation validity, grounding.

An officer signs a plan only when every statement leads back to a source; these metrics
check that the links are real (the passage exists, was retrieved for this alert, and
says something the action says), not just present.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from assistant.chain.glossary import renderings
from assistant.chain.grounding import unsupported_claims
from assistant.chain.sentences import bigrams
from assistant.domain import STAGES, Citation, EvidenceCheck, EvidenceStatus, PlanDraft, Stage
from assistant.evaluation.metrics import Score

# Share of an action's character bigrams that must also occur in the passage it cites.
# Offline actions are sentences taken from the passage (overlap ≈ 1); a passage cited for a
# sentence it has nothing to do with shares only stop-bigrams (measured ≤ 0.05).
CONTENT_OVERLAP = 0.08
# Cards and the level sentence are linked to their clauses by the card validator and the grading
# extraction (the phrase is checked to be in the clause), so their wording need not copy it.
VALIDATED_ORIGINS = ("card:", "template:", "level")
SOURCE_MARKER = re.compile(r"\[\d+(?:[,，、]\s*\d+)*\]")  # "[1]", "[1, 2]": the answer's source numbers


def _stage(name: str) -> Stage | None:
    return next((s for s in STAGES if name in (s.value, s.zh, s.en)), None)


def stage_completeness(draft: PlanDraft, expected: Sequence[str] = ()) -> Score:
    """All expected stages (default: the six) present in chain order, each with at least one action."""
    wanted = [s for s in (_stage(name) for name in expected) if s] or list(STAGES)
    present = [s.stage for s in draft.stages]
    missing = [s.zh for s in wanted if s not in present]
    if missing:
        return Score("stages", 0.0, f"缺少阶段 / stages missing: {missing}")
    if present != sorted(present, key=STAGES.index):
        return Score("stages", 0.0, f"阶段顺序错误 / stages out of order: {[s.zh for s in present]}")
    empty = [s.stage.zh for s in draft.stages if s.stage in wanted and not s.actions]
    if empty:
        return Score("stages", 0.0, f"阶段没有措施 / stages without actions: {empty}")
    return Score("stages", 1.0, f"{len(wanted)} stages in order, each with actions")


def _content_shared(sentence: str, passage: Citation) -> float:
    own = bigrams(sentence)
    return len(own & bigrams(f"{passage.title} {passage.heading} {passage.text}")) / max(1, len(own))


def citation_validity(
    draft: PlanDraft, retrieved: Collection[str], alert_id: str | None, indexed: Collection[str] | None = None
) -> Score:
    """Share of action citations that exist in the index, were retrieved for this case and share content.

    ``indexed`` is the subset of cited chunk ids the knowledge index knows (None: not checked);
    "alert:<id>" must name this case's alert; "officer:" marks an officer's own addition.
    """
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
                if indexed is not None and cited not in indexed:
                    bad.append(f"{cited} (not in the index)")
                elif passage is None or cited not in retrieved:
                    bad.append(f"{cited} (not retrieved for this case)")
                elif (
                    not action.origin.startswith(VALIDATED_ORIGINS)
                    and _content_shared(action.text, passage) < CONTENT_OVERLAP
                ):
                    bad.append(f"{cited} (no shared content with “{action.text[:24]}…”)")
    if total == 0:
        return Score("citations", 0.0, "no citations at all")
    return Score("citations", 1 - len(bad) / total, "all valid" if not bad else "bad: " + "; ".join(bad[:5]))


def unsupported_share(checks: Sequence[EvidenceCheck]) -> Score:
    """1 minus the share of checked places (draft items or answer sentences) that are unsupported or conflict
    with the alert. "参考 / reference only" and "待核实 / to confirm" are honest labels, not failures."""
    if not checks:
        return Score("grounded", 0.0, "no grounding checks ran")
    bad = [c for c in checks if c.status in (EvidenceStatus.UNSUPPORTED, EvidenceStatus.CONFLICT)]
    reason = "all supported" if not bad else "; ".join(f"{c.location}: {'; '.join(c.problems)[:60]}" for c in bad[:4])
    return Score("grounded", 1 - len(bad) / len(checks), reason)


def answer_grounding(text: str, citations: Sequence[Citation], question: str) -> Score:
    """Grounding of an answer that carries no checks of its own (the offline extractive answer).

    Each figure, date, phone number or organisation must occur in a cited passage or the question — or be the
    glossary's English for a term the passage names in Chinese ("State Council" for 国务院).
    """
    sources = [f"{c.title} {c.heading} {c.text}" for c in citations] + [question]
    problems = unsupported_claims(SOURCE_MARKER.sub("", text), [*sources, *renderings(sources)])
    status = EvidenceStatus.UNSUPPORTED if problems else EvidenceStatus.SUPPORTED
    return unsupported_share([EvidenceCheck("answer", status, tuple(problems))])
