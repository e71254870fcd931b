"""Proposing a response level: the alert's facts against the applicable plans' grading criteria.

A warning colour is not a response level. The proposal names the level, the condition the facts
meet and the clause it comes from (document · heading path), and who approves it; the warning
colour is stated on its own line. Where no condition is met, the proposal is "initial response,
below the grading thresholds" with the facts to confirm and the triggers that would raise it —
never a level that no clause supports. Another jurisdiction's plan is shown as a reference only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.chain.criteria import LEVEL_ORDER, Judged, Library, PlanGrading, Verdict, judge_all, plans_for
from assistant.chain.facts import AlertFacts
from assistant.chain.jurisdiction import Relation
from assistant.chain.level_wording import metric_label, trigger_label, wording
from assistant.domain import Citation, DocKind, EvidenceCheck, EvidenceStatus, Level, graded_together

MAX_TRIGGERS = 6

LEVEL_PATTERNS: dict[Level, re.Pattern[str]] = {
    Level.I: re.compile(r"Ⅰ级|(?<![IⅠ])I级|一级|特别重大|Level I(?!I|V)"),
    Level.II: re.compile(r"Ⅱ级|(?<![IⅠ])II级|二级|(?<!特别)重大|Level II(?!I)"),
    Level.III: re.compile(r"Ⅲ级|III级|三级|较大|Level III"),
    Level.IV: re.compile(r"Ⅳ级|IV级|四级|一般(?:（Ⅳ级）|\(Ⅳ级\)|事件|事故|级)|Level IV"),
}


def levels_mentioned(text: str) -> set[Level]:
    return {level for level, pattern in LEVEL_PATTERNS.items() if pattern.search(text)}


def level_label(level: Level, lang: str) -> str:
    roman = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ"}[level.value]
    return f"{roman}级应急响应" if lang == "zh" else f"Level {level.value} response"


@dataclass(frozen=True)
class LevelProposal:
    level: Level | None
    basis: str
    citations: tuple[str, ...]  # the clause(s) the level stands on, then the alert
    needs: tuple[str, ...]  # facts to confirm
    escalation: tuple[str, ...] = ()
    warning_line: str = ""
    plan_title: str = ""  # the document whose clause decides (or whose grading was checked)
    criterion: str = ""  # the condition met, as the clause words it
    approver: str = ""
    met: tuple[Judged, ...] = field(default=(), compare=False)  # every condition the facts meet (for the LLM check)
    declared: bool = False
    sources: tuple[Citation, ...] = field(default=(), compare=False)  # the clauses cited above, as passages


def _source(plan: PlanGrading, section: str = "") -> str:
    """《title》section — the clause an officer can look up."""
    return f"《{plan.meta.title}》" + (f" {section}" if section else "")


def warning_line(facts: AlertFacts) -> str:
    lang = facts.lang
    if facts.colour is None:
        return wording(lang, "warning_none")
    colour = facts.colour.zh if lang == "zh" else facts.colour.value
    if facts.kind == "warning":
        signal = facts.headline or facts.event
        if facts.sender and facts.sender in signal:  # "河南省气象台发布暴雨红色预警": the headline names its issuer
            return wording(lang, "warning_headline", colour=colour, signal=signal)
        return wording(lang, "warning_signal", colour=colour, issuer=facts.sender or "—", signal=signal)
    return wording(lang, "warning_sensor", colour=colour, reading=facts.value_text or facts.event)


def _triggers(plan: PlanGrading, above: Level | None, lang: str) -> list[str]:
    """The conditions of the levels above ``above`` (all levels when None), lowest level first."""
    levels = [
        lvl for lvl in reversed(LEVEL_ORDER) if above is None or LEVEL_ORDER.index(lvl) < LEVEL_ORDER.index(above)
    ]
    found: list[str] = []
    for level in levels:
        conditions = [
            c
            for c in plan.grading.criteria
            if c.level is level
            and c.metric != "other"
            # "死亡3人以下 → Ⅳ级": any casualty starts the lowest grade; "转移100人以下" says nothing on its own
            and (c.low is not None or c.metric in ("signal", "deaths", "injured", "poisoned", "water_level"))
        ]
        for criterion in conditions[:2]:
            key = (
                "trigger_any"
                if criterion.low is None and criterion.metric not in ("signal", "water_level")
                else "trigger"
            )
            found.append(
                wording(
                    lang,
                    key,
                    phrase=criterion.phrase,
                    level=level_label(level, lang),
                    what=trigger_label(lang, criterion.metric),
                )
            )
    return found[:MAX_TRIGGERS]


def propose_level(facts: AlertFacts, library: Library) -> LevelProposal:
    """The proposal for ``facts`` from the applicable plans' grading criteria in ``library``."""
    plans = plans_for(library, facts)
    judged = judge_all(plans, facts)
    unread = {  # applicable plans whose activation conditions cannot be read as measurable conditions
        p.meta.doc_id: clause
        for p in [p for p in plans if p.relation.applies and p.meta.kind is DocKind.PLAN and not p.grading.parsed][:2]
        if (clause := _response_clause(library, p)) is not None
    }
    passages = library.cite(
        sorted(
            {j.criterion.chunk_id for j in judged}
            | {a.chunk_id for p in plans for a in p.grading.approvers}
            | {c.chunk_id for c in unread.values()}
        )
    )
    proposal = _propose(facts, plans, judged, {cid: c.section for cid, c in passages.items()}, unread)
    cited = [passages[c] for c in proposal.citations if c in passages]
    return replace(proposal, sources=tuple(cited))


