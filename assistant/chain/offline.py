"""The offline grounded drafter: deterministic, no model, every action cited.

It selects duty sentences from the retrieved plan clauses for each stage, keeps the
unit and time limit a sentence names (else the stage's generic role and default),
attaches case lessons by similarity, and puts actions derived from the alert first.
Used when no endpoint is configured and whenever the endpoint fails.
"""

from __future__ import annotations

from assistant.chain.evidence import Evidence, Lesson
from assistant.chain.facts import AlertFacts
from assistant.chain.hazard_chains import chained_risks
from assistant.chain.injection import looks_like_injection
from assistant.chain.levels import LevelProposal, grading_clause
from assistant.chain.sentences import action_score, pick_distinct, similarity, split_sentences, time_limit_in, unit_in
from assistant.chain.spec import DrafterSpec
from assistant.domain import Action, Citation, Level, Loop, Stage, StageResult, hazard_by_name

ACTIONS_PER_STAGE = 5
LESSON_MATCH = 0.08
# The order officers must act in during the response: isolate/evacuate, cut the source,
# rescue, control traffic, inform the public.
RESPONSE_ORDER: tuple[tuple[str, ...], ...] = (
    ("警戒", "隔离", "疏散", "撤离", "转移", "isolate", "cordon", "evacuat"),
    ("切断", "关闭", "停止", "封堵", "shut", "cut off", "stop"),
    ("救援", "抢险", "抢修", "救治", "搜救", "rescue", "repair", "treat"),
    ("交通", "管制", "封闭道路", "traffic", "road"),
    ("发布", "信息", "告知", "舆情", "public", "inform"),
)


def response_rank(text: str) -> int:
    lowered = text.lower()
    return next((i for i, words in enumerate(RESPONSE_ORDER) if any(w in lowered for w in words)), len(RESPONSE_ORDER))


def _loop_for(stage_loop: Loop, stage: Stage, level: Level | None) -> Loop:
    """Higher levels escalate the response stage to wider loops."""
    if stage is Stage.RESPONSE and level in (Level.I, Level.II):
        return Loop.LARGE
    if stage is Stage.RESPONSE and level is Level.III:
        return Loop.MEDIUM
    return stage_loop


def _lessons_for(text: str, lessons: list[Lesson], used: set[str]) -> tuple[str, ...]:
    scored = sorted(((similarity(text, lesson.text), lesson) for lesson in lessons), key=lambda s: -s[0])
    for score, lesson in scored[:1]:
        if score >= LESSON_MATCH and lesson.text not in used:
            used.add(lesson.text)
            return (f"{lesson.text}（{lesson.case_title}）",)
    return ()


def _hazard_words(facts: AlertFacts) -> tuple[str, ...]:
    if not facts.hazard:
        return (facts.event,)
    return hazard_by_name(facts.hazard).keywords


def _alert_action(stage: Stage, facts: AlertFacts, spec: DrafterSpec) -> Action | None:
    template = spec.alert_actions.get(stage, {}).get(facts.lang)
    if not template:
        return None
    if (stage is Stage.ANALYSIS and not facts.nearby) or (stage is Stage.RISK_CONTROL and not facts.similar_assets):
        return None
    separator = "、" if facts.lang == "zh" else ", "
    nearby = separator.join(f"{s.name} {s.distance_km:.1f} km" for s in facts.nearby)
    similar = separator.join(facts.similar_assets)
    stage_spec = spec.stages[stage]
    return Action(
        text=spec.fill(
            template,
            place=facts.place or facts.event,
            value=facts.value_text or facts.event,
            nearby=nearby,
            similar=similar,
        ),
        unit=stage_spec.unit[facts.lang],
        time_limit=stage_spec.time_limit[facts.lang],
        loop=stage_spec.loop,
        citations=(facts.citation,),
    )


Candidate = tuple[float, str, str]  # score, sentence, chunk id


def _affinity(sentence: str, keywords: tuple[str, ...]) -> int:
    lowered = sentence.lower()
    return sum(1 for word in keywords if word.lower() in lowered)


def stage_candidates(facts: AlertFacts, evidence: Evidence, spec: DrafterSpec) -> dict[Stage, list[Candidate]]:
    """Duty sentences from all retrieved clauses, each given to the one stage it speaks of most.

    Retrieval for different stages returns overlapping clauses; assigning each sentence to its
    best-matching stage keeps "恢复供气" in recovery and "保护现场" in investigation.
    """
    # Sources may be in either language whatever the draft's language: accept both sets of cue words.
    cue_words = tuple(dict.fromkeys((*spec.cue_words["zh"], *spec.cue_words.get("en", ()))))
    best: dict[str, tuple[int, float, Stage, str]] = {}
    for stage, citations in evidence.by_stage.items():
        for citation in citations:
            for sentence in split_sentences(citation.text):
                if looks_like_injection(sentence) or "→" in sentence:
                    continue  # injected instructions; outlines and chains ("总则→…") are not duties
                affinities = {s: _affinity(sentence, spec.stages[s].keywords) for s in spec.stages}
                if affinities[stage] == 0 or affinities[stage] < max(affinities.values()):
                    continue
                score = action_score(sentence, cue_words, spec.stages[stage].keywords, _hazard_words(facts))
                if score <= 0:
                    continue
                entry = (affinities[stage], score + citation.score, stage, citation.chunk_id)
                if sentence not in best or entry[:2] > best[sentence][:2]:
                    best[sentence] = entry
    grouped: dict[Stage, list[Candidate]] = {stage: [] for stage in spec.stages}
    for sentence, (_affinity_score, score, stage, chunk_id) in best.items():
        grouped[stage].append((score, sentence, chunk_id))
    return grouped


