"""The ``openai_server`` fixture: a fresh scripted OpenAI-protocol server per test.

Other test folders can use it with ``from tests.llm.conftest import openai_server``
or build ``tests.llm.openai_server.ScriptedOpenAIServer`` themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.llm.openai_server import ScriptedOpenAIServer


@pytest.fixture
def openai_server() -> Iterator[ScriptedOpenAIServer]:
    with ScriptedOpenAIServer() as server:
        yield server
