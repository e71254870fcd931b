"""Retrieval for a draft: stage-specific plan clauses, similar cases and their lessons.

Every passage a draft may cite is gathered here once, so the drafter (offline or LLM)
and the grounding check see exactly the same evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from assistant.chain.facts import AlertFacts
from assistant.chain.injection import looks_like_injection
from assistant.chain.signal_guidance import find_signal_guidance, is_other_signals_guide
from assistant.chain.spec import DrafterSpec
from assistant.domain import Citation, DocKind, Stage

LESSON_HEADINGS = ("经验教训", "教训", "lessons")
_BULLET = re.compile(r"^\s*(?:[-•·*]|\d+[.、)]|[（(]\d+[)）])\s*(.+)$")


class Searcher(Protocol):
    """What the chain needs from the knowledge index (the hybrid retriever provides it)."""

    def search(
        self,
        query: str,
        k: int = 8,
        *,
        kind: str | None = None,
        hazards: Sequence[str] | None = None,
    ) -> list[Citation]: ...


@dataclass(frozen=True)
class Lesson:
    text: str
    chunk_id: str
    case_title: str


@dataclass
class Evidence:
    by_stage: dict[Stage, list[Citation]] = field(default_factory=dict)
    grading: list[Citation] = field(default_factory=list)  # the clauses the level proposal cites
    cards: list[Citation] = field(default_factory=list)  # the clauses the action cards rest on
    cases: list[Citation] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    # The warning signal's defence measures for the alert's colour, and the guide section they are from.
    guidance: tuple[Citation, str] | None = None

    def all_citations(self) -> list[Citation]:
        """Every passage once, in first-use order (the numbering of the sources annex)."""
        seen: dict[str, Citation] = {}
        for group in [*self.by_stage.values(), self.grading, self.cards, self.cases]:
            for citation in group:
                seen.setdefault(citation.chunk_id, citation)
        return list(seen.values())

    def text_of(self, chunk_id: str) -> str:
        return next((c.text for c in self.all_citations() if c.chunk_id == chunk_id), "")


def lessons_in(citation: Citation) -> list[Lesson]:
    """Bullet items of a case's lessons section (each one a self-contained lesson)."""
    if not any(h in citation.heading.lower() for h in LESSON_HEADINGS):
        return []
    found = []
    for line in citation.text.splitlines():
        match = _BULLET.match(line)
        if match and len(match.group(1)) >= 8 and not looks_like_injection(match.group(1)):
            found.append(Lesson(match.group(1).strip(), citation.chunk_id, citation.title))
    return found


def _search_with_fallback(
    searcher: Searcher, query: str, k: int, kinds: Sequence[str], hazard: str | None
) -> list[Citation]:
    """Hazard-filtered search first; without a filter when the hazard has no documents."""
    results: list[Citation] = []
    for kind in kinds:
        hits = searcher.search(query, k, kind=kind, hazards=[hazard] if hazard else None)
        if not hits and hazard:
            hits = searcher.search(query, k, kind=kind)
        results += hits
    return sorted(results, key=lambda c: -c.score)[:k]


def gather_evidence(searcher: Searcher, facts: AlertFacts, spec: DrafterSpec, k: int = 6) -> Evidence:
    """Run each stage's queries (plans and regulations), then the case queries; the level proposal and the
    action cards add their own clauses afterwards (``grading``, ``cards``)."""
    hazard_word = facts.hazard_label or facts.event
    plan_kinds = (DocKind.PLAN.value, DocKind.REGULATION.value)
    evidence = Evidence()
    # The library is mostly Chinese: English drafts search with the Chinese queries too.
    query_langs = ("zh",) if facts.lang == "zh" else (facts.lang, "zh")
    for stage, stage_spec in spec.stages.items():
        hits: dict[str, Citation] = {}
        templates = [(lang, t) for lang in query_langs for t in stage_spec.queries.get(lang, stage_spec.queries["zh"])]
        for lang, template in templates:
            query = spec.fill(template, hazard=(facts.hazard or facts.event) if lang == "zh" else hazard_word)
            for citation in _search_with_fallback(searcher, query, k, plan_kinds, facts.hazard):
                if not is_other_signals_guide(citation, facts):  # no fog guide for a road-ice warning
                    hits.setdefault(citation.chunk_id, citation)
        evidence.by_stage[stage] = list(hits.values())
    evidence.guidance = find_signal_guidance(searcher, facts, k)
    if evidence.guidance:
        section = evidence.guidance[0]
        response = [c for c in evidence.by_stage.get(Stage.RESPONSE, []) if c.chunk_id != section.chunk_id]
        evidence.by_stage[Stage.RESPONSE] = [section, *response]
    case_query = f"{hazard_word} {facts.event} {'事故 经验教训' if facts.lang == 'zh' else 'incident lessons'}"
    evidence.cases = _search_with_fallback(searcher, case_query, k, (DocKind.CASE.value,), facts.hazard)
    for citation in evidence.cases:
        evidence.lessons += lessons_in(citation)
    return evidence
