"""The knowledge library as one draft sees it: documents read once, card sources resolved, jurisdiction known.

A draft asks the library many small questions (which plans apply, where does a card's clause
live, which case teaches this lesson, does this chunk's plan cover the alert's place); this view
answers them from one read of the document list, so a draft stays fast on a large library.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path

from assistant.chain.cards import CardCitation
from assistant.chain.criteria import Library
from assistant.chain.facts import AlertFacts
from assistant.chain.jurisdiction import place_of_document, relation
from assistant.domain import Citation, DocumentMeta
from assistant.knowledge.grading import Grading

LESSON_HEADINGS = ("经验教训", "教训", "lessons")


class DraftLibrary:
    def __init__(self, library: Library, facts: AlertFacts) -> None:
        self.library = library
        self.facts = facts
        self._passages: dict[str, list[Citation]] = {}

    @cached_property
    def _documents(self) -> list[DocumentMeta]:
        return list(self.library.documents())

    def documents(self) -> Sequence[DocumentMeta]:
        return self._documents

    def grading(self, doc_ids: Sequence[str]) -> dict[str, Grading]:
        return self.library.grading(doc_ids)

    def cite(self, chunk_ids: Sequence[str]) -> dict[str, Citation]:
        return self.library.cite(chunk_ids)

    @cached_property
    def _by_ref(self) -> dict[str, str]:
        """Document ids by the names cards and lessons use: the front-matter id and the file name (and the id)."""
        refs: dict[str, str] = {}
        for meta in self._documents:
            refs[meta.doc_id] = meta.doc_id
            refs[Path(meta.source_path).stem] = meta.doc_id
            if meta.extra.get("id"):
                refs[str(meta.extra["id"])] = meta.doc_id
        return refs

    def passages(self, doc_ref: str) -> list[Citation]:
        """Every chunk of the document a card or lesson names, in order."""
        doc_id = self._by_ref.get(doc_ref)
        if doc_id is None:
            return []
        if doc_id not in self._passages:
            self._passages[doc_id] = self.library.passages(doc_id)
        return self._passages[doc_id]

    def resolve(self, citations: Iterable[CardCitation]) -> dict[CardCitation, Citation]:
        """The chunk each card citation points at: its document, a heading containing the section, the phrase."""
        found: dict[CardCitation, Citation] = {}
        for cite in dict.fromkeys(citations):
            match = next(
                (p for p in self.passages(cite.doc) if cite.section in p.heading and cite.phrase in p.text), None
            )
            if match is not None:
                found[cite] = match
        return found

    def case_lessons(self, case_ids: Iterable[str]) -> dict[str, Citation]:
        """Each case's lessons section (else its first passage): what an action's lesson cites."""
        found: dict[str, Citation] = {}
        for case in case_ids:
            passages = self.passages(case)
            lessons = next((p for p in passages if any(h in p.heading.lower() for h in LESSON_HEADINGS)), None)
            if lessons or passages:
                found[case] = lessons or passages[0]
        return found

    def applicable(self, chunk_ids: Sequence[str]) -> dict[str, bool]:
        """Whether each chunk's document covers the alert's jurisdiction (own, upper level or national)."""
        metas = {m.doc_id: m for m in self._documents}
        verdicts: dict[str, bool] = {}
        for chunk_id, citation in self.cite(list(dict.fromkeys(chunk_ids))).items():
            meta = metas.get(citation.doc_id)
            if meta is None:
                continue
            verdicts[chunk_id] = relation(place_of_document(meta), self.facts.jurisdiction).applies
        return verdicts

    def main_hazards(self, chunk_ids: Sequence[str]) -> dict[str, str]:
        """Each chunk's document's main hazard (the first it lists): clauses of neighbouring topics stay out."""
        metas = {m.doc_id: m for m in self._documents}
        return {
            chunk_id: (metas[c.doc_id].hazards[:1] or ("",))[0]
            for chunk_id, c in self.cite(list(dict.fromkeys(chunk_ids))).items()
            if c.doc_id in metas
        }
