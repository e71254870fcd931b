"""Finding the JSON in real-world replies, and the lenient-but-strict reply schemas."""

from __future__ import annotations

import pytest

from assistant.domain import Colour, Level, Loop, Stage
from assistant.llm.jsonparse import ReplyFormatError, extract_json_object, parse_reply
from assistant.llm.schemas import ActionReply, AnalysisReply, LevelProposal, StageReply, response_format_for


@pytest.mark.parametrize(
    "reply",
    [
        '{"a": 1}',
        '好的，结果如下：{"a": 1} 以上。',
        'Here it is:\n```json\n{"a": 1}\n```\nDone.',
        '```\n{"a": 1}\n```',
        '<think>maybe {"a": 2}?</think>\n{"a": 1}',
        'Note {not json} then {"a": 1}',
        '[1, 2] {"a": 1}',
    ],
)
def test_extract_finds_the_object(reply: str) -> None:
    assert extract_json_object(reply) == {"a": 1}


def test_a_fenced_object_wins_over_prose_braces() -> None:
    assert extract_json_object('The field {"x": 0} is wrong; use\n```json\n{"a": 1}\n```') == {"a": 1}


@pytest.mark.parametrize(("reply", "problem"), [("", "empty"), ("<think>…</think>", "empty"), ("抱歉", "no JSON")])
def test_extract_explains_what_is_missing(reply: str, problem: str) -> None:
    with pytest.raises(ReplyFormatError, match=problem):
        extract_json_object(reply)


def test_validation_errors_name_the_json_path() -> None:
    with pytest.raises(ReplyFormatError, match=r"actions\.0\.citations") as caught:
        parse_reply(
            '{"summary": "s", "actions": [{"text": "t", "unit": "u", "time_limit": "立即", "loop": "small", "citations": []}]}',
            StageReply,
        )
    assert "does not match the schema" in str(caught.value)


@pytest.mark.parametrize(
    ("spelling", "level"),
    [
        ("Ⅲ级（较大）", Level.III),
        ("三级响应", Level.III),
        ("Level II", Level.II),
        ("IV", Level.IV),
        ("特别重大", Level.I),
        ("待定", None),
    ],
)
def test_levels_in_official_spellings(spelling: str, level: Level | None) -> None:
    assert LevelProposal(level=spelling, reason="r").level == level


def test_unknown_level_is_rejected() -> None:
    with pytest.raises(ValueError):
        LevelProposal(level="V", reason="r")


def test_colours_and_loops_in_chinese() -> None:
    base = {"summary": "s", "hazard": "h", "value_vs_threshold": "v", "place": "p", "owner": "o"}
    reply = AnalysisReply.model_validate(
        {**base, "colour": "红色预警", "proposed_level": {"level": None, "reason": "r"}}
    )
    assert reply.colour is Colour.RED
    action = ActionReply(text="t", unit="u", time_limit="立即", loop="大循环（区级）", citations=["【C2】"])
    assert action.loop is Loop.LARGE
    assert action.citations == ["C2"]


def test_stage_reply_maps_onto_the_domain() -> None:
    reply = StageReply(
        summary="s",
        actions=[
            ActionReply(
                text="t", unit="u", time_limit="立即", loop="medium", citations=["alert", "C4"], resources=["抢修车"]
            )
        ],
    )
    result = reply.to_stage_result(Stage.RECOVERY)
    assert result.stage is Stage.RECOVERY
    assert result.actions[0].citations == ("alert", "C4")  # no alert id known: kept as is
    assert result.actions[0].resources == ("抢修车",)


def test_response_format_carries_the_json_schema() -> None:
    fmt = response_format_for(AnalysisReply)
    schema = fmt["json_schema"]["schema"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "AnalysisReply"
    assert {"summary", "proposed_level", "place"} <= set(schema["required"])
