"""The hybrid retriever: modes, filters, citations, LangChain documents, partial dense coverage."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from assistant.domain import Citation, DocKind
from assistant.knowledge.index import KnowledgeIndex
from assistant.knowledge.retriever import HybridRetriever
from assistant.settings import Settings
from tests.knowledge.conftest import CORPUS, CountingEmbeddings


@pytest.fixture
def retriever(settings: Settings, model: CountingEmbeddings) -> HybridRetriever:
    index = KnowledgeIndex(settings, model)
    for meta, chunks in CORPUS:
        index.store_document(meta, chunks, file_sha256=meta.doc_id)
    index.embed_pending()
    return HybridRetriever(index=index, settings=settings.retrieval)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_every_mode_finds_the_clause(retriever: HybridRetriever, mode: str) -> None:
    hits = retriever.search("燃气泄漏 关闭阀门 切断气源", k=2, mode=mode)
    assert isinstance(hits[0], Citation) and len(hits) <= 2
    top = hits[0]
    assert top.chunk_id == "gasplan:0000" and top.title == "城镇燃气突发事件应急预案"
    assert top.heading == "4 应急响应 > 4.1 先期处置" and top.page == 1 and top.kind is DocKind.PLAN
    assert top.score > 0 and "20分钟" in top.text
    assert top.label() == "《城镇燃气突发事件应急预案》 · 4 应急响应 > 4.1 先期处置 p.1"


def test_hybrid_scores_are_fused_and_sorted(retriever: HybridRetriever) -> None:
    hits = retriever.hits("暴雨红色预警 一级应急响应", k=5)
    assert hits[0].chunk.chunk_id == "floodplan:0000"
    assert hits[0].dense_score is not None and hits[0].lexical_score is not None
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_filters_by_kind_hazard_and_region(retriever: HybridRetriever) -> None:
    query = "rainstorm red warning response"
    assert {c.doc_id for c in retriever.search(query, k=5, kind="case")} == {"floodcase"}
    assert {c.doc_id for c in retriever.search(query, k=5, kind=DocKind.PLAN, hazards=["洪涝"])} == {"floodplan"}
    assert {c.doc_id for c in retriever.search(query, k=5, region="上海")} == {"gasplan"}
    assert retriever.search(query, k=5, hazards=["地震"]) == []


def test_langchain_interface_returns_documents_with_citation_metadata(retriever: HybridRetriever) -> None:
    docs = retriever.invoke("Metro flooded in the rainstorm, what are the lessons?")
    assert all(isinstance(d, Document) for d in docs) and len(docs) <= 8
    top = docs[0]
    assert top.metadata["chunk_id"] == "floodcase:0000" and top.id == "floodcase:0000"
    assert top.metadata["title"] == "Zhengzhou 7.20 rainstorm (case)"
    assert top.metadata["heading"] == "Lessons" and top.metadata["kind"] == "case"
    assert top.metadata["hazards"] == ["暴雨内涝"] and top.metadata["page"] == 1
    assert top.metadata["source_path"] == "/docs/floodcase.md" and top.metadata["score"] > 0
    lexical_only = retriever.model_copy(update={"mode": "lexical", "k": 1, "kind": "plan"})
    assert [d.metadata["doc_id"] for d in lexical_only.invoke("燃气 爆炸")] == ["gasplan"]


def test_unknown_words_blank_queries_and_bad_modes(retriever: HybridRetriever) -> None:
    assert retriever.search("zzqx 量子纠缠", mode="lexical") == []
    assert retriever.search("   ") == []
    with pytest.raises(ValueError, match="unknown retrieval mode"):
        retriever.search("燃气", mode="fuzzy")


def test_hybrid_uses_whatever_dense_vectors_are_ready(settings: Settings, model: CountingEmbeddings) -> None:
    index = KnowledgeIndex(settings, model)
    for meta, chunks in CORPUS:
        index.store_document(meta, chunks, file_sha256=meta.doc_id)
    retriever = HybridRetriever(index=index, settings=settings.retrieval)
    assert retriever.search("燃气泄漏", k=1)[0].chunk_id == "gasplan:0000"  # BM25 alone while nothing is embedded
    assert retriever.search("燃气泄漏", k=1, mode="dense") == []
    assert retriever.status().dense_ready == 0
