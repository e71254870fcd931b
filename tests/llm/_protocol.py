"""The wire side of the scripted OpenAI server: HTTP/1.1 keep-alive, JSON and SSE replies."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random
import socket
import struct
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from tests.llm.openai_server import ScriptedOpenAIServer, ScriptedReply


def embedding_vector(text: str, dim: int) -> list[float]:
    """A unit vector that depends only on the text, so equal texts embed equally across runs."""
    seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    rng = random.Random(seed)
    raw = [rng.gauss(0.0, 1.0) for _ in range(dim)]
    norm = math.sqrt(sum(v * v for v in raw)) or 1.0
    return [v / norm for v in raw]


class OpenAIHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    scripted: ClassVar[ScriptedOpenAIServer]

    def setup(self) -> None:
        super().setup()
        # Without TCP_NODELAY small keep-alive replies wait ~40 ms for delayed ACKs.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest output should show test failures, not access logs."""

    # ------------------------------------------------------------ routing

    def do_GET(self) -> None:
        self._record({})
        if self.path.rstrip("/") == "/v1/models":
            model = {"id": self.scripted.model, "object": "model", "created": int(time.time()), "owned_by": "tests"}
            self._send_json(200, {"object": "list", "data": [model]})
        else:
            self._send_error(404, f"no route for GET {self.path}", "invalid_request_error")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._record({"_raw": raw.decode("utf-8", "replace")})
            self._send_error(400, "request body is not JSON", "invalid_request_error")
            return
        self._record(body)
        if self.path == "/v1/chat/completions":
            self._chat(body)
        elif self.path == "/v1/embeddings":
            self._embeddings(body)
        else:
            self._send_error(404, f"no route for POST {self.path}", "invalid_request_error")

    def _record(self, body: dict[str, Any]) -> None:
        from tests.llm.openai_server import RecordedRequest

        headers = {k.lower(): v for k, v in self.headers.items()}
        self.scripted._record(RecordedRequest(self.command, self.path, headers, body))

    # ------------------------------------------------------------ chat

    def _chat(self, body: dict[str, Any]) -> None:
        server = self.scripted
        fmt = (body.get("response_format") or {}).get("type")
        if (fmt == "json_schema" and server.reject_json_schema) or (fmt == "json_object" and server.reject_json_object):
            self._send_error(400, f"response_format type '{fmt}' is not supported", "invalid_request_error")
            return
        reply = server._next_reply()
        if reply is None:
            self._send_error(400, "test server: no scripted reply left for this request", "invalid_request_error")
            return
        if reply.delay_s and server._wait(reply.delay_s):
            self._cut()
            return
        if reply.kind == "error":
            self._send_error(reply.status, reply.text, reply.error_type)
        elif body.get("stream"):
            self._stream(reply)
        elif reply.kind == "disconnect" or (reply.kind == "stall" and server._wait(reply.stall_s)):
            self._cut()  # a plain stall that outlives the server ends like a disconnect; otherwise it replies late
        else:
            self._send_json(200, self._completion(reply))

    def _completion(self, reply: ScriptedReply) -> dict[str, Any]:
        return {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.scripted.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.text},
                    "finish_reason": reply.finish_reason,
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": len(reply.text), "total_tokens": 1 + len(reply.text)},
        }

    def _stream(self, reply: ScriptedReply) -> None:
        size = self.scripted.chunk_chars
        pieces = [reply.text[i : i + size] for i in range(0, len(reply.text), size)]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._event(self._chunk({"role": "assistant", "content": ""}, None))
        if reply.kind in ("stall", "disconnect"):
            for piece in pieces[: reply.after_chunks]:
                self._event(self._chunk({"content": piece}, None))
            if reply.kind == "stall":
                self.scripted._wait(reply.stall_s)
            self._cut()
            return
        for piece in pieces:
            self._event(self._chunk({"content": piece}, None))
        self._event(self._chunk({}, reply.finish_reason))
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")

    def _chunk(self, delta: dict[str, Any], finish_reason: str | None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-scripted",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": self.scripted.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        }

    def _event(self, payload: dict[str, Any]) -> None:
        self._write_chunk(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _cut(self) -> None:
        """Drop the connection without finishing the reply, as a crashed server would."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ------------------------------------------------------------ embeddings

    def _embeddings(self, body: dict[str, Any]) -> None:
        status = self.scripted._next_embedding_error()
        if status is not None:
            self._send_error(status, "scripted embedding failure", "server_error")
            return
        inputs = body.get("input")
        texts = [inputs] if isinstance(inputs, str) else list(inputs or [])
        dim = int(body.get("dimensions") or self.scripted.embedding_dim)
        as_base64 = body.get("encoding_format") == "base64"
        data = []
        for index, text in enumerate(texts):
            vector = embedding_vector(text if isinstance(text, str) else json.dumps(text), dim)
            encoded: Any = base64.b64encode(struct.pack(f"<{dim}f", *vector)).decode() if as_base64 else vector
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        tokens = sum(len(str(t)) for t in texts)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        self._send_json(200, {"object": "list", "data": data, "model": body.get("model", ""), "usage": usage})

    # ------------------------------------------------------------ plain replies

    def _send_error(self, status: int, message: str, error_type: str) -> None:
        self._send_json(status, {"error": {"message": message, "type": error_type, "param": None, "code": None}})

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
