"""The worker pool itself: how many workers, results in input order, clear errors from a worker."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.errors import EmbeddingError
from assistant.knowledge.embed_pool import EmbeddingPool, resolve_workers, usable_cores
from assistant.knowledge.embed_worker import WorkerSpec
from tests.knowledge.slow_embedder import MODEL_ID, hash_vector

SPEC = WorkerSpec("tests.knowledge.slow_embedder:SlowHashEmbeddings", MODEL_ID, {"delay_s": 0.01})


def test_workers_default_to_the_usable_cores_within_the_cap() -> None:
    assert resolve_workers(0, 16) == min(usable_cores(), 16)
    assert resolve_workers(0, 1) == 1 and resolve_workers(3, 16) == 3 and resolve_workers(32, 8) == 8


def test_batches_come_back_in_input_order_whichever_worker_finishes_first() -> None:
    pool = EmbeddingPool(SPEC, workers=2)
    try:
        batches = [[f"第{b}批第{i}条" for i in range(1 + (b * 7) % 5)] for b in range(12)]  # uneven sizes
        results = list(pool.map(batches))
        assert len(pool.pids()) == 2
    finally:
        pool.close()
    for texts, vectors in zip(batches, results, strict=True):
        np.testing.assert_allclose(vectors, np.stack([hash_vector(t) for t in texts]), rtol=1e-6)
    assert pool.pids() == [] and set(pool.peak_rss_mb) == {0, 1} and min(pool.peak_rss_mb.values()) > 10


def test_a_worker_that_cannot_build_the_model_is_a_clear_error() -> None:
    pool = EmbeddingPool(WorkerSpec(SPEC.factory, "another-model", SPEC.kwargs), workers=1)
    try:
        with pytest.raises(EmbeddingError, match=r"could not load the model.*expected another-model"):
            list(pool.map([["a"], ["b"]]))
    finally:
        pool.close()
    with pytest.raises(EmbeddingError, match="embedding was stopped"):
        pool.submit(["c"]).result()
