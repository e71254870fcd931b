from dataclasses import replace

from assistant.chain.drafter import Drafter
from assistant.chain.grounding import check_draft, level_problems, unsupported_claims
from assistant.chain.spec import load_spec
from assistant.domain import STAGES, Action, EvidenceStatus, Level, Loop, Stage
from tests.chain.alerts import gas_alert
from tests.chain.corpus import MemorySearcher

SOURCE = "燃气经营企业接到泄漏报警后应立即派出抢修人员，30分钟内到达现场。"


def test_planted_numbers_phones_dates_and_organisations_are_flagged() -> None:
    text = "示例市燃气抢险总队应在15分钟内到场，联系电话 021-64881234，2026年11月23日前完成整改。"
    problems = unsupported_claims(text, [SOURCE])
    joined = " ".join(problems)
    assert "021-64881234" in joined
    assert "2026年11月23日" in joined
    assert "15" in joined
    assert "示例市燃气抢险总队" in joined


def test_claims_present_in_sources_pass() -> None:
    assert unsupported_claims("燃气经营企业30分钟内到达现场", [SOURCE]) == []
    assert unsupported_claims("Shut the valve within 30 minutes", ["valves shut within 30 minutes"]) == []


def test_english_organisations_are_checked() -> None:
    problems = unsupported_claims("The Riverside Gas Emergency Agency must attend.", ["gas company must attend"])
    assert any("Riverside Gas Emergency Agency" in p for p in problems)


def test_level_conflicts() -> None:
    assert level_problems(Level.I, Level.IV, "") != []
    assert level_problems(Level.III, Level.III, "较大燃气事故（Ⅲ级）") == []
    assert level_problems(Level.IV, Level.III, "特别重大（Ⅰ级）：造成30人以上死亡") != []


def _draft_with(action: Action):
    outcome = Drafter(MemorySearcher()).draft(gas_alert())
    draft = outcome.draft
    index = STAGES.index(Stage.RESPONSE)
    stage = draft.stages[index]
    stages = list(draft.stages)
    stages[index] = replace(stage, actions=(*stage.actions, action))
    return replace(draft, stages=tuple(stages)), outcome.level_citations


def test_check_draft_flags_an_uncited_and_an_invented_action() -> None:
    spec = load_spec()
    chunk = Drafter(MemorySearcher()).draft(gas_alert()).draft.citations[0].chunk_id
    invented = Action(
        "调派示例市危化品救援总队20人到场，联系电话13912345678",
        "示例市危化品救援总队",
        "10分钟内",
        Loop.SMALL,
        (chunk,),
    )
    draft, level_citations = _draft_with(invented)
    result = check_draft(draft, "", spec.source_text, Level.III, level_citations)
    response_checks = [c for c in result.checks if c.location.startswith("response.") and c.location[-1].isdigit()]
    last = response_checks[-1]
    assert last.status is EvidenceStatus.UNSUPPORTED
    assert any("13912345678" in p for p in last.problems)
    uncited = Action("疏散周边人员", "属地街道", "立即", Loop.SMALL, ())
    draft, level_citations = _draft_with(uncited)
    result = check_draft(draft, "", spec.source_text, Level.III, level_citations)
    assert any("no citation" in p for c in result.checks for p in c.problems)


def test_missing_stage_and_wrong_level_are_reported() -> None:
    outcome = Drafter(MemorySearcher()).draft(gas_alert())
    draft = replace(outcome.draft, stages=outcome.draft.stages[:-1], proposed_level=Level.I)
    result = check_draft(draft, "", load_spec().source_text, Level.III, outcome.level_citations)
    assert any("调查评估" in p for p in result.problems)
    level = next(c for c in result.checks if c.location == "level")
    assert level.status is EvidenceStatus.CONFLICT
