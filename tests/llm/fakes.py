"""A queue-and-record chat model for unit tests of code built on ``ChatModel``.

Queue what the model should answer (text, a dict or pydantic object for JSON, or
an exception to raise), run the code under test, then read ``calls`` to see what it
asked. An empty queue is a test bug and fails loudly with AssertionError, which
the code under test must not swallow as if the model had failed.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from assistant.errors import LLMError
from assistant.llm.base import ChatMessage, T
from assistant.llm.jsonparse import ReplyFormatError, parse_reply

Scripted = str | dict[str, Any] | BaseModel | Exception


@dataclass(frozen=True)
class FakeCall:
    method: str  # complete | stream | complete_json
    messages: tuple[ChatMessage, ...]
    max_tokens: int | None
    schema: type[BaseModel] | None = None

    @property
    def text(self) -> str:
        """Every message of the call joined, for 'was this quoted?' assertions."""
        return "\n".join(m.content for m in self.messages)


class FakeChatModel:
    def __init__(self, *replies: Scripted, name: str = "fake-model @ tests", stream_piece_chars: int = 5) -> None:
        self.name = name
        self.stream_piece_chars = stream_piece_chars
        self.calls: list[FakeCall] = []
        self._replies: deque[Scripted | tuple[str, Exception]] = deque(replies)

    def queue(self, *replies: Scripted) -> FakeChatModel:
        self._replies.extend(replies)
        return self

    def queue_stream_failure(self, text_before: str, error: Exception | None = None) -> FakeChatModel:
        """A streamed reply that yields ``text_before`` and then fails, like a server dying mid-stream."""
        self._replies.append((text_before, error or LLMError("fake: stream broke mid-reply")))
        return self

    @property
    def pending(self) -> int:
        return len(self._replies)

    def complete(self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None) -> str:
        reply = self._take(FakeCall("complete", tuple(messages), max_tokens))
        return _as_text(reply)

    def stream(self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None) -> Iterator[str]:
        reply = self._take(FakeCall("stream", tuple(messages), max_tokens), allow_partial=True)
        text, failure = reply if isinstance(reply, tuple) else (_as_text(reply), None)
        size = self.stream_piece_chars
        yield from (text[i : i + size] for i in range(0, len(text), size))
        if failure is not None:
            raise failure

    def complete_json(self, messages: Sequence[ChatMessage], schema: type[T], *, max_tokens: int | None = None) -> T:
        reply = self._take(FakeCall("complete_json", tuple(messages), max_tokens, schema))
        try:
            return parse_reply(_as_text(reply), schema)
        except ReplyFormatError as err:
            raise LLMError(f"fake: reply is not valid {schema.__name__}: {err}") from err

    def _take(self, call: FakeCall, *, allow_partial: bool = False) -> Any:
        self.calls.append(call)
        if not self._replies:
            raise AssertionError(f"FakeChatModel: no reply queued for {call.method} call #{len(self.calls)}")
        reply = self._replies.popleft()
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, tuple) and not allow_partial:
            raise AssertionError("FakeChatModel: a stream failure was queued but a non-stream call came")
        return reply


def _as_text(reply: Scripted) -> str:
    if isinstance(reply, BaseModel):
        return reply.model_dump_json()
    if isinstance(reply, dict):
        return json.dumps(reply, ensure_ascii=False)
    return str(reply)
