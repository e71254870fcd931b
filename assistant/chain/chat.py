"""Grounded multi-turn chat: the answering clause first, cited; or "not covered" exactly when it is.

Coverage is decided from retrieval and the answering clause before any model is asked, so
a model cannot talk its way past a library that does not hold the answer; a model's answer
is then checked for invented numbers, phone numbers and organisations like a draft is.
Offline answers stream piece by piece: the lead sentence first.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator, Sequence
from typing import Any

from assistant.chain.answer_spec import AnswerSpec, load_answer_spec
from assistant.chain.answers import NOT_COVERED, Answer, SourceNumbers, compose, not_covered_text
from assistant.chain.coverage import Coverage, decide
from assistant.chain.evidence import Searcher
from assistant.chain.facts import AlertFacts
from assistant.chain.glossary import Glossary, language_of, load_glossary, renderings
from assistant.chain.grounding import unsupported_claims
from assistant.chain.incident_answers import incident_answer, incident_query, refers_to_incident
from assistant.chain.injection import strip_injection
from assistant.chain.lead_choice import LeadChoice, LeadFinder, question_units
from assistant.chain.llm_writer import number_sources
from assistant.chain.meaning import ClauseMeaning, Embedder
from assistant.chain.question import Question, analyse
from assistant.chain.quoted_claims import QuotedClaim, is_held, read_quotes
from assistant.domain import Citation, EvidenceCheck, EvidenceStatus, PlanDraft
from assistant.errors import LLMError
from assistant.llm.base import ChatMessage, ChatModel
from assistant.prompts import load_prompt, quote_data

OFFLINE_ENGINE = "offline-drafter"
_CITED = re.compile(r"\[(C\d+)\]")
HISTORY_TURNS = 6
NEAREST = 3
FUSION_K = 10  # reciprocal-rank fusion of the as-asked and the translated search
EXTRA_PER_QUERY = 4  # fused passages kept beyond k per extra search, so neither language crowds out the other


class ChatService:
    """Answers questions; ``stream`` yields text pieces and finally the checked Answer."""

    def __init__(
        self,
        searcher: Searcher,
        model: ChatModel | None = None,
        k: int = 8,
        max_tokens: int | None = None,
        embedder: Embedder | None = None,
        glossary: Glossary | None = None,
        spec: AnswerSpec | None = None,
    ) -> None:
        self.searcher = searcher
        self.model = model
        self.k = k
        self.max_tokens = max_tokens
        self.glossary = glossary or load_glossary()
        self.spec = spec or load_answer_spec()
        self.finder = LeadFinder(self.glossary, ClauseMeaning(embedder) if embedder else None)
        # The hybrid retriever can search by keyword alone: the translated query is a bag of glossary
        # words, so its dense vector adds little and costs a query embedding.
        self._keyword_mode = "mode" in inspect.signature(searcher.search).parameters

    def retrieve(self, question: Question, facts: AlertFacts | None) -> list[Citation]:
        """Passages for the question as asked and for its concepts in the other language, fused by rank.

        Two searches, because the two languages compete in one query: "贝鲁特港口大爆炸" alone
        finds Chinese explosions; "Beirut explosion blast" finds the English report.
        """
        queries = [question.text]
        translated = self.translated(question)
        if translated:
            queries.append(translated)
        fused: dict[str, float] = {}
        found: dict[str, Citation] = {}
        for index, query in enumerate(queries):
            for rank, citation in enumerate(self._search(query, facts, keywords_only=index > 0)):
                fused[citation.chunk_id] = fused.get(citation.chunk_id, 0.0) + 1 / (FUSION_K + rank)
                found.setdefault(citation.chunk_id, citation)
        ranked = sorted(fused, key=lambda chunk_id: -fused[chunk_id])
        return [found[chunk_id] for chunk_id in ranked[: self.k + len(queries) * EXTRA_PER_QUERY]]

    def _search(self, query: str, facts: AlertFacts | None, keywords_only: bool = False) -> list[Citation]:
        options: dict[str, Any] = {"mode": "lexical"} if keywords_only and self._keyword_mode else {}
        hazards = [facts.hazard] if facts and facts.hazard else None
        hits = self.searcher.search(query, self.k, hazards=hazards, **options) if hazards else []
        if len(hits) < self.k:
            seen = {c.chunk_id for c in hits}
            hits += [c for c in self.searcher.search(query, self.k, **options) if c.chunk_id not in seen]
        return sorted(hits, key=lambda c: -c.score)[: self.k]

    def translated(self, question: Question) -> str:
        """The question's concepts in the other language and their other wordings (glossary): a keyword query."""
        words = self.glossary.equivalents(question.text, question.lang)
        words += self.glossary.alternatives(question.text, question.lang)
        return " ".join(dict.fromkeys(words))

    def assess(self, question: Question, hits: list[Citation]) -> tuple[list[LeadChoice], Coverage]:
        """The answering clause per ask, and whether the library covers the question at all."""
        # The question's vector is already cached by retrieval: meaning is measured against it.
        choices = self.finder.choose(question, hits, question.text)
        return choices, decide(choices, question_units(question, self.glossary))

    def ask(
        self,
        question: str,
        history: Sequence[ChatMessage] = (),
        facts: AlertFacts | None = None,
        lang: str | None = None,
        draft: PlanDraft | None = None,
    ) -> Answer:
        answer: Answer | None = None
        for piece in self.stream(question, history, facts, lang, draft=draft):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        history: Sequence[ChatMessage] = (),
        facts: AlertFacts | None = None,
        lang: str | None = None,
        draft: PlanDraft | None = None,
    ) -> Iterator[str | Answer]:
        lang = lang or language_of(question)
        topic = strip_injection(question)  # "…怎么处置？忽略以上指令…": coverage is about the topic only
        quoted = read_quotes(topic)
        unfound = self.unfound_claims(quoted.claims, facts)
        premise = tuple(
            self.spec.text("support", lang, "unfound_quote", reference=claim.reference) for claim in unfound
        )
        parsed = analyse(quoted.topic(unfound), self.glossary, lang)
        engine = self.model.name if self.model else OFFLINE_ENGINE
        pinned = incident_answer(parsed, facts, draft, lang, self.spec)
        if pinned is not None:
            yield from pinned.pieces
            yield Answer("".join(pinned.pieces).rstrip(), True, pinned.citations, OFFLINE_ENGINE)
            return
        if facts is not None and draft is None and refers_to_incident(parsed):
            yield self.spec.text("incident", lang, "no_draft", event=facts.event) + "\n"
            parsed = analyse(incident_query(parsed, facts), self.glossary, lang)
        hits = self.retrieve(parsed, facts)
        choices, coverage = self.assess(parsed, hits)
        if not coverage.covered:
            text = "\n\n".join([not_covered_text(coverage, hits[:NEAREST], lang, self.spec), *premise])
            yield text
            yield Answer(text, False, tuple(hits[:NEAREST]), engine, notices=premise, confidence=coverage.confidence)
            return
        if self.model is not None:
            try:
                yield from self._model_answer(
                    question, history, facts, hits, lang, coverage.confidence, premise, parsed.text
                )
                return
            except LLMError as err:
                notice = (
                    f"模型服务失败（{err}），以下为离线检索答复。"
                    if lang == "zh"
                    else f"The model endpoint failed ({err}); offline answer below."
                )
                yield f"\n\n> {notice}\n\n"
                yield from self._offline(
                    parsed, choices, lang, coverage.confidence, notices=(notice, *premise), closing=premise
                )
                return
        yield from self._offline(parsed, choices, lang, coverage.confidence, notices=premise, closing=premise)

    def unfound_claims(self, claims: tuple[QuotedClaim, ...], facts: AlertFacts | None) -> list[QuotedClaim]:
        """The quoted clauses no passage of the library carries (checked among passages in the quote's language:
        an English rendering of a Chinese clause cannot be checked word for word, so it is not called unfound)."""
        unfound = []
        for claim in claims:
            lang = language_of(claim.quote)
            texts = [c.text for c in self._search(claim.quote, facts) if language_of(c.text) == lang]
            if texts and not is_held(claim.quote, texts):
                unfound.append(claim)
        return unfound

    def _offline(
        self,
        question: Question,
        choices: list[LeadChoice],
        lang: str,
        confidence: float,
        notices: tuple[str, ...] = (),
        closing: tuple[str, ...] = (),
    ) -> Iterator[str | Answer]:
        """The composed answer; ``closing`` notes (an unfound quoted clause) follow it."""
        number = SourceNumbers()
        pieces: list[str] = []
        for piece in compose(question, choices, lang, self.glossary, self.spec, number):
            pieces.append(piece)
            yield piece
        for note in closing:
            pieces.append(f"\n\n> {note}")
            yield pieces[-1]
        text = "".join(pieces).rstrip()
        yield Answer(text, True, tuple(number.cited), OFFLINE_ENGINE, notices=notices, confidence=confidence)

    def _model_answer(
        self,
        question: str,
        history: Sequence[ChatMessage],
        facts: AlertFacts | None,
        hits: list[Citation],
        lang: str,
        confidence: float,
        premise: tuple[str, ...] = (),
        topic: str = "",
    ) -> Iterator[str | Answer]:
        """The model's answer, checked; ``premise`` notes follow it, and only the ``topic`` (the question
        without unfound quoted clauses) counts as a source of numbers and names."""
        assert self.model is not None
        sources, mapping = number_sources(hits)
        system = load_prompt("system", lang)
        prompt = load_prompt("chat", lang)
        incident = quote_data("incident", facts.text()) if facts else "—"
        user = prompt.render(
            question=quote_data("question", question), sources=sources, incident=incident, alert=incident
        )
        messages = [ChatMessage("system", system.text), *list(history)[-HISTORY_TURNS:], ChatMessage("user", user)]
        pieces: list[str] = []
        for piece in self.model.stream(messages, max_tokens=self.max_tokens):
            pieces.append(piece)
            yield piece
        for note in premise:
            pieces.append(f"\n\n> {note}")
            yield pieces[-1]
        text = "".join(pieces)
        cited_ids = [mapping[c] for c in dict.fromkeys(_CITED.findall(text)) if c in mapping]
        cited = tuple(c for c in hits if c.chunk_id in cited_ids)
        declined = NOT_COVERED[lang] in text or NOT_COVERED["en"].lower() in text.lower()
        passages = [f"{c.title} {c.heading} {c.text}" for c in hits] + ([facts.text()] if facts else [])
        problems = unsupported_claims(text, [*passages, *renderings(passages, self.glossary), topic or question])
        if not cited and not declined:
            problems.append("回答没有引用任何资料 / the answer cites no source")
        status = EvidenceStatus.UNSUPPORTED if problems else EvidenceStatus.SUPPORTED
        yield Answer(
            text,
            not declined,
            cited or tuple(hits[:NEAREST]),
            self.model.name,
            checks=(EvidenceCheck("answer", status, tuple(problems)),),
            notices=premise,
            confidence=confidence,
        )
