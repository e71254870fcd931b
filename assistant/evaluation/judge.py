"""Optional LLM-judged faithfulness and relevance (``assistant eval run --engine endpoint``).

Word-level metrics cannot tell a paraphrase that keeps the meaning from one that
changes it; a judge model can, when an endpoint is configured. Offline runs have no
judge and these metrics are simply absent, never faked. The judged text is quoted
as data so an injected instruction cannot steer its own verdict.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from assistant.domain import Citation
from assistant.evaluation.metrics import Score
from assistant.llm.base import ChatMessage, ChatModel
from assistant.prompts import PROMPTS_DIR, load_prompt, quote_data

EVAL_PROMPTS = PROMPTS_DIR / "eval"
MAX_SOURCE_CHARS = 600


class Verdict(BaseModel):
    """The judge's JSON reply."""

    score: float = Field(ge=0.0, le=1.0, description="0 = not at all, 1 = fully")
    reason: str = Field(default="", max_length=400)
    unsupported: list[str] = Field(default_factory=list)


class Judge:
    """Scores answers and drafts with a chat model and the prompts in prompts/eval/."""

    def __init__(self, model: ChatModel) -> None:
        self.model = model

    def _ask(self, prompt: str, lang: str, **values: str) -> Verdict:
        template = load_prompt(prompt, lang, EVAL_PROMPTS)
        messages = [ChatMessage("user", template.render(**values))]
        return self.model.complete_json(messages, Verdict, max_tokens=400)

    def faithfulness(self, answer: str, sources: Sequence[Citation], lang: str) -> Score:
        quoted = "\n".join(
            quote_data(f"{c.title} · {c.heading}", c.text[:MAX_SOURCE_CHARS]) for c in sources
        ) or quote_data("none", "")
        verdict = self._ask("judge_faithfulness", lang, sources=quoted, answer=quote_data("answer", answer))
        reason = verdict.reason + (
            " · unsupported: " + "; ".join(verdict.unsupported[:3]) if verdict.unsupported else ""
        )
        return Score("faithfulness", verdict.score, reason)

    def relevance(self, question: str, answer: str, lang: str) -> Score:
        verdict = self._ask(
            "judge_relevance", lang, question=quote_data("question", question), answer=quote_data("answer", answer)
        )
        return Score("relevance", verdict.score, verdict.reason)
