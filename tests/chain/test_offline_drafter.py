"""The offline drafter on the real library: action cards filled with the alert's facts, clauses that apply."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace

import pytest

from assistant.alerts.intake import parse_file, parse_payload
from assistant.chain.advice import advised
from assistant.chain.drafter import Drafter
from assistant.domain import STAGES, EvidenceStatus, PlanDraft, Stage
from assistant.evaluation.metrics import cjk_share_outside_quotes
from assistant.services import Services
from assistant.settings import PROJECT_ROOT
from tests.chain.alerts import gas_alert
from tests.chain.corpus import MemorySearcher

GAS_CAP = PROJECT_ROOT / "evals" / "alerts" / "cap_gas_garage_rising_zh.xml"


def _actions(draft: PlanDraft, stage: Stage | None = None) -> str:
    return "\n".join(
        f"{a.text}｜{a.unit}｜{a.time_limit}" for s in draft.stages if stage in (None, s.stage) for a in s.actions
    )


@pytest.fixture(scope="module")
def gas_draft(shipped: Services) -> PlanDraft:
    (alert,) = parse_file(GAS_CAP).alerts
    return shipped.drafter.draft(alert).draft


def test_the_garage_gas_alarm_gets_the_actions_that_save_lives(gas_draft: PlanDraft) -> None:
    response = _actions(gas_draft, Stage.RESPONSE)
    assert "5号楼" in response and "约260户" in response  # the building and its households
    assert "区实验小学（约150米）" in response  # the school, by name and distance
    assert "不得开关电灯" in response and "严禁烟火" in response  # no switches, no flames
    assert "通风" in response and "复测" in response and "第一报警阈值（10%LEL）" in response
    assert "燃气企业抢修人员" in response and "到场后立即" in response
    monitoring = _actions(gas_draft, Stage.MONITORING)
    assert "第二报警阈值（25%LEL）" in monitoring and "快速上升" in monitoring
    assert not advised(_actions(gas_draft), ["开关电器", "使用明火", "开灯检查"])


def test_nothing_off_topic(gas_draft: PlanDraft) -> None:
    everything = _actions(gas_draft)
    for phrase in ("罚款", "责令", "冬季", "供暖", "国务院", "省级人民政府", "抚恤", "储备制度"):
        assert phrase not in everything, phrase


def test_each_action_has_its_own_deadline_and_never_the_sender_as_unit(gas_draft: PlanDraft) -> None:
    for stage in gas_draft.stages:
        if len(stage.actions) >= 2:
            _limit, count = Counter(a.time_limit for a in stage.actions).most_common(1)[0]
            assert count / len(stage.actions) <= 0.5, stage.stage
        assert all("监测平台" not in a.unit and "district-gas-monitor" not in a.unit for a in stage.actions)


def test_lessons_travel_with_the_actions(gas_draft: PlanDraft) -> None:
    lessons = [lesson for s in gas_draft.stages for a in s.actions for lesson in a.lessons]
    assert any("十堰“6·13”" in lesson and "26人死亡" in lesson for lesson in lessons)


def test_summary_states_the_facts_first_and_the_level_apart_from_the_colour(gas_draft: PlanDraft) -> None:
    assert "23 %LEL（报警阈值 10、25 %LEL）" in gas_draft.summary and "快速上升（+15 %LEL/分钟）" in gas_draft.summary
    assert "约260户" in gas_draft.summary and "区实验小学（约150米）" in gas_draft.summary
    assert gas_draft.proposed_level is None and gas_draft.warning_line.startswith("告警颜色：橙色")
    assert gas_draft.escalation and gas_draft.to_confirm
    analysis = gas_draft.stages[STAGES.index(Stage.ANALYSIS)]
    assert analysis.actions[0].text.startswith("先期处置，暂不定级")


def test_evidence_status_is_honest(gas_draft: PlanDraft) -> None:
    statuses = Counter(c.status for c in gas_draft.checks)
    assert statuses[EvidenceStatus.UNSUPPORTED] == 0 and statuses[EvidenceStatus.CONFLICT] == 0
    # Cards resting only on the Beijing example plan are references for a 示例市 alert, never "supported".
    assert statuses[EvidenceStatus.REFERENCE] >= 1
    level = gas_draft.check_for("level")
    assert level is not None and level.status is EvidenceStatus.TO_CONFIRM


def test_english_drafts_are_written_in_english(shipped: Services) -> None:
    (alert,) = parse_file(GAS_CAP).alerts
    draft = shipped.drafter.draft(alert, lang="en").draft
    texts = "\n".join(a.text for s in draft.stages for a in s.actions)
    assert cjk_share_outside_quotes(texts) <= 0.10
    assert re.search(r"Evacuate the residents of .*about 260 households", texts)
    assert draft.level_basis.startswith("Initial response")


def test_the_sensor_path_cites_the_alert_and_keeps_six_stages() -> None:
    draft = Drafter(MemorySearcher()).draft(gas_alert()).draft
    assert [s.stage for s in draft.stages] == list(STAGES)
    known = {c.chunk_id for c in draft.citations}
    for stage in draft.stages:
        for action in stage.actions:
            assert action.citations and all(c.startswith("alert:") or c in known for c in action.citations)


def test_a_night_alarm_checks_the_school_for_boarders_instead_of_evacuating_classes(shipped: Services) -> None:
    (alert,) = parse_file(GAS_CAP).alerts
    night = replace(alert, sent=alert.sent.replace(hour=16))  # 00:42 local
    response = _actions(shipped.drafter.draft(night).draft, Stage.RESPONSE)
    assert "住校学生" in response and "停止室外活动" not in response


def _clause_actions(draft: PlanDraft) -> str:
    return "\n".join(a.text for s in draft.stages for a in s.actions if a.origin == "clause")


def test_a_reported_gas_leak_is_evacuated_and_no_clause_is_a_standing_duty_or_a_library_id(
    shipped: Services,
) -> None:
    (alert,) = parse_file(PROJECT_ROOT / "evals" / "alerts" / "cap_gas_leak_severe_zh.xml").alerts
    draft = shipped.drafter.draft(alert).draft
    assert "疏散" in _actions(draft, Stage.RESPONSE) and "安置" in _actions(draft, Stage.RECOVERY)
    everything, clauses = _actions(draft), _clause_actions(draft)
    assert "reg-accident-reporting-493" not in everything  # a document is named by its title, never its id
    for duty in ("监督检查", "监督管理", "供求状况", "应建立", "依法追究"):
        assert duty not in clauses, duty


def test_a_rain_warning_gets_no_supervisory_duty_as_an_action(shipped: Services) -> None:
    signal = {
        "id": "1",
        "sender": "示例市气象台",
        "pubTime": "2026-07-22T09:30+08:00",
        "title": "示例市气象台发布暴雨黄色预警（示例）",
        "severityColor": "Yellow",
        "typeName": "暴雨",
        "text": "预计未来6小时本市将出现50毫米以上降雨（示例）。",
    }
    (alert,) = parse_payload(json.dumps([signal], ensure_ascii=False), "t", suffix=".json").alerts
    clauses = _clause_actions(shipped.drafter.draft(alert).draft)
    assert "监督管理" not in clauses
    assert "日常运行维护" not in clauses


def test_a_reservoir_over_its_yellow_line_gets_its_dispatch_order_and_no_grading_text_as_an_action(
    shipped: Services,
) -> None:
    reading = {
        "point_id": "WL-K01",
        "sensor_type": "水位",
        "value": 102.3,
        "unit": "m",
        "time": "2026-11-22T09:30:00+08:00",
        "name": "青山水库坝前水位（示例）",
        "location": {"lat": 31.226, "lon": 121.47, "district": "山区县", "address": "示例市青山水库（示例）"},
        "owner": "示例市水务局（示例）",
        "thresholds": {"yellow": 102.0, "orange": 103.5, "red": 104.8},
    }
    (alert,) = parse_payload(json.dumps(reading, ensure_ascii=False), "t", suffix=".json").alerts
    draft = shipped.drafter.draft(alert).draft
    assert "调度令" in _actions(draft, Stage.RESPONSE) and "预泄" in _actions(draft, Stage.RESPONSE)
    analysis = _actions(draft, Stage.ANALYSIS)
    assert "等级表" not in analysis and "启动情形" not in analysis  # how a plan grades is the level's business
