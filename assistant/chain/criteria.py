"""Which plans' grading applies to this alert, and which of their conditions the facts meet.

Applicable = the plan covers the alert's hazard AND its jurisdiction (its own district, city
or province, or national). Each condition is judged against the alert facts: met, not met,
unknown (the alert does not say), or conditional (met, but the clause asks for more that only
a person can confirm). Nothing here guesses a missing fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.alerts.normalise import reported_hazards
from assistant.chain.facts import AlertFacts
from assistant.chain.gazetteer import find_names
from assistant.chain.jurisdiction import Place, Relation, place_of_document, relation
from assistant.chain.level_wording import metric_label, templates, wording
from assistant.chain.measure_judge import MEASURED, Verdict, fits, judge_measure, words
from assistant.domain import (
    ACCIDENT_HAZARDS,
    Citation,
    DocKind,
    DocumentMeta,
    Level,
    graded_together,
    secondary_graded,
)
from assistant.knowledge.grading import Approver, Criterion, Grading

LEVEL_ORDER = (Level.I, Level.II, Level.III, Level.IV)


class Library(Protocol):
    """What the chain needs to know about documents beyond search hits."""

    def documents(self) -> Sequence[DocumentMeta]: ...

    def grading(self, doc_ids: Sequence[str]) -> dict[str, Grading]: ...

    def cite(self, chunk_ids: Sequence[str]) -> dict[str, Citation]: ...

    def passages(self, doc_id: str) -> list[Citation]: ...


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
    """Every plan and regulation whose grading covers the alert's hazard, applicable ones first (own → upper →
    national). A plan that only lists the hazard as a cause of its own (rain in the geological plan, heat in the
    forest-fire plan) does not grade it — unless the alert reports that hazard's own event happening (a rainstorm
    alert whose landslide has buried houses is compared with the geological plan too)."""
    hazard = facts.hazard
    secondary = secondary_graded(hazard, reported_hazards(f"{facts.headline}。{facts.description}"))
    metas = [
        m
        for m in library.documents()
        if m.kind in (DocKind.PLAN, DocKind.REGULATION)
        and hazard is not None
        and (
            (hazard in m.hazards and graded_together(_main(m), hazard))
            # an accident is graded by the work-safety grading (its plan, Order 493), not by every document that
            # also lists work safety (the environmental plan's 疏散5000人以下 does not grade a warehouse fire)
            or (hazard in ACCIDENT_HAZARDS and _main(m) == "生产安全")
            or _main(m) in secondary
        )
    ]
    gradings = library.grading([m.doc_id for m in metas])
    plans = []
    for meta in metas:
        place = place_of_document(meta)
        grading = gradings.get(meta.doc_id, Grading((), ()))
        # rows for another kind of city or river than the alert's are neither a basis nor an escalation trigger
        grading = Grading(tuple(c for c in grading.criteria if fits(c, facts)), grading.approvers)
        plans.append(PlanGrading(meta, place, relation(place, facts.jurisdiction), grading))
    # Own jurisdiction first, then the level above, then national; within a level the plan whose main hazard
    # is the alert's (the geological plan before the earthquake plan for a landslide), plans before regulations.
    return sorted(
        plans,
        key=lambda p: (
            p.relation.rank,
            -p.place.depth,
            _main(p.meta) != hazard,
            hazard is not None and not graded_together(_main(p.meta), hazard),  # a secondary hazard's plan after
            _main(p.meta) != "生产安全",  # an accident's next basis is the work-safety grading, not a neighbour's
            p.meta.kind != DocKind.PLAN,
        ),
    )


def _main(meta: DocumentMeta) -> str:
    """A document's main hazard: the first it lists."""
    return (meta.hazards[:1] or ("",))[0]


# The signal names of the grading clauses as English alerts write them.
_SIGNAL_EN = {
    "暴雨": r"rainstorm|heavy rain",
    "台风": r"typhoon|tropical (?:storm|cyclone)",
    "大风": r"gale|strong wind",
    "高温": r"heat",
    "寒潮": r"cold wave|cold snap",
    "暴雪": r"snowstorm|blizzard|heavy snow",
    "道路结冰": r"road ic(?:e|ing)|icy road",
    "冰雹": r"hail",
    "雷电": r"lightning|thunder",
    "干旱": r"drought",
    "大雾": r"fog",
    "霾": r"haze",
    "洪水": r"flood",
    "山洪": r"flash flood",
    "地质灾害": r"landslide|debris flow|geological",
}
_ISSUER_EN = (("国家", r"national|central"), ("省", r"provinc"), ("市", r"municipal|city"), ("区", r"district|county"))


