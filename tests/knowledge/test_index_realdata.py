"""Ingesting the shared real plans and cases (catalogue + BM25; vectors deferred so the test stays short)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.knowledge.index import KnowledgeIndex
from assistant.knowledge.ingest import Ingestor
from assistant.knowledge.retriever import HybridRetriever
from tests.knowledge.conftest import CountingEmbeddings, make_settings

BEIJING_FLOOD = "03-北京市防汛应急预案-2025年修订.txt"


@pytest.mark.slow
@pytest.mark.realdata
def test_realdata_ingests_every_file_and_finds_the_level_one_clause(
    realdata: Path, tmp_path: Path, model: CountingEmbeddings
) -> None:
    settings = make_settings(tmp_path)
    index = KnowledgeIndex(settings, model)
    report = Ingestor(index, settings.knowledge).ingest([realdata / "plans", realdata / "cases"], embed=False)
    assert report.with_status("failed") == []
    added = {Path(r.path).name: r for r in report.with_status("added")}
    pdfs = [name for name in added if name.endswith(".pdf")]
    assert len(pdfs) == 7 and added["TSB_m_2021_A0041.pdf"].chunks > 10  # the AES-encrypted one
    assert added["紫楹台酒店应急预案.docx"].chunks > 50
    assert any("OCR" in w for r in added.values() for w in r.warnings)
    assert model.passage_calls == []  # vectors deferred

    retriever = HybridRetriever(index=index, settings=settings.retrieval)
    hits = retriever.hits("北京市 防汛 一级应急响应 启动条件", k=3, mode="lexical")
    assert any(h.meta.source_path.endswith(BEIJING_FLOOD) and "一级应急响应" in h.chunk.heading for h in hits)

    started = time.perf_counter()
    again = Ingestor(KnowledgeIndex(settings, model), settings.knowledge).ingest(
        [realdata / "plans", realdata / "cases"], embed=False
    )
    assert again.changed == 0 and time.perf_counter() - started < 10
