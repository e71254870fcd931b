"""BM25 keyword search with jieba tokenisation (bm25s), persisted under the data dir.

The index is derived data: it is rebuilt from the tokens stored in the catalogue
whenever the catalogue's generation changes (a few thousand chunks take well under
a second). Metadata filters are applied as a weight mask over the whole corpus, so
a selective filter never runs out of candidates; each filter's mask is built once per
index build.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

# Plans write response levels as 一级, Ⅰ级, I级 or 1级 interchangeably; index them as one word.
_LEVEL = re.compile(r"(?<![A-Za-z])(IV|III|II|I|[1-4])(?=级)")
_LEVEL_WORDS = {"I": "一", "II": "二", "III": "三", "IV": "四", "1": "一", "2": "二", "3": "三", "4": "四"}
_STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 是 等 对 为 由 将 被 把 之 其 并 a an the of to and or in on for is are be by".split()
)
_jieba_lock = threading.Lock()
_jieba_ready = False


def _jieba() -> object:
    global _jieba_ready
    import jieba

    with _jieba_lock:
        if not _jieba_ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba_ready = True
    return jieba


def tokenize(text: str) -> list[str]:
    """Lower-cased search tokens: jieba words (with their sub-words), English words, numbers."""
    text = _LEVEL.sub(lambda m: _LEVEL_WORDS[m.group(1)], unicodedata.normalize("NFKC", text))
    jieba = _jieba()
    tokens = []
    for token in jieba.cut_for_search(text.lower()):  # type: ignore[attr-defined]
        token = token.strip()
        if token and token not in _STOPWORDS and any(ch.isalnum() for ch in token):
            tokens.append(token)
    return tokens


FILTER_CACHE_SIZE = 32  # filters remembered per index build (a 0/1 float per chunk each: 400 KB at 100k chunks)


@dataclass(frozen=True)
class FilterSubset:
    """The chunks a metadata filter admits: a 0/1 weight per chunk (BM25's mask) and their ids."""

    mask: np.ndarray
    chunk_ids: frozenset[str]

    @property
    def share(self) -> float:
        """The fraction of all chunks the filter admits."""
        return float(self.mask.mean()) if len(self.mask) else 0.0


@dataclass(frozen=True)
class _Snapshot:
    """One built index; replaced whole so a concurrent search never sees half of a rebuild."""

    generation: int | None
    model: Any
    chunk_ids: list[str]
    doc_ids: list[str]
    doc_of_chunk: np.ndarray
    subsets: OrderedDict[frozenset[str], FilterSubset] = field(default_factory=OrderedDict, compare=False)
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False)

    def subset(self, doc_ids: Collection[str]) -> FilterSubset:
        """The chunks of these documents, as a bitmap and as ids.

        Built once per filter and kept with the snapshot (so never stale): the same hazard, kind or
        region filter recurs across a draft's stage queries and between officers, and building it
        from the document list costs milliseconds at 100k chunks.
        """
        key = frozenset(doc_ids)
        with self.lock:
            if key in self.subsets:
                self.subsets.move_to_end(key)
                return self.subsets[key]
        chosen = np.fromiter((d in key for d in self.doc_ids), dtype=bool, count=len(self.doc_ids))
        admitted = chosen[self.doc_of_chunk] if len(self.doc_of_chunk) else np.zeros(0, bool)
        found = FilterSubset(
            admitted.astype(np.float32), frozenset(self.chunk_ids[i] for i in np.flatnonzero(admitted))
        )
        with self.lock:
            self.subsets[key] = found
            if len(self.subsets) > FILTER_CACHE_SIZE:
                self.subsets.popitem(last=False)
        return found


_EMPTY = _Snapshot(None, None, [], [], np.zeros(0, dtype=np.int32))


class LexicalIndex:
    """A BM25 index over chunk tokens, tagged with the catalogue generation it was built from."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._snapshot = _EMPTY

    @property
    def generation(self) -> int | None:
        return self._snapshot.generation

    def __len__(self) -> int:
        return len(self._snapshot.chunk_ids)

    @property
    def chunk_ids(self) -> list[str]:
        return list(self._snapshot.chunk_ids)

    def subset(self, doc_ids: Collection[str]) -> FilterSubset:
        """The chunks of these documents in the index as built (see ``_Snapshot.subset``)."""
        return self._snapshot.subset(doc_ids)

    def forget(self) -> None:
        """Drop the loaded index so the next refresh rebuilds it."""
        self._snapshot = _EMPTY

    def build(self, entries: Iterable[tuple[str, str, list[str]]], generation: int) -> None:
        """Index (chunk_id, doc_id, tokens) rows and save them, replacing the previous index atomically."""
        import bm25s

        chunk_ids, doc_names, corpus = [], [], []
        for chunk_id, doc_id, tokens in entries:
            chunk_ids.append(chunk_id)
            doc_names.append(doc_id)
            corpus.append(tokens or [""])
        doc_ids = sorted(set(doc_names))
        position = {d: i for i, d in enumerate(doc_ids)}
        model = None
        if corpus:
            model = bm25s.BM25()
            model.index(corpus, show_progress=False)
        doc_of_chunk = np.array([position[d] for d in doc_names], dtype=np.int32)
        self._snapshot = _Snapshot(generation, model, chunk_ids, doc_ids, doc_of_chunk)
        self._save(self._snapshot)

    def _save(self, snapshot: _Snapshot) -> None:
        tmp = self.directory.with_name(self.directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if snapshot.model is not None:
            snapshot.model.save(str(tmp / "bm25"), show_progress=False)
        rows = {
            "generation": snapshot.generation,
            "chunk_ids": snapshot.chunk_ids,
            "doc_ids": snapshot.doc_ids,
            "doc_of_chunk": snapshot.doc_of_chunk.tolist(),
        }
        (tmp / "rows.json").write_text(json.dumps(rows), encoding="utf-8")
        old = self.directory.with_name(self.directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.directory.exists():
            self.directory.rename(old)
        tmp.rename(self.directory)
        shutil.rmtree(old, ignore_errors=True)

    def load(self) -> bool:
        """Read the saved index; False when there is none or it cannot be read (the caller rebuilds)."""
        import bm25s

        try:
            rows = json.loads((self.directory / "rows.json").read_text(encoding="utf-8"))
            model_dir = self.directory / "bm25"
            model = bm25s.BM25.load(str(model_dir), show_progress=False) if model_dir.exists() else None
            doc_of_chunk = np.array(rows["doc_of_chunk"], dtype=np.int32)
            self._snapshot = _Snapshot(rows["generation"], model, rows["chunk_ids"], rows["doc_ids"], doc_of_chunk)
        except (OSError, ValueError, KeyError) as err:
            log.info("关键词索引需要重建 / lexical index will be rebuilt: %s", err)
            return False
        return True

    def search(self, query: str, n: int, doc_ids: Collection[str] | None = None) -> list[tuple[str, float]]:
        """Best chunk ids with BM25 scores; a query of only unknown words finds nothing (never raises)."""
        snapshot = self._snapshot
        if snapshot.model is None or n <= 0:
            return []
        token_ids = snapshot.model.get_tokens_ids(tokenize(query))
        if not token_ids:
            return []
        mask = snapshot.subset(doc_ids).mask if doc_ids is not None else None
        scores = snapshot.model.get_scores_from_ids(token_ids, weight_mask=mask)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(snapshot.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]