def _names_signal(hazard: str, text: str) -> bool:
    """Whether the alert's event or headline is a warning of this kind, in Chinese or English."""
    english = _SIGNAL_EN.get(hazard)
    return hazard in text or bool(english and re.search(english, text, re.IGNORECASE))


def _issuer_level(text: str) -> str | None:
    for level, pattern in (("国家", r"中央|国家"), ("省", r"省"), ("市", r"市"), ("区", r"[区县]")):
        if re.search(rf"(?:{pattern})[\u4e00-\u9fff]{{0,3}}气象", text) or (level == "国家" and "中央气象台" in text):
            return level
    if re.search(r"meteorolog|weather|observatory", text, re.IGNORECASE):
        named = next((lvl for lvl, pattern in _ISSUER_EN if re.search(pattern, text, re.IGNORECASE)), None)
        return named or _place_level(text)
    return None


def _place_level(text: str) -> str | None:
    """The level of the place an English issuer is named after: "Zhengzhou Meteorological Observatory" is a city's,
    "Henan …" a province's, "Beijing …" a municipality's (市)."""
    hit = next(iter(find_names(text)), None)
    if hit is None:
        return None
    if hit.level == "province":
        return "市" if hit.province is not None and hit.province.municipality else "省"
    return "市" if hit.level == "city" else "区"


def _count_label(lang: str, metric: str) -> str:
    return str(templates()["count_labels"][lang][metric])


def _signal_name(lang: str, hazard: str) -> str:
    return hazard if lang == "zh" else str(templates()["signal_names"]["en"].get(hazard, hazard))


def _count_verdict(criterion: Criterion, value: int | None, metric: str, lang: str) -> tuple[Verdict, str]:
    if value is None:
        return Verdict.UNKNOWN, wording(lang, "why_unknown", label=metric_label(lang, metric))
    low, high = criterion.low, criterion.high
    if low is None:
        # "死亡不足3人": the lowest grade of an event that has happened — it needs some harm of this kind.
        met = value >= 1 and (high is None or value < high)
    else:
        met = value >= low and (high is None or value < high)
    why = wording(lang, "why_count", label=_count_label(lang, metric), value=value)
    return (Verdict.MET if met else Verdict.NOT_MET), why


def judge(criterion: Criterion, facts: AlertFacts, counts_missing: bool | None = None) -> tuple[Verdict, str]:
    """One condition against the alert facts, with the reason in the officer's words and language.
    ``counts_missing``: the plan counts the missing with the dead ("死亡（含失踪）"); by default, when the
    clause itself says so."""
    lang = facts.lang
    if criterion.metric in MEASURED:
        return judge_measure(criterion, facts)
    if criterion.metric == "deaths":
        return _judge_deaths(criterion, facts, "失踪" in criterion.phrase if counts_missing is None else counts_missing)
    if criterion.metric == "injured":
        return _count_verdict(criterion, facts.injured, "injured", lang)
    if criterion.metric == "endangered":
        return _judge_endangered(criterion, facts)
    if criterion.metric == "evacuated":
        if criterion.scope and criterion.low is None and facts.evacuated is not None:
            # "需搬迁转移100人以下": those moved so far are a part of who needs moving, never its upper bound
            return Verdict.UNKNOWN, words(lang, "why_moved_so_far", value=facts.evacuated)
        return _count_verdict(criterion, facts.evacuated, "evacuated", lang)
    if criterion.metric == "poisoned":
        if facts.poisoned is not None:  # "12人中毒": the poisoned are counted, not guessed from the injured
            return _count_verdict(criterion, facts.poisoned, "poisoned", lang)
        verdict, why = _count_verdict(criterion, facts.injured, "injured", lang)
        if verdict is Verdict.MET and criterion.low is not None:
            return Verdict.CONDITIONAL, wording(lang, "why_poisoned", why=why)
        return verdict, why
    if criterion.metric == "signal":
        return _judge_signal(criterion, facts)
    if criterion.metric in ("loss", "households_out"):
        return Verdict.UNKNOWN, wording(lang, "why_unknown", label=metric_label(lang, criterion.metric))
    return Verdict.UNKNOWN, wording(lang, "why_judge")


