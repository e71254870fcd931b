"""First run: the shipped knowledge is searchable at once, its vectors follow in the background.

Embedding the shipped plans and cases takes minutes on two cores, so start-up only
reads and catalogues them (seconds; keyword search works immediately), takes every
vector it can from the shipped seed cache, and leaves the rest to a background
thread. Retrieval uses whatever vectors are ready; ``describe()`` says how far along it is.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import NotFoundError
from assistant.knowledge.embedding_cache import seed_home, seed_path, text_hash, write_seed
from assistant.knowledge.index import KnowledgeIndex, ProgressFn
from assistant.knowledge.ingest import Ingestor, IngestReport

log = logging.getLogger(__name__)
LOG_EVERY_S = 15.0
STOP_WAIT_S = 2.0  # how long closing the app waits for the warm-up's batches in flight


@dataclass
class WarmupState:
    done: int = 0
    total: int = 0
    running: bool = False
    error: str = ""
    seconds: float = 0.0


class DenseWarmup:
    """Builds the missing dense vectors, in a daemon thread or in the caller's thread."""

    def __init__(self, index: KnowledgeIndex, on_progress: ProgressFn | None = None) -> None:
        self.index = index
        self.on_progress = on_progress
        self.state = WarmupState()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_log = 0.0

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self.state.running = True
        self._thread = threading.Thread(target=self.run, name="dense-warmup", daemon=True)
        self._thread.start()

    def run(self) -> int:
        started = time.perf_counter()
        self.state.running = True
        try:
            return self.index.embed_pending(self._progress, self._stop)
        except Exception as err:  # a failed warm-up must not kill the app: keyword search still works
            if self._stop.is_set():  # stopped on purpose (the app is closing); what was written is kept
                return self.state.done
            self.state.error = str(err)
            log.error("后台向量构建失败 / background embedding failed: %s", err)
            return self.state.done
        finally:
            self.state.running = False
            self.state.seconds = time.perf_counter() - started
            log.info(self.describe())

    def _progress(self, done: int, total: int) -> None:
        self.state.done, self.state.total = done, total
        now = time.monotonic()
        if now - self._last_log >= LOG_EVERY_S or done >= total:
            self._last_log = now
            log.info(self.describe())
        if self.on_progress:
            self.on_progress(done, total)

    def stop(self, timeout: float | None = STOP_WAIT_S) -> None:
        """Ask the thread to finish the batches in flight and stop; past ``timeout``, stop the embedding
        workers too (their batches are lost, everything written is kept)."""
        self._stop.set()
        self.join(timeout)
        if self._thread and self._thread.is_alive():
            self.index.embeddings.close()
            self.join()

    def join(self, timeout: float | None = None) -> None:
        if self._thread:
            self._thread.join(timeout)

    def describe(self) -> str:
        status = self.index.status()
        line = f"向量索引 {status.dense_ready}/{status.chunks} 就绪 / dense index {status.dense_ready}/{status.chunks} ready"
        if self.state.running:
            line += "（后台构建中 / building in background）"
        if self.state.error:
            line += f"；失败 / failed: {self.state.error}"
        return line


def ensure_shipped_knowledge(
    ingestor: Ingestor, shipped_dirs: Sequence[Path], background: bool = True, on_progress: ProgressFn | None = None
) -> tuple[IngestReport, DenseWarmup]:
    """Catalogue the shipped folders now and build their missing vectors (in the background by default)."""
    report = ingestor.ingest([d for d in shipped_dirs if d.is_dir()], embed=False)
    for failed in report.with_status("failed"):
        log.warning("内置知识文件无法读取 / shipped file not ingested: %s: %s", failed.path, failed.reason)
    warmup = DenseWarmup(ingestor.index, on_progress)
    status = ingestor.index.status()
    log.info("内置知识已就绪（关键词检索可用）/ shipped knowledge catalogued: %s", status.describe())
    if not status.dense_complete:
        if background:
            warmup.start()
        else:
            warmup.run()
    return report, warmup


def export_shipped_cache(
    ingestor: Ingestor, shipped_dirs: Sequence[Path], on_progress: ProgressFn | None = None
) -> tuple[Path, int]:
    """Write the seed cache that lets a fresh install skip embedding the shipped knowledge."""
    if not any(d.is_dir() for d in shipped_dirs):
        raise NotFoundError(f"没有内置知识目录 / no shipped knowledge folder among {[str(d) for d in shipped_dirs]}")
    return export_cache(ingestor, shipped_dirs, on_progress)


def export_cache(
    ingestor: Ingestor, folders: Sequence[Path], on_progress: ProgressFn | None = None
) -> tuple[Path, int]:
    """Write ``<common parent of the folders>/.embeddings/<model_id>.npz``: the vectors of every chunk under them.

    Folders are ingested first (a no-op when unchanged) and only chunks not yet cached are embedded.
    Copied along with its folder, the file lets ``assistant ingest`` on the next machine skip the
    embedding (see ``Ingestor``); the shipped knowledge's seed is one such file.
    """
    missing = [str(d) for d in folders if not d.is_dir()]
    if missing or not folders:
        raise NotFoundError(f"找不到文件夹 / no such folder: {', '.join(missing) or '(none given)'}")
    ingestor.ingest(folders, embed=False)
    index = ingestor.index
    texts = index.catalogue.retrieval_texts([str(d.resolve()) + os.sep for d in folders])
    batches = [texts[start : start + index.batch_size] for start in range(0, len(texts), index.batch_size)]
    vectors: dict[str, np.ndarray] = {}
    for batch, embedded in zip(batches, index.embeddings.embed_batches(batches), strict=True):
        vectors.update(zip(map(text_hash, batch), embedded, strict=True))
        if on_progress:
            on_progress(len(vectors), len(texts))
    path = seed_path(seed_home(folders), index.model_id)
    return path, write_seed(path, index.embeddings.inner, vectors)
