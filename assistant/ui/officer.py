"""Anonymous local use: ask the officer's name once per browser session, and record it as the actor.

The name is kept in the browser (``gr.BrowserState``), so a reload does not ask again, and by Gradio
session on the server (:data:`assistant.ui.auth.SESSION_NAMES`), so every status change, draft, chat
and report of that session names the officer. With a login the prompt never shows.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.ui.auth import SESSION_NAMES, session_of
from assistant.ui.i18n import Localiser, text

STORAGE_KEY = "assistant-officer-name"


def officer_line(request: gr.Request | None, lang: str) -> str:
    """ "当前值班员：张三" for an anonymous session that gave its name, else ""."""
    given = SESSION_NAMES.get(session_of(request))
    return text("officer_line", lang, name=given) if given else ""


def build_officer_prompt(
    app: gr.Blocks, anonymous: bool, localiser: Localiser, lang: gr.State, line: gr.Markdown, lang0: str = "zh"
) -> None:
    """The name row under the header (anonymous use only); ``line`` names the officer once given."""
    if not anonymous:
        return
    stored = gr.BrowserState("", storage_key=STORAGE_KEY)
    with gr.Row(equal_height=True, visible=True, elem_id="officer-prompt") as prompt:
        hint = localiser.value(gr.Markdown(f"**{text('officer_name_hint', lang0)}**"), "officer_name_hint")
        name = localiser.label(
            gr.Textbox(label=text("officer_name", lang0), elem_id="officer-name", scale=2), "officer_name"
        )
        ok = localiser.value(
            gr.Button(text("officer_name_set", lang0), variant="primary", elem_id="officer-name-set"),
            "officer_name_set",
        )
    del hint

    def restore(kept: str, code: str, request: gr.Request) -> tuple[Any, Any]:
        given = SESSION_NAMES.remember(session_of(request), kept or "")
        if not given:
            return gr.update(visible=True), ""
        return gr.update(visible=False), text("officer_line", code, name=given)

    app.load(restore, [stored, lang], [prompt, line], api_visibility="private")

    def set_name(typed: str, code: str, request: gr.Request) -> tuple[Any, Any, str]:
        given = SESSION_NAMES.remember(session_of(request), typed or "")
        if not given:
            raise gr.Error(text("officer_name_needed", code))
        return gr.update(visible=False), text("officer_line", code, name=given), given

    for trigger in (ok.click, name.submit):
        trigger(set_name, [name, lang], [prompt, line, stored], api_visibility="private")
