"""Small builders of domain objects for tests (real types, realistic content)."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.domain import (
    STAGES,
    Action,
    Citation,
    DocKind,
    EvidenceCheck,
    EvidenceStatus,
    Level,
    Loop,
    PlanDraft,
    StageResult,
)


def make_citation(n: int = 1, title: str = "城镇燃气突发事件应急预案（要点）") -> Citation:
    return Citation(
        chunk_id=f"doc{n:02d}:{n:04d}",
        doc_id=f"doc{n:02d}",
        title=title,
        heading="六、应急响应 > （三）Ⅲ级响应",
        page=n,
        kind=DocKind.PLAN,
        score=0.9,
        text="发生燃气泄漏时，立即关闭上游阀门切断气源，设置警戒区并疏散周边人员。",
    )


def make_draft(lang: str = "zh", draft_id: str = "d-test") -> PlanDraft:
    citations = (make_citation(1), make_citation(2, "十堰“6·13”燃气爆炸事故调查报告（要点）"))
    stages = tuple(
        StageResult(
            stage=stage,
            summary=f"{stage.label(lang)}阶段的要点。",
            actions=(
                Action(
                    text="关闭上游阀门切断气源，设置警戒区并疏散周边人员",
                    unit="燃气企业抢修队",
                    time_limit="接警后20分钟内",
                    loop=Loop.SMALL,
                    citations=(citations[0].chunk_id, "alert:a1"),
                    resources=("抢修车",),
                    lessons=("燃气泄漏报警后应先疏散人员、切断气源。",),
                ),
            ),
            open_questions=("现场是否有人员被困？",),
        )
        for stage in STAGES
    )
    return PlanDraft(
        draft_id=draft_id,
        title="关于滨江路燃气泄漏报警的应急处置方案（草案）",
        lang=lang,
        alert_id="a1",
        incident_id="i1",
        engine="offline-drafter",
        prompt_version="offline-1",
        created=datetime(2026, 11, 22, 9, 30, tzinfo=UTC),
        summary="2026年11月22日9时28分，滨江路地下室可燃气体浓度达到 25 %LEL。",
        proposed_level=Level.IV,
        level_basis="依据[1]",
        stages=stages,
        citations=citations,
        notices=("未配置大模型，使用离线检索生成。",),
        checks=(EvidenceCheck("response.0", EvidenceStatus.SUPPORTED),),
    )