def _judge_deaths(criterion: Criterion, facts: AlertFacts, counts_missing: bool) -> tuple[Verdict, str]:
    """The dead — with the missing where the plan counts them so ("死亡（含失踪）"); elsewhere a missing person
    is not yet a death, so a clause on deaths stays open while only the missing are known."""
    lang = facts.lang
    if counts_missing:
        dead = None if facts.deaths is None and facts.missing is None else (facts.deaths or 0) + (facts.missing or 0)
        return _count_verdict(criterion, dead, "deaths", lang)
    if facts.deaths is None and facts.missing:
        return Verdict.UNKNOWN, words(lang, "why_missing_apart", missing=facts.missing)
    return _count_verdict(criterion, facts.deaths, "deaths_only", lang)


# Trapped underground or buried: no way out without rescue, so their lives are in danger now. People "trapped"
# on the upper floors of a burning tower or in a stalled lift may be safe where they wait: that is for a person to
# judge, so the clause is then only conditional.
_LIFE_AT_RISK = re.compile(
    r"井下|矿井|透水|突水|淹井|被埋|埋压|压埋|掩埋|废墟|underground|buried|rubble|flooded mine", re.I
)


def _judge_endangered(criterion: Criterion, facts: AlertFacts) -> tuple[Verdict, str]:
    """ "危及10人以上、30人以下生命安全": the people trapped in a flooded mine or under a collapse are people whose
    lives are in danger now. They are a floor, not the whole: more may be endangered than are trapped, so a
    count below the clause leaves it open rather than ruling it out."""
    verdict, why = _count_verdict(criterion, facts.trapped, "endangered", facts.lang)
    if verdict is Verdict.NOT_MET and criterion.low is not None and (facts.trapped or 0) < criterion.low:
        return Verdict.UNKNOWN, why
    if verdict is Verdict.MET and not _LIFE_AT_RISK.search(f"{facts.event} {facts.headline} {facts.description}"):
        return Verdict.CONDITIONAL, wording(
            facts.lang, "why_condition", why=why, condition=_ENDANGERED_CONDITION[facts.lang]
        )
    return verdict, why


_ENDANGERED_CONDITION = {"zh": "被困人员的生命安全确受危及", "en": "the trapped people's lives are in danger"}


def _judge_signal(criterion: Criterion, facts: AlertFacts) -> tuple[Verdict, str]:
    lang = facts.lang
    text = f"{facts.event} {facts.headline}"
    hazard = _signal_name(lang, criterion.hazard)
    colour = (facts.colour.zh if lang == "zh" else facts.colour.value) if facts.colour else ""
    if facts.kind != "warning" or not _names_signal(criterion.hazard, text):
        return Verdict.NOT_MET, wording(lang, "why_not_signal")
    if criterion.colour:
        if facts.colour is None or facts.colour.value != criterion.colour:
            return Verdict.NOT_MET, wording(lang, "why_colour", colour=colour or wording(lang, "colour_unknown"))
    elif criterion.grade and f"{criterion.hazard}{criterion.grade}级预警" not in text.replace(" ", ""):
        return Verdict.UNKNOWN, wording(lang, "why_grade_unknown", hazard=hazard)
    wanted, issued = _issuer_level(criterion.issuer), _issuer_level(facts.sender)
    if wanted and issued and wanted != issued:
        return Verdict.NOT_MET, wording(lang, "why_issuer", sender=facts.sender, issuer=criterion.issuer)
    sender = facts.sender or wording(lang, "sender_unknown")
    why = wording(lang, "why_signal", sender=sender, hazard=hazard, colour=colour)
    if criterion.condition:
        return Verdict.CONDITIONAL, wording(lang, "why_condition", why=why, condition=criterion.condition)
    return Verdict.MET, why


def judge_all(plans: Sequence[PlanGrading], facts: AlertFacts) -> list[Judged]:
    judged = []
    for plan in plans:
        counts_missing = any("失踪" in c.phrase for c in plan.grading.criteria if c.metric == "deaths")
        for criterion in plan.grading.criteria:
            if criterion.metric == "other":
                judged.append(Judged(plan, criterion, Verdict.UNKNOWN, wording(facts.lang, "why_judge")))
                continue
            verdict, why = judge(criterion, facts, counts_missing)
            judged.append(Judged(plan, criterion, verdict, why))
    return judged
