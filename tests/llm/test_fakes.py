"""FakeChatModel behaves like a ChatModel: queued replies out, calls recorded, failures raised."""

from __future__ import annotations

import pytest

from assistant.errors import LLMError
from assistant.llm import ChatMessage, ChatModel
from assistant.llm.schemas import RevisionReply
from tests.llm.fakes import FakeChatModel

ASK = [ChatMessage("user", "把方案压缩到200字")]


def test_queued_replies_come_out_in_order_and_calls_are_recorded() -> None:
    fake: ChatModel = FakeChatModel("一", {"text": "短版[C1]", "changes": ["压缩"]})
    assert fake.complete(ASK, max_tokens=10) == "一"
    reply = fake.complete_json(ASK, RevisionReply)
    assert reply.text == "短版[C1]"
    assert isinstance(fake, FakeChatModel)
    assert [(c.method, c.max_tokens, c.schema) for c in fake.calls] == [
        ("complete", 10, None),
        ("complete_json", None, RevisionReply),
    ]
    assert "200字" in fake.calls[0].text


def test_stream_splits_the_reply_and_can_fail_mid_way() -> None:
    fake = FakeChatModel("abcdefghijk", stream_piece_chars=4).queue_stream_failure("partial ")
    assert list(fake.stream(ASK)) == ["abcd", "efgh", "ijk"]
    pieces: list[str] = []
    with pytest.raises(LLMError, match="mid-reply"):
        pieces.extend(fake.stream(ASK))
    assert "".join(pieces) == "partial "


def test_errors_and_invalid_json_raise_llm_error_and_an_empty_queue_is_a_test_bug() -> None:
    fake = FakeChatModel(LLMError("down"), "not json")
    with pytest.raises(LLMError, match="down"):
        fake.complete(ASK)
    with pytest.raises(LLMError, match="not valid RevisionReply"):
        fake.complete_json(ASK, RevisionReply)
    with pytest.raises(AssertionError, match="no reply queued"):
        fake.complete(ASK)
