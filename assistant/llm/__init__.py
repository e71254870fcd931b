"""The LLM layer: the chat-model interface, the OpenAI-compatible client, reply schemas."""

from __future__ import annotations

from assistant.llm.base import ChatMessage, ChatModel
from assistant.llm.openai_compat import OpenAICompatibleChatModel
from assistant.settings import Settings

__all__ = ["ChatMessage", "ChatModel", "OpenAICompatibleChatModel", "make_chat_model"]


def make_chat_model(settings: Settings) -> ChatModel | None:
    """The configured endpoint's model, or None when no endpoint is set (the offline drafter is used)."""
    if not settings.llm.base_url.strip():
        return None
    return OpenAICompatibleChatModel(settings.llm)
