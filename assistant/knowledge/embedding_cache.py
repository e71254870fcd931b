"""Passage vectors cached by (model id, sha256 of the text), so unchanged text is never embedded twice.

Two layers: a read-write SQLite cache in the data dir, and read-only *seed* files
shipped in the repository (``knowledge/.embeddings/<model_id>.npz``, written by
``assistant kb export-cache``), and beside each the chat's clause seed (``<model_id>.clauses.npz``,
the sentences and clauses it weighs by meaning). A seed is trusted only when its model id matches
and a probe text embedded now agrees with the probe vector stored in it; entries
whose text changed simply miss (their hash no longer occurs) and get embedded.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from assistant.knowledge.embeddings import ModelEmbeddings, normalise

log = logging.getLogger(__name__)

SEED_DIRNAME = ".embeddings"
CLAUSE_SEED = ".clauses"  # seed_path(..., part=CLAUSE_SEED): the chat's clause vectors, next to the chunks'
PROBE_TEXT = "passage probe 探针：暴雨红色预警时启动防汛一级应急响应。"
PROBE_MIN_COSINE = 0.99  # float16 storage and thread-count jitter stay far above this
_SQL_BATCH = 500
QUERY_CACHE_SIZE = 512


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """The read-write SQLite layer; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model_id TEXT NOT NULL, text_hash TEXT NOT NULL, "
            "vector BLOB NOT NULL, PRIMARY KEY (model_id, text_hash)) WITHOUT ROWID"
        )
        self._db.commit()

    def lookup(self, model_id: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(wanted), _SQL_BATCH):
                part = wanted[start : start + _SQL_BATCH]
                rows = self._db.execute(
                    f"SELECT text_hash, vector FROM vectors WHERE model_id = ? AND text_hash IN ({','.join('?' * len(part))})",
                    [model_id, *part],
                )
                found.update((h, np.frombuffer(blob, dtype=np.float32)) for h, blob in rows)
        return found

    def store(self, model_id: str, vectors: Mapping[str, np.ndarray]) -> None:
        rows = [(model_id, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in vectors.items()]
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            self._db.commit()

    def count(self, model_id: str) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM vectors WHERE model_id = ?", [model_id]).fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def seed_path(directory: Path, model_id: str, part: str = "") -> Path:
    return directory / SEED_DIRNAME / f"{model_id}{part}.npz"


def seed_home(shipped_dirs: Sequence[Path]) -> Path:
    """Where the seed of several shipped folders lives: their common parent (knowledge/plans + knowledge/cases -> knowledge)."""
    return Path(os.path.commonpath([d.resolve() for d in shipped_dirs]))


class SeedCache:
    """One shipped ``.npz`` seed, loaded lazily and trusted only after verification."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._vectors: dict[str, np.ndarray] | None = None

    def load(self, model: ModelEmbeddings) -> dict[str, np.ndarray]:
        """The seed's vectors, or nothing when it belongs to another model or fails the probe."""
        if self._vectors is None:
            self._vectors = self._read_verified(model)
        return self._vectors

    def _read_verified(self, model: ModelEmbeddings) -> dict[str, np.ndarray]:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                stored_model = str(data["model_id"])
                # Raw 32-byte digests; read as bytes rows, since numpy's "S" strings drop trailing NULs.
                hashes = [row.tobytes().hex() for row in np.asarray(data["hashes"]).view(np.uint8).reshape(-1, 32)]
                vectors = normalise(data["vectors"].astype(np.float32))
                probe = data["probe_vector"].astype(np.float32)
                probe_text = str(data["probe_text"])
        except (OSError, KeyError, ValueError) as err:
            log.warning("嵌入种子缓存不可读，已忽略 / seed cache %s unreadable, ignored: %s", self.path, err)
            return {}
        if stored_model != model.model_id:
            log.warning(
                "种子缓存属于模型 %s，已忽略 / seed %s is for %s, ignored", stored_model, self.path, stored_model
            )
            return {}
        fresh = model.embed_array([probe_text])[0]
        cosine = float(np.dot(normalise(fresh), normalise(probe)))
        if cosine < PROBE_MIN_COSINE:
            log.warning("种子缓存校验失败（%.3f），已忽略 / seed %s failed the probe check, ignored", cosine, self.path)
            return {}
        log.info("使用种子向量缓存 / using seed cache %s (%d vectors)", self.path, len(hashes))
        return dict(zip(hashes, vectors, strict=True))


def write_seed(path: Path, model: ModelEmbeddings, vectors: Mapping[str, np.ndarray], compact: bool = False) -> int:
    """Write a seed file atomically, sorted by hash so re-exports of the same texts differ little.

    ``compact`` stores each vector as int8 scaled to its largest component (half of float16's size;
    the reader normalises, so the scale drops out and cosines move by about 1e-3).
    """
    hashes = sorted(vectors)
    matrix = np.stack([vectors[h] for h in hashes]).astype(np.float32) if hashes else np.zeros((0, 0), np.float32)
    if compact and hashes:
        peak = np.abs(matrix).max(axis=1, keepdims=True)
        matrix = np.round(matrix / np.where(peak > 0, peak, 1.0) * 127).astype(np.int8)
    else:
        matrix = matrix.astype(np.float16)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(
        tmp,
        model_id=np.array(model.model_id),
        hashes=np.frombuffer(b"".join(bytes.fromhex(h) for h in hashes), dtype=np.uint8).reshape(-1, 32),
        vectors=matrix,
        probe_text=np.array(PROBE_TEXT),
        probe_vector=model.embed_array([PROBE_TEXT])[0],
    )
    tmp.replace(path)
    return len(hashes)


class CachedEmbeddings(ModelEmbeddings):
    """Wraps any backend: passages come from the cache or seeds when possible, queries pass through."""

    def __init__(self, inner: ModelEmbeddings, cache: EmbeddingCache, seed_dirs: Sequence[Path] = ()) -> None:
        self.inner = inner
        self.cache = cache
        self.model_id = inner.model_id
        self.seeds: list[SeedCache] = []
        for directory in seed_dirs:
            self.add_seed_dir(directory)
        self.hits = 0
        self.misses = 0
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self._query_lock = threading.Lock()

    def add_seed_dir(self, directory: Path) -> bool:
        """Also take vectors from ``<directory>/.embeddings/<model_id>[.clauses].npz`` where they exist (e.g. an exported library)."""
        added = False
        # Clause seed first: the chat's lookups then never read the chunk seed, and on a fresh install the
        # first ingest reads both, so the first question reads neither.
        for part in (CLAUSE_SEED, ""):
            path = seed_path(directory.resolve(), self.inner.model_id, part)
            if path.is_file() and all(seed.path != path for seed in self.seeds):
                self.seeds.append(SeedCache(path))
                added = True
        return added

    def cached(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors already known for these texts, by text hash, without embedding anything."""
        hashes = {text_hash(t) for t in texts}
        found = self.cache.lookup(self.model_id, hashes)
        for seed in self.seeds:
            missing = hashes - found.keys()
            if not missing:
                break
            vectors = seed.load(self.inner)
            found.update((h, vectors[h]) for h in missing if h in vectors)
        return found

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return next(self.embed_batches([texts]))

    def embed_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        """Each batch's vectors in order; only texts neither cached nor already on their way go to the model.

        New vectors are stored batch by batch as they arrive, so an interrupted run keeps them all.
        A text repeated in a later batch is embedded once, and read back from the cache by then.
        """
        plans: deque[tuple[list[str], dict[str, np.ndarray], list[str]]] = deque()
        claimed: set[str] = set()

        def misses() -> Iterator[list[str]]:
            for texts in batches:
                hashes = [text_hash(t) for t in texts]
                known = self.cached(texts)
                todo = {h: t for h, t in zip(hashes, texts, strict=True) if h not in known and h not in claimed}
                claimed.update(todo)
                plans.append((hashes, known, list(todo)))
                yield list(todo.values())

        for fresh in self.inner.embed_batches(misses()):
            hashes, known, todo = plans.popleft()
            self.hits += len(hashes) - len(todo)  # a text repeated within a batch counts as a hit
            if todo:
                new = dict(zip(todo, np.asarray(fresh, dtype=np.float32), strict=True))
                self.cache.store(self.model_id, new)
                self.misses += len(todo)
                known.update(new)
            late = [h for h in hashes if h not in known]
            if late:  # embedded for an earlier batch of this run, stored before this one is assembled
                known.update(self.cache.lookup(self.model_id, late))
            yield np.stack([known[h] for h in hashes]).astype(np.float32) if hashes else np.zeros((0, 0), np.float32)

    def close(self) -> None:
        self.inner.close()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Query vectors are kept in a small in-memory LRU: the drafting chain repeats its stage queries."""
        with self._query_lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return self._queries[text]
        vector = self.inner.embed_query(text)
        with self._query_lock:
            self._queries[text] = vector
            if len(self._queries) > QUERY_CACHE_SIZE:
                self._queries.popitem(last=False)
        return vector
