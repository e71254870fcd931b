"""Alert in, six-stage PlanDraft out: facts → evidence → level → stages → grounding → record.

The drafter never goes dark: with no endpoint, or when the endpoint fails or runs out of
time for a stage, that stage comes from the offline drafter (action cards + applicable
clauses) and the draft says so in its notices.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from assistant.chain.card_slots import local_place
from assistant.chain.cards import CARDS_DIR, GENERAL, cards_text, load_decks
from assistant.chain.criteria import Library
from assistant.chain.draft_library import DraftLibrary
from assistant.chain.evidence import Evidence, Searcher, gather_evidence
from assistant.chain.facts import AlertFacts, Site, facts_from_alert
from assistant.chain.grounding import GroundingContext, check_draft
from assistant.chain.hazard_chains import chains_text
from assistant.chain.injection import looks_like_injection
from assistant.chain.levels import LevelProposal, level_check, propose_level
from assistant.chain.offline import DraftContext, boilerplate_text, draft_stage, stage_candidates
from assistant.chain.revision import RequestEffect, add_officer_action, interpret_request
from assistant.chain.situation import situation
from assistant.chain.spec import DrafterSpec, load_spec
from assistant.domain import STAGES, Alert, Incident, PlanDraft, Stage, StageResult
from assistant.errors import LLMError

OFFLINE_ENGINE = "offline-drafter"
SIMILAR_CASES = 3


class StageWriter(Protocol):
    """Writes one stage from the shared context; the LLM writer raises LLMError to hand over."""

    name: str
    prompt_version: str

    def write(self, stage: Stage, ctx: DraftContext) -> StageResult: ...


class ModelWriter(StageWriter, Protocol):
    """A stage writer backed by a model, which may also propose the response level."""

    def propose_level(self, ctx: DraftContext) -> tuple[LevelProposal, str]: ...

    def write(self, stage: Stage, ctx: DraftContext, request: str = "") -> StageResult: ...


def injection_notices(facts: AlertFacts, evidence: Evidence) -> list[str]:
    """Name the sources that carry instruction-like text, which was treated as data and not followed."""
    suspicious = [f"《{c.title}》{c.heading}" for c in evidence.all_citations() if looks_like_injection(c.text)]
    if facts.withheld:
        suspicious.insert(0, "预警报文" if facts.lang == "zh" else "the alert message")
    if not suspicious:
        return []
    where = "、".join(dict.fromkeys(suspicious))
    if facts.lang == "en":
        return [f"Instruction-like text found in {where}; it was treated as data and not followed."]
    return [f"{where}中含有可疑的指令性文字，已按数据处理，未予执行。"]


def _fallback_notice(lang: str, err: Exception, stage: Stage | None = None) -> str:
    if lang == "en":
        where = f"from {stage.en} on" if stage else "for the whole draft"
        return f"The model endpoint failed ({err}); the offline drafter took over {where}."
    where = f"自{stage.zh}阶段起" if stage else "全部内容"
    return f"模型服务失败（{err}），{where}改由离线检索生成器编制。"


@dataclass(frozen=True)
class DraftOutcome:
    draft: PlanDraft
    retrieved: tuple[str, ...]
    timings: dict[str, float]
    level_citations: tuple[str, ...]
    facts: AlertFacts | None = None


def draft_title(facts: AlertFacts) -> str:
    place = facts.place or facts.district or ""
    if facts.lang == "en":
        return f"Response plan (draft): {facts.event}" + (f" at {place}" if place else "")
    return f"关于{place}{facts.event}的应急处置方案（草案）"


def event_summary(facts: AlertFacts) -> str:
    """Time, place, what, the reading against its thresholds and its trend, people and sites: the facts first."""
    zh = facts.lang == "zh"
    sep = "、" if zh else ", "
    people = []
    if facts.households is not None:
        people.append(f"约{facts.households}户" if zh else f"about {facts.households} households")
    if facts.people is not None:
        people.append(f"约{facts.people}人" if zh else f"about {facts.people} people")
    if facts.floors is not None:
        people.append(f"{facts.floors}层" if zh else f"{facts.floors} storeys")
    casualties = [
        (label_zh if zh else label_en, value)
        for label_zh, label_en, value in (
            ("死亡", "dead", facts.deaths),
            ("受伤", "injured", facts.injured),
            ("被困", "trapped", facts.trapped),
            ("失联", "missing", facts.missing),
        )
        if value is not None
    ]
    told = situation(facts)
    if zh:
        parts = [f"{facts.local_time}，{facts.place}{facts.event}。"]
        parts += [f"情况：{told}" if told else ""]
        parts += [f"监测值：{facts.value_text}，趋势：{facts.trend_text}。" if facts.value_text else ""]
        parts += [f"涉及：{sep.join(people)}。" if people else ""]
        parts += [f"周边：{sep.join(s.describe('zh') for s in facts.sites[:4])}。" if facts.sites else ""]
        parts += [
            ("伤亡：" + sep.join(f"{k}{v}人" for k, v in casualties) + "。")
            if casualties
            else "伤亡情况：告警未载明，待核实。"
        ]
        parts += [
            f"产权/运营单位：{facts.owner}。" if facts.owner else "",
            f"信息来源：{facts.sender}。" if facts.sender else "",
        ]
    else:
        parts = [f"At {facts.local_time}, {facts.event}" + (f" at {facts.place}" if facts.place else "") + "."]
        parts += [f"Situation: {told}" if told else ""]
        parts += [f"Reading: {facts.value_text}; trend: {facts.trend_text}." if facts.value_text else ""]
        parts += [f"Affected: {sep.join(people)}." if people else ""]
        parts += [f"Nearby: {sep.join(s.describe('en') for s in facts.sites[:4])}." if facts.sites else ""]
        parts += [
            ("Casualties: " + sep.join(f"{v} {k}" for k, v in casualties) + ".")
            if casualties
            else "Casualties: not stated; to confirm."
        ]
        parts += [
            f"Owner/operator: {facts.owner}." if facts.owner else "",
            f"Source: {facts.sender}." if facts.sender else "",
        ]
    return " ".join(p for p in parts if p).strip()


class OfflineStageWriter:
    """Adapter giving the offline drafter the StageWriter shape (candidates computed once per draft)."""

    name = OFFLINE_ENGINE

    def __init__(self, spec: DrafterSpec) -> None:
        self.spec = spec
        self.prompt_version = spec.version
        self._candidates: tuple[int, dict] | None = None

    def write(self, stage: Stage, ctx: DraftContext) -> StageResult:
        if self._candidates is None or self._candidates[0] != id(ctx):
            self._candidates = (id(ctx), stage_candidates(ctx))
        return draft_stage(stage, ctx, self._candidates[1])


class Drafter:
    """Composes facts, retrieval, the level proposal, the stage writers and the grounding check into one draft."""

    def __init__(
        self,
        searcher: Searcher,
        llm_writer: ModelWriter | None = None,
        spec: DrafterSpec | None = None,
        k: int = 6,
        library: Library | None = None,
        cards_dir: Path = CARDS_DIR,
        home: str = "",
    ) -> None:
        self.searcher = searcher
        self.llm_writer = llm_writer
        self.spec = spec or load_spec()
        self.k = k
        self.library = library if library is not None else searcher  # the hybrid retriever is both
        self.cards_dir = cards_dir
        self.home = home
        # Our own templates, the hazard-chain table and the (validated) action cards are sources too.
        self.policy_text = "\n".join((self.spec.source_text, chains_text(), cards_text(cards_dir)))

    def context(
        self,
        alert: Alert,
        incident: Incident | None,
        lang: str | None,
        nearby: tuple[Site, ...],
        similar_assets: tuple[str, ...],
        effect: RequestEffect | None = None,
    ) -> DraftContext:
        """Facts, evidence, the level proposal and the resolved card sources for one alert."""
        facts = facts_from_alert(
            alert, incident, lang=lang, nearby=nearby, similar_assets=similar_assets, home=self.home
        )
        if effect is not None and effect.excluded_kinds:  # "学校已放学": the school no longer needs warning
            facts = replace(facts, sites=tuple(s for s in facts.sites if s.kind not in effect.excluded_kinds))
        evidence = gather_evidence(self.searcher, facts, self.spec, self.k)
        library = DraftLibrary(self.library, facts)  # type: ignore[arg-type]
        proposal = propose_level(facts, library)
        evidence.grading = list(proposal.sources)
        decks = load_decks(self.cards_dir)
        hazards = [h for h in (facts.hazard, GENERAL) if h in decks]
        cited = [c for h in hazards for card in decks[h].cards for c in card.cite]
        card_passages = library.resolve(cited)
        evidence.cards = list(dict.fromkeys(card_passages.values()))
        cases = {lesson.case for h in hazards for card in decks[h].cards for lesson in card.lessons}
        month = int(facts.local_time[5:7]) if facts.local_time[:4].isdigit() else None
        ctx = DraftContext(
            facts=facts,
            proposal=proposal,
            evidence=evidence,
            spec=self.spec,
            decks=decks,
            card_passages=card_passages,
            case_passages=library.case_lessons(cases),
            month=month,
            excluded_kinds=effect.excluded_kinds if effect else frozenset(),
            assume=effect.assume if effect else frozenset(),
            library=library,
        )
        ctx.main_hazard = library.main_hazards([c.chunk_id for c in evidence.all_citations()])
        ctx.applicable = library.applicable(
            [c.chunk_id for c in evidence.all_citations()] + [c.chunk_id for c in ctx.case_passages.values()]
        )
        return ctx

    def draft(
        self,
        alert: Alert,
        incident: Incident | None = None,
        lang: str | None = None,
        nearby: tuple[Site, ...] = (),
        similar_assets: tuple[str, ...] = (),
    ) -> DraftOutcome:
        started = time.perf_counter()
        ctx = self.context(alert, incident, lang, nearby, similar_assets)
        facts = ctx.facts
        retrieved_at = time.perf_counter()
        offline = OfflineStageWriter(self.spec)
        notices: list[str] = []
        writer: StageWriter = offline
        if self.llm_writer is None:
            notices.append(
                "未配置大模型，本草案由离线检索生成器编制。"
                if facts.lang == "zh"
                else "No LLM endpoint configured: drafted by the offline retrieval-grounded drafter."
            )
        else:
            writer = self.llm_writer
            try:
                proposal, notice = self.llm_writer.propose_level(ctx)
                ctx.proposal = proposal
                notices += [notice] if notice else []
            except LLMError as err:
                writer = offline
                notices.append(_fallback_notice(facts.lang, err))
        notices += injection_notices(facts, ctx.evidence)
        stages: list[StageResult] = []
        for stage in STAGES:
            try:
                stages.append(writer.write(stage, ctx))
            except LLMError as err:
                # One failure is enough: a down or slow endpoint would fail every stage, each after its timeout.
                writer = offline
                stages.append(offline.write(stage, ctx))
                notices.append(_fallback_notice(facts.lang, err, stage))
        engines = {OFFLINE_ENGINE if self.llm_writer is None else self.llm_writer.name}
        if self.llm_writer is not None and writer is offline:
            engines.add(OFFLINE_ENGINE)
        writer = self.llm_writer or offline
        draft = self._assemble(ctx, stages, notices, writer, engines)
        if incident is not None:
            draft = replace(draft, incident_id=incident.incident_id)
        finished = time.perf_counter()
        timings = {
            "retrieval_s": retrieved_at - started,
            "drafting_s": finished - retrieved_at,
            "total_s": finished - started,
        }
        retrieved = tuple(
            dict.fromkeys(
                [c.chunk_id for c in ctx.evidence.all_citations()] + [c.chunk_id for c in ctx.case_passages.values()]
            )
        )
        return DraftOutcome(draft, retrieved, timings, ctx.proposal.citations, facts)

    def boilerplate(self, lang: str) -> str:
        """What every draft says whatever the alert (for the evaluation's template check)."""
        return boilerplate_text(self.spec, load_decks(self.cards_dir), lang)

    def grounding_context(self, ctx: DraftContext) -> GroundingContext:
        return GroundingContext(
            alert_text=ctx.facts.text(),
            policy_text=self.policy_text,
            sender=ctx.facts.sender,
            applicable=ctx.applicable,
            level_check=level_check(ctx.proposal, ctx.facts.lang),
            alert_terms=tuple(
                t
                for t in (
                    ctx.facts.place,
                    local_place(ctx.facts) or "",  # "中心广场" of "示例市中心广场": a place, not an organisation
                    ctx.facts.owner or "",
                    *(site.name for site in ctx.facts.sites),
                )
                if len(t) >= 2
            ),
        )

    def _assemble(
        self, ctx: DraftContext, stages: list[StageResult], notices: list[str], writer: StageWriter, engines: set[str]
    ) -> PlanDraft:
        facts, proposal, evidence = ctx.facts, ctx.proposal, ctx.evidence
        cited = {c for s in stages for a in s.actions for c in a.citations} | set(proposal.citations)
        used_lessons = " ".join(lesson for s in stages for a in s.actions for lesson in a.lessons)
        cited |= {lesson.chunk_id for lesson in evidence.lessons if lesson.text in used_lessons}
        cited |= {c.chunk_id for c in evidence.cases[:SIMILAR_CASES]}  # named in the analysis summary
        known = {c.chunk_id: c for c in (*evidence.all_citations(), *ctx.case_passages.values())}
        citations = [c for chunk_id, c in known.items() if chunk_id in cited]
        created = datetime.now(UTC)
        draft_id = hashlib.sha256(f"{facts.alert_id}|{created.isoformat()}".encode()).hexdigest()[:16]
        draft = PlanDraft(
            draft_id=draft_id,
            title=draft_title(facts),
            lang=facts.lang,
            alert_id=facts.alert_id,
            incident_id=None,
            engine=" + ".join(sorted(engines)) if len(engines) > 1 else writer.name,
            prompt_version=writer.prompt_version,
            created=created,
            summary=event_summary(facts),
            proposed_level=proposal.level,
            level_basis=proposal.basis,
            stages=tuple(stages),
            citations=tuple(citations),
            notices=tuple(notices),
            level_citations=proposal.citations,
            warning_line=proposal.warning_line,
            to_confirm=proposal.needs,
            escalation=proposal.escalation,
        )
        result = check_draft(draft, self.grounding_context(ctx))
        return replace(draft, checks=result.checks, notices=(*draft.notices, *result.problems))

    def regenerate_stage(
        self,
        draft: PlanDraft,
        alert: Alert,
        stage: Stage,
        request: str = "",
        officer: str = "",
        incident: Incident | None = None,
        nearby: tuple[Site, ...] = (),
        similar_assets: tuple[str, ...] = (),
    ) -> PlanDraft:
        """A new version of ``draft`` with one stage rewritten, following the officer's request if given.

        Offline, a request acts through the cards ("学校已放学" drops the school cards, "增加夜间" takes the
        night-time ones) and the draft says what changed; a request the cards cannot follow becomes the
        officer's own action, marked as needing a source.
        """
        effect = interpret_request(request, draft.lang) if request else None
        ctx = self.context(alert, incident, draft.lang, nearby, similar_assets, effect)
        if draft.proposed_level != ctx.proposal.level:  # a model proposed it: keep the draft's decision
            ctx.proposal = replace(
                ctx.proposal, level=draft.proposed_level, basis=draft.level_basis, citations=draft.level_citations
            )
        notices = [n for n in draft.notices if not n.startswith(stage.zh) and not n.startswith(stage.en)]
        if request and self.llm_writer is None and (effect is None or effect.empty):
            return add_officer_action(draft, request, officer or "值班员", self.grounding_context(ctx))
        try:
            if self.llm_writer is None:
                raise LLMError("offline")
            result = self.llm_writer.write(stage, ctx, request)
        except LLMError as err:
            result = OfflineStageWriter(self.spec).write(stage, ctx)
            if self.llm_writer is not None:
                notices.append(_fallback_notice(draft.lang, err, stage))
        old = next((s for s in draft.stages if s.stage is stage), None)
        if effect is not None and not effect.empty:
            notices.append(effect.describe(draft.lang, stage, old, result))
        stages = tuple(result if s.stage is stage else s for s in draft.stages)
        known = {c.chunk_id: c for c in (*draft.citations, *ctx.evidence.all_citations(), *ctx.case_passages.values())}
        cited = {c for s in stages for a in s.actions for c in a.citations} | set(draft.level_citations)
        revised = replace(
            draft,
            stages=stages,
            citations=tuple(c for chunk_id, c in known.items() if chunk_id in cited),
            notices=tuple(notices),
            created=datetime.now(UTC),
        )
        checked = check_draft(revised, self.grounding_context(ctx))
        return replace(revised, checks=checked.checks)
