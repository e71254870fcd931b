"""The offline drafter: action cards filled with the alert's facts, then the clauses that add to them.

Deterministic, no model, every action cited. For each stage it takes the hazard's action cards
whose conditions the facts meet (the 现场处置卡 of knowledge/cards/), fills them with the place,
people, nearby sites, readings and thresholds, and keeps each card's own unit, time limit,
loop, lesson and clause; then adds at most a few retrieved plan sentences that apply here and
now (chain/relevance.py) and say something the cards do not. Used when no endpoint is
configured and whenever the endpoint fails.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.chain.advice import advised
from assistant.chain.card_slots import fill, gap
from assistant.chain.cards import GENERAL, Card, CardCitation, Deck
from assistant.chain.conditions import Context, all_hold
from assistant.chain.criteria import Library
from assistant.chain.evidence import Evidence
from assistant.chain.facts import AlertFacts
from assistant.chain.hazard_chains import chained_risks
from assistant.chain.injection import looks_like_injection
from assistant.chain.levels import LevelProposal, level_label
from assistant.chain.relevance import why_not_applicable
from assistant.chain.sentences import action_score, pick_distinct, similarity, split_sentences, time_limit_in, unit_in
from assistant.chain.spec import DrafterSpec
from assistant.domain import Action, Citation, Loop, Stage, StageResult, hazard_by_name

CLAUSES_PER_STAGE = 2
RESPONSE_ORDER: tuple[tuple[str, ...], ...] = (
    ("警戒", "隔离", "疏散", "撤离", "转移", "isolate", "cordon", "evacuat"),
    ("切断", "关闭", "停止", "封堵", "shut", "cut off", "stop"),
    ("救援", "抢险", "抢修", "救治", "搜救", "rescue", "repair", "treat"),
    ("交通", "管制", "封闭道路", "traffic", "road"),
    ("发布", "信息", "告知", "舆情", "public", "inform"),
)


@dataclass
class DraftContext:
    """Everything a stage is written from; built once per draft by the drafter."""

    facts: AlertFacts
    proposal: LevelProposal
    evidence: Evidence
    spec: DrafterSpec
    decks: Mapping[str, Deck]
    card_passages: Mapping[CardCitation, Citation] = field(default_factory=dict)
    case_passages: Mapping[str, Citation] = field(default_factory=dict)  # case id → its lessons passage
    applicable: Mapping[str, bool] = field(default_factory=dict)  # chunk id → its document applies here
    main_hazard: Mapping[str, str] = field(default_factory=dict)  # chunk id → its document's main hazard
    month: int | None = None
    excluded_kinds: frozenset[str] = frozenset()  # site kinds the officer ruled out ("学校已放学" → school)
    assume: frozenset[str] = frozenset()  # conditions the officer asserts ("增加夜间" → night)
    library: Library | None = None  # the documents behind the evidence (for the model's grading conditions)

    @property
    def forbidden(self) -> tuple[str, ...]:
        lang = self.facts.lang
        decks = [self.decks.get(self.facts.hazard or ""), self.decks.get(GENERAL)]
        return tuple(p for d in decks if d for p in d.forbidden.get(lang, ()))

    def condition_context(self) -> Context:
        return Context(self.facts, self.proposal.level, self.month, self.assume)


def response_rank(text: str) -> int:
    lowered = text.lower()
    return next((i for i, words in enumerate(RESPONSE_ORDER) if any(w in lowered for w in words)), len(RESPONSE_ORDER))


def cards_for(stage: Stage, ctx: DraftContext) -> list[Card]:
    """The cards of this hazard (and the general deck) for ``stage`` whose conditions the facts meet."""
    condition = ctx.condition_context()
    chosen: list[Card] = []
    for hazard in (ctx.facts.hazard, GENERAL):
        deck = ctx.decks.get(hazard or "")
        if deck is None:
            continue
        for card in deck.cards:
            if card.stage is not stage or _mentions(card, ctx.excluded_kinds):
                continue
            if all_hold(card.when, condition):
                chosen.append(card)
    return sorted(chosen, key=lambda c: (c.general, c.order))


def _mentions(card: Card, kinds: frozenset[str]) -> bool:
    """Whether a card is about one of these site kinds (its condition or its text names the site)."""
    return any(f"site:{k}" in w for k in kinds for w in card.when) or any(
        "{" + k + "}" in text for k in kinds for text in card.text.values()
    )


def card_action(card: Card, ctx: DraftContext) -> tuple[Action, tuple[str, ...]]:
    """One card filled with the facts: its text, unit, time limit, loop, lesson and citations."""
    lang = ctx.facts.lang
    text, unit, limit = (fill(part[lang], ctx.facts) for part in (card.text, card.unit, card.time_limit))
    citations = [ctx.card_passages[c].chunk_id for c in card.cite if c in ctx.card_passages]
    lessons = []
    for lesson in card.lessons:
        passage = ctx.case_passages.get(lesson.case)
        title = f"（《{passage.title}》）" if passage and lang == "zh" else (f" ({passage.title})" if passage else "")
        lessons.append(f"{lesson.text[lang]}{title}")
        if passage:
            citations.append(passage.chunk_id)
    uses_facts = text.text != card.text[lang] or unit.text != card.unit[lang]
    if uses_facts or not citations:
        citations.append(ctx.facts.citation)
    origin = f"template:card:{card.id}" if card.general else f"card:{card.id}"
    action = Action(
        text.text,
        unit.text,
        limit.text,
        card.loop,
        tuple(dict.fromkeys(citations)),
        lessons=tuple(lessons),
        origin=origin,
    )
    return action, text.gaps + unit.gaps


Candidate = tuple[float, str, str]  # score, sentence, chunk id
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _affinity(sentence: str, keywords: tuple[str, ...]) -> int:
    lowered = sentence.lower()
    return sum(1 for word in keywords if word.lower() in lowered)


def stage_candidates(ctx: DraftContext) -> dict[Stage, list[Candidate]]:
    """Duty sentences of the retrieved clauses that apply here, each given to the one stage it speaks of most."""
    spec, facts = ctx.spec, ctx.facts
    cue_words = tuple(dict.fromkeys((*spec.cue_words["zh"], *spec.cue_words.get("en", ()))))
    hazard_words = hazard_by_name(facts.hazard).keywords if facts.hazard else (facts.event,)
    best: dict[str, tuple[int, float, Stage, str]] = {}
    for stage, citations in ctx.evidence.by_stage.items():
        for citation in citations:
            if not ctx.applicable.get(citation.chunk_id, True):
                continue  # another jurisdiction's plan is a reference, never an action's basis
            if ctx.main_hazard.get(citation.chunk_id, facts.hazard) != facts.hazard:
                continue  # a plan mainly about another hazard (a waterlogging rule for a tunnel vibration alarm)
            about_hazard = any(w.lower() in citation.heading.lower() for w in hazard_words)
            for sentence in split_sentences(citation.text):
                if looks_like_injection(sentence) or "→" in sentence or advised(sentence, ctx.forbidden):
                    continue
                if not (about_hazard or any(w.lower() in sentence.lower() for w in hazard_words)):
                    continue  # a clause of a neighbouring topic (a fire rule retrieved for a gas leak)
                if why_not_applicable(sentence, ctx.month, ctx.proposal.level):
                    continue  # grading text, penalties, standing duties, other seasons, duties far above
                affinities = {s: _affinity(sentence, spec.stages[s].keywords) for s in spec.stages}
                if affinities[stage] == 0 or affinities[stage] < max(affinities.values()):
                    continue
                score = action_score(sentence, cue_words, spec.stages[stage].keywords, hazard_words)
                if score <= 0:
                    continue
                entry = (affinities[stage], score + citation.score, stage, citation.chunk_id)
                if sentence not in best or entry[:2] > best[sentence][:2]:
                    best[sentence] = entry
    grouped: dict[Stage, list[Candidate]] = {stage: [] for stage in spec.stages}
    for sentence, (_affinity_score, score, stage, chunk_id) in best.items():
        grouped[stage].append((score, sentence, chunk_id))
    return grouped


def clause_actions(stage: Stage, candidates: list[Candidate], taken: list[str], ctx: DraftContext) -> list[Action]:
    """At most a few plan sentences that add to the cards (one when the cards already cover the stage)."""
    lang = ctx.facts.lang
    fresh = [c for c in candidates if all(similarity(c[1], t) < 0.35 for t in taken)]
    if len(taken) >= 4:
        return []  # the cards already cover this stage; a loosely related clause would only dilute them
    if lang == "en" and taken:
        fresh = [c for c in fresh if not _CJK.search(c[1])]  # an English draft quotes Chinese only to fill a gap
    chosen = pick_distinct(fresh, 1 if len(taken) >= 2 else CLAUSES_PER_STAGE)
    actions = []
    for sentence, chunk_id in chosen:
        clause = sentence.rstrip("。；;.")
        text = clause if lang == "zh" else f"Apply the cited clause: “{clause}”"
        if lang == "zh":
            unit = unit_in(sentence) or "按所引条款"
            limit = time_limit_in(sentence) or "按所引条款"
        else:  # the clause is quoted in the text; its Chinese unit and deadline are not English
            unit, limit = "as the clause assigns", "as the clause requires"
        actions.append(Action(text, unit, limit, ctx.spec.stages[stage].loop, (chunk_id,), origin="clause"))
    return actions


def guidance_action(ctx: DraftContext) -> Action | None:
    """The warning signal's defence measures for its colour (中国气象局令第16号), when the alert is a signal."""
    if ctx.evidence.guidance is None:
        return None
    section, measures = ctx.evidence.guidance
    lang = ctx.facts.lang
    text = (
        measures.rstrip("。；;.")
        if lang == "zh"
        else f"Apply the defence guide for this signal: “{measures.rstrip('。；;.')}”"
    )
    unit = "各有关部门和单位、社会公众" if lang == "zh" else "the departments concerned and the public"
    limit = time_limit_in(measures) or ("预警生效期间" if lang == "zh" else "while the warning is in force")
    return Action(text, unit, limit, Loop.MEDIUM, (section.chunk_id,), origin="guide")


