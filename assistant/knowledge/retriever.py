"""Hybrid retrieval (dense + BM25, fused by weighted RRF) as a LangChain retriever.

Callers in our code use ``search`` (citations); LangChain chains use the retriever
interface (``Document``s whose metadata carries the citation). Dense search only
sees chunks whose vectors are ready, so during the first-run warm-up hybrid search
quietly degrades towards BM25 instead of failing; ``status()`` says how far it got.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from assistant.domain import Chunk, Citation, DocKind, DocumentMeta
from assistant.knowledge.fusion import reciprocal_rank_fusion
from assistant.knowledge.grading import Grading
from assistant.knowledge.index import IndexStatus, KnowledgeIndex
from assistant.settings import RetrievalSettings

Mode = Literal["hybrid", "dense", "lexical"]
MODES: tuple[str, ...] = ("hybrid", "dense", "lexical")


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with everything a citation or a LangChain Document needs."""

    chunk: Chunk
    meta: DocumentMeta
    score: float
    dense_score: float | None
    lexical_score: float | None

    def citation(self) -> Citation:
        return Citation(
            chunk_id=self.chunk.chunk_id,
            doc_id=self.meta.doc_id,
            title=self.meta.title,
            heading=self.chunk.heading,
            page=self.chunk.page_start,
            kind=self.meta.kind,
            score=self.score,
            text=self.chunk.text,
        )

    def document(self) -> Document:
        return Document(
            id=self.chunk.chunk_id,
            page_content=self.chunk.text,
            metadata={
                "chunk_id": self.chunk.chunk_id,
                "doc_id": self.meta.doc_id,
                "title": self.meta.title,
                "heading": self.chunk.heading,
                "page": self.chunk.page_start,
                "kind": self.meta.kind.value,
                "hazards": list(self.meta.hazards),
                "region": self.meta.region,
                "source_path": self.meta.source_path,
                "score": self.score,
                "dense_score": self.dense_score,
                "lexical_score": self.lexical_score,
            },
        )


class HybridRetriever(BaseRetriever):
    """Retrieves cited chunks; ``k``, ``mode`` and the filters set here are the LangChain-call defaults."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: KnowledgeIndex
    settings: RetrievalSettings
    k: int | None = None
    mode: Mode | None = None
    kind: str | None = None
    hazards: list[str] | None = None
    region: str | None = None
    _documents: tuple[int, list[DocumentMeta]] | None = PrivateAttr(default=None)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.hits(query, self.k, mode=self.mode, kind=self.kind, hazards=self.hazards, region=self.region)
        return [hit.document() for hit in hits]

    def search(
        self,
        query: str,
        k: int | None = None,
        mode: str | None = None,
        kind: str | DocKind | None = None,
        hazards: Sequence[str] | None = None,
        region: str | None = None,
    ) -> list[Citation]:
        """Ranked citations for a question (the call the chain, UI and CLI make)."""
        return [hit.citation() for hit in self.hits(query, k, mode=mode, kind=kind, hazards=hazards, region=region)]

    def hits(
        self,
        query: str,
        k: int | None = None,
        *,
        mode: str | None = None,
        kind: str | DocKind | None = None,
        hazards: Sequence[str] | None = None,
        region: str | None = None,
    ) -> list[Hit]:
        k = k or self.settings.k
        mode = mode or self.settings.mode
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; expected one of {MODES}")
        if not query.strip():
            return []
        doc_ids = self.index.catalogue.doc_ids_matching(str(kind) if kind else None, hazards, region)
        if doc_ids is not None and not doc_ids:
            return []
        fetch = max(self.settings.fetch_k, k)
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if mode != "lexical":
            vector = self.index.embeddings.embed_query(query)
            dense = self.index.search_dense(vector, fetch if mode == "hybrid" else k, doc_ids)
        if mode != "dense":
            lexical = self.index.search_lexical(query, fetch if mode == "hybrid" else k, doc_ids)
        if mode == "hybrid":
            fused = reciprocal_rank_fusion(
                [
                    ([cid for cid, _ in dense], self.settings.dense_weight),
                    ([cid for cid, _ in lexical], self.settings.lexical_weight),
                ],
                self.settings.rrf_k,
            )
        else:
            fused = dense or lexical
        return self._hydrate(fused[:k], dict(dense), dict(lexical))

    def _hydrate(
        self, ranked: Sequence[tuple[str, float]], dense: dict[str, float], lexical: dict[str, float]
    ) -> list[Hit]:
        found = self.index.catalogue.hydrate([cid for cid, _ in ranked])
        return [
            Hit(*found[cid], score=score, dense_score=dense.get(cid), lexical_score=lexical.get(cid))
            for cid, score in ranked
            if cid in found
        ]

    def status(self) -> IndexStatus:
        return self.index.status()

    # ------------------------------------------------------------ the library behind the hits

    def documents(self) -> list[DocumentMeta]:
        """Every indexed document's metadata (jurisdiction, hazards, kind) for choosing applicable plans.

        Read once per catalogue generation: every draft asks, and the library changes only on ingest.
        """
        generation = self.index.catalogue.generation()
        if self._documents is None or self._documents[0] != generation:
            self._documents = (generation, [record.meta for record in self.index.catalogue.documents()])
        return self._documents[1]

    def grading(self, doc_ids: Sequence[str]) -> dict[str, Grading]:
        """The grading criteria extracted from these documents at ingest."""
        return self.index.catalogue.grading(doc_ids)

    def cite(self, chunk_ids: Sequence[str]) -> dict[str, Citation]:
        """Citations for known chunk ids (a clause a criterion was read from)."""
        return {
            cid: Hit(chunk, meta, 0.0, None, None).citation()
            for cid, (chunk, meta) in self.index.catalogue.hydrate(list(chunk_ids)).items()
        }

    def passages(self, doc_id: str) -> list[Citation]:
        """Every chunk of one document, in order."""
        ids = self.index.catalogue.chunk_ids_of(doc_id)
        found = self.cite(ids)
        return [found[cid] for cid in ids if cid in found]
