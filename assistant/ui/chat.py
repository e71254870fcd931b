"""问答 / chat: streamed, cited answers; "not covered" shown distinctly."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.chain.answers import Answer
from assistant.llm.base import ChatMessage
from assistant.services import Services
from assistant.ui.identity import officer_name


def _sources(answer: Answer) -> str:
    title = "最接近的资料 / nearest sources" if not answer.covered else "来源 / sources"
    lines = [f"**{title}**"] + [f"{n}. {c.label()}\n\n   > {c.text[:200]}" for n, c in enumerate(answer.citations, 1)]
    return "\n".join(lines)


def build_chat(services: Services) -> None:
    chatbot = gr.Chatbot(label="问答 / chat", height=420)
    question = gr.Textbox(label="问题 / question", placeholder="例如：燃气泄漏报警后多长时间内要到场？")
    sources = gr.Markdown()

    def respond(text: str, history: list[dict[str, Any]], request: gr.Request) -> Iterator[tuple[list, str, str]]:
        if not text.strip():
            raise gr.Error("请输入问题 / please type a question")
        past = [ChatMessage(m["role"], str(m["content"])) for m in history if m["role"] in ("user", "assistant")]
        history = [*history, {"role": "user", "content": text}, {"role": "assistant", "content": ""}]
        answer: Answer | None = None
        for piece in services.chat.stream(text, past):
            if isinstance(piece, Answer):
                answer = piece
            else:
                history[-1]["content"] += piece
                yield history, "", ""
        if answer is not None:
            if not answer.covered:
                history[-1]["content"] = "⚠️ " + history[-1]["content"]
            services.record_answer(text, answer, session_id=str(id(request)), officer=officer_name(request))
            yield history, "", _sources(answer)

    question.submit(respond, [question, chatbot], [chatbot, question, sources], api_name="chat")
