"""The knowledge index: catalogue + Chroma + BM25 kept consistent through replaces, removals and crashes."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import IndexMismatchError
from assistant.knowledge.catalogue import MIGRATIONS
from assistant.knowledge.index import KnowledgeIndex
from assistant.settings import Settings
from tests.knowledge.conftest import CORPUS, FLOOD_PLAN, GAS_PLAN, CountingEmbeddings


def _fill(index: KnowledgeIndex) -> None:
    for meta, chunks in CORPUS:
        index.store_document(meta, chunks, file_sha256=meta.doc_id)


def test_store_catalogues_at_once_and_vectors_follow(settings: Settings, model: CountingEmbeddings) -> None:
    index = KnowledgeIndex(settings, model)
    _fill(index)
    status = index.status()
    assert (status.documents, status.chunks, status.dense_ready) == (3, 5, 0)
    assert "dense index 0/5 ready" in status.describe()
    assert index.search_lexical("燃气泄漏", 3, None)[0][0] == "gasplan:0000"
    progress: list[tuple[int, int]] = []
    assert index.embed_pending(lambda done, total: progress.append((done, total))) == 5
    assert index.status().dense_complete and progress[-1] == (5, 5)
    vector = model.embed_query("暴雨红色预警 启动一级响应")
    assert index.search_dense(vector, 1, None)[0][0] == "floodplan:0000"
    assert index.search_dense(vector, 5, ["gasplan"])[0][0].startswith("gasplan:")


def test_cached_vectors_are_ready_immediately(settings: Settings, model: CountingEmbeddings) -> None:
    index = KnowledgeIndex(settings, model)
    meta, chunks = GAS_PLAN
    index.embeddings.embed_array([c.retrieval_text(meta.title) for c in chunks])
    embedded = model.passages_embedded
    assert index.store_document(meta, chunks, file_sha256="x") == 2
    assert index.status().dense_ready == 2
    assert index.embed_pending() == 0 and model.passages_embedded == embedded


def test_replacing_a_document_swaps_its_chunks_everywhere(settings: Settings, model: CountingEmbeddings) -> None:
    index = KnowledgeIndex(settings, model)
    _fill(index)
    index.embed_pending()
    meta, chunks = FLOOD_PLAN
    new_meta = replace(meta, doc_id="floodplan2")
    new_chunks = [
        replace(c, chunk_id=c.chunk_id.replace("floodplan", "floodplan2"), doc_id="floodplan2") for c in chunks
    ]
    new_chunks[1] = replace(new_chunks[1], text="灾后开展房屋安全鉴定和心理援助。")
    index.store_document(new_meta, new_chunks, file_sha256="v2", replaces=["floodplan"])
    assert index.catalogue.source_of("floodplan") is None
    stored = index.vectors.ids()
    assert not any(i.startswith("floodplan:") for i in stored)
    assert "floodplan2:0000" in stored  # unchanged text: its vector came from the cache
    assert index.status().dense_ready == 4  # the edited chunk waits for embedding
    assert index.search_lexical("心理援助", 1, None)[0][0] == "floodplan2:0001"
    assert index.embed_pending() == 1


def test_remove_document(settings: Settings, model: CountingEmbeddings) -> None:
    index = KnowledgeIndex(settings, model)
    _fill(index)
    index.embed_pending()
    assert index.remove_document("gasplan") == 2
    assert index.status().chunks == 3 and index.vectors.count() == 3
    assert index.search_lexical("燃气泄漏 阀门", 5, None) == []


def test_a_crash_between_chroma_and_sqlite_is_repaired_on_reopen(settings: Settings, model: CountingEmbeddings) -> None:
    index = KnowledgeIndex(settings, model)
    _fill(index)
    index.embed_pending()
    # Simulate a crash: orphan vectors written to Chroma for chunks the catalogue never got,
    # and a chunk marked ready whose vector is missing.
    index.catalogue.set_state("vectors_dirty", "1")
    index.vectors.add(["ghost:0000"], np.ones((1, 384), np.float32), ["ghost"])
    index.vectors.delete(["gasplan:0001"])
    reopened = KnowledgeIndex(settings, model)
    reopened.ensure_consistent()
    assert "ghost:0000" not in reopened.vectors.ids()
    assert reopened.status().dense_ready == 4
    assert reopened.embed_pending() == 1 and reopened.vectors.count() == 5


def test_lexical_index_follows_the_catalogue_across_processes(settings: Settings, model: CountingEmbeddings) -> None:
    reader = KnowledgeIndex(settings, model)
    assert reader.search_lexical("燃气", 3, None) == []
    writer = KnowledgeIndex(settings, model)
    _fill(writer)
    assert reader.search_lexical("燃气泄漏", 3, None)[0][0] == "gasplan:0000"


def test_another_model_asks_for_a_rebuild(settings: Settings, model: CountingEmbeddings) -> None:
    index = KnowledgeIndex(settings, model)
    _fill(index)
    index.embed_pending()
    other = CountingEmbeddings(model.inner, model_id="another-model")
    switched = KnowledgeIndex(settings, other)
    with pytest.raises(IndexMismatchError, match="assistant kb rebuild"):
        switched.search_dense(other.embed_query("燃气"), 3, None)
    assert switched.rebuild() == 5
    assert switched.vectors.count() == 5 and switched.status().dense_complete
    assert (switched.vectors.collection.metadata or {})["embedding_model"] == "another-model"


def test_embed_pending_stops_when_asked(settings: Settings, model: CountingEmbeddings) -> None:
    index = KnowledgeIndex(
        settings.model_copy(update={"embedding": settings.embedding.model_copy(update={"batch_size": 2})}), model
    )
    _fill(index)
    stop = threading.Event()
    index.embed_pending(lambda done, total: stop.set(), stop)
    assert index.status().dense_ready == 2
    assert index.embed_pending() == 3


def test_filters_select_documents(settings: Settings, model: CountingEmbeddings) -> None:
    index = KnowledgeIndex(settings, model)
    _fill(index)
    match = index.catalogue.doc_ids_matching
    assert match() is None
    assert set(match(kind="plan") or []) == {"gasplan", "floodplan"}
    assert set(match(hazards=["暴雨内涝"]) or []) == {"floodplan", "floodcase"}
    assert match(kind="case", hazards=["燃气"]) == []
    assert match(region="北京") == ["floodplan"]
    assert match(region="郑州市") == ["floodcase"]
    assert match(region="广州市") == []
    assert match(region="河南省") == ["floodcase"]
    assert index.catalogue.stats()["kind"] == {"plan": 2, "case": 1}


def test_catalogue_schema_is_migrated(settings: Settings, model: CountingEmbeddings) -> None:
    KnowledgeIndex(settings, model)
    db = sqlite3.connect(Path(settings.data_path("catalogue.sqlite")))
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_rebuild_retokenises_chunks_and_reuses_cached_vectors(settings: Settings, model: CountingEmbeddings) -> None:
    index = KnowledgeIndex(settings, model)
    _fill(index)
    index.embed_pending()
    embedded = model.passages_embedded
    index.catalogue.set_tokens([("gasplan:0000", ["stale"])])  # as if written by an older tokeniser
    assert index.search_lexical("燃气泄漏 阀门", 1, None)[0][0] != "gasplan:0000"
    assert index.rebuild() == 5 and model.passages_embedded == embedded
    assert index.search_lexical("燃气泄漏 阀门", 1, None)[0][0] == "gasplan:0000"
