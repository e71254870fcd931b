"""Revising a draft on the officer's request, and the short brief for a leader.

A revision never overwrites: it returns a new PlanDraft that the records store as the
next version, and the grounding check runs again, so an officer's own addition shows
as "无据 / unsupported" until a source backs it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.chain.grounding import check_draft
from assistant.chain.spec import DrafterSpec
from assistant.domain import Action, Level, Loop, PlanDraft, Stage

BRIEF_REQUEST = re.compile(r"简报|摘要|概要|精简|\d+\s*字|brief|summary|short version", re.IGNORECASE)
_STAGE_WORDS: dict[Stage, tuple[str, ...]] = {
    Stage.RISK_CONTROL: ("风险管控", "隐患", "risk"),
    Stage.MONITORING: ("监测", "预警", "monitor", "warning"),
    Stage.ANALYSIS: ("研判", "分析", "analysis"),
    Stage.RESPONSE: ("处置", "疏散", "救援", "response", "evacuat"),
    Stage.RECOVERY: ("善后", "恢复", "recovery"),
    Stage.INVESTIGATION: ("调查", "评估", "investigat"),
}


def is_brief_request(request: str) -> bool:
    return bool(BRIEF_REQUEST.search(request))


def requested_length(request: str, default: int = 200) -> int:
    match = re.search(r"(\d+)\s*(?:字|characters|chars|words)", request)
    return max(60, min(2000, int(match.group(1)))) if match else default


def brief(draft: PlanDraft, max_chars: int = 200) -> str:
    """Event, proposed level and the first response actions, within ``max_chars`` characters."""
    zh = draft.lang != "en"
    level = (
        (draft.proposed_level.zh if zh else f"Level {draft.proposed_level.value}")
        if draft.proposed_level
        else ("待定" if zh else "to be decided")
    )
    response = next((s for s in draft.stages if s.stage is Stage.RESPONSE), None)
    actions = [a.text for a in response.actions[:3]] if response else []
    if zh:
        text = f"{draft.summary} 建议响应：{level}。处置：" + "；".join(actions) + "。"
    else:
        text = f"{draft.summary} Proposed response: {level}. Actions: " + "; ".join(actions) + "."
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def target_stage(request: str) -> Stage:
    lowered = request.lower()
    for stage, words in _STAGE_WORDS.items():
        if any(w in lowered for w in words):
            return stage
    return Stage.RESPONSE


def add_officer_action(
    draft: PlanDraft,
    request: str,
    officer: str,
    spec: DrafterSpec,
    alert_text: str,
    alert_level: Level | None,
    level_citations: tuple[str, ...],
) -> PlanDraft:
    """The officer's requested action, added to the stage it concerns and marked as the officer's."""
    stage = target_stage(request)
    zh = draft.lang != "en"
    action = Action(
        text=request.strip(),
        unit="待明确" if zh else "to be assigned",
        time_limit="待明确" if zh else "to be set",
        loop=Loop.SMALL,
        citations=(f"officer:{officer}",),
    )
    stages = tuple(replace(s, actions=(*s.actions, action)) if s.stage is stage else s for s in draft.stages)
    revised = replace(draft, stages=stages, checks=())
    result = check_draft(revised, alert_text, spec.source_text, alert_level, level_citations)
    return replace(revised, checks=result.checks)