def _referred(chosen: Judged, met: list[Judged]) -> Judged | None:
    """The met clause, at the same level, of the document ``chosen`` names as its measure (按493号令 …)."""
    text = chosen.criterion.phrase
    for other in met:
        meta = other.plan.meta
        if other.plan is chosen.plan or other.criterion.level is not chosen.criterion.level:
            continue
        source = meta.extra.get("source")
        name = str(source.get("name", "")) if isinstance(source, dict) else ""
        number = re.search(r"令第?(\d+)号", f"{meta.extra.get('doc_number', '')} {meta.title}")
        if (name and name in text) or (number and re.search(rf"{number.group(1)}号令|第{number.group(1)}号", text)):
            return other
    return None


def _response_clause(library: Library, plan: PlanGrading) -> Citation | None:
    """The clause of a plan that says how its response is started, cited when its conditions are not measurable."""
    passages = library.passages(plan.meta.doc_id)
    for pattern in (r"应急响应", r"分级"):
        if found := next((c for c in passages if re.search(pattern, c.section)), None):
            return found
    return None


def _propose(
    facts: AlertFacts,
    plans: list[PlanGrading],
    judged: list[Judged],
    headings: dict[str, str],
    unread: dict[str, Citation] | None = None,
) -> LevelProposal:
    lang = facts.lang
    applicable = [j for j in judged if j.plan.relation.applies]
    met = [j for j in applicable if j.verdict is Verdict.MET]
    warning = warning_line(facts)
    needs = _needs(facts, applicable, lang)
    references = [  # another jurisdiction's rule for the same hazard, shown so, never as a basis
        _reference(j, lang, headings)
        for j in judged
        if not j.plan.relation.applies
        and j.verdict is Verdict.MET
        and (j.plan.meta.hazards[:1] or ("",))[0] == facts.hazard
    ][:2]

    if facts.level is not None:
        level = facts.level
        basis = [wording(lang, "declared", level=level_label(level, lang), sender=facts.sender or "—")]
        higher = [j for j in met if LEVEL_ORDER.index(j.criterion.level) < LEVEL_ORDER.index(level)]
        if higher:
            best = min(higher, key=lambda j: LEVEL_ORDER.index(j.criterion.level))
            basis.append(
                wording(
                    lang,
                    "declared_higher",
                    source=_source(best.plan, headings.get(best.criterion.chunk_id, "")),
                    why=best.why,
                    level=level_label(best.criterion.level, lang),
                )
            )
        return LevelProposal(
            level, " ".join(basis), (facts.citation,), tuple(needs), (), warning, "", "", "", tuple(met), declared=True
        )

    if met:
        best_plan = min(met, key=lambda j: plans.index(j.plan)).plan  # plans come ordered by jurisdiction
        in_plan = [j for j in met if j.plan is best_plan]
        chosen = min(in_plan, key=lambda j: LEVEL_ORDER.index(j.criterion.level))
        level = chosen.criterion.level
        source = _source(best_plan, headings.get(chosen.criterion.chunk_id, ""))
        basis = [
            wording(
                lang,
                "met",
                level=level_label(level, lang),
                source=source,
                phrase=chosen.criterion.phrase,
                why=chosen.why,
            )
        ]
        citations = [chosen.criterion.chunk_id]
        if referred := _referred(chosen, met):  # "按493号令…": the grading the clause defers to is cited with it
            basis.append(
                wording(
                    lang,
                    "referred",
                    source=_source(referred.plan, headings.get(referred.criterion.chunk_id, "")),
                    phrase=referred.criterion.phrase,
                )
            )
            citations.append(referred.criterion.chunk_id)
        approver = best_plan.approver(level)
        if approver:
            basis.append(
                wording(
                    lang,
                    "approver",
                    level=level_label(level, lang),
                    who=approver.who,
                    source=_source(best_plan, headings.get(approver.chunk_id, "")),
                )
            )
            citations.append(approver.chunk_id)
        escalation = _triggers(best_plan, level, lang)
        basis += references
        return LevelProposal(
            level,
            " ".join(basis),
            (*dict.fromkeys(citations), facts.citation),
            tuple(needs),
            tuple(escalation),
            warning,
            best_plan.meta.title,
            chosen.criterion.phrase,
            approver.who if approver else "",
            tuple(met),
        )

    graded = [p for p in plans if p.relation.applies and p.grading.parsed]
    if not graded:
        place = facts.jurisdiction.label(lang)
        unread_plans = [p for p in plans if unread and p.meta.doc_id in unread]
        if not unread_plans:
            basis = [wording(lang, "no_grading", hazard=facts.hazard_label, place=place), *references]
            return LevelProposal(None, " ".join(basis), (facts.citation,), tuple(needs), (), warning, "", "", "", ())
        assert unread is not None
        joiner = "、" if lang == "zh" else "; "
        sources = joiner.join(_source(p, unread[p.meta.doc_id].section) for p in unread_plans)
        local = any(p.relation in (Relation.OWN, Relation.UPPER) for p in plans if p.relation.applies)
        if local:
            advice = wording(lang, "consult")
        elif not facts.jurisdiction.province and not facts.jurisdiction.city:
            advice = wording(lang, "confirm_place")
        else:
            advice = wording(lang, "no_local_plan", hazard=facts.hazard_label, place=place)
        basis = [wording(lang, "unread", sources=sources), advice, *references]
        citations = [unread[p.meta.doc_id].chunk_id for p in unread_plans]
        return LevelProposal(
            None,
            " ".join(basis),
            (*citations, facts.citation),
            tuple(needs),
            (),
            warning,
            unread_plans[0].meta.title,
            "",
            "",
            (),
        )
    top = graded[:2]
    joiner = "、" if lang == "zh" else "; "
    basis = [wording(lang, "below", sources=joiner.join(_source(p) for p in top))]
    # graded only by a secondary hazard's plan (a landslide in a rain alert): the alert's own plans are named too
    own_unread = [
        p
        for p in plans
        if unread and p.meta.doc_id in unread and facts.hazard and graded_together(_main(p), facts.hazard)
    ]
    if own_unread and not any(facts.hazard and graded_together(_main(p), facts.hazard) for p in top):
        assert unread is not None
        sources = joiner.join(_source(p, unread[p.meta.doc_id].section) for p in own_unread)
        basis.append(wording(lang, "also_unread", sources=sources))
    conditional = [j for j in applicable if j.verdict is Verdict.CONDITIONAL][:2]
    basis += [
        wording(
            lang,
            "conditional",
            source=_source(j.plan, headings.get(j.criterion.chunk_id, "")),
            phrase=j.criterion.phrase,
            why=j.why,
        )
        for j in conditional
    ]
    escalation = [t for p in top for t in _triggers(p, None, lang)][:MAX_TRIGGERS]
    citations = list(dict.fromkeys(c.chunk_id for p in top for c in p.grading.criteria if c.metric != "other"))[:3]
    citations += [unread[p.meta.doc_id].chunk_id for p in own_unread if unread]
    basis += references
    return LevelProposal(
        None,
        " ".join(basis),
        (*citations, facts.citation),
        tuple(needs),
        tuple(escalation),
        warning,
        top[0].meta.title,
        "",
        "",
        (),
    )


