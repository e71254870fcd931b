"""The start-up warm-up sends one question through the query path, off the request thread."""

from __future__ import annotations

import logging

import pytest

from assistant.services import WARM_UP_QUESTION, build_knowledge, warm_query_path
from assistant.settings import Settings
from tests.knowledge.conftest import CORPUS, CountingEmbeddings


def test_warm_up_embeds_and_searches_one_question_in_a_daemon_thread(
    settings: Settings, model: CountingEmbeddings
) -> None:
    knowledge = build_knowledge(settings, embeddings=model)
    for meta, chunks in CORPUS:
        knowledge.index.store_document(meta, chunks, file_sha256=meta.doc_id)
    thread = warm_query_path(knowledge)
    assert thread.daemon
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert model.query_calls == [WARM_UP_QUESTION]
    knowledge.close()


def test_a_failing_warm_up_is_logged_not_raised(
    settings: Settings, model: CountingEmbeddings, caplog: pytest.LogCaptureFixture
) -> None:
    knowledge = build_knowledge(settings, embeddings=model)
    knowledge.index.close()  # every search now fails
    with caplog.at_level(logging.WARNING, logger="assistant.services"):
        warm_query_path(knowledge).join(timeout=60)
    assert "query warm-up failed" in caplog.text