def level_actions(ctx: DraftContext) -> list[Action]:
    """The analysis stage opens with the level: who approves what, or what to confirm before grading."""
    proposal, lang = ctx.proposal, ctx.facts.lang
    templates = ctx.spec.level_actions[lang]
    sep = "、" if lang == "zh" else "; "
    if proposal.level is not None:
        text = ctx.spec.fill(
            templates["propose"] if not proposal.declared else templates["declared"],
            level=level_label(proposal.level, lang),
            approver=proposal.approver or gap("批准机关", "the approving authority", lang),  # the plan names none
            plan=proposal.plan_title,
            criterion=proposal.criterion,
        )
    else:
        text = ctx.spec.fill(
            templates["below"],
            needs=sep.join(proposal.needs) or ("事态发展" if lang == "zh" else "how the situation develops"),
            trigger=proposal.escalation[0]
            if proposal.escalation
            else ("预案分级条件" if lang == "zh" else "the plan's grading conditions"),
        )
    unit = templates["unit"]
    limit = templates["time_limit"]
    return [
        # Decided from the grading criteria and this alert's facts (level, approver, needs), not fixed wording.
        Action(text, unit, limit, Loop.MEDIUM, proposal.citations or (ctx.facts.citation,), origin="level")
    ]


def case_actions(ctx: DraftContext, used: set[str], limit: int = 1) -> list[Action]:
    """A lesson of a similar case not already carried by a card, as a point to check."""
    lang = ctx.facts.lang
    actions: list[Action] = []
    for lesson in ctx.evidence.lessons:
        if len(actions) >= limit:
            break
        if any(similarity(lesson.text, u) >= 0.3 for u in used) or lang == "en":
            continue
        text = f"对照相似案例研判：{lesson.text.rstrip('。.')}"
        actions.append(
            Action(
                text,
                "现场指挥部专家组",
                "对照现场情况即时研判",
                Loop.MEDIUM,
                (lesson.chunk_id,),
                lessons=(f"{lesson.text}（{lesson.case_title}）",),
                origin="case",
            )
        )
    return actions


