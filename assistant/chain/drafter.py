"""Alert in, six-stage PlanDraft out: evidence → level → stages → grounding → record.

The drafter never goes dark: with no endpoint, or when the endpoint fails or runs
out of time for a stage, that stage comes from the offline grounded drafter and the
draft says so in its notices.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from assistant.chain.evidence import Evidence, Searcher, gather_evidence
from assistant.chain.facts import AlertFacts, NearbySite, facts_from_alert
from assistant.chain.grounding import check_draft
from assistant.chain.hazard_chains import chains_text
from assistant.chain.injection import looks_like_injection
from assistant.chain.levels import LevelProposal, propose_level
from assistant.chain.offline import Candidate, analysis_actions, draft_stage, stage_candidates, stage_summary
from assistant.chain.revision import add_officer_action
from assistant.chain.spec import DrafterSpec, load_spec
from assistant.domain import STAGES, Alert, Incident, PlanDraft, Stage, StageResult
from assistant.errors import LLMError

OFFLINE_ENGINE = "offline-drafter"
SIMILAR_CASES = 3


class StageWriter(Protocol):
    """Writes one stage from the shared evidence; the LLM writer raises LLMError to hand over."""

    name: str
    prompt_version: str

    def write(self, stage: Stage, facts: AlertFacts, evidence: Evidence, proposal: LevelProposal) -> StageResult: ...


class ModelWriter(StageWriter, Protocol):
    """A stage writer backed by a model, which may also propose the response level."""

    def propose_level(self, facts: AlertFacts, evidence: Evidence, fallback: LevelProposal) -> LevelProposal: ...

    def write(
        self, stage: Stage, facts: AlertFacts, evidence: Evidence, proposal: LevelProposal, request: str = ""
    ) -> StageResult: ...


def injection_notices(facts: AlertFacts, evidence: Evidence) -> list[str]:
    """Name the sources that carry instruction-like text, which was treated as data and not followed."""
    suspicious = [f"《{c.title}》{c.heading}" for c in evidence.all_citations() if looks_like_injection(c.text)]
    if facts.withheld or looks_like_injection(facts.text()):
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


def draft_title(facts: AlertFacts) -> str:
    place = facts.place or facts.district or ""
    if facts.lang == "en":
        return f"Response plan (draft): {facts.event}" + (f" at {place}" if place else "")
    return f"关于{place}{facts.event}的应急处置方案（草案）"


def event_summary(facts: AlertFacts) -> str:
    colour = facts.colour.zh if facts.colour and facts.lang == "zh" else (facts.colour.value if facts.colour else "")
    if facts.lang == "en":
        parts = [f"At {facts.local_time}, {facts.event}" + (f" at {facts.place}" if facts.place else "") + "."]
        parts += [
            f"Reading: {facts.value_text}." if facts.value_text else "",
            f"Warning colour: {colour}." if colour else "",
        ]
        parts += [f"Owner: {facts.owner}." if facts.owner else "", facts.headline]
    else:
        parts = [f"{facts.local_time}，{facts.place}{facts.event}。"]
        parts += [
            f"监测值：{facts.value_text}。" if facts.value_text else "",
            f"预警颜色：{colour}。" if colour else "",
        ]
        parts += [f"责任单位：{facts.owner}。" if facts.owner else "", facts.headline]
    return " ".join(p for p in parts if p).strip()


class OfflineStageWriter:
    """Adapter giving the offline drafter the StageWriter shape."""

    name = OFFLINE_ENGINE

    def __init__(self, spec: DrafterSpec) -> None:
        self.spec = spec
        self.prompt_version = spec.version
        self._used_lessons: set[str] = set()
        self._candidates: tuple[int, dict[Stage, list[Candidate]]] | None = None

    def write(self, stage: Stage, facts: AlertFacts, evidence: Evidence, proposal: LevelProposal) -> StageResult:
        if self._candidates is None or self._candidates[0] != id(evidence):
            self._candidates = (id(evidence), stage_candidates(facts, evidence, self.spec))
        candidates = self._candidates[1].get(stage, [])
        result = draft_stage(
            stage, facts, candidates, evidence.lessons, self.spec, proposal.level, self._used_lessons, evidence.guidance
        )
        questions = result.open_questions
        if stage is Stage.ANALYSIS:
            result = replace(result, actions=(*analysis_actions(facts, evidence, proposal, self.spec), *result.actions))
            questions = tuple(q for q in questions if result.actions == () or "未检索到" not in q)
            if proposal.level is None:
                questions = (*questions, proposal.basis)
        summary = stage_summary(stage, facts, self.spec, proposal, evidence)
        return replace(result, summary=summary, open_questions=questions)


class Drafter:
    """Composes retrieval, the stage writers and the grounding check into one draft."""

    def __init__(
        self, searcher: Searcher, llm_writer: ModelWriter | None = None, spec: DrafterSpec | None = None, k: int = 6
    ) -> None:
        self.searcher = searcher
        self.llm_writer = llm_writer
        self.spec = spec or load_spec()
        self.k = k
        # Our own templates and the hazard-chain table are sources too: their wording may appear in drafts.
        self.policy_text = self.spec.source_text + "\n" + chains_text()

    def draft(
        self,
        alert: Alert,
        incident: Incident | None = None,
        lang: str | None = None,
        nearby: tuple[NearbySite, ...] = (),
        similar_assets: tuple[str, ...] = (),
    ) -> DraftOutcome:
        started = time.perf_counter()
        facts = facts_from_alert(alert, incident, lang=lang, nearby=nearby, similar_assets=similar_assets)
        evidence = gather_evidence(self.searcher, facts, self.spec, self.k)
        retrieved_at = time.perf_counter()
        proposal = propose_level(facts, evidence.grading, self.spec)
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
                proposal = self.llm_writer.propose_level(facts, evidence, proposal)
            except LLMError as err:
                writer = offline
                notices.append(_fallback_notice(facts.lang, err))
        notices += injection_notices(facts, evidence)
        stages: list[StageResult] = []
        for stage in STAGES:
            try:
                stages.append(writer.write(stage, facts, evidence, proposal))
            except LLMError as err:
                # One failure is enough: a down or slow endpoint would fail every stage, each after its timeout.
                writer = offline
                stages.append(offline.write(stage, facts, evidence, proposal))
                notices.append(_fallback_notice(facts.lang, err, stage))
        engines = {OFFLINE_ENGINE if self.llm_writer is None else self.llm_writer.name}
        if self.llm_writer is not None and writer is offline:
            engines.add(OFFLINE_ENGINE)
        writer = self.llm_writer or offline
        draft = self._assemble(facts, evidence, proposal, stages, notices, writer, engines)
        if incident is not None:
            draft = replace(draft, incident_id=incident.incident_id)
        finished = time.perf_counter()
        timings = {
            "retrieval_s": retrieved_at - started,
            "drafting_s": finished - retrieved_at,
            "total_s": finished - started,
        }
        return DraftOutcome(draft, tuple(c.chunk_id for c in evidence.all_citations()), timings, proposal.citations)

    def _assemble(
        self,
        facts: AlertFacts,
        evidence: Evidence,
        proposal: LevelProposal,
        stages: list[StageResult],
        notices: list[str],
        writer: StageWriter,
        engines: set[str],
    ) -> PlanDraft:
        cited = {c for s in stages for a in s.actions for c in a.citations} | set(proposal.citations)
        used_lessons = " ".join(lesson for s in stages for a in s.actions for lesson in a.lessons)
        cited |= {lesson.chunk_id for lesson in evidence.lessons if lesson.text in used_lessons}
        cited |= {c.chunk_id for c in evidence.cases[:SIMILAR_CASES]}  # named in the analysis summary
        citations = [c for c in evidence.all_citations() if c.chunk_id in cited]
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
        )
        result = check_draft(draft, facts.text(), self.policy_text, facts.level, proposal.citations)
        return replace(draft, checks=result.checks, notices=(*draft.notices, *result.problems))

    def regenerate_stage(
        self,
        draft: PlanDraft,
        alert: Alert,
        stage: Stage,
        request: str = "",
        officer: str = "",
        incident: Incident | None = None,
        nearby: tuple[NearbySite, ...] = (),
        similar_assets: tuple[str, ...] = (),
    ) -> PlanDraft:
        """A new version of ``draft`` with one stage rewritten (optionally following the officer's request).

        Offline, a request becomes the officer's own action, marked as needing a source.
        """
        facts = facts_from_alert(alert, incident, lang=draft.lang, nearby=nearby, similar_assets=similar_assets)
        if request and self.llm_writer is None:
            return add_officer_action(
                draft, request, officer or "值班员", self.spec, facts.text(), facts.level, draft.level_citations
            )
        evidence = gather_evidence(self.searcher, facts, self.spec, self.k)
        proposal = LevelProposal(draft.proposed_level, draft.level_basis, draft.level_citations, ())
        notices = [n for n in draft.notices if not n.startswith(stage.zh) and not n.startswith(stage.en)]
        try:
            if self.llm_writer is None:
                raise LLMError("offline")
            result = self.llm_writer.write(stage, facts, evidence, proposal, request)
        except LLMError as err:
            result = OfflineStageWriter(self.spec).write(stage, facts, evidence, proposal)
            if self.llm_writer is not None:
                notices.append(_fallback_notice(facts.lang, err, stage))
        stages = tuple(result if s.stage is stage else s for s in draft.stages)
        known = {c.chunk_id: c for c in (*draft.citations, *evidence.all_citations())}
        cited = {c for s in stages for a in s.actions for c in a.citations} | set(draft.level_citations)
        revised = replace(
            draft,
            stages=stages,
            citations=tuple(c for chunk_id, c in known.items() if chunk_id in cited),
            notices=tuple(notices),
            created=datetime.now(UTC),
        )
        checked = check_draft(revised, facts.text(), self.policy_text, facts.level, draft.level_citations)
        return replace(revised, checks=checked.checks)
