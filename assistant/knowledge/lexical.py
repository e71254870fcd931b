"""BM25 keyword search with jieba tokenisation (bm25s), persisted under the data dir.

The index is derived data: it is rebuilt from the tokens stored in the catalogue
whenever the catalogue's generation changes (a few thousand chunks take well under
a second). Metadata filters are applied as a weight mask over the whole corpus, so
a selective filter never runs out of candidates.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import unicodedata
from collections.abc import Collection, Iterable
from pathlib import Path

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


class LexicalIndex:
    """A BM25 index over chunk tokens, tagged with the catalogue generation it was built from."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.generation: int | None = None
        self._model: object | None = None
        self._chunk_ids: list[str] = []
        self._doc_of_chunk = np.zeros(0, dtype=np.int32)
        self._doc_ids: list[str] = []

    def __len__(self) -> int:
        return len(self._chunk_ids)

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
        self._model, self._chunk_ids, self._doc_ids = model, chunk_ids, doc_ids
        self._doc_of_chunk = np.array([position[d] for d in doc_names], dtype=np.int32)
        self.generation = generation
        self._save()

    def _save(self) -> None:
        tmp = self.directory.with_name(self.directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._model is not None:
            self._model.save(str(tmp / "bm25"), show_progress=False)  # type: ignore[attr-defined]
        (tmp / "rows.json").write_text(
            json.dumps(
                {
                    "generation": self.generation,
                    "chunk_ids": self._chunk_ids,
                    "doc_ids": self._doc_ids,
                    "doc_of_chunk": self._doc_of_chunk.tolist(),
                }
            ),
            encoding="utf-8",
        )
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
        except (OSError, ValueError, KeyError) as err:
            log.info("关键词索引需要重建 / lexical index will be rebuilt: %s", err)
            return False
        self._model, self._chunk_ids, self._doc_ids = model, rows["chunk_ids"], rows["doc_ids"]
        self._doc_of_chunk = np.array(rows["doc_of_chunk"], dtype=np.int32)
        self.generation = rows["generation"]
        return True

    def search(self, query: str, n: int, doc_ids: Collection[str] | None = None) -> list[tuple[str, float]]:
        """Best chunk ids with BM25 scores; a query of only unknown words finds nothing (never raises)."""
        if self._model is None or n <= 0:
            return []
        model = self._model
        token_ids = model.get_tokens_ids(tokenize(query))  # type: ignore[attr-defined]
        if not token_ids:
            return []
        mask = None
        if doc_ids is not None:
            wanted = np.array([i for i, d in enumerate(self._doc_ids) if d in doc_ids], dtype=np.int32)
            mask = np.isin(self._doc_of_chunk, wanted).astype(np.float32)
        scores = model.get_scores_from_ids(token_ids, weight_mask=mask)  # type: ignore[attr-defined]
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]
