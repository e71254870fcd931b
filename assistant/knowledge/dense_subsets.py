"""Exact dense search inside a filter: the vectors of one filter's chunks, held in memory.

Chroma's ``where`` filter costs 30-80x a plain query at 100k chunks, and asking the HNSW
index for ``n / share`` unfiltered neighbours gets slow when a filter admits a few percent
of the library (a hazard, a kind and a hazard). A filter's chunks are a few thousand
vectors: a matrix product over them takes about a millisecond and finds the exact nearest
ones. The matrix is read from Chroma once per filter and kept (least recently used first
out, within a memory budget); a write to any of its documents drops it. A filter whose
chunks are not all embedded yet is searched but not kept, so vectors still being built
show up as soon as they exist.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

DEFAULT_BUDGET_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class _Subset:
    ids: list[str]
    matrix: np.ndarray  # normalised rows, float32


class SubsetCache:
    """Per-filter in-memory matrices, keyed by the filter's document ids."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._subsets: OrderedDict[frozenset[str], _Subset] = OrderedDict()
        self._lock = threading.Lock()
        self._epoch = 0  # bumped by every forget(): a matrix read before a write is never kept

    def search(
        self, collection: Any, doc_ids: frozenset[str], chunk_ids: Collection[str], vector: Sequence[float], n: int
    ) -> list[tuple[str, float]] | None:
        """The ``n`` chunks among ``chunk_ids`` nearest to ``vector`` (cosine), or None when they would not fit."""
        if not chunk_ids:
            return []
        subset = self._get(doc_ids)
        if subset is None:
            if len(chunk_ids) * 4 * len(vector) > self.budget_bytes:
                return None
            epoch = self._epoch
            subset = self._load(collection, chunk_ids)
            if len(subset.ids) == len(chunk_ids):  # complete: nothing of this filter is still being embedded
                self._put(doc_ids, subset, epoch)
        if not subset.ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        scores = subset.matrix @ (query / (np.linalg.norm(query) or 1.0))
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(subset.ids[i], float(scores[i])) for i in top]

    def forget(self, doc_ids: Iterable[str] | None = None) -> None:
        """Drop the matrices of filters that hold any of these documents (all of them for None)."""
        with self._lock:
            self._epoch += 1
            if doc_ids is None:
                self._subsets.clear()
                return
            touched = set(doc_ids)
            for key in [k for k in self._subsets if not touched.isdisjoint(k)]:
                del self._subsets[key]

    def _get(self, key: frozenset[str]) -> _Subset | None:
        with self._lock:
            subset = self._subsets.get(key)
            if subset is not None:
                self._subsets.move_to_end(key)
            return subset

    def _put(self, key: frozenset[str], subset: _Subset, epoch: int) -> None:
        with self._lock:
            if epoch != self._epoch:
                return
            self._subsets[key] = subset
            while sum(s.matrix.nbytes for s in self._subsets.values()) > self.budget_bytes:
                self._subsets.popitem(last=False)

    @staticmethod
    def _load(collection: Any, chunk_ids: Collection[str]) -> _Subset:
        reply = collection.get(ids=list(chunk_ids), include=["embeddings"])
        ids = list(reply["ids"])
        if not ids:
            return _Subset([], np.zeros((0, 0), dtype=np.float32))
        matrix = np.asarray(reply["embeddings"], dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return _Subset(ids, matrix / np.where(norms == 0, 1, norms))
