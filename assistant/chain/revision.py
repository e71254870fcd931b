"""Revising a draft on the officer's request, and the short brief for a leader.

A revision never overwrites: it returns a new PlanDraft that the records store as the next
version, and the grounding check runs again. Offline, a request acts through the action cards
("学校已放学" drops the school cards, "增加夜间" takes the night-time ones) and the draft says
what changed; a request the cards cannot follow becomes the officer's own action, shown as
"无据 / unsupported" until a source backs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.chain.grounding import GroundingContext, check_draft
from assistant.chain.site_mentions import SITE_KINDS
from assistant.domain import Action, Loop, PlanDraft, Stage, StageResult

BRIEF_REQUEST = re.compile(r"简报|摘要|概要|精简|\d+\s*字|brief|summary|short version", re.IGNORECASE)
_STAGE_WORDS: dict[Stage, tuple[str, ...]] = {
    Stage.RISK_CONTROL: ("风险管控", "隐患", "risk"),
    Stage.MONITORING: ("监测", "预警", "monitor", "warning"),
    Stage.ANALYSIS: ("研判", "分析", "analysis"),
    Stage.RESPONSE: ("处置", "疏散", "救援", "response", "evacuat"),
    Stage.RECOVERY: ("善后", "恢复", "recovery"),
    Stage.INVESTIGATION: ("调查", "评估", "investigat"),
}
# "the school is closed / already evacuated / not needed" rules a site's cards out.
_RULED_OUT = re.compile(
    r"已放学|已停课|已撤离|已疏散完毕|已关闭|无需|不需要|取消|删除|去掉|没有|closed|evacuated already|not needed|remove|no longer",
    re.I,
)
_ASSUMED = {
    "night": re.compile(r"夜间|夜里|晚上|凌晨|night", re.I),
    "fast": re.compile(r"快速上升|上升很快|rising fast", re.I),
}


@dataclass(frozen=True)
class RequestEffect:
    """What an officer's request changes in the card selection."""

    excluded_kinds: frozenset[str] = frozenset()  # site kinds whose cards are dropped
    assume: frozenset[str] = frozenset()  # conditions asserted true

    @property
    def empty(self) -> bool:
        return not (self.excluded_kinds or self.assume)

    def describe(self, lang: str, stage: Stage, before: StageResult | None, after: StageResult) -> str:
        """A notice saying which actions the request removed and added."""
        old = {a.text for a in before.actions} if before else set()
        new = {a.text for a in after.actions}
        removed, added = len(old - new), len(new - old)
        if lang == "en":
            return f"{stage.en} regenerated on request: {removed} action(s) removed, {added} added."
        return f"{stage.zh}已按值班员要求重新生成：删除{removed}项措施，新增{added}项。"


def interpret_request(request: str, lang: str) -> RequestEffect:
    kinds = frozenset(
        kind
        for kind, words in SITE_KINDS.items()
        if _RULED_OUT.search(request) and any(w in request.lower() for w in (*words, *_KIND_EXTRA.get(kind, ())))
    )
    assume = frozenset(flag for flag, pattern in _ASSUMED.items() if pattern.search(request))
    return RequestEffect(kinds, assume)


_KIND_EXTRA = {"school": ("放学", "停课", "学生"), "kindergarten": ("幼儿",), "metro": ("地铁",)}


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
        else ("先期处置，尚未定级" if zh else "initial response, no level yet")
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


def add_officer_action(draft: PlanDraft, request: str, officer: str, grounding: GroundingContext) -> PlanDraft:
    """The officer's requested action, added to the stage it concerns and marked as the officer's."""
    stage = target_stage(request)
    zh = draft.lang != "en"
    action = Action(
        text=request.strip(),
        unit="待明确" if zh else "to be assigned",
        time_limit="待明确" if zh else "to be set",
        loop=Loop.SMALL,
        citations=(f"officer:{officer}",),
        origin="officer",
    )
    stages = tuple(replace(s, actions=(*s.actions, action)) if s.stage is stage else s for s in draft.stages)
    revised = replace(draft, stages=stages, checks=())
    result = check_draft(revised, grounding)
    return replace(revised, checks=result.checks)
