"""The chat's clause vectors, shipped: a fresh install weighs clauses by meaning without embedding them.

An offline answer measures the meaning of the few clauses it weighs per question (meaning.py).
Embedding them made the first ask of each question 3-4 times slower than the search it needs
(0.23 s of a 0.30 s median on 2 busy cores, up to 0.9 s). ``export_clause_seed`` writes the
vectors of every clause of a library's documents beside its chunk seed
(``.embeddings/<model_id>.clauses.npz``), keyed by the hash of the clause text as the chunk seed
is: a clause whose text changes simply misses and is embedded when it is first weighed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from assistant.chain.clauses import clauses_of
from assistant.knowledge.embedding_cache import CLAUSE_SEED, seed_home, seed_path, text_hash, write_seed
from assistant.knowledge.index import KnowledgeIndex
from assistant.knowledge.retriever import HybridRetriever


def library_clauses(retriever: HybridRetriever, folders: Sequence[Path]) -> list[str]:
    """The distinct clause texts of every document under these folders, split as the chat splits them."""
    prefixes = [str(folder.resolve()) + os.sep for folder in folders]
    texts: dict[str, None] = {}
    for meta in retriever.documents():
        if any(meta.source_path.startswith(prefix) for prefix in prefixes):
            texts.update(dict.fromkeys(clause.text for clause in clauses_of(retriever.passages(meta.doc_id))))
    return list(texts)


def export_clause_seed(
    index: KnowledgeIndex,
    retriever: HybridRetriever,
    folders: Sequence[Path],
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[Path, int]:
    """Write ``<common parent>/.embeddings/<model_id>.clauses.npz`` for the (already ingested) folders.

    Clauses already cached or seeded are not embedded again, so a re-export after an edit embeds
    only the clauses that changed.
    """
    texts = library_clauses(retriever, folders)
    size = index.batch_size
    batches = [texts[start : start + size] for start in range(0, len(texts), size)]
    vectors: dict[str, np.ndarray] = {}
    for batch, embedded in zip(batches, index.embeddings.embed_batches(batches), strict=True):
        vectors.update(zip(map(text_hash, batch), embedded, strict=True))
        if on_progress:
            on_progress(len(vectors), len(texts))
    path = seed_path(seed_home(folders), index.model_id, CLAUSE_SEED)
    return path, write_seed(path, index.embeddings.inner, vectors, compact=True)
