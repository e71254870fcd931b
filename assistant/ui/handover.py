"""交接班 / shift handover page: the outgoing officer prepares it, the incoming officer acknowledges it.

The page shows the newest handover (so the incoming officer, signing in later, finds it waiting),
with its Word and Markdown files written when it was prepared. Both steps record the signed-in
officer; the outgoing officer cannot acknowledge their own handover.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant.handover import HandoverRecord
from assistant.handover.document import handover_docx
from assistant.services import Services, prepare_handover
from assistant.tasks.text import local_clock
from assistant.ui.auth import officer_name
from assistant.ui.downloads import export_dir
from assistant.ui.i18n import text
from assistant.ui.session import Workspace, user_errors

REFRESH_S = 3.0


def files_of(services: Services, handover_id: int) -> tuple[Path, Path]:
    folder = export_dir(services.settings)
    return folder / f"handover-{handover_id}.docx", folder / f"handover-{handover_id}.md"


def status_line(record: HandoverRecord | None, offset: str, lang: str) -> str:
    if record is None:
        return text("handover_none", lang)
    if record.acknowledged_by and record.acknowledged_at:
        state = text(
            "handover_taken", lang, by=record.acknowledged_by, when=local_clock(record.acknowledged_at, offset)
        )
    else:
        state = text("handover_pending", lang)
    when = local_clock(record.created_at, offset)
    return text("handover_status", lang, id=record.handover_id, by=record.created_by, when=when, state=state)


def build_handover(ws: Workspace) -> None:
    services, loc = ws.services, ws.localiser
    lang0 = services.settings.ui.language
    offset = services.settings.ui.utc_offset
    with gr.Row(equal_height=True):
        since = loc.label(gr.Textbox(label=text("handover_since", lang0), elem_id="handover-since"), "handover_since")
        until = loc.label(gr.Textbox(label=text("handover_until", lang0), elem_id="handover-until"), "handover_until")
        hours = loc.label(
            gr.Number(12, minimum=1, maximum=72, label=text("handover_next", lang0), elem_id="handover-next"),
            "handover_next",
        )
        make = loc.value(
            gr.Button(text("handover_make", lang0), variant="primary", elem_id="handover-make"), "handover_make"
        )
    status = gr.Markdown(text("handover_none", lang0), elem_id="handover-status")
    with gr.Row():
        docx = loc.custom(
            gr.DownloadButton(text("download_docx", lang0), interactive=False, elem_id="handover-docx"),
            lambda lang: {"label": text("download_docx", lang)},
        )
        markdown = loc.custom(
            gr.DownloadButton(text("download_md", lang0), interactive=False, elem_id="handover-md"),
            lambda lang: {"label": text("download_md", lang)},
        )
        ack = loc.value(gr.Button(text("handover_ack", lang0), elem_id="handover-ack"), "handover_ack")
    body = gr.Markdown(elem_id="handover-body")
    shown = gr.State("")

    def show(lang: str, last: str) -> tuple[Any, ...]:
        """The newest handover, redrawn only when it (or the language) changed."""
        record = services.handovers.latest()
        line = status_line(record, offset, lang)
        word, md = files_of(services, record.handover_id) if record else (None, None)
        signature = repr((lang, line, word is not None and word.exists()))
        if signature == last:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if record is None or word is None or md is None:
            off = gr.update(value=None, interactive=False)
            return line, "", off, off, signature
        return (
            line,
            record.body,
            gr.update(value=str(word), interactive=word.exists()),
            gr.update(value=str(md), interactive=md.exists()),
            signature,
        )

    outputs = [status, body, docx, markdown, shown]
    ws.app.load(lambda lang: show(lang, ""), ws.lang, outputs, api_visibility="private")
    ws.lang.change(lambda lang: show(lang, ""), ws.lang, outputs, api_visibility="private")
    gr.Timer(REFRESH_S).tick(show, [ws.lang, shown], outputs, show_progress="hidden", api_visibility="private")

    def prepare(start: str, end: str, next_hours: float | None, lang: str, request: gr.Request) -> tuple[Any, ...]:
        with user_errors():
            record, handover = prepare_handover(
                services, start, end, float(next_hours or 12), officer_name(request), lang
            )
        word, md = files_of(services, record.handover_id)
        word.parent.mkdir(parents=True, exist_ok=True)
        md.write_text(record.body, encoding="utf-8")
        partial = word.with_name(f"{word.stem}.part.docx")  # a download never sees a half-written file
        partial.write_bytes(handover_docx(handover, lang, offset, services.settings.export.issuing_unit))
        partial.replace(word)
        return show(lang, "")

    make.click(prepare, [since, until, hours, ws.lang], outputs, api_name="prepare_handover")

    def acknowledge(lang: str, request: gr.Request) -> tuple[Any, ...]:
        record = services.handovers.latest()
        if record is None:
            raise gr.Error(text("handover_none", lang))
        with user_errors():
            services.handovers.acknowledge(record.handover_id, officer_name(request))
        return show(lang, "")

    ack.click(acknowledge, [ws.lang], outputs, api_name="acknowledge_handover")
