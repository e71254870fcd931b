"""How close a clause is in meaning to the question (the bundled multilingual embedding model).

Word overlap misses "How soon must a gas leak be reported?" against "单位负责人接报后须在
1小时内…报告"; the E5 model puts both near each other. Only the few clauses that survive
the cheap lexical pre-selection are embedded, each once: vectors are kept in memory here
and, through the index's embedding cache, on disk, so the latency budget holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

import numpy as np

CACHE_SIZE = 8192


class Embedder(Protocol):
    """What the chat needs from the knowledge index's embeddings (queries and passages differ in E5)."""

    def embed_query(self, text: str) -> list[float]: ...

    def embed_array(self, texts: Sequence[str]) -> np.ndarray: ...


class ClauseMeaning:
    """Cosine similarity of a question and candidate clauses; clause vectors are cached by text."""

    def __init__(self, embedder: Embedder, cache_size: int = CACHE_SIZE) -> None:
        self.embedder = embedder
        self.cache_size = cache_size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def similarities(self, question: str, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        query = _unit(np.asarray(self.embedder.embed_query(question), dtype=np.float32))
        vectors = self._clause_vectors(texts)
        return [float(np.dot(query, v)) for v in vectors]

    def _clause_vectors(self, texts: Sequence[str]) -> list[np.ndarray]:
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = np.asarray(self.embedder.embed_array(missing), dtype=np.float32).reshape(len(missing), -1)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    known[text] = self._vectors[text] = _unit(vector)
                while len(self._vectors) > self.cache_size:
                    self._vectors.popitem(last=False)
        return [known[t] for t in texts]


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
