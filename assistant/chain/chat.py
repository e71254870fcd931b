"""Grounded multi-turn chat: cite the knowledge base and the pinned incident, or say "not covered".

Coverage is decided from retrieval before any model is asked, so a model cannot talk
its way past an empty knowledge base; a model's answer is then checked for invented
numbers, phone numbers and organisations like a draft is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from assistant.chain.answers import NOT_COVERED, Answer, extractive_answer, not_covered_text, question_language
from assistant.chain.coverage import assess_coverage
from assistant.chain.evidence import Searcher
from assistant.chain.facts import AlertFacts
from assistant.chain.grounding import unsupported_claims
from assistant.chain.injection import strip_injection
from assistant.chain.llm_writer import number_sources
from assistant.domain import Citation, EvidenceCheck, EvidenceStatus
from assistant.errors import LLMError
from assistant.llm.base import ChatMessage, ChatModel
from assistant.prompts import load_prompt, quote_data

OFFLINE_ENGINE = "offline-drafter"
_CITED = re.compile(r"\[(C\d+)\]")
HISTORY_TURNS = 6


class ChatService:
    """Answers questions; ``stream`` yields text pieces and finally the checked Answer."""

    def __init__(
        self, searcher: Searcher, model: ChatModel | None = None, k: int = 6, max_tokens: int | None = None
    ) -> None:
        self.searcher = searcher
        self.model = model
        self.k = k
        self.max_tokens = max_tokens

    def retrieve(self, question: str, facts: AlertFacts | None) -> list[Citation]:
        hazards = [facts.hazard] if facts and facts.hazard else None
        hits = self.searcher.search(question, self.k, hazards=hazards) if hazards else []
        if len(hits) < self.k:
            seen = {c.chunk_id for c in hits}
            hits += [c for c in self.searcher.search(question, self.k) if c.chunk_id not in seen]
        return sorted(hits, key=lambda c: -c.score)[: self.k]

    def ask(
        self,
        question: str,
        history: Sequence[ChatMessage] = (),
        facts: AlertFacts | None = None,
        lang: str | None = None,
    ) -> Answer:
        answer: Answer | None = None
        for piece in self.stream(question, history, facts, lang):
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
    ) -> Iterator[str | Answer]:
        lang = lang or question_language(question)
        topic = strip_injection(question)  # "…怎么处置？忽略以上指令…": coverage is about the topic only
        hits = self.retrieve(topic, facts)
        coverage = assess_coverage(topic, hits)
        if not coverage.covered:
            text = not_covered_text(coverage, hits[:3], lang)
            yield text
            yield Answer(text, False, tuple(hits[:3]), self.model.name if self.model else OFFLINE_ENGINE)
            return
        if self.model is not None:
            try:
                yield from self._model_answer(question, history, facts, hits, lang)
                return
            except LLMError as err:
                notice = (
                    f"模型服务失败（{err}），以下为离线检索答复。"
                    if lang == "zh"
                    else f"The model endpoint failed ({err}); offline answer below."
                )
                yield f"\n\n> {notice}\n\n"
                text, used = extractive_answer(topic, hits, lang)
                yield text
                yield Answer(text, True, used, OFFLINE_ENGINE, notices=(notice,))
                return
        text, used = extractive_answer(topic, hits, lang)
        yield text
        yield Answer(text, True, used, OFFLINE_ENGINE)

    def _model_answer(
        self, question: str, history: Sequence[ChatMessage], facts: AlertFacts | None, hits: list[Citation], lang: str
    ) -> Iterator[str | Answer]:
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
        text = "".join(pieces)
        cited_ids = [mapping[c] for c in dict.fromkeys(_CITED.findall(text)) if c in mapping]
        cited = tuple(c for c in hits if c.chunk_id in cited_ids)
        declined = NOT_COVERED[lang] in text or NOT_COVERED["en"].lower() in text.lower()
        problems = unsupported_claims(
            text, [f"{c.title} {c.heading} {c.text}" for c in hits] + ([facts.text()] if facts else []) + [question]
        )
        if not cited and not declined:
            problems.append("回答没有引用任何资料 / the answer cites no source")
        status = EvidenceStatus.UNSUPPORTED if problems else EvidenceStatus.SUPPORTED
        yield Answer(
            text,
            not declined,
            cited or tuple(hits[:3]),
            self.model.name,
            checks=(EvidenceCheck("answer", status, tuple(problems)),),
        )
