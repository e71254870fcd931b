"""Draft metrics on hand-made drafts: stages, citation validity against a fake index, grounding."""

from __future__ import annotations

from dataclasses import replace

from assistant.domain import STAGES, Citation, EvidenceCheck, EvidenceStatus, PlanDraft
from assistant.evaluation.plan_metrics import (
    answer_grounding,
    citation_validity,
    stage_completeness,
    unsupported_share,
)
from tests.factories import make_citation, make_draft

GOOD = make_citation(1).chunk_id  # its text: 关闭上游阀门切断气源，设置警戒区并疏散周边人员…


def _with_citations(draft: PlanDraft, *cited: str, text: str | None = None) -> PlanDraft:
    stages = tuple(
        replace(s, actions=tuple(replace(a, citations=cited, text=text or a.text) for a in s.actions))
        for s in draft.stages
    )
    return replace(draft, stages=stages)


def test_six_stages_in_order_each_with_an_action() -> None:
    draft = make_draft()
    assert stage_completeness(draft).value == 1.0
    dropped = replace(draft, stages=draft.stages[:-1])
    score = stage_completeness(dropped)
    assert score.value == 0.0 and "调查评估" in score.reason
    swapped = replace(draft, stages=(draft.stages[1], draft.stages[0], *draft.stages[2:]))
    assert "out of order" in stage_completeness(swapped).reason
    empty = replace(draft, stages=(*draft.stages[:3], replace(draft.stages[3], actions=()), *draft.stages[4:]))
    assert "应急处置" in stage_completeness(empty).reason
    assert stage_completeness(dropped, ["风险管控", "response"]).value == 1.0, "expect.stages narrows the check"


def test_valid_citations_exist_were_retrieved_and_share_content() -> None:
    draft = _with_citations(make_draft(), GOOD, "alert:a1")
    assert citation_validity(draft, retrieved={GOOD}, alert_id="a1", indexed={GOOD}).value == 1.0


def test_a_citation_missing_from_the_index_is_invalid() -> None:
    draft = _with_citations(make_draft(), GOOD)
    score = citation_validity(draft, retrieved={GOOD}, alert_id="a1", indexed=set())
    assert score.value == 0.0 and "not in the index" in score.reason


def test_a_passage_not_retrieved_for_this_case_is_invalid() -> None:
    ghost = Citation(**{**make_citation(9).__dict__, "chunk_id": "ghost:0001"})
    draft = replace(_with_citations(make_draft(), GOOD, ghost.chunk_id), citations=(make_citation(1), ghost))
    score = citation_validity(draft, retrieved={GOOD}, alert_id="a1", indexed={GOOD, ghost.chunk_id})
    assert score.value == 0.5 and "ghost:0001 (not retrieved" in score.reason


def test_a_passage_that_shares_nothing_with_its_sentence_is_invalid() -> None:
    draft = _with_citations(make_draft(), GOOD, text="Bridge deck displacement exceeded 30 mm overnight")
    score = citation_validity(draft, retrieved={GOOD}, alert_id="a1", indexed={GOOD})
    assert score.value == 0.0 and "no shared content" in score.reason


def test_citing_another_alert_is_invalid_and_no_citation_scores_zero() -> None:
    assert "another alert" in citation_validity(_with_citations(make_draft(), "alert:zz"), {GOOD}, "a1").reason
    assert citation_validity(_with_citations(make_draft()), {GOOD}, "a1").value == 0.0


def test_unsupported_share_counts_unsupported_places() -> None:
    checks = [
        EvidenceCheck("summary", EvidenceStatus.SUPPORTED),
        EvidenceCheck("response.0", EvidenceStatus.UNSUPPORTED, ("数字 / number: 99",)),
        EvidenceCheck("level", EvidenceStatus.CONFLICT, ("level conflicts",)),
        EvidenceCheck("recovery.0", EvidenceStatus.SUPPORTED),
    ]
    score = unsupported_share(checks)
    assert score.value == 0.5 and "response.0" in score.reason and "level" in score.reason
    assert unsupported_share([]).reason == "no grounding checks ran"


def test_answer_grounding_ignores_source_numbers_but_flags_invented_figures() -> None:
    cited = [make_citation(1)]
    assert (
        answer_grounding("立即关闭上游阀门切断气源。[1]\n来源：[1] 《城镇燃气》", cited, "燃气泄漏怎么办").value == 1.0
    )
    invented = answer_grounding("立即切断气源，并在 45 分钟内疏散 300 人。[1]", cited, "燃气泄漏怎么办")
    assert invented.value == 0.0 and "45" in invented.reason


def test_every_stage_name_form_is_accepted() -> None:
    draft = make_draft()
    names = [STAGES[0].value, STAGES[1].zh, STAGES[2].en]
    assert stage_completeness(draft, names).value == 1.0