def draft_stage(stage: Stage, ctx: DraftContext, candidates: dict[Stage, list[Candidate]]) -> StageResult:
    """One stage: the level (analysis), the cards, the signal's guide (response), then the clauses that add."""
    actions: list[Action] = []
    gaps: list[str] = []
    if stage is Stage.ANALYSIS:
        actions += level_actions(ctx)
    for card in cards_for(stage, ctx):
        action, missing = card_action(card, ctx)
        actions.append(action)
        gaps += missing
    if stage is Stage.RESPONSE and (guide := guidance_action(ctx)):
        actions.append(guide)
    taken = [a.text for a in actions]
    clauses = clause_actions(stage, candidates.get(stage, []), taken, ctx)
    if stage is Stage.RESPONSE:
        clauses.sort(key=lambda a: response_rank(a.text))
    actions += clauses
    if stage is Stage.ANALYSIS:
        actions += case_actions(ctx, {lesson for a in actions for lesson in a.lessons})
    lang = ctx.facts.lang
    questions = [("待核实：" if lang == "zh" else "To confirm: ") + gap for gap in dict.fromkeys(gaps)]
    if stage is Stage.ANALYSIS:
        questions += [("待核实：" if lang == "zh" else "To confirm: ") + need for need in ctx.proposal.needs]
    if not actions:
        questions.append(ctx.spec.no_clause[lang])
    return StageResult(
        stage=stage,
        summary=stage_summary(stage, ctx),
        actions=tuple(actions),
        open_questions=tuple(dict.fromkeys(questions)),
    )


