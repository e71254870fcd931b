from assistant.chain.drafter import Drafter
from assistant.chain.revision import add_officer_action, brief, is_brief_request, requested_length, target_stage
from assistant.chain.spec import load_spec
from assistant.domain import EvidenceStatus, Level, Stage
from assistant.export.markdown import render_markdown
from tests.chain.alerts import gas_alert
from tests.chain.corpus import MemorySearcher


def test_brief_fits_the_requested_length() -> None:
    draft = Drafter(MemorySearcher()).draft(gas_alert()).draft
    assert is_brief_request("给领导一个200字的简报") and requested_length("给领导一个200字的简报") == 200
    text = brief(draft, 200)
    assert len(text) <= 200 and "Ⅲ级" in text


def test_officer_addition_is_a_marked_unsupported_action() -> None:
    outcome = Drafter(MemorySearcher()).draft(gas_alert())
    request = "增加对隔壁学校师生的疏散"
    assert target_stage(request) is Stage.RESPONSE
    revised = add_officer_action(outcome.draft, request, "张三", load_spec(), "", Level.III, outcome.level_citations)
    response = next(s for s in revised.stages if s.stage is Stage.RESPONSE)
    assert response.actions[-1].text == request
    check = revised.check_for(f"response.{len(response.actions) - 1}")
    assert check is not None and check.status is EvidenceStatus.UNSUPPORTED
    assert "值班员补充（张三）" in render_markdown(revised)
