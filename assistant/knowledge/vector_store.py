"""Dense vectors in Chroma: on disk under the data dir, or on a Chroma server.

We always hand Chroma our own vectors (its default embedding function downloads a
model and fails offline). The collection's metadata records the embedding model,
and opening it with another model raises ``IndexMismatchError`` instead of mixing
vectors from two models. Chroma holds vectors only: text and metadata live in the
catalogue, which is the source of truth this store is rebuilt from.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.errors import IndexMismatchError
from assistant.knowledge.dense_subsets import SubsetCache
from assistant.knowledge.lexical import FilterSubset
from assistant.settings import Settings

MODEL_KEY = "embedding_model"
DIM_KEY = "embedding_dim"
# A filtered dense query (see VectorStore.query) searches a filter of up to EXACT_MAX_CHUNKS chunks exactly
# in memory (38 MB at 384-d); a larger one admitting at least BROAD_FILTER_SHARE of all chunks over-fetches
# n × OVERFETCH_FACTOR / share unfiltered neighbours (at most 640 for n = 40); anything else uses Chroma's
# `where`. Measured in benchmarks/bench_query.py (speed) and on the shipped and real plans (recall).
EXACT_MAX_CHUNKS = 25_000
BROAD_FILTER_SHARE = 0.25
OVERFETCH_FACTOR = 4.0


class VectorStore:
    def __init__(self, settings: Settings, model_id: str) -> None:
        self.settings = settings
        self.model_id = model_id
        self.name = settings.vector_store.collection
        self._client: Any = None
        self._collection: Any = None
        self._lock = threading.Lock()
        self.subsets = SubsetCache()
        self.exact_max_chunks = EXACT_MAX_CHUNKS

    @property
    def client(self) -> Any:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            store = self.settings.vector_store
            if store.mode == "http":
                self._client = chromadb.HttpClient(host=store.host, port=store.port, settings=chroma_settings)
            else:
                path = self.settings.data_path("chroma")
                path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        return self._client

    @property
    def collection(self) -> Any:
        """The collection, created for our model if absent; refuses one built by another model."""
        with self._lock:
            if self._collection is None:
                collection = self.client.get_or_create_collection(
                    self.name,
                    metadata={MODEL_KEY: self.model_id},
                    configuration={"hnsw": {"space": "cosine"}},
                    embedding_function=None,
                )
                stored = (collection.metadata or {}).get(MODEL_KEY)
                if stored != self.model_id:
                    raise IndexMismatchError(
                        f"向量索引由模型 {stored} 构建，当前配置的模型是 {self.model_id}；请运行 `assistant kb rebuild` "
                        f"重建索引 / the vector index was built with {stored} but the configured model is "
                        f"{self.model_id}: run `assistant kb rebuild`"
                    )
                self._collection = collection
            return self._collection

    def reset(self) -> None:
        """Drop every vector and start an empty collection for the configured model."""
        self.subsets.forget()
        with self._lock:
            if self.name in {c.name for c in self.client.list_collections()}:
                self.client.delete_collection(self.name)
            self._collection = None

    def add(self, ids: Sequence[str], vectors: np.ndarray, doc_ids: Sequence[str]) -> None:
        if not ids:
            return
        self.subsets.forget(doc_ids)
        collection = self.collection
        vectors = np.asarray(vectors, dtype=np.float32)
        self._check_dimension(collection, vectors.shape[1])
        step = max(1, min(self.client.get_max_batch_size(), 5000))
        for start in range(0, len(ids), step):
            end = start + step
            collection.upsert(
                ids=list(ids[start:end]),
                embeddings=vectors[start:end],
                metadatas=[{"doc_id": d} for d in doc_ids[start:end]],
            )

    def _check_dimension(self, collection: Any, dim: int) -> None:
        stored = (collection.metadata or {}).get(DIM_KEY)
        if stored is None:
            collection.modify(metadata={MODEL_KEY: self.model_id, DIM_KEY: dim})
        elif int(stored) != dim:
            raise IndexMismatchError(
                f"向量维度 {dim} 与索引的 {stored} 不符；请运行 `assistant kb rebuild` / vector dimension {dim} "
                f"does not match the index ({stored}): run `assistant kb rebuild`"
            )

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            self.subsets.forget()
        step = 5000
        for start in range(0, len(ids), step):
            self.collection.delete(ids=list(ids[start : start + step]))

    def query(
        self,
        vector: Sequence[float],
        n: int,
        doc_ids: Sequence[str] | None = None,
        members: FilterSubset | None = None,
    ) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity; ``doc_ids`` restricts the search to those documents.

        Chroma's ``where`` filter costs 30-80x a plain query at 100k chunks, so when ``members`` (the
        chunks the filter admits, from the catalogue) is given, a filter of a few thousand chunks is
        searched exactly in memory (``dense_subsets``) and a broad one asks for about ``n / share``
        unfiltered neighbours and keeps its own. ``where`` remains the fallback.
        """
        if n <= 0 or (doc_ids is not None and not doc_ids):
            return []
        if doc_ids is not None and members is not None:
            found = None
            if len(members.chunk_ids) <= self.exact_max_chunks:
                found = self.subsets.search(self.collection, frozenset(doc_ids), members.chunk_ids, vector, n)
            elif members.share >= BROAD_FILTER_SHARE:
                found = self._post_filtered(vector, n, members)
            if found is not None:
                return found
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids is not None else None
        # No count() first: Chroma answers an empty collection or an n beyond its size with what it has.
        reply = self.collection.query(
            query_embeddings=np.asarray([vector], dtype=np.float32), n_results=n, where=where, include=["distances"]
        )
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(reply["ids"][0], reply["distances"][0], strict=True)]

    def _post_filtered(self, vector: Sequence[float], n: int, members: FilterSubset) -> list[tuple[str, float]] | None:
        """Over-fetch without a filter and keep the admitted chunks; None when that did not find ``n``."""
        fetch = math.ceil(n * OVERFETCH_FACTOR / members.share)
        reply = self.collection.query(
            query_embeddings=np.asarray([vector], dtype=np.float32), n_results=fetch, include=["distances"]
        )
        ids, distances = reply["ids"][0], reply["distances"][0]
        kept = [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True) if cid in members.chunk_ids]
        exhausted = len(ids) < fetch  # the whole collection was seen: what survived is all there is
        return kept[:n] if len(kept) >= n or exhausted else None

    def ids(self) -> set[str]:
        collection = self.collection
        found: set[str] = set()
        step = 10000
        for offset in range(0, collection.count(), step):
            found.update(collection.get(include=[], limit=step, offset=offset)["ids"])
        return found

    def count(self) -> int:
        return int(self.collection.count())
