"""complete_json end to end: mode fallbacks as the endpoint refuses them, extraction, one repair."""

from __future__ import annotations

import json

import pytest

from assistant.domain import Level, Loop, Stage
from assistant.errors import LLMError
from assistant.llm import ChatMessage, OpenAICompatibleChatModel
from assistant.llm.schemas import AnalysisReply, StageReply
from tests.llm.openai_server import ScriptedOpenAIServer

ASK_ZH = [ChatMessage("system", "你是值班助手。"), ChatMessage("user", "起草应急处置阶段。")]
ASK_EN = [ChatMessage("system", "You assist duty officers."), ChatMessage("user", "Draft the response stage.")]
STAGE = {
    "summary": "先隔离后疏散[C1]",
    "actions": [
        {
            "text": "设置警戒区并疏散楼内人员",
            "unit": "属地街道",
            "time_limit": "立即",
            "loop": "small",
            "citations": ["C1", "alert"],
        }
    ],
    "open_questions": ["燃气公司抢修队到达时间？"],
}


def model_for(server: ScriptedOpenAIServer, **overrides: object) -> OpenAICompatibleChatModel:
    return OpenAICompatibleChatModel(server.llm_settings(**overrides), backoff_base_s=0.01)


def formats(server: ScriptedOpenAIServer) -> list[str | None]:
    return [(b.get("response_format") or {}).get("type") for b in server.chat_bodies]


def test_json_schema_mode_sends_the_schema_and_validates(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_json(STAGE)
    reply = model_for(openai_server).complete_json(ASK_ZH, StageReply)

    result = reply.to_stage_result(Stage.RESPONSE, alert_id="A-7")
    assert result.actions[0].loop is Loop.SMALL
    assert result.actions[0].citations == ("C1", "alert:A-7")
    body = openai_server.chat_bodies[0]
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"]["title"] == "StageReply"
    assert body["max_tokens"] == 2048
    assert body["messages"][-1]["content"] == "起草应急处置阶段。"  # no format note needed


def test_auto_mode_steps_down_to_json_object_then_plain_and_remembers(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.reject_json_schema = True
    openai_server.reject_json_object = True
    openai_server.queue_text("好的，方案如下：\n```json\n" + json.dumps(STAGE, ensure_ascii=False) + "\n```")
    model = model_for(openai_server)

    first = model.complete_json(ASK_ZH, StageReply)
    assert first.summary == "先隔离后疏散[C1]"
    assert formats(openai_server) == ["json_schema", "json_object", None]
    plain = openai_server.chat_bodies[-1]["messages"][-1]["content"]
    assert plain.startswith("起草应急处置阶段。") and "JSON Schema" in plain and '"StageReply"' in plain
    assert model.json_modes.mode == "none"

    openai_server.queue_json(STAGE)
    model.complete_json(ASK_ZH, StageReply)
    assert formats(openai_server)[3:] == [None]  # no second round of refusals


def test_json_object_mode_is_used_when_only_the_schema_is_refused(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.reject_json_schema = True
    openai_server.queue_json(STAGE)
    model = model_for(openai_server)
    model.complete_json(ASK_EN, StageReply)
    assert formats(openai_server) == ["json_schema", "json_object"]
    assert "Output format: exactly one JSON object" in openai_server.chat_bodies[-1]["messages"][-1]["content"]
    assert model.json_modes.mode == "json_object"


def test_explicit_mode_does_not_step_down(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.reject_json_schema = True
    with pytest.raises(LLMError, match="HTTP 400"):
        model_for(openai_server, json_mode="json_schema").complete_json(ASK_ZH, StageReply)
    assert formats(openai_server) == ["json_schema"]


def test_unrelated_400_is_not_taken_for_a_format_refusal(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_error(400, "This model's maximum context length is 8192 tokens", error_type="invalid_request")
    model = model_for(openai_server)
    with pytest.raises(LLMError, match="maximum context length"):
        model.complete_json(ASK_ZH, StageReply)
    assert model.json_modes.mode == "json_schema"


def test_one_repair_fixes_an_invalid_reply(openai_server: ScriptedOpenAIServer) -> None:
    broken = {**STAGE, "actions": [{"text": "疏散", "loop": "small", "citations": ["C1"]}]}  # no unit, no time limit
    openai_server.queue_json(broken)
    openai_server.queue_json(STAGE)

    reply = model_for(openai_server).complete_json(ASK_ZH, StageReply)

    assert reply.actions[0].unit == "属地街道"
    repair_request = openai_server.chat_bodies[1]["messages"]
    assert repair_request[-2] == {"role": "assistant", "content": json.dumps(broken, ensure_ascii=False)}
    assert "actions.0.unit" in repair_request[-1]["content"]
    assert "只输出 JSON 对象本身" in repair_request[-1]["content"]  # the Chinese repair prompt for a Chinese task


def test_failed_repair_raises_a_clear_error(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_text("抱歉，我无法提供。")
    openai_server.queue_text("还是没有 JSON")
    with pytest.raises(LLMError, match="after one repair attempt") as caught:
        model_for(openai_server).complete_json(ASK_ZH, StageReply)
    assert "no JSON object" in str(caught.value)
    assert len(openai_server.chat_bodies) == 2


def test_a_cut_off_reply_is_reported_as_such(openai_server: ScriptedOpenAIServer) -> None:
    cut = json.dumps(STAGE, ensure_ascii=False)[:40]
    openai_server.queue_text(cut, finish_reason="length")
    openai_server.queue_text(cut, finish_reason="length")
    with pytest.raises(LLMError, match="max_tokens=99"):
        model_for(openai_server).complete_json(ASK_ZH, StageReply, max_tokens=99)
    assert [b["max_tokens"] for b in openai_server.chat_bodies] == [99, 99]


def test_analysis_reply_accepts_official_spellings(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.queue_json(
        {
            "summary": "地下室燃气浓度超限[alert]",
            "hazard": "燃气",
            "colour": "橙色",
            "alert_level": "Ⅱ级",
            "value_vs_threshold": "为阈值的 2 倍[alert]",
            "place": "某小区地下室",
            "owner": "待明确",
            "proposed_level": {"level": None, "reason": "信息不足：需要伤亡人数", "missing": ["伤亡人数"]},
        }
    )
    reply = model_for(openai_server).complete_json(ASK_ZH, AnalysisReply)
    assert reply.alert_level is Level.II
    assert reply.proposed_level.level is None
    assert reply.proposed_level.missing == ["伤亡人数"]


def test_the_whole_json_call_shares_one_time_budget(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.reject_json_schema = True
    openai_server.queue_text("not json", delay_s=0.3)
    openai_server.queue_json(STAGE, delay_s=0.3)
    with pytest.raises(LLMError, match=r"timed out|no time left"):
        model_for(openai_server, timeout_s=0.5).complete_json(ASK_ZH, StageReply)
