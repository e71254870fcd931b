"""The knowledge index: catalogue + Chroma vectors + BM25, kept consistent with each other.

Write order (why a crash never leaves half a document): new vectors go into Chroma
under new chunk ids first, then ONE SQLite transaction inserts the new document and
deletes the old one, then the old vectors are deleted. A ``vectors_dirty`` flag is
set around the Chroma writes; if a crash leaves it set, the next run reconciles
Chroma with the catalogue (orphan vectors deleted, missing ones re-queued). Search
only returns chunks the catalogue knows, so orphans are never shown meanwhile.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.domain import Chunk, DocumentMeta
from assistant.knowledge.catalogue import Catalogue, StoredChunk
from assistant.knowledge.embedding_cache import CachedEmbeddings, EmbeddingCache, text_hash
from assistant.knowledge.embeddings import ModelEmbeddings
from assistant.knowledge.grading import extract_grading
from assistant.knowledge.grading_table import GRADED_KINDS
from assistant.knowledge.lexical import LexicalIndex, tokenize
from assistant.knowledge.vector_store import VectorStore
from assistant.settings import Settings

ProgressFn = Callable[[int, int], None]  # (done, total)
PENDING_PAGE = 2048  # chunks read from the catalogue at a time while embedding


@dataclass(frozen=True)
class IndexStatus:
    documents: int
    chunks: int
    dense_ready: int
    model_id: str

    @property
    def dense_complete(self) -> bool:
        return self.dense_ready >= self.chunks

    def describe(self) -> str:
        return (
            f"{self.documents} 份文档 / documents, {self.chunks} 个片段 / chunks; "
            f"向量索引 {self.dense_ready}/{self.chunks} 就绪 / dense index {self.dense_ready}/{self.chunks} ready "
            f"({self.model_id})"
        )


class KnowledgeIndex:
    def __init__(self, settings: Settings, embeddings: ModelEmbeddings, seed_dirs: Sequence[Path] = ()) -> None:
        self.settings = settings
        self.catalogue = Catalogue(settings.data_path("catalogue.sqlite"))
        self.cache = EmbeddingCache(settings.data_path("embeddings.sqlite"))
        self.embeddings = CachedEmbeddings(embeddings, self.cache, seed_dirs)
        self.vectors = VectorStore(settings, embeddings.model_id)
        self.lexical = LexicalIndex(settings.data_path("lexical"))
        self.batch_size = settings.embedding.batch_size
        self._write_lock = threading.RLock()
        self._embed_lock = threading.Lock()
        self._consistent = False

    @property
    def model_id(self) -> str:
        return self.embeddings.model_id

    def close(self) -> None:
        self.catalogue.close()
        self.cache.close()

    def status(self) -> IndexStatus:
        docs, chunks, ready = self.catalogue.counts()
        return IndexStatus(docs, chunks, ready, self.model_id)

    # ------------------------------------------------------------ writing

    @contextlib.contextmanager
    def _touching_vectors(self) -> Iterator[None]:
        """Flag the Chroma writes so a crash in between is repaired by the next run."""
        self.catalogue.set_state("vectors_dirty", "1")
        yield
        self.catalogue.set_state("vectors_dirty", "0")

    def store_document(
        self,
        meta: DocumentMeta,
        chunks: Sequence[Chunk],
        file_sha256: str,
        warnings: Sequence[str] = (),
        replaces: Sequence[str] = (),
    ) -> int:
        """Write (or atomically replace) one document; returns how many chunks got a cached vector at once."""
        texts = [c.retrieval_text(meta.title) for c in chunks]
        known = self.embeddings.cached(texts)
        stored = [
            StoredChunk(c, text_hash(t), tokenize(t), text_hash(t) in known) for c, t in zip(chunks, texts, strict=True)
        ]
        ready = [s for s in stored if s.dense_ready]
        with self._write_lock:
            self.ensure_consistent()
            with self._touching_vectors():
                if ready:
                    vectors = np.stack([known[s.text_hash] for s in ready])
                    self.vectors.add([s.chunk.chunk_id for s in ready], vectors, [meta.doc_id] * len(ready))
                grading = extract_grading(chunks) if meta.kind.value in GRADED_KINDS else None
                old = self.catalogue.replace_document(meta, file_sha256, stored, warnings, replaces, grading)
                stale = set(old) - {s.chunk.chunk_id for s in ready}
                if stale:
                    self.vectors.delete(sorted(stale))
        return len(ready)

    def remove_document(self, doc_id: str) -> int:
        with self._write_lock, self._touching_vectors():
            removed = self.catalogue.remove_document(doc_id)
            self.vectors.delete(removed)
        return len(removed)

    def embed_pending(self, progress: ProgressFn | None = None, stop: threading.Event | None = None) -> int:
        """Embed every chunk still without a vector, in order, several batches in flight; safe to interrupt.

        Each batch is written (cache, Chroma, catalogue flag) as soon as it and all before it are
        done, so a crash loses at most the batches in flight. One run at a time: a second caller
        waits and then finds only what the first left.
        """
        with self._embed_lock:
            with self._write_lock:
                self.ensure_consistent()
            status = self.status()
            total = status.chunks - status.dense_ready
            done = 0
            while not (stop and stop.is_set()) and (page := self.catalogue.pending(PENDING_PAGE)):
                for rows in self._embed_page(page, stop):
                    done += len(rows)
                    if progress:
                        progress(done, max(total, done))
        return done

    def _embed_page(
        self, page: list[tuple[str, str, str]], stop: threading.Event | None
    ) -> Iterator[list[tuple[str, str, str]]]:
        """Embed the page's batches (several in flight) and write them in order; yields each batch once written."""
        in_flight: deque[list[tuple[str, str, str]]] = deque()

        def batches() -> Iterator[list[str]]:
            for start in range(0, len(page), self.batch_size):
                if stop and stop.is_set():
                    return
                in_flight.append(page[start : start + self.batch_size])
                yield [text for _, _, text in in_flight[-1]]

        for vectors in self.embeddings.embed_batches(batches()):
            rows = in_flight.popleft()
            self._write_vectors(rows, vectors)
            yield rows

    def _write_vectors(self, rows: Sequence[tuple[str, str, str]], vectors: np.ndarray) -> None:
        with self._write_lock:
            alive = self.catalogue.existing([cid for cid, _, _ in rows])
            keep = [i for i, (cid, _, _) in enumerate(rows) if cid in alive]
            with self._touching_vectors():
                self.vectors.add([rows[i][0] for i in keep], vectors[keep], [rows[i][1] for i in keep])
                self.catalogue.mark_dense([rows[i][0] for i in keep], True)

    def ensure_consistent(self) -> None:
        """Reconcile Chroma with the catalogue after a crash or an outside change (once per process)."""
        with self._write_lock:
            if self._consistent:
                return
            ready = self.catalogue.dense_ids()
            if self.catalogue.get_state("vectors_dirty") == "1" or self.vectors.count() != len(ready):
                stored = self.vectors.ids()
                self.vectors.delete(sorted(stored - ready))
                self.catalogue.mark_dense(sorted(ready - stored), False)
                self.catalogue.set_state("vectors_dirty", "0")
            self._consistent = True

    def rebuild(self, progress: ProgressFn | None = None) -> int:
        """Recreate the vector collection for the configured model, re-tokenise every chunk, rebuild BM25.

        Vectors of unchanged text come back from the embedding cache; only a model change re-embeds.
        """
        with self._write_lock:
            self.vectors.reset()
            self.catalogue.mark_all_dense(False)
            self.catalogue.set_state("vectors_dirty", "0")
            self._consistent = True
            rows = self.catalogue.pending(self.status().chunks)
            self.catalogue.set_tokens([(cid, tokenize(text)) for cid, _, text in rows])
            self.lexical.forget()
            self.refresh_lexical()
        return self.embed_pending(progress)

    # ------------------------------------------------------------ reading

    def refresh_lexical(self) -> None:
        """Bring the BM25 index up to the catalogue's generation (load it, or rebuild it cheaply)."""
        generation = self.catalogue.generation()
        if self.lexical.generation == generation:
            return
        with self._write_lock:
            if self.lexical.load() and self.lexical.generation == generation:
                return
            self.lexical.build(self.catalogue.lexical_rows(), generation)

    def search_lexical(self, query: str, n: int, doc_ids: Collection[str] | None) -> list[tuple[str, float]]:
        self.refresh_lexical()
        return self.lexical.search(query, n, doc_ids)

    def search_dense(self, vector: Sequence[float], n: int, doc_ids: Sequence[str] | None) -> list[tuple[str, float]]:
        self.ensure_consistent()
        if doc_ids is None:
            return self.vectors.query(vector, n)
        self.refresh_lexical()  # its bitmap of the filter's chunks spares Chroma's slow `where` filter
        return self.vectors.query(vector, n, doc_ids, self.lexical.subset(doc_ids))
