"""The LLM stage writer: the same evidence as the offline drafter, written up by a model.

Sources go to the model as numbered, fenced data blocks ([C1] ...); its citations are
mapped back to chunk ids, and anything it cites that we did not give it stays visible
to the grounding check as an unknown citation. Any failure raises LLMError so the
drafter hands the stage to the offline writer.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.chain.evidence import Evidence
from assistant.chain.facts import AlertFacts
from assistant.chain.hazard_chains import chained_risks
from assistant.chain.levels import LevelProposal
from assistant.domain import Citation, Stage, StageResult
from assistant.errors import LLMError
from assistant.llm.base import ChatMessage, ChatModel
from assistant.llm.schemas import AnalysisReply, StageReply
from assistant.prompts import load_prompt, quote_data, stage_guidance


def number_sources(citations: Sequence[Citation]) -> tuple[str, dict[str, str]]:
    """Fenced, numbered source blocks and the map from "C<n>" to chunk id."""
    blocks, mapping = [], {}
    for n, citation in enumerate(citations, start=1):
        mapping[f"C{n}"] = citation.chunk_id
        label = f"C{n} 《{citation.title}》 {citation.heading}".strip()
        blocks.append(quote_data(label, citation.text))
    return "\n".join(blocks), mapping


def _dedupe(citations: Sequence[Citation]) -> list[Citation]:
    return list({c.chunk_id: c for c in citations}.values())


class LLMStageWriter:
    """Writes stages (and proposes the level) with a chat model through the prompt templates."""

    def __init__(self, model: ChatModel, max_tokens: int | None = None) -> None:
        self.model = model
        self.name = model.name
        self.max_tokens = max_tokens
        self.prompt_version = ""

    def _messages(self, lang: str, template: str, **values: object) -> list[ChatMessage]:
        system = load_prompt("system", lang)
        prompt = load_prompt(template, lang)
        self.prompt_version = f"system {system.version}; {template} {prompt.version}"
        return [ChatMessage("system", system.text), ChatMessage("user", prompt.render(**values))]

    def _map(self, ids: Sequence[str], mapping: dict[str, str], alert_citation: str) -> tuple[str, ...]:
        mapped = []
        for cited in ids:
            key = cited.strip().strip("[]").upper()
            if key.startswith("ALERT"):
                mapped.append(alert_citation)
            else:
                mapped.append(mapping.get(key, cited))
        return tuple(dict.fromkeys(mapped))

    def write(
        self, stage: Stage, facts: AlertFacts, evidence: Evidence, proposal: LevelProposal, request: str = ""
    ) -> StageResult:
        """One stage; ``request`` is the officer's instruction when a stage is regenerated."""
        sources = _dedupe([*evidence.by_stage.get(stage, []), *evidence.cases[:3]])
        if stage is Stage.ANALYSIS:
            sources = _dedupe([*evidence.grading[:3], *sources])
        source_text, mapping = number_sources(sources)
        messages = self._messages(
            facts.lang,
            "stage",
            stage_name=stage.label(facts.lang),
            stage_guidance=stage_guidance(stage, facts.lang),
            alert=quote_data("alert", facts.text()),
            analysis=quote_data("analysis", proposal.basis)
            + (f"\n{quote_data('officer request', request)}" if request else ""),
            sources=source_text,
        )
        reply = self.model.complete_json(messages, StageReply, max_tokens=self.max_tokens)
        if not reply.actions:
            raise LLMError(f"模型未给出任何措施 / the model returned no actions for {stage.value}")
        result = reply.to_stage_result(stage, facts.alert_id)
        actions = tuple(
            action.__class__(**{**action.__dict__, "citations": self._map(action.citations, mapping, facts.citation)})
            for action in result.actions
        )
        return StageResult(stage, result.summary, actions, result.open_questions)

    def propose_level(self, facts: AlertFacts, evidence: Evidence, fallback: LevelProposal) -> LevelProposal:
        """The model's level with the clause it cites; the grounding check judges whether it holds."""
        sources = _dedupe([*evidence.grading, *evidence.cases[:2]])
        source_text, mapping = number_sources(sources)
        separator = "；" if facts.lang == "zh" else "; "
        context = separator.join(link.describe(facts.lang) for link in chained_risks(facts.hazard))
        messages = self._messages(
            facts.lang,
            "analysis",
            alert=quote_data("alert", facts.text()),
            context=quote_data("context", context or "—"),
            sources=source_text,
        )
        reply = self.model.complete_json(messages, AnalysisReply, max_tokens=self.max_tokens)
        level = reply.proposed_level
        if level.level is None and fallback.level is None:
            return fallback
        citations = self._map(level.basis, mapping, facts.citation)
        return LevelProposal(level.level, level.reason, citations or fallback.citations, tuple(level.missing))
