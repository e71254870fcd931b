"""A slow, deterministic embedder that can run in the worker pool, and a child process that ingests with it.

The kill tests need embedding to take long enough to be interrupted, and to know exactly
which texts were embedded, in which process. Vectors are derived from each text's hash,
so a vector in the index can be checked against the text it claims to belong to. The
worker pool, the cache, Chroma, BM25 and the catalogue are all real.

Child: ``python -m tests.knowledge.slow_embedder DATA_DIR CORPUS LOG DELAY_S WORKERS [CRASH_TEXT MARKER]``.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from assistant.knowledge.embed_pool import PooledPassages
from assistant.knowledge.embed_worker import WorkerSpec
from assistant.knowledge.embeddings import ModelEmbeddings

MODEL_ID = "slow-hash-16"


def hash_vector(text: str) -> np.ndarray:
    digest = np.frombuffer(hashlib.sha256(text.encode("utf-8")).digest()[:16], dtype=np.uint8).astype(np.float32)
    vector = digest + 1.0
    return vector / np.linalg.norm(vector)


class SlowHashEmbeddings(ModelEmbeddings):
    """``delay_s`` per text; appends "start|done <pid> <hash>" lines to ``log_path`` around each batch.

    ``crash_on``: a worker that meets this text SIGKILLs itself mid-batch, once (``marker`` records it).
    """

    def __init__(
        self, delay_s: float = 0.0, log_path: str = "", workers: int = 1, crash_on: str = "", marker: str = ""
    ) -> None:
        self.model_id = MODEL_ID
        self.delay_s = delay_s
        self.log_path = log_path
        self.crash_on = crash_on
        self.marker = marker
        kwargs = {"delay_s": delay_s, "log_path": log_path, "crash_on": crash_on, "marker": marker}
        self.pool = PooledPassages(
            WorkerSpec("tests.knowledge.slow_embedder:SlowHashEmbeddings", MODEL_ID, kwargs), workers, self.embed_array
        )
        if workers <= 1:
            self.pool = None

    def _log(self, event: str, texts: Sequence[str]) -> None:
        if self.log_path:
            lines = "".join(f"{event} {os.getpid()} {hashlib.sha256(t.encode()).hexdigest()}\n" for t in texts)
            with open(self.log_path, "a", encoding="utf-8") as fh:
                fh.write(lines)

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        self._log("start", texts)
        time.sleep(self.delay_s * len(texts))
        if self.crash_on and any(self.crash_on in t for t in texts) and not Path(self.marker).exists():
            Path(self.marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        self._log("done", texts)
        return np.stack([hash_vector(t) for t in texts]) if texts else np.zeros((0, 16), np.float32)

    def embed_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        return self.pool.embed_batches(batches) if self.pool else super().embed_batches(batches)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return hash_vector(text).tolist()

    def close(self) -> None:
        if self.pool:
            self.pool.close()


def main(argv: list[str]) -> int:
    from assistant.knowledge.index import KnowledgeIndex
    from assistant.knowledge.ingest import Ingestor
    from assistant.settings import load_settings

    data_dir, corpus, log_path, delay_s, workers, *crash = argv
    settings = load_settings(
        env={
            "ASSISTANT_DATA_DIR": data_dir,
            "ASSISTANT__KNOWLEDGE__SHIPPED_DIRS": "[]",
            "ASSISTANT__EMBEDDING__BATCH_SIZE": "4",
        }
    )
    model = SlowHashEmbeddings(float(delay_s), log_path, int(workers), *crash)
    index = KnowledgeIndex(settings, model)
    try:
        report = Ingestor(index, settings.knowledge).ingest([corpus])
    finally:
        model.close()
        index.close()
    print(json.dumps({"embedded": report.embedded, "chunks": report.chunks_added, "error": report.dense_error}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
