from assistant.chain.drafter import Drafter
from assistant.domain import STAGES, Colour, EvidenceStatus, Level, Stage
from tests.chain.alerts import gas_alert
from tests.chain.corpus import GAS_CASE, MemorySearcher


def test_offline_draft_covers_six_stages_and_cites_every_action() -> None:
    outcome = Drafter(MemorySearcher()).draft(gas_alert())
    draft = outcome.draft
    assert [s.stage for s in draft.stages] == list(STAGES)
    assert draft.engine == "offline-drafter"
    known = {c.chunk_id for c in draft.citations}
    for stage in draft.stages:
        assert stage.actions, stage.stage
        for action in stage.actions:
            assert action.citations
            assert all(c.startswith("alert:") or c in known for c in action.citations)
            assert action.unit and action.time_limit
    response = draft.stages[STAGES.index(Stage.RESPONSE)]
    texts = " ".join(a.text for a in response.actions)
    assert "疏散" in texts and "切断气源" in texts
    assert any(a.time_limit == "30分钟内" for a in response.actions)
    assert any(GAS_CASE in lesson for a in response.actions for lesson in a.lessons)
    assert outcome.timings["total_s"] > 0 and outcome.retrieved


def test_level_is_proposed_from_colour_with_the_grading_clause_cited() -> None:
    draft = Drafter(MemorySearcher()).draft(gas_alert(Colour.YELLOW)).draft
    assert draft.proposed_level is Level.III
    assert "较大（Ⅲ级）" in draft.level_basis and "信息不足" in draft.level_basis
    level_check = draft.check_for("level")
    assert level_check is not None and level_check.status is EvidenceStatus.SUPPORTED


def test_no_colour_means_insufficient_information() -> None:
    draft = Drafter(MemorySearcher()).draft(gas_alert(colour=None)).draft
    assert draft.proposed_level is None
    assert draft.level_basis.startswith("信息不足")
    analysis = draft.stages[STAGES.index(Stage.ANALYSIS)]
    assert any("信息不足" in q for q in analysis.open_questions)


def test_english_alert_gets_an_english_draft() -> None:
    draft = Drafter(MemorySearcher()).draft(gas_alert(language="en")).draft
    assert draft.lang == "en" and draft.title.startswith("Response plan")
    assert "Provisional" in draft.level_basis


def test_offline_actions_pass_their_own_grounding_check() -> None:
    draft = Drafter(MemorySearcher()).draft(gas_alert()).draft
    flagged = [c for c in draft.checks if c.status is not EvidenceStatus.SUPPORTED]
    assert flagged == [], flagged


def test_regenerating_a_stage_offline_keeps_the_rest_and_marks_officer_additions() -> None:
    drafter = Drafter(MemorySearcher())
    draft = drafter.draft(gas_alert()).draft
    again = drafter.regenerate_stage(draft, gas_alert(), Stage.RECOVERY)
    assert [s.stage for s in again.stages] == list(STAGES) and again.stages[:4] == draft.stages[:4]
    added = drafter.regenerate_stage(draft, gas_alert(), Stage.RESPONSE, request="增加对隔壁学校的疏散", officer="李四")
    response = added.stages[STAGES.index(Stage.RESPONSE)]
    assert response.actions[-1].citations == ("officer:李四",)
    check = added.check_for(f"response.{len(response.actions) - 1}")
    assert check is not None and check.status is EvidenceStatus.UNSUPPORTED
