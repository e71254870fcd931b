"""Questions about the pinned incident: "现在应该启动几级响应？", "要通知哪些单位？", "现在先做什么？".

They are answered from the incident's latest draft — its proposed level and the clause it
stands on, the units and time limits of its actions — so the chat never contradicts the
plan the officer is working from. Without a draft the library answers, with the alert's
hazard and colour added to the question (chat.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.chain.answer_spec import AnswerSpec
from assistant.chain.facts import AlertFacts
from assistant.chain.question import Ask, Question
from assistant.domain import Action, Citation, Level, PlanDraft, Stage

MAX_UNITS = 8
MAX_LINES = 4
# Question words that say nothing beyond "for this incident" ("要通知哪些单位？").
_GENERIC = frozenset(
    "通知 通报 单位 部门 哪些 启动 响应 级别 几级 措施 处置 报告 上报 应急 现在 当前 目前 本次 这次 此次 首先 先 做 "
    "notify units unit departments level response start measures now current first incident event".split()
)
_LEVEL_EN = {Level.I: "I", Level.II: "II", Level.III: "III", Level.IV: "IV"}
_STAGE_ORDER = (
    Stage.RESPONSE,
    Stage.MONITORING,
    Stage.ANALYSIS,
    Stage.RISK_CONTROL,
    Stage.RECOVERY,
    Stage.INVESTIGATION,
)


@dataclass(frozen=True)
class IncidentReply:
    pieces: list[str]
    citations: tuple[Citation, ...]


def refers_to_incident(question: Question) -> bool:
    """Deictic words ("现在", "本次"), or nothing in the question beyond generic duty words."""
    return question.about_incident or all(t in _GENERIC for t in question.terms)


def incident_query(question: Question, facts: AlertFacts) -> str:
    """The question with the alert's hazard, event and colour, for the library when there is no draft."""
    colour = facts.colour.zh + "预警" if facts.colour and question.lang == "zh" else (facts.colour or "")
    return " ".join(p for p in (facts.hazard_label, facts.event, str(colour), question.text) if p)


def incident_answer(
    question: Question, facts: AlertFacts | None, draft: PlanDraft | None, lang: str, spec: AnswerSpec
) -> IncidentReply | None:
    """The draft's answer to a question about the incident, or None when the library should answer."""
    if draft is None or not refers_to_incident(question):
        return None
    if Ask.LEVEL in question.asks:
        return _level(draft, lang, spec)
    if question.asks_notification or Ask.LEADER in question.asks:
        return _units(draft, lang, spec)
    if Ask.ACTIONS in question.asks or Ask.GENERAL in question.asks:
        return _first_actions(draft, lang, spec)
    return None


class _Numbers:
    def __init__(self, draft: PlanDraft) -> None:
        self.by_id = {c.chunk_id: c for c in draft.citations}
        self.cited: list[Citation] = []

    def cite(self, chunk_ids: tuple[str, ...]) -> str:
        marks = []
        for chunk_id in chunk_ids:
            citation = self.by_id.get(chunk_id)
            if citation is None:
                continue
            if citation not in self.cited:
                self.cited.append(citation)
            marks.append(f"[{self.cited.index(citation) + 1}]")
        return "".join(dict.fromkeys(marks))

    def block(self, heading: str) -> list[str]:
        if not self.cited:
            return []
        return ["\n" + heading + "\n" + "\n".join(f"[{n}] {c.label()}" for n, c in enumerate(self.cited, start=1))]


def _sentence(text: str) -> str:
    return re.sub(r"[。.]\s*", "；", text.strip()).rstrip("；;，, ")


def _level(draft: PlanDraft, lang: str, spec: AnswerSpec) -> IncidentReply:
    numbers = _Numbers(draft)
    cite = numbers.cite(draft.level_citations)
    end = "。" if lang == "zh" else "."
    if draft.proposed_level is None:
        lead = spec.text("incident", lang, "level_unknown", basis=_sentence(draft.level_basis)) + end
    else:
        label = draft.proposed_level.zh if lang == "zh" else _LEVEL_EN[draft.proposed_level]
        lead = spec.text("incident", lang, "level", level=label, basis=_sentence(draft.level_basis), cite=cite) + end
    pieces = [lead + "\n"]
    pieces += [spec.text("incident", lang, "to_confirm", item=item) + "\n" for item in draft.to_confirm[:MAX_LINES]]
    pieces += [spec.text("incident", lang, "escalation", item=item) + "\n" for item in draft.escalation[:MAX_LINES]]
    pieces += numbers.block(spec.text("incident", lang, "sources"))
    return IncidentReply(pieces, tuple(numbers.cited))


def _actions(draft: PlanDraft) -> list[Action]:
    by_stage = {s.stage: s for s in draft.stages}
    return [a for stage in _STAGE_ORDER if stage in by_stage for a in by_stage[stage].actions if a.unit]


def _units(draft: PlanDraft, lang: str, spec: AnswerSpec) -> IncidentReply:
    numbers = _Numbers(draft)
    actions = _actions(draft)
    units = list(dict.fromkeys(a.unit for a in actions))[:MAX_UNITS]
    first = [next(a for a in actions if a.unit == u) for u in units]
    cite = numbers.cite(tuple(c for a in first[:2] for c in a.citations))
    joined = ("、" if lang == "zh" else ", ").join(units)
    pieces = [spec.text("incident", lang, "notify", units=joined, cite=cite) + ("。" if lang == "zh" else ".") + "\n"]
    for action in first[:MAX_LINES]:
        line = spec.text(
            "incident",
            lang,
            "action_line",
            unit=action.unit,
            text=_sentence(action.text),
            limit=action.time_limit,
            cite=numbers.cite(action.citations),
        )
        pieces.append(line + "\n")
    pieces += numbers.block(spec.text("incident", lang, "sources"))
    return IncidentReply(pieces, tuple(numbers.cited))


def _first_actions(draft: PlanDraft, lang: str, spec: AnswerSpec) -> IncidentReply | None:
    actions = _actions(draft)
    if not actions:
        return None
    numbers = _Numbers(draft)
    head = actions[0]
    action = f"{head.unit}{'，' if lang == 'zh' else ', '}{_sentence(head.text)}（{head.time_limit}）"
    lead = spec.text("incident", lang, "actions", action=action, cite=numbers.cite(head.citations))
    pieces = [lead + ("。" if lang == "zh" else ".") + "\n"]
    for item in actions[1:MAX_LINES]:
        line = spec.text(
            "incident",
            lang,
            "action_line",
            unit=item.unit,
            text=_sentence(item.text),
            limit=item.time_limit,
            cite=numbers.cite(item.citations),
        )
        pieces.append(line + "\n")
    pieces += numbers.block(spec.text("incident", lang, "sources"))
    return IncidentReply(pieces, tuple(numbers.cited))