def draft_stage(
    stage: Stage,
    facts: AlertFacts,
    candidates: list[Candidate],
    lessons: list[Lesson],
    spec: DrafterSpec,
    level: Level | None,
    used_lessons: set[str],
    guidance: tuple[Citation, str] | None = None,
) -> StageResult:
    """One stage: the alert-derived action first, then (in response) the signal's graded defence measures,
    then the best distinct duty sentences given to this stage."""
    stage_spec = spec.stages[stage]
    lang = facts.lang
    actions: list[Action] = []
    first = _alert_action(stage, facts, spec)
    if first:
        actions.append(first)
    if guidance and stage is Stage.RESPONSE:
        section, measures = guidance
        actions.append(
            Action(
                text=measures.rstrip("。；;."),
                unit=stage_spec.unit[lang],  # the guide addresses government and public, not one unit
                time_limit=time_limit_in(measures) or stage_spec.time_limit[lang],
                loop=_loop_for(stage_spec.loop, stage, level),
                citations=(section.chunk_id,),
            )
        )
        candidates = [c for c in candidates if c[2] != section.chunk_id]  # not the other colours' lines
    chosen = pick_distinct(candidates, ACTIONS_PER_STAGE)
    if stage is Stage.RESPONSE:
        chosen.sort(key=lambda pair: response_rank(pair[0]))
    for sentence, chunk_id in chosen:
        actions.append(
            Action(
                text=sentence.rstrip("。；;."),
                unit=unit_in(sentence) or stage_spec.unit[lang],
                time_limit=time_limit_in(sentence) or stage_spec.time_limit[lang],
                loop=_loop_for(stage_spec.loop, stage, level),
                citations=(chunk_id,),
                lessons=_lessons_for(sentence, lessons, used_lessons),
            )
        )
    questions: list[str] = []
    if len(actions) <= (1 if first else 0):
        questions.append(
            "知识库中未检索到本阶段适用条款，请补充相关预案。"
            if lang == "zh"
            else "No applicable clause was retrieved for this stage; add the relevant plan."
        )
    return StageResult(stage=stage, summary="", actions=tuple(actions), open_questions=tuple(questions))


def stage_summary(
    stage: Stage, facts: AlertFacts, spec: DrafterSpec, proposal: LevelProposal, evidence: Evidence
) -> str:
    lang = facts.lang
    if proposal.level is None:
        level = "待定" if lang == "zh" else "to be decided"
    else:
        level = proposal.level.zh if lang == "zh" else f"Level {proposal.level.value}"
    links = chained_risks(facts.hazard)
    chain = ""
    if links:
        joined = ("；" if lang == "zh" else "; ").join(link.describe(lang) for link in links)
        chain = f"需防范的次生/链生风险：{joined}。" if lang == "zh" else f"Secondary and chained risks: {joined}."
    titles = list(dict.fromkeys(c.title for c in evidence.cases[:3]))
    if stage is Stage.ANALYSIS and titles:
        chain += (
            (" 相似案例：" + "、".join(f"《{t}》" for t in titles) + "。")
            if lang == "zh"
            else (" Similar cases: " + "; ".join(titles) + ".")
        )
    colour = (facts.colour.zh if lang == "zh" else facts.colour.value) if facts.colour else "—"
    trend = (
        {"rising": "上升", "falling": "下降", "steady": "平稳"}.get(facts.trend, facts.trend)
        if lang == "zh"
        else facts.trend
    )
    return spec.fill(
        spec.stages[stage].summary[lang],
        hazard=facts.hazard_label,
        place=facts.place or "—",
        time=facts.local_time,
        event=facts.event,
        value=facts.value_text or facts.headline or facts.event,
        colour=colour,
        count=facts.count,
        trend=trend,
        level=level,
        chain=chain,
    ).strip()


def analysis_actions(facts: AlertFacts, evidence: Evidence, proposal: LevelProposal, spec: DrafterSpec) -> list[Action]:
    """Judgement actions: confirm the level against its clause, and check the lessons of similar cases."""
    lang = facts.lang
    stage_spec = spec.stages[Stage.ANALYSIS]
    unit, time_limit = stage_spec.unit[lang], stage_spec.time_limit[lang]
    actions: list[Action] = []
    clause = grading_clause(proposal.level, evidence.grading) if proposal.level else None
    if proposal.level and clause:
        level = proposal.level.zh if lang == "zh" else f"Level {proposal.level.value}"
        text = (
            f"按《{clause.title}》分级标准核定响应级别，初判为{level}，核实伤亡和影响范围后报批"
            if lang == "zh"
            else f"Confirm the response level against the grading criteria of {clause.title}; provisional: {level}"
        )
        actions.append(Action(text, unit, time_limit, Loop.MEDIUM, proposal.citations))
    for lesson in evidence.lessons[:2]:
        text = f"对照相似案例研判：{lesson.text}" if lang == "zh" else f"Check against a similar case: {lesson.text}"
        actions.append(Action(text.rstrip("。."), unit, time_limit, Loop.MEDIUM, (lesson.chunk_id,)))
    return actions