def _main(plan: PlanGrading) -> str:
    """A plan's main hazard: the first it lists."""
    return (plan.meta.hazards[:1] or ("",))[0]


def _reference(judged: Judged, lang: str, headings: dict[str, str]) -> str:
    relation = wording(lang, "relation_other" if judged.plan.relation.value == "other" else "relation_unknown")
    return wording(
        lang,
        "reference",
        source=_source(judged.plan, headings.get(judged.criterion.chunk_id, "")),
        relation=relation,
        phrase=judged.criterion.phrase,
    )


def _needs(facts: AlertFacts, applicable: list[Judged], lang: str) -> list[str]:
    """The facts whose absence keeps a condition of an applicable plan undecided, in the officer's words."""
    items: list[str] = []
    if not facts.jurisdiction.province and not facts.jurisdiction.city and not facts.jurisdiction.abroad:
        items.append(wording(lang, "jurisdiction_unknown"))
    for j in applicable:
        if j.verdict in (Verdict.UNKNOWN, Verdict.CONDITIONAL) and j.criterion.metric != "other":
            label = (
                wording(lang, "need_condition", condition=j.criterion.condition)
                if j.criterion.condition  # "是否正在发生大范围强降雨过程", not "which warning signal"
                else metric_label(lang, j.criterion.metric)
            )
            if label not in items:
                items.append(label)
    return items


def level_check(proposal: LevelProposal, lang: str) -> EvidenceCheck:
    """The evidence status of the proposed level: a level needs a met condition of an applicable clause."""
    if proposal.declared or (proposal.level is not None and proposal.criterion):
        return EvidenceCheck("level", EvidenceStatus.SUPPORTED)
    if proposal.level is not None:
        return EvidenceCheck(
            "level",
            EvidenceStatus.CONFLICT,
            ("没有满足条件的分级条款支持该级别 / no grading condition met by the alert supports this level",),
        )
    if proposal.needs:
        joined = "、".join(proposal.needs) if lang == "zh" else ", ".join(proposal.needs)
        return EvidenceCheck(
            "level", EvidenceStatus.TO_CONFIRM, (("待核实：" if lang == "zh" else "to confirm: ") + joined,)
        )
    return EvidenceCheck("level", EvidenceStatus.SUPPORTED)
