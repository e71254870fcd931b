"""Ingestion into the index: incremental re-runs, replaced/moved/duplicate files, removal, repair, first run."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import EmbeddingError, NotFoundError
from assistant.knowledge.first_run import ensure_shipped_knowledge, export_cache, export_shipped_cache
from assistant.knowledge.index import KnowledgeIndex
from assistant.knowledge.ingest import Ingestor
from assistant.knowledge.retriever import HybridRetriever
from tests.knowledge.conftest import CountingEmbeddings, make_settings

GAS_MD = """---
title: 城镇燃气事故处置要点
kind: plan
hazards: [燃气]
region: 上海市
---

# 城镇燃气事故处置要点

## 一、先期处置
燃气泄漏报警后，抢修人员20分钟内到场，关闭阀门，切断气源。

## 二、分级响应
造成3人以上死亡的燃气爆炸事故，启动Ⅱ级应急响应。
"""

FLOOD_TXT = """北京市防汛应急预案（节选）
一、一级应急响应
市气象局发布暴雨红色预警后，市防指启动一级应急响应。
二、善后工作
洪水退去后，组织清淤消杀，检查房屋安全。
"""


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """old.doc in the sample library stands for a file this machine cannot read: hide an installed LibreOffice."""
    which = shutil.which
    monkeypatch.setattr(
        shutil,
        "which",
        lambda name, *args, **kw: None if name in ("soffice", "libreoffice") else which(name, *args, **kw),
    )


def _library(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "gas.md").write_text(GAS_MD, encoding="utf-8")
    (root / "sub").mkdir(exist_ok=True)
    (root / "sub" / "flood.txt").write_bytes(FLOOD_TXT.encode("gb18030"))
    (root / "notes.xyz").write_text("not a document", encoding="utf-8")
    (root / ".hidden.md").write_text(GAS_MD.replace("燃气", "隐藏"), encoding="utf-8")
    (root / ".embeddings").mkdir(exist_ok=True)
    (root / ".embeddings" / "x.md").write_text("# ignored", encoding="utf-8")
    (root / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 not really a word file")
    return root


def _ingestor(tmp_path: Path, model: CountingEmbeddings, shipped: Sequence[Path] = ()) -> Ingestor:
    settings = make_settings(tmp_path, shipped)
    return Ingestor(KnowledgeIndex(settings, model, seed_dirs=shipped), settings.knowledge)


def test_ingest_a_folder_then_rerun_is_a_no_op(tmp_path: Path, model: CountingEmbeddings) -> None:
    library = _library(tmp_path / "lib")
    ingestor = _ingestor(tmp_path, model)
    progress: list[tuple[int, int]] = []
    report = ingestor.ingest([library], on_file=lambda r, done, total: progress.append((done, total)))
    by_name = {Path(r.path).name: r for r in report.results}
    assert set(by_name) == {"gas.md", "flood.txt", "notes.xyz", "old.doc"}
    assert by_name["gas.md"].status == "added" and by_name["gas.md"].chunks >= 2
    assert by_name["flood.txt"].status == "added" and by_name["flood.txt"].title.startswith("北京市防汛应急预案")
    assert by_name["notes.xyz"].status == "skipped" and "unsupported" in by_name["notes.xyz"].reason
    assert by_name["old.doc"].status == "failed" and ".docx" in by_name["old.doc"].reason
    assert progress[-1] == (3, 3) and report.changed == 2
    assert report.embedded == report.chunks_added == ingestor.index.status().dense_ready
    embedded = model.passages_embedded

    again = _ingestor(tmp_path, model).ingest([library])
    assert again.changed == 0 and len(again.with_status("unchanged")) == 2
    assert model.passages_embedded == embedded


def test_changed_file_replaces_its_chunks_and_reuses_cached_vectors(tmp_path: Path, model: CountingEmbeddings) -> None:
    library = _library(tmp_path / "lib")
    ingestor = _ingestor(tmp_path, model)
    first = ingestor.ingest([library / "gas.md"]).results[0]
    embedded = model.passages_embedded
    (library / "gas.md").write_text(GAS_MD.replace("20分钟内到场", "15分钟内到场"), encoding="utf-8")
    second = ingestor.ingest([library / "gas.md"]).results[0]
    assert second.status == "replaced" and second.doc_id != first.doc_id
    docs = ingestor.documents()
    assert [d.meta.doc_id for d in docs] == [second.doc_id] and docs[0].dense_ready == docs[0].chunks
    assert model.passages_embedded == embedded + 1  # only the edited section was embedded again
    retriever = HybridRetriever(index=ingestor.index, settings=ingestor.index.settings.retrieval)
    assert "15分钟内到场" in retriever.search("抢修人员多久到场", k=1)[0].text
    assert not any(i.startswith(f"{first.doc_id}:") for i in ingestor.index.vectors.ids())


def test_moved_duplicate_and_removed_documents(tmp_path: Path, model: CountingEmbeddings) -> None:
    library = _library(tmp_path / "lib")
    ingestor = _ingestor(tmp_path, model)
    added = ingestor.ingest([library / "gas.md"]).results[0]
    shutil.copy(library / "gas.md", library / "copy.md")
    duplicate = ingestor.ingest([library / "copy.md"]).results[0]
    assert duplicate.status == "duplicate" and "gas.md" in duplicate.reason
    (library / "gas.md").rename(library / "renamed.md")
    moved = ingestor.ingest([library / "renamed.md"]).results[0]
    assert moved.status == "moved" and moved.doc_id == added.doc_id
    assert ingestor.documents()[0].meta.source_path.endswith("renamed.md")
    assert ingestor.remove(added.doc_id) == added.chunks
    ingestor.ingest([library])
    (library / "sub" / "flood.txt").unlink()
    vanished = ingestor.ingest([library]).with_status("removed")
    assert [Path(r.path).name for r in vanished] == ["flood.txt"] and "no longer exists" in vanished[0].reason
    assert "flood.txt" not in {Path(d.meta.source_path).name for d in ingestor.documents()}
    for record in ingestor.documents():
        ingestor.remove(record.meta.doc_id)
    assert ingestor.documents() == [] and ingestor.index.vectors.count() == 0
    with pytest.raises(NotFoundError, match="kb list"):
        ingestor.remove(added.doc_id)


class _FailingAfter(CountingEmbeddings):
    """A real model whose backend 'goes down' after some passage calls, as an endpoint might."""

    def __init__(self, inner: CountingEmbeddings, calls: int) -> None:
        super().__init__(inner.inner)
        self.calls_left = calls

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        if self.calls_left <= 0:
            raise EmbeddingError("endpoint down")
        self.calls_left -= 1
        return super().embed_array(texts)


def test_interrupted_embedding_is_finished_by_a_rerun(tmp_path: Path, model: CountingEmbeddings) -> None:
    library = _library(tmp_path / "lib")
    settings = make_settings(tmp_path, ASSISTANT__EMBEDDING__BATCH_SIZE="1")
    flaky = _FailingAfter(model, calls=1)
    report = Ingestor(KnowledgeIndex(settings, flaky), settings.knowledge).ingest([library])
    assert "endpoint down" in report.dense_error and "kb warm" in report.dense_error
    index = KnowledgeIndex(settings, model)
    assert index.status().dense_ready == 1 and index.search_lexical("燃气", 1, None)  # keyword search works
    rerun = Ingestor(index, settings.knowledge).ingest([library])
    assert rerun.changed == 0 and index.status().dense_complete


def test_first_run_catalogues_now_and_embeds_in_the_background(tmp_path: Path, model: CountingEmbeddings) -> None:
    shipped = _library(tmp_path / "knowledge")
    ingestor = _ingestor(tmp_path, model, [shipped])
    report, warmup = ensure_shipped_knowledge(ingestor, [shipped], background=True)
    assert report.changed == 2 and ingestor.index.search_lexical("燃气泄漏", 1, None)
    warmup.join(timeout=60)
    assert not warmup.state.running and not warmup.state.error
    assert ingestor.index.status().dense_complete
    assert "dense index" in warmup.describe()


def test_shipped_seed_cache_makes_a_fresh_install_ready_at_once(tmp_path: Path, model: CountingEmbeddings) -> None:
    shipped = _library(tmp_path / "knowledge")
    path, count = export_shipped_cache(_ingestor(tmp_path / "maintainer", model, [shipped]), [shipped])
    assert path == shipped / ".embeddings" / f"{model.model_id}.npz" and count >= 4
    fresh = CountingEmbeddings(model.inner)
    ingestor = _ingestor(tmp_path / "fresh", fresh, [shipped])
    _, warmup = ensure_shipped_knowledge(ingestor, [shipped], background=True)
    assert ingestor.index.status().dense_complete and warmup.state.done == 0
    assert fresh.passage_calls == [[fresh.passage_calls[0][0]]]  # only the seed's probe text was embedded


def test_an_exported_library_spares_the_next_machine_the_embedding(tmp_path: Path, model: CountingEmbeddings) -> None:
    library = _library(tmp_path / "lib")
    first = _ingestor(tmp_path / "machine1", model)
    report = first.ingest([library])
    path, count = export_cache(first, [library])
    assert path == library / ".embeddings" / f"{model.model_id}.npz" and count == report.chunks_added
    copied = shutil.copytree(library, tmp_path / "elsewhere" / "lib")  # the folder, with its .embeddings
    fresh = CountingEmbeddings(model.inner)
    again = _ingestor(tmp_path / "machine2", fresh).ingest([copied / "sub"])  # found above the folder too
    assert again.changed == 1 and again.embedded == 0
    assert fresh.passage_calls == [[fresh.passage_calls[0][0]]]  # only the seed's probe text was embedded
    with pytest.raises(NotFoundError, match="no such folder"):
        export_cache(first, [tmp_path / "missing"])


def test_a_file_that_turns_bad_keeps_its_previous_version(tmp_path: Path, model: CountingEmbeddings) -> None:
    library = _library(tmp_path / "lib")
    settings = make_settings(tmp_path, ASSISTANT__KNOWLEDGE__MAX_UPLOAD_MB="1")
    ingestor = Ingestor(KnowledgeIndex(settings, model), settings.knowledge)
    target = library / "sub" / "flood.txt"
    added = ingestor.ingest([target], embed=False).results[0]
    target.write_text(FLOOD_TXT * 8000, encoding="utf-8")  # about 2 MB
    failed = ingestor.ingest([target], embed=False).results[0]
    assert failed.status == "failed" and "over the limit" in failed.reason
    assert [d.meta.doc_id for d in ingestor.documents()] == [added.doc_id]