def stage_summary(stage: Stage, ctx: DraftContext) -> str:
    facts, lang, proposal = ctx.facts, ctx.facts.lang, ctx.proposal
    level = level_label(proposal.level, lang) if proposal.level else ctx.spec.below_label[lang]
    links = chained_risks(facts.hazard)
    chain = ""
    if links:
        joined = ("；" if lang == "zh" else "; ").join(link.describe(lang) for link in links)
        chain = f"需防范的次生/链生风险：{joined}。" if lang == "zh" else f"Secondary and chained risks: {joined}."
    titles = list(dict.fromkeys(c.title for c in ctx.evidence.cases[:3]))
    if stage is Stage.ANALYSIS and titles:
        chain += (
            (" 相似案例：" + "、".join(f"《{t}》" for t in titles) + "。")
            if lang == "zh"
            else (" Similar cases: " + "; ".join(titles) + ".")
        )
    colour = (facts.colour.zh if lang == "zh" else facts.colour.value) if facts.colour else "—"
    spec = ctx.spec.stages[stage]
    template = spec.summary[lang]
    if facts.kind == "warning" and spec.summary_warning and spec.summary_warning_plain:
        template = (spec.summary_warning if facts.value_text else spec.summary_warning_plain)[lang]
    return ctx.spec.fill(
        template,
        signal=facts.headline or facts.event,
        hazard=facts.hazard_label,
        place=facts.place or "—",
        time=facts.local_time,
        event=facts.event,
        value=facts.value_text or facts.headline or facts.event,
        colour=colour,
        count=facts.count,
        trend=facts.trend_text,
        level=level,
        chain=chain,
    ).strip()


_TEMPLATE_SLOT = re.compile(r"\$\{?[a-z_]+\}?|\{[a-z_0-9]+\}|\[[^\]]*\]")


def boilerplate_text(spec: DrafterSpec, decks: Mapping[str, Deck], lang: str) -> str:
    """The fixed wording every draft carries whatever the alert (templates with their slots cut out).

    The evaluation checks that no expected point can be met by it: a point the template always says
    cannot show that the drafter judged this alert.
    """
    templates = [stage.summary[lang] for stage in spec.stages.values()]
    templates += [
        variant[lang]
        for stage in spec.stages.values()
        for variant in (stage.summary_warning, stage.summary_warning_plain)
        if variant
    ]
    templates += [*spec.level_actions[lang].values(), spec.below_label[lang], spec.no_clause[lang]]
    general = decks.get(GENERAL)
    if general is not None:
        templates += [part[lang] for card in general.cards for part in (card.text, card.unit, card.time_limit)]
    return "\n".join(_TEMPLATE_SLOT.sub("\n", template) for template in templates)
