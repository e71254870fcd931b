"""The page frame: header with the signed-in officer and the language switch, then one tab per page.

Pages are built by their own modules; this module only creates the shared per-session
state, wires the language switch to every registered label, and sizes the queue.
"""

from __future__ import annotations

import gradio as gr

from assistant.services import Services
from assistant.ui.auth import Access, officer_name, username
from assistant.ui.board import build_board
from assistant.ui.chat import build_chat
from assistant.ui.handover import build_handover
from assistant.ui.i18n import Localiser, text
from assistant.ui.incident import build_incident
from assistant.ui.knowledge import build_knowledge
from assistant.ui.map_view import build_map_tab
from assistant.ui.officer import build_officer_prompt, officer_line
from assistant.ui.records import build_records
from assistant.ui.session import Workspace

LANGUAGE_CHOICES = [("中文", "zh"), ("English", "en")]
PAGES = (
    ("board", "tab_board", build_board),
    ("incident", "tab_incident", build_incident),
    ("chat", "tab_chat", build_chat),
    ("knowledge", "tab_knowledge", build_knowledge),
    ("records", "tab_records", build_records),
    ("handover", "tab_handover", build_handover),
    ("map", "tab_map", build_map_tab),
)

CSS = """
.ev { padding: 1px 6px; border-radius: 4px; font-size: 0.85em; white-space: nowrap; font-weight: 600; }
.ev-supported { background: #d4edda; color: #155724; }
.ev-unsupported { background: #fff3cd; color: #856404; border: 1px solid #e0a800; }
.ev-conflict { background: #f8d7da; color: #721c24; border: 1px solid #c82333; }
.ev-unchecked { background: #e2e3e5; color: #383d41; }
.chip { padding: 1px 8px; border-radius: 8px; color: #fff; font-weight: 600; margin: 0 4px; }
.chip-red { background: #d62728; } .chip-orange { background: #ff7f0e; } .chip-yellow { background: #ffd700; color: #000; }
.chip-blue { background: #1f77b4; } .chip-green { background: #2ca02c; } .chip-none { background: #999; }
.not-covered { background: #f8d7da; color: #721c24; border-left: 6px solid #c82333; padding: 8px 12px;
  font-weight: 700; margin-bottom: 8px; }
.sources details, .cases details, .analysis details { border: 1px solid #ddd; border-radius: 6px; margin: 4px 0; padding: 4px 8px; }
.sources summary, .cases summary, .analysis summary { cursor: pointer; font-weight: 600; }
.sources .kind, .cases .kind, .analysis .kind { color: #888; font-size: 0.8em; margin-left: 8px; }
.sources .path, .cases .path, .analysis .path { color: #555; font-size: 0.85em; }
.nearest details { border-color: #e0a800; }
table.facts th { text-align: left; white-space: nowrap; padding-right: 12px; color: #555; }
table.actions { width: 100%; border-collapse: collapse; font-size: 0.92em; }
table.actions td, table.actions th { border: 1px solid #ddd; padding: 4px 6px; vertical-align: top; }
.stage h3 { border-left: 5px solid #ff7f0e; padding-left: 8px; margin-top: 14px; }
.lesson { color: #6c4a00; font-size: 0.9em; margin-top: 2px; }
.level-value { font-weight: 700; font-size: 1.1em; }
ul.timeline { list-style: none; padding-left: 0; } ul.timeline time { color: #666; margin-right: 6px; font-family: monospace; }
.notices { background: #fff8e1; padding: 6px 10px; border-radius: 6px; margin-top: 6px; }
"""


def build_blocks(services: Services, access: Access) -> gr.Blocks:
    lang0 = services.settings.ui.language
    localiser = Localiser()
    with gr.Blocks(title=text("app_title", lang0)) as blocks:
        lang = gr.State(lang0)
        incident = gr.State("")
        changed = gr.State(0)
        with gr.Row(equal_height=True):
            localiser.custom(
                gr.Markdown(f"## {text('app_title', lang0)}"), lambda code: {"value": f"## {text('app_title', code)}"}
            )
            user_line = gr.Markdown(elem_id="user-line")
            switch = localiser.label(
                gr.Radio(LANGUAGE_CHOICES, value=lang0, label=text("language", lang0), elem_id="language"), "language"
            )
        build_officer_prompt(blocks, access.anonymous, localiser, lang, user_line, lang0)
        with gr.Tabs() as tabs:
            ws = Workspace(blocks, services, access, localiser, lang, incident, changed, tabs)
            for page_id, key, build in PAGES:
                with localiser.label(gr.Tab(text(key, lang0), id=page_id, elem_id=f"tab-{page_id}"), key):
                    build(ws)

        def who(code: str, request: gr.Request) -> str:
            if access.anonymous:
                return officer_line(request, code)  # the name this browser session gave, if any
            role = text(f"role_{access.role(username(request))}", code)
            logout = f"[{text('logout', code)}](/logout)"
            return f"{text('user_line', code, name=officer_name(request), role=role)} · {logout}"

        blocks.load(who, lang, user_line, api_visibility="private")

        def relabel(code: str, request: gr.Request) -> list[object]:
            return [who(code, request), *localiser.updates(code)]

        switch.change(lambda code: code, switch, lang, api_visibility="private").then(
            relabel, lang, [user_line, *localiser.components], api_visibility="private"
        )
    blocks.queue(default_concurrency_limit=services.settings.ui.concurrency)
    return blocks
