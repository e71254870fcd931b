"""The OpenAI-compatible client against the scripted server: wire format, retries, timeouts, streams."""

from __future__ import annotations

import re
import threading
import time

import pytest

from assistant.errors import LLMError
from assistant.llm import ChatMessage, OpenAICompatibleChatModel, make_chat_model
from assistant.settings import Settings
from tests.llm.openai_server import ScriptedOpenAIServer

ASK = [ChatMessage("system", "你是值班助手。"), ChatMessage("user", "燃气报警怎么处置？")]


def model_for(server: ScriptedOpenAIServer, **overrides: object) -> OpenAICompatibleChatModel:
    return OpenAICompatibleChatModel(server.llm_settings(**overrides), backoff_base_s=0.01)


def test_complete_sends_messages_temperature_and_max_tokens(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_text("先疏散，再关阀[C1]")
    model = model_for(openai_server, max_tokens=321, temperature=0.1)

    assert model.complete(ASK) == "先疏散，再关阀[C1]"

    body = openai_server.chat_bodies[0]
    assert body["max_tokens"] == 321
    assert body["temperature"] == 0.1
    assert body["model"] == "test-model"
    assert body["messages"] == [
        {"role": "system", "content": "你是值班助手。"},
        {"role": "user", "content": "燃气报警怎么处置？"},
    ]
    assert "stream" not in body or body["stream"] is False
    assert openai_server.requests[0].headers["authorization"] == "Bearer not-needed"


def test_explicit_max_tokens_overrides_settings_on_the_wire(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_text("a")
    openai_server.queue_text("b")
    model = model_for(openai_server, max_tokens=2048)
    model.complete(ASK, max_tokens=64)
    list(model.stream(ASK, max_tokens=32))
    assert [b["max_tokens"] for b in openai_server.chat_bodies] == [64, 32]


def test_stream_yields_pieces_in_order(openai_server: ScriptedOpenAIServer) -> None:
    text = "立即设置警戒区，禁止一切明火和电器开关操作。"
    openai_server.queue_text(text)
    pieces = list(model_for(openai_server).stream(ASK))
    assert len(pieces) > 3
    assert "".join(pieces) == text
    assert openai_server.chat_bodies[0]["stream"] is True
    assert openai_server.chat_bodies[0]["max_tokens"] == 2048


@pytest.mark.parametrize("status", [503, 429, 502])
def test_transient_status_is_retried_then_succeeds(openai_server: ScriptedOpenAIServer, status: int) -> None:
    openai_server.queue_error(status, "busy")
    openai_server.queue_text("ok")
    assert model_for(openai_server, retries=2).complete(ASK) == "ok"
    assert len(openai_server.chat_bodies) == 2


def test_stream_is_retried_when_it_fails_before_the_first_piece(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_error(503, "loading model")
    openai_server.queue_text("ok")
    assert "".join(model_for(openai_server).stream(ASK)) == "ok"
    assert len(openai_server.chat_bodies) == 2


def test_retries_stop_after_the_configured_number(openai_server: ScriptedOpenAIServer) -> None:
    for _ in range(3):
        openai_server.queue_error(500, "boom")
    with pytest.raises(LLMError, match=r"HTTP 500.*2 次尝试 / attempts"):
        model_for(openai_server, retries=1).complete(ASK)
    assert len(openai_server.chat_bodies) == 2
    assert openai_server.pending == 1


@pytest.mark.parametrize(("status", "hint"), [(401, "llm.api_key"), (404, "llm.model"), (400, "rejected the request")])
def test_permanent_errors_are_not_retried(openai_server: ScriptedOpenAIServer, status: int, hint: str) -> None:
    openai_server.queue_error(status, "nope")
    openai_server.queue_text("should never be fetched")
    with pytest.raises(LLMError, match=hint):
        model_for(openai_server, retries=3).complete(ASK)
    assert len(openai_server.chat_bodies) == 1


def test_api_key_is_sent_but_never_shown_in_errors(openai_server: ScriptedOpenAIServer) -> None:
    secret = "sk-live-0123456789abcdef"
    openai_server.queue_error(401, f"Incorrect API key provided: {secret}")
    model = model_for(openai_server, api_key=secret)
    with pytest.raises(LLMError) as caught:
        model.complete(ASK)
    assert openai_server.requests[0].headers["authorization"] == f"Bearer {secret}"
    assert secret not in str(caught.value)
    assert secret[:8] not in str(caught.value)


def test_slow_reply_times_out_within_the_budget(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_text("late", delay_s=5)
    model = model_for(openai_server, timeout_s=0.5, retries=3)
    started = time.perf_counter()
    with pytest.raises(LLMError, match="超时 / model endpoint timed out"):
        model.complete(ASK)
    assert time.perf_counter() - started < 1.5
    assert len(openai_server.chat_bodies) == 1  # no retry once the budget is spent


def test_slow_reply_inside_the_budget_succeeds(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_text("ok", delay_s=0.2)
    assert model_for(openai_server, timeout_s=2).complete(ASK) == "ok"


def test_stall_mid_stream_fails_fast_after_the_pieces_that_arrived(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_stall("第一段内容然后停住", after_chunks=2, stall_s=20)
    received: list[str] = []
    started = time.perf_counter()
    with pytest.raises(LLMError, match="stalled"):
        for piece in model_for(openai_server, stream_gap_s=0.3, timeout_s=10).stream(ASK):
            received.append(piece)
    assert time.perf_counter() - started < 1.5
    assert "".join(received) == "第一段内容然后停"
    assert len(openai_server.chat_bodies) == 1


def test_disconnect_mid_stream_raises_at_once(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_disconnect("abcdefghijkl", after_chunks=1)
    started = time.perf_counter()
    with pytest.raises(LLMError, match="mid-reply after 1 pieces"):
        list(model_for(openai_server).stream(ASK))
    assert time.perf_counter() - started < 1.0
    assert len(openai_server.chat_bodies) == 1


def test_server_stopped_mid_stream_raises_quickly() -> None:
    server = ScriptedOpenAIServer().start()
    server.queue_stall("正在生成处置方案", after_chunks=1, stall_s=30)
    stream = model_for(server, stream_gap_s=10, timeout_s=20).stream(ASK)
    assert next(stream) == "正在生成"
    threading.Timer(0.1, server.stop).start()
    started = time.perf_counter()
    with pytest.raises(LLMError, match="dropped the connection"):
        list(stream)
    assert time.perf_counter() - started < 2.0


def test_unreachable_endpoint_says_so(openai_server: ScriptedOpenAIServer) -> None:
    settings = openai_server.llm_settings(retries=0)
    openai_server.stop()
    with pytest.raises(LLMError, match=re.escape("无法连接 / model endpoint unreachable at http://127.0.0.1")):
        OpenAICompatibleChatModel(settings).complete(ASK)


def test_empty_model_name_uses_the_first_listed_model(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_text("ok")
    model = model_for(openai_server, model="")
    assert "endpoint default" in model.name
    assert model.complete(ASK) == "ok"
    assert openai_server.chat_bodies[0]["model"] == "test-model"
    assert model.name.startswith("test-model @ http://127.0.0.1")


def test_name_hides_credentials_in_the_url() -> None:
    settings = Settings().llm.model_copy(update={"base_url": "http://user:pw@10.0.0.5:8000/v1?key=x", "model": "qwen"})
    model = OpenAICompatibleChatModel(settings)
    assert model.name == "qwen @ http://10.0.0.5:8000/v1"


def test_make_chat_model_is_none_without_an_endpoint(openai_server: ScriptedOpenAIServer) -> None:
    assert make_chat_model(Settings()) is None
    configured = Settings().model_copy(update={"llm": openai_server.llm_settings()})
    assert isinstance(make_chat_model(configured), OpenAICompatibleChatModel)
