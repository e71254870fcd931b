"""Chain tests use the scripted OpenAI-protocol server fixture of the LLM tests."""

from tests.llm.conftest import openai_server

__all__ = ["openai_server"]
