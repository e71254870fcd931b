"""Getting a validated JSON object out of any OpenAI-compatible endpoint.

Endpoints differ: OpenAI and recent vLLM constrain output to a JSON Schema, others
know only ``json_object``, llama.cpp-style servers may know neither. In ``auto``
mode we start with the strongest, step down when the endpoint refuses the
``response_format`` (HTTP 400/422 naming it), and remember the step for later
calls so a refusal is paid for once. Whatever the mode, the reply is validated;
one repair round trip is allowed, then the call fails with a clear LLMError.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.errors import LLMError
from assistant.llm.base import ChatMessage, T
from assistant.llm.failures import LLMRequestRejected
from assistant.llm.jsonparse import ReplyFormatError, parse_reply, schema_text
from assistant.llm.schemas import response_format_for
from assistant.prompts import load_prompt

log = logging.getLogger(__name__)

MODES = ("json_schema", "json_object", "none")
_REFUSAL_HINTS = ("response_format", "json_schema", "json_object", "schema", "format", "support", "unavailable")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Reply:
    text: str
    finish_reason: str | None = None


Send = Callable[[list[ChatMessage], dict[str, Any] | None], Reply]


class JsonModeMemory:
    """The structured-output mode this endpoint is known to accept, shared by all calls of one model."""

    def __init__(self, configured: str) -> None:
        self.adaptive = configured == "auto"
        self.mode = MODES[0] if self.adaptive else configured

    def step_down(self, rejection: LLMRequestRejected) -> bool:
        """Move to the next weaker mode when the endpoint refused the format; False when there is none."""
        detail = rejection.detail.lower()
        if not self.adaptive or self.mode == "none" or rejection.status not in (400, 422):
            return False
        if not any(hint in detail for hint in _REFUSAL_HINTS):
            return False
        weaker = MODES[MODES.index(self.mode) + 1]
        log.info("endpoint refused response_format %s (%s); using %s from now on", self.mode, detail, weaker)
        self.mode = weaker
        return True


def request_json(
    send: Send,
    messages: Sequence[ChatMessage],
    schema: type[T],
    memory: JsonModeMemory,
    *,
    lang: str | None = None,
    max_tokens: int,
) -> T:
    """Ask for ``schema`` through ``send``, stepping down modes and repairing once."""
    lang = lang or guess_lang(messages)
    while True:
        prepared, fmt = _prepare(messages, schema, memory.mode, lang)
        try:
            reply = send(prepared, fmt)
            break
        except LLMRequestRejected as rejection:
            if fmt is None or not memory.step_down(rejection):
                raise
    try:
        return parse_reply(reply.text, schema)
    except ReplyFormatError as problem:
        first_problem = str(problem) + _cut_note(reply, max_tokens)
    repair = load_prompt("repair", lang).render(error=first_problem, schema=schema_text(schema))
    retry_messages = [*prepared, ChatMessage("assistant", reply.text), ChatMessage("user", repair)]
    second = send(retry_messages, fmt)
    try:
        return parse_reply(second.text, schema)
    except ReplyFormatError as problem:
        raise LLMError(
            f"模型未返回有效的 JSON（已修复重试一次）/ the model did not return valid {schema.__name__} JSON "
            f"after one repair attempt: {problem}{_cut_note(second, max_tokens)}"
        ) from problem


def guess_lang(messages: Sequence[ChatMessage]) -> str:
    """zh when the instructions (the first message) are Chinese; data in other languages does not count."""
    first = messages[0].content if messages else ""
    return "zh" if _CJK.search(first[:400]) else "en"


def _prepare(
    messages: Sequence[ChatMessage], schema: type[T], mode: str, lang: str
) -> tuple[list[ChatMessage], dict[str, Any] | None]:
    if mode == "json_schema":
        return list(messages), response_format_for(schema)
    hint = load_prompt("json_reply", lang).render(schema=schema_text(schema))
    fmt = {"type": "json_object"} if mode == "json_object" else None
    return _append_to_last_user(messages, hint), fmt


def _append_to_last_user(messages: Sequence[ChatMessage], extra: str) -> list[ChatMessage]:
    """Add the format note to the last user turn: many chat templates reject a system message mid-conversation."""
    out = list(messages)
    for i in range(len(out) - 1, -1, -1):
        if out[i].role == "user":
            out[i] = ChatMessage("user", f"{out[i].content}\n\n{extra}")
            return out
    return [*out, ChatMessage("user", extra)]


def _cut_note(reply: Reply, max_tokens: int) -> str:
    if reply.finish_reason != "length":
        return ""
    return f"（回复在 max_tokens={max_tokens} 处被截断 / the reply was cut off at max_tokens={max_tokens}: raise llm.max_tokens）"
