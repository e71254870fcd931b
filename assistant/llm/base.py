"""The chat-model interface every engine implements, so the drafter and chat never care which one runs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


class ChatModel(Protocol):
    """A chat engine. Every method raises ``assistant.errors.LLMError`` on any failure, never anything else."""

    name: str
    """Shown to the officer and written into drafts as the engine, e.g. ``qwen2.5-7b-instruct @ http://…``."""

    def complete(self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None) -> str:
        """The whole reply text."""
        ...

    def stream(self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None) -> Iterator[str]:
        """The reply in pieces as they arrive; may raise mid-way, after some pieces were yielded."""
        ...

    def complete_json(self, messages: Sequence[ChatMessage], schema: type[T], *, max_tokens: int | None = None) -> T:
        """A reply parsed and validated as ``schema``."""
        ...
