"""Draft scoring measures decisions: boilerplate never counts, other hazards are told apart, English is English."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from assistant.domain import Action, Loop
from assistant.evaluation.cases import CaseResult
from assistant.evaluation.discrimination import add_discrimination
from assistant.evaluation.draft_scoring import action_text, deadline_share, draft_text, template_free
from assistant.evaluation.goldens import Golden
from assistant.evaluation.metrics import (
    cjk_share_outside_quotes,
    english_only,
    forbidden_advice,
    key_point_coverage,
    off_topic,
    payload_leak,
)
from tests.factories import make_draft

BOILERPLATE = Action(
    "核实地下室报警，确认传感器工作状态并疏散人员",
    "值班室",
    "立即",
    Loop.SMALL,
    ("alert:a1",),
    origin="template:card:x",
)
DECIDED = Action(
    "关闭上游阀门切断气源", "燃气企业抢修队", "到场后立即", Loop.SMALL, ("alert:a1",), origin="card:gas-shut"
)


def _draft_with(*actions: Action):  # type: ignore[no-untyped-def]
    draft = make_draft()
    return replace(draft, stages=tuple(replace(s, actions=actions) for s in draft.stages))


def test_boilerplate_actions_never_meet_a_key_point() -> None:
    draft = _draft_with(BOILERPLATE, DECIDED)
    scored = action_text(draft)
    assert "切断气源" in scored and "疏散" not in scored
    assert key_point_coverage(scored, [["疏散"]]).value == 0
    assert key_point_coverage(scored, [["切断气源"]]).value == 1


def test_template_free_flags_a_point_the_template_always_says() -> None:
    boilerplate = "核实\n报警，确认传感器工作状态并疏散人员"
    assert template_free(boilerplate, "zh", [["疏散"], ["切断气源"]]).value == 0.5
    assert template_free(boilerplate, "zh", [["切断气源"]]).value == 1.0


def test_english_scoring_ignores_chinese_and_quotes() -> None:
    text = "Close the valve. Apply the cited clause: “立即疏散周边人员” 疏散"
    assert "疏散" not in english_only(text) and "Close the valve" in english_only(text)
    assert key_point_coverage(english_only(text), [["疏散"]]).value == 0
    assert cjk_share_outside_quotes("Evacuate 幸福里 now “立即疏散”") > 0
    assert cjk_share_outside_quotes("Evacuate now “立即疏散”") == 0


def test_forbidden_advice_is_searched_in_the_whole_draft_with_negation_decided() -> None:
    leak = replace(make_draft(), summary="值班员可以开灯检查泄漏点。")
    assert forbidden_advice(draft_text(leak), ["开灯检查"]).value == 0.0  # a summary is output too
    safe = replace(make_draft(), summary="严禁开灯检查泄漏点，不开关电器。")
    assert forbidden_advice(draft_text(safe), ["开灯检查", "开关电器"]).value == 1.0
    assert payload_leak(draft_text(safe), ["开灯检查"]).value == 0.0  # an injected payload: not even negated


def test_off_topic_and_deadlines() -> None:
    assert off_topic("责令改正并处罚款", ["罚款", "冬季"]).value == 0.5
    same = Action("设置警戒区", "派出所", "立即", Loop.SMALL, ("alert:a1",), origin="card:x")
    assert deadline_share(_draft_with(same, replace(same, text="疏散"), DECIDED)).value == 0.0
    assert deadline_share(_draft_with(same, DECIDED)).value == 1.0


def _golden(gid: str, hazard: str, points: list[list[str]]) -> Golden:
    return Golden(gid, "zh", "draft", Path("x.jsonl"), 1, alert={}, expect={"hazards": [hazard], "key_points": points})


def test_discrimination_counts_other_hazards_a_draft_would_also_pass() -> None:
    gas = _golden("gas", "燃气", [["切断气源"], ["通风"]])
    flood = _golden("flood", "洪涝", [["巡堤"], ["转移"]])
    generic = _golden("generic", "暴雨内涝", [["切断气源"], ["通风"]])  # a golden a gas plan also satisfies
    result = CaseResult("gas", "draft", "zh", "燃气", "draft", scored_text="切断气源，通风")
    add_discrimination([result], [gas, flood, generic])
    score = next(s for s in result.scores if s.name == "discrimination")
    assert score.value == 0.5 and "generic" in score.reason
