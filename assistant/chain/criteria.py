"""Which plans' grading applies to this alert, and which of their conditions the facts meet.

Applicable = the plan covers the alert's hazard AND its jurisdiction (its own district, city
or province, or national). Each condition is judged against the alert facts: met, not met,
unknown (the alert does not say), or conditional (met, but the clause asks for more that only
a person can confirm). Nothing here guesses a missing fact.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.chain.facts import AlertFacts
from assistant.chain.jurisdiction import Place, Relation, place_of_document, relation
from assistant.domain import ACCIDENT_HAZARDS, Citation, DocKind, DocumentMeta, Level
from assistant.knowledge.grading import Approver, Criterion, Grading

LEVEL_ORDER = (Level.I, Level.II, Level.III, Level.IV)


class Library(Protocol):
    """What the chain needs to know about documents beyond search hits."""

    def documents(self) -> Sequence[DocumentMeta]: ...

    def grading(self, doc_ids: Sequence[str]) -> dict[str, Grading]: ...

    def cite(self, chunk_ids: Sequence[str]) -> dict[str, Citation]: ...

    def passages(self, doc_id: str) -> list[Citation]: ...


class Verdict(enum.StrEnum):
    MET = "met"
    CONDITIONAL = "conditional"  # the facts meet it, but the clause adds a condition to confirm
    UNKNOWN = "unknown"  # the alert does not give the fact
    NOT_MET = "not_met"


@dataclass(frozen=True)
class PlanGrading:
    meta: DocumentMeta
    place: Place
    relation: Relation
    grading: Grading

    def approver(self, level: Level) -> Approver | None:
        return next((a for a in self.grading.approvers if a.level is level), None)


@dataclass(frozen=True)
class Judged:
    plan: PlanGrading
    criterion: Criterion
    verdict: Verdict
    why: str  # what in the alert meets (or would be needed to meet) it


def plans_for(library: Library, facts: AlertFacts) -> list[PlanGrading]:
    """Every plan and regulation that covers the alert's hazard, applicable ones first (own → upper → national)."""
    hazard = facts.hazard
    metas = [
        m
        for m in library.documents()
        if m.kind in (DocKind.PLAN, DocKind.REGULATION)
        and hazard is not None
        and (hazard in m.hazards or (hazard in ACCIDENT_HAZARDS and "生产安全" in m.hazards))
    ]
    gradings = library.grading([m.doc_id for m in metas])
    plans = []
    for meta in metas:
        place = place_of_document(meta)
        plans.append(
            PlanGrading(meta, place, relation(place, facts.jurisdiction), gradings.get(meta.doc_id, Grading((), ())))
        )
    # Own jurisdiction first, then the level above, then national; within a level the plan whose main hazard
    # is the alert's (the geological plan before the earthquake plan for a landslide), plans before regulations.
    return sorted(
        plans,
        key=lambda p: (
            p.relation.rank,
            -p.place.depth,
            _main(p.meta) != hazard,
            _main(p.meta) != "生产安全",  # an accident's next basis is the work-safety grading, not a neighbour's
            p.meta.kind != DocKind.PLAN,
        ),
    )


def _main(meta: DocumentMeta) -> str:
    """A document's main hazard: the first it lists."""
    return (meta.hazards[:1] or ("",))[0]


def _issuer_level(text: str) -> str | None:
    for level, pattern in (("国家", r"中央|国家"), ("省", r"省"), ("市", r"市"), ("区", r"[区县]")):
        if re.search(rf"(?:{pattern})[\u4e00-\u9fff]{{0,3}}气象", text) or (level == "国家" and "中央气象台" in text):
            return level
    return None


def _count_verdict(criterion: Criterion, value: int | None, label: str) -> tuple[Verdict, str]:
    if value is None:
        return Verdict.UNKNOWN, f"{label}未知"
    low, high = criterion.low, criterion.high
    if low is None:
        # "死亡不足3人": the lowest grade of an event that has happened — it needs some harm of this kind.
        met = value >= 1 and (high is None or value < high)
    else:
        met = value >= low and (high is None or value < high)
    return (Verdict.MET if met else Verdict.NOT_MET), f"{label}{value}人"


def judge(criterion: Criterion, facts: AlertFacts) -> tuple[Verdict, str]:
    """One condition against the alert facts, with the reason in the officer's words."""
    if criterion.metric == "deaths":
        dead = None if facts.deaths is None and facts.missing is None else (facts.deaths or 0) + (facts.missing or 0)
        return _count_verdict(criterion, dead, "死亡（含失踪）")
    if criterion.metric == "injured":
        return _count_verdict(criterion, facts.injured, "受伤")
    if criterion.metric == "poisoned":
        verdict, why = _count_verdict(criterion, facts.injured, "受伤")
        if verdict is Verdict.MET and criterion.low is not None:
            return Verdict.CONDITIONAL, why + "（其中重伤/中毒人数待核实）"
        return verdict, why
    if criterion.metric == "signal":
        return _judge_signal(criterion, facts)
    label = {"evacuated": "需转移安置人数", "loss": "直接经济损失", "households_out": "停气/停电户数"}.get(
        criterion.metric, ""
    )
    return Verdict.UNKNOWN, (f"{label}未知" if label else "需研判")


def _judge_signal(criterion: Criterion, facts: AlertFacts) -> tuple[Verdict, str]:
    text = f"{facts.event} {facts.headline}"
    if facts.kind != "warning" or criterion.hazard not in text:
        return Verdict.NOT_MET, "非该类预警信号"
    if criterion.colour:
        if facts.colour is None or facts.colour.value != criterion.colour:
            return Verdict.NOT_MET, f"预警颜色为{facts.colour.zh if facts.colour else '未知'}"
    elif criterion.grade and f"{criterion.hazard}{criterion.grade}级预警" not in text.replace(" ", ""):
        return Verdict.UNKNOWN, f"{criterion.hazard}预警级别（Ⅰ—Ⅳ级）未载明"
    wanted, issued = _issuer_level(criterion.issuer), _issuer_level(facts.sender)
    if wanted and issued and wanted != issued:
        return Verdict.NOT_MET, f"发布单位为{facts.sender}（条款要求{criterion.issuer}）"
    why = f"{facts.sender or '预警发布单位'}发布{criterion.hazard}{facts.colour.zh if facts.colour else ''}预警"
    if criterion.condition:
        return Verdict.CONDITIONAL, why + f"；另需确认：{criterion.condition}"
    return Verdict.MET, why


def judge_all(plans: Sequence[PlanGrading], facts: AlertFacts) -> list[Judged]:
    judged = []
    for plan in plans:
        for criterion in plan.grading.criteria:
            if criterion.metric == "other":
                judged.append(Judged(plan, criterion, Verdict.UNKNOWN, "需研判"))
                continue
            verdict, why = judge(criterion, facts)
            judged.append(Judged(plan, criterion, verdict, why))
    return judged
