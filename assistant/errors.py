"""One small error hierarchy. Messages are written for the person who must act on them.

Every error says what went wrong and what to do next, in Chinese first and English
after, because the same text reaches a duty officer in the UI and an operator in a log.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error we raise on purpose; the UI and CLI show ``str(err)`` as is."""


class SettingsError(AssistantError):
    """The settings file or an environment override is missing or invalid."""


class DocumentError(AssistantError):
    """A document could not be read; ``path`` names it and the message says how to fix it."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class UnsupportedFormatError(DocumentError):
    """A file type we do not read (or a legacy format that needs converting first)."""


class IndexMismatchError(AssistantError):
    """The stored index was built with another embedding model; mixing vectors would corrupt search."""


class EmbeddingError(AssistantError):
    """The embedding backend failed (missing package, unreachable endpoint, bad reply)."""


class AlertFormatError(AssistantError):
    """An alert message could not be parsed; ``source`` names the file or request."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class LLMError(AssistantError):
    """The chat-model endpoint failed, timed out or replied with something unusable."""


class PromptError(AssistantError):
    """A prompt template is missing, malformed or rendered without a value it needs."""


class NotFoundError(AssistantError):
    """A record (document, incident, draft) that the caller named does not exist."""
