"""A real HTTP server on 127.0.0.1 that speaks the OpenAI protocol, scripted per test.

Tests queue the replies the server will give (text, JSON, HTTP errors, slow
replies, a stall or a disconnect in the middle of a stream) and afterwards read
the request bodies it recorded, so they can check what went over the wire. It
also serves deterministic embeddings so the index code can be tested against an
``openai`` embedding provider without a model.

    with ScriptedOpenAIServer() as server:
        server.queue_text("你好")
        ...  # point a client at server.base_url
        assert server.chat_bodies[0]["max_tokens"] == 256
"""

from __future__ import annotations

import json
import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any, Literal

from assistant.settings import LLMSettings
from tests.llm._protocol import OpenAIHandler, embedding_vector

__all__ = ["RecordedRequest", "ScriptedOpenAIServer", "ScriptedReply", "embedding_vector"]

ReplyKind = Literal["text", "error", "stall", "disconnect"]


@dataclass(frozen=True)
class ScriptedReply:
    """One queued reply; ``after_chunks`` applies to stalls and disconnects of streamed replies."""

    kind: ReplyKind
    text: str = ""
    status: int = 200
    delay_s: float = 0.0
    after_chunks: int = 0
    stall_s: float = 0.0
    finish_reason: str = "stop"
    error_type: str = "server_error"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)


class ScriptedOpenAIServer:
    """OpenAI-protocol server: /v1/chat/completions (plain and SSE), /v1/models, /v1/embeddings."""

    def __init__(self, *, model: str = "test-model", chunk_chars: int = 4, embedding_dim: int = 384) -> None:
        self.model = model
        self.chunk_chars = chunk_chars
        self.embedding_dim = embedding_dim
        self.reject_json_schema = False
        self.reject_json_object = False
        self.requests: list[RecordedRequest] = []
        self._replies: deque[ScriptedReply] = deque()
        self._embedding_errors: deque[int] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> ScriptedOpenAIServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and cut every stalled stream, as a crashed model server would."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def llm_settings(self, **overrides: Any) -> LLMSettings:
        """Settings pointing at this server with short timeouts suited to tests."""
        values: dict[str, Any] = {
            "base_url": self.base_url,
            "model": self.model,
            "timeout_s": 5.0,
            "connect_timeout_s": 1.0,
            "stream_gap_s": 1.0,
            "retries": 2,
        }
        values.update(overrides)
        return LLMSettings(**values)

    # ------------------------------------------------------------ scripting

    def queue_text(self, text: str, *, delay_s: float = 0.0, finish_reason: str = "stop") -> None:
        self._push(ScriptedReply("text", text=text, delay_s=delay_s, finish_reason=finish_reason))

    def queue_json(self, value: Any, *, delay_s: float = 0.0) -> None:
        self.queue_text(json.dumps(value, ensure_ascii=False), delay_s=delay_s)

    def queue_error(
        self, status: int, message: str = "scripted error", *, error_type: str = "server_error", delay_s: float = 0.0
    ) -> None:
        self._push(ScriptedReply("error", text=message, status=status, delay_s=delay_s, error_type=error_type))

    def queue_stall(self, text: str = "", *, after_chunks: int = 1, stall_s: float = 30.0) -> None:
        """Streamed: send ``after_chunks`` chunks then go silent; plain: go silent before replying."""
        self._push(ScriptedReply("stall", text=text, after_chunks=after_chunks, stall_s=stall_s))

    def queue_disconnect(self, text: str = "", *, after_chunks: int = 1) -> None:
        """Streamed: send ``after_chunks`` chunks then close the socket; plain: close without replying."""
        self._push(ScriptedReply("disconnect", text=text, after_chunks=after_chunks))

    def fail_next_embeddings(self, status: int, times: int = 1) -> None:
        with self._lock:
            self._embedding_errors.extend([status] * times)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._replies)

    @property
    def chat_bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.path.endswith("/chat/completions")]

    def _push(self, reply: ScriptedReply) -> None:
        with self._lock:
            self._replies.append(reply)

    def _next_reply(self) -> ScriptedReply | None:
        with self._lock:
            return self._replies.popleft() if self._replies else None

    def _next_embedding_error(self) -> int | None:
        with self._lock:
            return self._embedding_errors.popleft() if self._embedding_errors else None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _wait(self, seconds: float) -> bool:
        """Sleep, but wake when the server stops; True when it stopped."""
        return self._stopping.wait(seconds)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up mid-reply is expected here (timeouts are under test); other errors are bugs."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def _make_handler(server: ScriptedOpenAIServer) -> type[OpenAIHandler]:
    class Handler(OpenAIHandler):
        scripted = server

    return Handler
