"""Grounding: numbers and names need a source; a citation needs a clause that applies to this alert."""

from __future__ import annotations

from assistant.chain.grounding import GroundingContext, check_action, unsupported_claims
from assistant.domain import Action, EvidenceStatus, Loop

SOURCE = "燃气经营企业接到泄漏报警后应立即派出抢修人员，30分钟内到达现场。"
TEXTS = {"c1": f"城镇燃气预案\n先期处置\n{SOURCE}", "c2": "福建省预案\n响应\n省防指组织转移"}


def _action(
    text: str = "燃气经营企业30分钟内到达现场",
    unit: str = "燃气经营企业",
    cite: tuple = ("c1",),
    limit: str = "30分钟内",
) -> Action:
    return Action(text, unit, limit, Loop.SMALL, cite)


def _ctx(**kw: object) -> GroundingContext:
    return GroundingContext(alert_text="示例市滨江路88号地下一层 25 %LEL", policy_text="", **kw)  # type: ignore[arg-type]


def test_planted_numbers_phones_dates_and_organisations_are_flagged() -> None:
    text = "示例市燃气抢险总队应在15分钟内到场，联系电话 021-64881234，2026年11月23日前完成整改。"
    joined = " ".join(unsupported_claims(text, [SOURCE]))
    for planted in ("021-64881234", "2026年11月23日", "15", "示例市燃气抢险总队"):
        assert planted in joined


def test_claims_present_in_sources_pass() -> None:
    assert unsupported_claims("燃气经营企业30分钟内到达现场", [SOURCE]) == []
    assert unsupported_claims("Shut the valve within 30 minutes", ["valves shut within 30 minutes"]) == []


def test_english_organisations_are_checked() -> None:
    problems = unsupported_claims("The Riverside Gas Emergency Agency must attend.", ["gas company must attend"])
    assert any("Riverside Gas Emergency Agency" in p for p in problems)


def test_a_clause_that_applies_supports_an_action() -> None:
    assert check_action(_action(), TEXTS, _ctx(applicable={"c1": True}))[0] is EvidenceStatus.SUPPORTED


def test_another_jurisdictions_clause_is_only_a_reference() -> None:
    action = _action("省防指组织转移", unit="省防指", cite=("c2",), limit="立即")
    status, problems = check_action(action, TEXTS, _ctx(applicable={"c2": False}))
    assert status is EvidenceStatus.REFERENCE and problems


def test_the_alert_sender_as_unit_conflicts_with_the_alert() -> None:
    action = _action(unit="district-gas-monitor")
    assert check_action(action, TEXTS, _ctx(sender="district-gas-monitor"))[0] is EvidenceStatus.CONFLICT


def test_a_gap_in_the_facts_is_to_confirm() -> None:
    action = _action("疏散〔户数待核实〕户居民", unit="燃气经营企业")
    assert check_action(action, TEXTS, _ctx())[0] is EvidenceStatus.TO_CONFIRM


def test_an_invented_source_or_number_is_unsupported() -> None:
    status, problems = check_action(_action(cite=("C99",)), TEXTS, _ctx())
    assert status is EvidenceStatus.UNSUPPORTED and any("unknown citation" in p for p in problems)
    status, problems = check_action(_action("燃气经营企业15分钟内到达现场"), TEXTS, _ctx())
    assert status is EvidenceStatus.UNSUPPORTED and any("15" in p for p in problems)


def test_alert_place_names_are_not_read_as_organisations() -> None:
    action = _action("在示例市滨江路88号地下一层为中心划定警戒区", unit="燃气经营企业")
    ctx = _ctx(alert_terms=("示例市滨江路88号地下一层",))
    assert check_action(action, TEXTS, ctx)[0] is EvidenceStatus.SUPPORTED
