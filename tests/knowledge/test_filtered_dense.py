"""Filtered dense search without Chroma's slow ``where``: exact in-memory subsets and over-fetching, checked
against an exact search over the filter's vectors, on a real Chroma store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.domain import Chunk, DocKind, DocumentMeta
from assistant.knowledge.index import KnowledgeIndex
from assistant.knowledge.vector_store import BROAD_FILTER_SHARE
from tests.knowledge.conftest import make_settings
from tests.knowledge.slow_embedder import SlowHashEmbeddings, hash_vector

HAZARDS = ("燃气", "洪涝", "地震", "台风", "大风", "高温")  # document n has HAZARDS[n % 6]


def _document(number: int) -> tuple[DocumentMeta, list[Chunk]]:
    doc_id = f"doc{number:02d}"
    meta = DocumentMeta(
        doc_id=doc_id,
        title=f"江城市第{number}号预案",
        kind=DocKind.PLAN if number % 2 else DocKind.CASE,
        hazards=(HAZARDS[number % len(HAZARDS)],),
        source_path=f"/docs/{doc_id}.md",
    )
    chunks = [
        Chunk(f"{doc_id}:{i:04d}", doc_id, f"第{number}号预案第{i}条：处置措施{i * number}。", (f"{i} 条",), position=i)
        for i in range(10)
    ]
    return meta, chunks


@pytest.fixture
def index(tmp_path: Path) -> KnowledgeIndex:
    index = KnowledgeIndex(make_settings(tmp_path), SlowHashEmbeddings())
    for number in range(12):
        meta, chunks = _document(number)
        index.store_document(meta, chunks, file_sha256=meta.doc_id)
    index.embed_pending()
    return index


def _exact(index: KnowledgeIndex, doc_ids: list[str], query: np.ndarray, n: int) -> list[str]:
    """The true nearest chunks of those documents, by brute force over the texts' own vectors."""
    chunks = index.catalogue.hydrate([cid for cid, doc, _ in index.catalogue.lexical_rows() if doc in doc_ids])
    rows = [(cid, hash_vector(chunk.retrieval_text(meta.title))) for cid, (chunk, meta) in chunks.items()]
    scores = {cid: float(vector @ query) for cid, vector in rows}
    return sorted(scores, key=lambda cid: -scores[cid])[:n]


@pytest.mark.parametrize(
    ("kind", "hazards", "path"),
    [
        (None, ["燃气"], "in-memory subset"),  # 2 of 12 documents
        ("case", ["燃气", "洪涝"], "in-memory subset"),  # 2 of 12 (the 洪涝 documents are plans)
        (None, ["燃气", "洪涝", "地震"], "over-fetch"),  # 6 of 12: broad
    ],
)
def test_filtered_dense_search_equals_an_exact_search_of_the_filter(
    index: KnowledgeIndex, kind: str | None, hazards: list[str], path: str
) -> None:
    index.vectors.exact_max_chunks = 30  # as if these were 100k-chunk filters: larger ones over-fetch
    doc_ids = index.catalogue.doc_ids_matching(kind, hazards) or []
    index.refresh_lexical()
    members = index.lexical.subset(doc_ids)
    over_fetch = len(members.chunk_ids) > 30 and members.share >= BROAD_FILTER_SHARE
    assert over_fetch == (path == "over-fetch")
    for probe in ("燃气泄漏 关闭阀门", "第3号预案第7条", "地震 疏散"):
        query = np.asarray(SlowHashEmbeddings().embed_query(probe), dtype=np.float32)
        found = [cid for cid, _ in index.search_dense(query, 5, doc_ids)]
        assert found == _exact(index, doc_ids, query, 5)
        where = [cid for cid, _ in index.vectors.query(query, 5, doc_ids)]  # Chroma's own filter
        assert found == where


def test_a_filter_with_vectors_still_being_built_finds_them_once_they_exist(tmp_path: Path) -> None:
    index = KnowledgeIndex(make_settings(tmp_path), SlowHashEmbeddings())
    for number in range(12):
        meta, chunks = _document(number)
        index.store_document(meta, chunks, file_sha256=meta.doc_id)
    index.embed_pending()
    meta, chunks = _document(12)  # 燃气, vectors pending
    index.store_document(meta, chunks, file_sha256="12")
    doc_ids = index.catalogue.doc_ids_matching(hazards=["燃气"]) or []
    query = np.asarray(hash_vector(chunks[4].retrieval_text(meta.title)))
    assert "doc12:0004" not in [cid for cid, _ in index.search_dense(query, 3, doc_ids)]
    index.embed_pending()
    assert index.search_dense(query, 3, doc_ids)[0][0] == "doc12:0004"  # the partial subset was not kept
    index.remove_document("doc12")
    doc_ids = index.catalogue.doc_ids_matching(hazards=["燃气"]) or []
    assert all(not cid.startswith("doc12") for cid, _ in index.search_dense(query, 3, doc_ids))


def test_the_lexical_bitmap_of_a_filter_is_built_once_per_index_build(index: KnowledgeIndex) -> None:
    index.refresh_lexical()
    doc_ids = index.catalogue.doc_ids_matching(hazards=["洪涝"]) or []
    subset = index.lexical.subset(doc_ids)
    assert index.lexical.subset(list(reversed(doc_ids))) is subset
    assert subset.chunk_ids == {f"{d}:{i:04d}" for d in doc_ids for i in range(10)}
    assert subset.mask.sum() == len(subset.chunk_ids) == 20 and subset.share == pytest.approx(2 / 12)
    meta, chunks = _document(13)
    index.store_document(meta, chunks, file_sha256="13")  # a new generation: a new build, new bitmaps
    index.refresh_lexical()
    assert index.lexical.subset(doc_ids) is not subset
