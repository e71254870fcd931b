"""The LLM stage writer: the same facts, cards, criteria and clauses as the offline drafter, written by a model.

Sources go to the model as numbered, fenced data blocks ([C1] …), the instantiated action cards
as [K1] …, the grading conditions as [R1] … with our verdict on each. Citations are mapped back
to chunk ids; anything the model cites that we did not give it stays visible to the grounding
check as an unknown citation. A level no met condition supports is rejected and the offline
proposal kept; an action that drops a card's prohibition is flagged. Any failure raises
LLMError so the drafter hands the stage to the offline writer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from assistant.chain.advice import advised, negated_mentions
from assistant.chain.criteria import Judged, Verdict, judge_all, plans_for
from assistant.chain.facts import AlertFacts
from assistant.chain.hazard_chains import chained_risks
from assistant.chain.levels import LevelProposal, level_label
from assistant.chain.offline import DraftContext, card_action, cards_for
from assistant.domain import Action, Citation, Stage, StageResult
from assistant.errors import LLMError
from assistant.llm.base import ChatMessage, ChatModel
from assistant.llm.schemas import AnalysisReply, StageReply
from assistant.prompts import load_prompt, quote_data, stage_guidance

VERDICT_WORDS = {
    "zh": {"met": "满足", "not_met": "未满足", "unknown": "事实未知", "conditional": "需研判"},
    "en": {"met": "met", "not_met": "not met", "unknown": "fact unknown", "conditional": "to judge"},
}


def number_sources(citations: Sequence[Citation]) -> tuple[str, dict[str, str]]:
    """Fenced, numbered source blocks and the map from "C<n>" to chunk id."""
    blocks, mapping = [], {}
    for n, citation in enumerate(citations, start=1):
        mapping[f"C{n}"] = citation.chunk_id
        label = f"C{n} 《{citation.title}》 {citation.heading}".strip()
        blocks.append(quote_data(label, citation.text))
    return "\n".join(blocks), mapping


def facts_json(facts: AlertFacts) -> str:
    """The alert facts as the model sees them: what is known, and null for what is not."""
    data = {
        "place": facts.place, "jurisdiction": facts.jurisdiction.path or None, "kind": facts.kind,
        "hazard": facts.hazard, "colour": facts.colour.value if facts.colour else None,
        "declared_response_level": facts.level.value if facts.level else None,
        "value": facts.value, "unit": facts.unit or None, "thresholds": list(facts.thresholds),
        "trend": facts.trend, "rising_fast": facts.fast, "rate_per_min": facts.rate_per_min,
        "households": facts.households, "people": facts.people, "floors": facts.floors,
        "deaths": facts.deaths, "injured": facts.injured, "trapped": facts.trapped, "missing": facts.missing,
        "sites": [{"kind": s.kind, "name": s.name, "distance_m": s.distance_m} for s in facts.sites],
        "night": facts.night, "source": facts.sender, "owner": facts.owner,
    }  # fmt: skip
    return quote_data("facts", json.dumps(data, ensure_ascii=False))


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

    def _map(self, ids: Sequence[str], mapping: dict[str, tuple[str, ...]], alert_citation: str) -> tuple[str, ...]:
        mapped: list[str] = []
        for cited in ids:
            key = cited.strip().strip("[]").upper()
            if key.startswith("ALERT"):
                mapped.append(alert_citation)
            else:
                mapped += mapping.get(key, (cited,))
        return tuple(dict.fromkeys(mapped))

    def write(self, stage: Stage, ctx: DraftContext, request: str = "") -> StageResult:
        """One stage; ``request`` is the officer's instruction when a stage is regenerated."""
        facts, evidence = ctx.facts, ctx.evidence
        cards = [card_action(card, ctx)[0] for card in cards_for(stage, ctx)]
        card_sources = [c for c in evidence.all_citations() if any(c.chunk_id in a.citations for a in cards)]
        sources = _dedupe([*card_sources, *evidence.by_stage.get(stage, []), *evidence.cases[:3]])
        if stage is Stage.ANALYSIS:
            sources = _dedupe([*evidence.grading[:3], *sources])
        sources = [s for s in sources if ctx.applicable.get(s.chunk_id, True) or s.kind.value == "case"]
        source_text, chunk_map = number_sources(sources)
        mapping: dict[str, tuple[str, ...]] = {k: (v,) for k, v in chunk_map.items()}
        card_lines = []
        for n, action in enumerate(cards, start=1):
            mapping[f"K{n}"] = action.citations
            card_lines.append(f"K{n}: {action.text}｜{action.unit}｜{action.time_limit}｜{action.loop.value}")
        messages = self._messages(
            facts.lang,
            "stage",
            stage_name=stage.label(facts.lang),
            stage_guidance=stage_guidance(stage, facts.lang),
            alert=quote_data("alert", facts.text()),
            facts=facts_json(facts),
            analysis=quote_data("analysis", ctx.proposal.basis)
            + (f"\n{quote_data('officer request', request)}" if request else ""),
            cards=quote_data("cards", "\n".join(card_lines) or "—"),
            sources=source_text,
        )
        reply = self.model.complete_json(messages, StageReply, max_tokens=self.max_tokens)
        if not reply.actions:
            raise LLMError(f"模型未给出任何措施 / the model returned no actions for {stage.value}")
        result = reply.to_stage_result(stage, facts.alert_id)
        actions = tuple(
            replace(action, citations=self._map(action.citations, mapping, facts.citation), origin="llm")
            for action in result.actions
        )
        flags = self._safety_flags(actions, cards, ctx)
        return StageResult(stage, result.summary, actions, (*result.open_questions, *flags))

    @staticmethod
    def _safety_flags(actions: Sequence[Action], cards: Sequence[Action], ctx: DraftContext) -> list[str]:
        """A prohibition a card states that the model's actions drop, or forbidden advice the model gives."""
        lang = ctx.facts.lang
        written = "\n".join(a.text for a in actions)
        flags = [
            ("模型措施含禁止事项：" if lang == "zh" else "The model's actions advise what is forbidden: ") + p
            for p in advised(written, ctx.forbidden)
        ]
        kept = negated_mentions("\n".join(a.text for a in cards), ctx.forbidden)
        dropped = [p for p in kept if p not in negated_mentions(written, ctx.forbidden)]
        flags += [
            ("模型措施遗漏了处置卡的禁止事项：" if lang == "zh" else "The model dropped a card's prohibition: ") + p
            for p in dropped
        ]
        return flags

    def propose_level(self, ctx: DraftContext) -> tuple[LevelProposal, str]:
        """The model's level, kept only when it names a grading condition the facts meet; else the offline one."""
        facts, offline = ctx.facts, ctx.proposal
        lang = facts.lang
        judged = (
            [j for j in judge_all(plans_for(ctx.library, facts), facts) if j.plan.relation.applies]
            if ctx.library
            else []
        )
        judged = [j for j in judged if j.criterion.metric != "other"][:40]
        lines, by_id = [], {}
        for n, j in enumerate(judged, start=1):
            by_id[f"R{n}"] = j
            lines.append(
                f"R{n} [{level_label(j.criterion.level, lang)}] 《{j.plan.meta.title}》: {j.criterion.phrase} "
                f"— {VERDICT_WORDS[lang][j.verdict.value]}（{j.why}）"
            )
        sources = _dedupe([*ctx.evidence.grading, *ctx.evidence.cases[:2]])
        source_text, _mapping = number_sources(sources)
        separator = "；" if lang == "zh" else "; "
        context = separator.join(link.describe(lang) for link in chained_risks(facts.hazard))
        messages = self._messages(
            lang,
            "analysis",
            alert=quote_data("alert", facts.text()),
            facts=facts_json(facts),
            criteria=quote_data("criteria", "\n".join(lines) or "—"),
            context=quote_data("context", context or "—"),
            sources=source_text,
        )
        reply = self.model.complete_json(messages, AnalysisReply, max_tokens=self.max_tokens).proposed_level
        if reply.level == offline.level:
            return offline, ""
        chosen: Judged | None = by_id.get((reply.criterion or "").strip().strip("[]").upper())
        if (
            reply.level is None
            or chosen is None
            or chosen.verdict is not Verdict.MET
            or chosen.criterion.level is not reply.level
        ):
            level = level_label(reply.level, lang) if reply.level else ("不定级" if lang == "zh" else "no level")
            notice = (
                f"模型建议的级别（{level}）没有满足条件的分级条款支持，已保留离线初判。"
                if lang == "zh"
                else f"The model's level ({level}) is not supported by any grading condition the facts meet; the offline proposal is kept."
            )
            return offline, notice
        source = f"《{chosen.plan.meta.title}》"
        basis = (
            f"{reply.reason} {source}：“{chosen.criterion.phrase}”"
            if lang == "zh"
            else f"{reply.reason} {source}: “{chosen.criterion.phrase}”"
        )
        proposal = replace(
            offline,
            level=reply.level,
            basis=basis,
            citations=(chosen.criterion.chunk_id, facts.citation),
            plan_title=chosen.plan.meta.title,
            criterion=chosen.criterion.phrase,
            approver=(a.who if (a := chosen.plan.approver(reply.level)) else ""),
            declared=False,
        )
        return proposal, ""
