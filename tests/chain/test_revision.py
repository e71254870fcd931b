"""Regenerating a stage offline through the cards, and the officer's own additions."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.alerts.intake import parse_file
from assistant.chain.revision import brief, interpret_request
from assistant.domain import STAGES, EvidenceStatus, PlanDraft, Stage
from assistant.services import Services
from assistant.settings import PROJECT_ROOT

GAS_CAP = PROJECT_ROOT / "evals" / "alerts" / "cap_gas_garage_rising_zh.xml"


@pytest.fixture(scope="module")
def drafted(shipped: Services) -> tuple[Services, PlanDraft]:
    (alert,) = parse_file(GAS_CAP).alerts
    return shipped, shipped.drafter.draft(alert).draft


def _response(draft: PlanDraft) -> str:
    return "\n".join(a.text for a in draft.stages[STAGES.index(Stage.RESPONSE)].actions)


def test_requests_are_understood_through_the_cards() -> None:
    assert interpret_request("学校已放学", "zh").excluded_kinds == {"school"}
    assert interpret_request("增加夜间措施", "zh").assume == {"night"}
    assert interpret_request("增加对隔壁工地的巡查", "zh").empty


def test_school_closed_drops_the_school_actions_and_says_what_changed(drafted: tuple[Services, PlanDraft]) -> None:
    services, draft = drafted
    (alert,) = parse_file(GAS_CAP).alerts
    assert "区实验小学" in _response(draft)
    revised = services.drafter.regenerate_stage(draft, alert, Stage.RESPONSE, request="学校已放学")
    assert "区实验小学" not in _response(revised)
    assert any("重新生成" in n and "删除" in n for n in revised.notices)
    assert revised.stages[:3] == draft.stages[:3]


def test_asking_for_night_time_measures_picks_the_night_cards(drafted: tuple[Services, PlanDraft]) -> None:
    services, draft = drafted
    (alert,) = parse_file(GAS_CAP).alerts
    revised = services.drafter.regenerate_stage(draft, alert, Stage.RESPONSE, request="增加夜间措施")
    assert "住校学生" in _response(revised)


def test_an_unmatched_request_becomes_the_officers_own_action(drafted: tuple[Services, PlanDraft]) -> None:
    services, draft = drafted
    (alert,) = parse_file(GAS_CAP).alerts
    added = services.drafter.regenerate_stage(
        draft, alert, Stage.RESPONSE, request="增加对隔壁工地的疏散", officer="李四"
    )
    response = added.stages[STAGES.index(Stage.RESPONSE)]
    assert response.actions[-1].citations == ("officer:李四",)
    check = added.check_for(f"response.{len(response.actions) - 1}")
    assert check is not None and check.status is EvidenceStatus.UNSUPPORTED


def test_brief_names_the_level_or_its_absence(drafted: tuple[Services, PlanDraft]) -> None:
    _services, draft = drafted
    text = brief(draft, 300)
    assert "先期处置，尚未定级" in text and len(text) <= 300


def test_fixture_exists() -> None:
    assert Path(GAS_CAP).exists()
