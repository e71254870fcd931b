"""问答 / chat: streamed answers whose sources open in place; "not covered" looks different.

The selected incident can be pinned as context: its alert facts and its latest draft go to
the chat service, so "现在应该启动几级响应？" is answered from the draft's proposed level.
Each piece of an answer is shown as it arrives (the offline engine's lead sentence first),
and every turn is recorded with the officer, the session and the incident.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

import gradio as gr

from assistant.chain.answers import Answer
from assistant.chain.facts import AlertFacts, facts_from_alert
from assistant.domain import PlanDraft
from assistant.llm.base import ChatMessage
from assistant.services import Services
from assistant.ui.auth import officer_name
from assistant.ui.i18n import text
from assistant.ui.plan_view import sources_html
from assistant.ui.session import Workspace, user_errors

NOT_COVERED_MARK = "【{label}】"


def answer_sources(answer: Answer, lang: str) -> str:
    """The cited passages (or, when not covered, the nearest ones under a warning banner)."""
    if answer.covered:
        return sources_html(answer.citations, text("sources", lang), lang)
    banner = f'<div class="not-covered">{escape(text("not_covered", lang))}</div>'
    return banner + sources_html(answer.citations, text("nearest", lang), lang, css="sources nearest")


def pinned_facts(services: Services, incident_id: str) -> AlertFacts | None:
    alerts = services.alerts.alerts_of(incident_id, limit=1) if incident_id else []
    if not alerts:
        return None
    return facts_from_alert(alerts[0], services.alerts.incident(incident_id))


def pinned_draft(services: Services, incident_id: str) -> PlanDraft | None:
    """The latest version of the incident's most recent draft, if it has one."""
    drafts = services.records.list_drafts(incident_id=incident_id, limit=1) if incident_id else []
    return services.records.latest_draft(drafts[0]["draft_id"]).draft if drafts else None


def build_chat(ws: Workspace) -> None:
    services, loc = ws.services, ws.localiser
    lang0 = services.settings.ui.language
    with gr.Row(equal_height=True):
        pin = loc.label(gr.Checkbox(value=True, label=text("pin", lang0), elem_id="pin"), "pin")
        pinned = gr.Markdown(elem_id="pinned")
    chatbot = loc.label(gr.Chatbot(label=text("chatbot", lang0), height=380, elem_id="chatbot"), "chatbot")
    with gr.Row(equal_height=True):
        question = loc.placeholder(
            gr.Textbox(
                label=text("question", lang0), placeholder=text("question_hint", lang0), scale=5, elem_id="question"
            ),
            "question",
            "question_hint",
        )
        send = loc.value(gr.Button(text("send", lang0), variant="primary", scale=1, elem_id="send"), "send")
        clear = loc.value(gr.Button(text("clear", lang0), scale=1), "clear")
    sources = gr.HTML(elem_id="sources")

    def describe_pin(incident_id: str, pin_on: bool, lang: str) -> str:
        if not incident_id or not pin_on:
            return ""
        with user_errors():
            title = services.alerts.incident(incident_id).title
        return text("pinned", lang, title=title)

    for trigger in (ws.incident.change, pin.change, ws.lang.change):
        trigger(describe_pin, [ws.incident, pin, ws.lang], pinned, api_visibility="private", show_progress="hidden")

    def respond(
        question_text: str,
        history: list[dict[str, Any]],
        pin_on: bool,
        incident_id: str,
        lang: str,
        request: gr.Request,
    ) -> Iterator[tuple[list[dict[str, Any]], str, str]]:
        if not question_text.strip():
            raise gr.Error(text("empty_question", lang))
        context = incident_id if pin_on else ""
        with user_errors():
            facts = pinned_facts(services, context)
            draft = pinned_draft(services, context)
        past = [ChatMessage(m["role"], _plain(m["content"])) for m in history if m["role"] in ("user", "assistant")]
        history = [*history, {"role": "user", "content": question_text}, {"role": "assistant", "content": ""}]
        answer: Answer | None = None
        with user_errors():
            for piece in services.chat.stream(question_text, past, facts, draft=draft):
                if isinstance(piece, Answer):
                    answer = piece
                else:
                    history[-1]["content"] += piece
                    yield history, "", ""
        if answer is None:
            return
        if not answer.covered:
            history[-1]["content"] = NOT_COVERED_MARK.format(label=text("not_covered", lang)) + "\n\n" + answer.text
        session = request.session_hash if request is not None and request.session_hash else "ui"
        services.record_answer(
            question_text, answer, session_id=session, officer=officer_name(request), incident_id=context or None
        )
        yield history, "", answer_sources(answer, lang)

    for trigger, name in ((question.submit, "chat"), (send.click, "chat_send")):
        trigger(respond, [question, chatbot, pin, ws.incident, ws.lang], [chatbot, question, sources], api_name=name)
    clear.click(lambda: ([], ""), None, [chatbot, sources], api_visibility="private")


def _plain(content: Any) -> str:
    """Chatbot history items may be text or structured parts; the model only needs the text."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content)
    return str(content)
