"""事件工作台 / incident workspace: the alert and its timeline, the draft with evidence, revisions, exports.

The page shows the newest version of the incident's latest draft, so an officer who
opens an incident someone else already drafted sees that plan, and every edit or
regenerated stage is stored as a new version (nothing is overwritten).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.domain import STAGES, Alert, Stage
from assistant.errors import AssistantError
from assistant.export.layout import engine_label
from assistant.records import DraftRecord
from assistant.ui.approval import build_approval
from assistant.ui.auth import officer_name
from assistant.ui.downloads import export_files, export_pdf
from assistant.ui.i18n import columns, text
from assistant.ui.incident_view import details_html, timeline_html
from assistant.ui.map_view import build_incident_map
from assistant.ui.plan_edit import action_rows, apply_edits
from assistant.ui.plan_view import CITE_JS, analysis_html, cases_html, draft_meta, stages_html
from assistant.ui.reports_view import build_reports_panel
from assistant.ui.session import Workspace, user_errors
from assistant.ui.tasks_view import build_task_panel

DRAFT_LANGS = [("中文", "zh"), ("English", "en")]


def stage_choices(lang: str) -> list[tuple[str, str]]:
    return [(s.label(lang), s.value) for s in STAGES]


def build_incident(ws: Workspace) -> None:
    services, loc = ws.services, ws.localiser
    lang0 = services.settings.ui.language
    draft_id = gr.State("")
    header = gr.Markdown(f"### {text('pick_first', lang0)}", elem_id="incident-header")
    with gr.Row():
        with gr.Column(scale=2):
            loc.custom(
                gr.Markdown(f"#### {text('details', lang0)}"), lambda lang: {"value": f"#### {text('details', lang)}"}
            )
            details = gr.HTML(elem_id="incident-details")
            with loc.label(gr.Accordion(text("timeline", lang0), open=True), "timeline"):
                timeline = gr.HTML(elem_id="timeline")
        with gr.Column(scale=3):
            with gr.Row(equal_height=True):
                draft_lang = loc.label(
                    gr.Radio(DRAFT_LANGS, value=lang0, label=text("draft_lang", lang0)), "draft_lang"
                )
                draft = loc.value(gr.Button(text("draft", lang0), variant="primary", elem_id="draft"), "draft")
            meta = gr.Markdown(text("no_draft", lang0), elem_id="draft-meta")
            with gr.Row():
                docx = loc.custom(
                    gr.DownloadButton(text("download_docx", lang0), interactive=False, elem_id="download-docx"),
                    lambda lang: {"label": text("download_docx", lang)},
                )
                markdown = loc.custom(
                    gr.DownloadButton(text("download_md", lang0), interactive=False, elem_id="download-md"),
                    lambda lang: {"label": text("download_md", lang)},
                )
                make_pdf = loc.value(gr.Button(text("make_pdf", lang0), elem_id="make-pdf"), "make_pdf")
                pdf = loc.custom(
                    gr.DownloadButton(text("download_pdf", lang0), interactive=False, elem_id="download-pdf"),
                    lambda lang: {"label": text("download_pdf", lang)},
                )
            build_approval(ws, draft_id)
            with loc.label(gr.Accordion(text("analysis", lang0), open=True), "analysis"):
                analysis = gr.HTML(elem_id="analysis")
    with loc.label(gr.Accordion(text("plan", lang0), open=True), "plan"):
        plan = gr.HTML(elem_id="plan", js_on_load=CITE_JS)
    build_task_panel(ws)
    build_reports_panel(ws)
    build_incident_map(ws)
    with loc.label(gr.Accordion(text("cases", lang0), open=True), "cases"):
        cases = gr.HTML(elem_id="cases")
    with gr.Row(equal_height=True):
        stage = loc.custom(
            gr.Dropdown(stage_choices(lang0), value=Stage.RESPONSE.value, label=text("regenerate_stage", lang0)),
            lambda lang: {"label": text("regenerate_stage", lang), "choices": stage_choices(lang)},
        )
        request_box = loc.label(gr.Textbox(label=text("regenerate_request", lang0), scale=3), "regenerate_request")
        regenerate = loc.value(gr.Button(text("regenerate", lang0), elem_id="regenerate"), "regenerate")
    edits = loc.label(
        gr.Dataframe(
            headers=columns("edit_columns", lang0),
            interactive=True,
            wrap=True,
            static_columns=[0, 1],
            type="array",
            label=text("edit_table", lang0),
            elem_id="edit-actions",
        ),
        "edit_table",
    )
    save = loc.value(gr.Button(text("save_edits", lang0), elem_id="save-edits"), "save_edits")

    def latest(incident_id: str, current: str) -> DraftRecord | None:
        if current:
            record = services.records.latest_draft(current)
            if record.draft.incident_id == incident_id:
                return record
        drafts = services.records.list_drafts(incident_id=incident_id, limit=1)
        return services.records.latest_draft(drafts[0]["draft_id"]) if drafts else None

    def show(incident_id: str, current: str, lang: str) -> list[Any]:
        """Everything on the page for the selected incident and its newest draft version."""
        if not incident_id:
            empty = ["", "", text("no_draft", lang), gr.update(interactive=False), gr.update(interactive=False)]
            return [f"### {text('pick_first', lang)}", *empty, "", "", "", [], ""]
        with user_errors():
            entry = services.alerts.board_entry(incident_id)
            alerts = services.alerts.alerts_of(incident_id, limit=50)
        title = f"### {entry.incident.title}（{incident_id}）"
        record = latest(incident_id, current)
        zone = services.settings.ui.utc_offset
        history = timeline_html(
            alerts,
            services.alerts.events(incident_id),
            services.records.list_drafts(incident_id=incident_id),
            lang,
            zone,
        )
        newest = alerts[0] if alerts else None
        facts = services.alert_facts(newest, lang="en" if lang == "en" else "zh") if newest else None
        details_part = details_html(entry, newest, lang, facts)
        if record is None:
            off = gr.update(value=None, interactive=False)
            return [title, details_part, history, text("no_draft", lang), off, off, "", "", "", [], ""]
        d = record.draft
        docx_path, md_path = export_files(services, d, record.version)
        return [
            title,
            details_part,
            history,
            draft_meta(d, record.version, text("draft_meta", lang), lang, services.settings.ui.utc_offset),
            gr.update(value=str(docx_path), interactive=True),
            gr.update(value=str(md_path), interactive=True),
            analysis_html(d),
            stages_html(d),
            cases_html(d, text("no_cases", lang)),
            gr.update(value=action_rows(d), headers=columns("edit_columns", lang)),
            d.draft_id,
        ]

    page = [header, details, timeline, meta, docx, markdown, analysis, plan, cases, edits, draft_id]
    for trigger in (ws.incident.change, ws.changed.change, ws.lang.change):
        trigger(show, [ws.incident, draft_id, ws.lang], page, api_visibility="private", show_progress="hidden")
    for trigger in (ws.incident.change, ws.changed.change):  # a PDF belongs to the version it was made from
        trigger(lambda: gr.update(value=None, interactive=False), None, pdf, api_visibility="private")

    def pdf_copy(incident_id: str, current: str, lang: str) -> dict[str, Any]:
        """Convert the version on screen with LibreOffice; without it the officer reads what to install."""
        record = latest(incident_id, current) if incident_id else None
        if record is None:
            raise gr.Error(text("draft_first", lang))
        with user_errors():
            path = export_pdf(services, record.draft, record.version)
        return gr.update(value=str(path), interactive=True)

    make_pdf.click(pdf_copy, [ws.incident, draft_id, ws.lang], pdf, api_name="export_pdf", concurrency_limit=2)

    def alert_for(incident_id: str, lang: str) -> Alert:
        if not incident_id:
            raise gr.Error(text("pick_first", lang))
        alerts = services.alerts.alerts_of(incident_id, limit=1)
        if not alerts:
            raise gr.Error(text("no_alert", lang))
        return alerts[0]

    def make_draft(incident_id: str, plan_lang: str, lang: str, bump: int, request: gr.Request) -> tuple[str, int]:
        alert = alert_for(incident_id, lang)
        with user_errors():
            outcome = services.draft(
                alert, services.alerts.incident(incident_id), lang=plan_lang, officer=officer_name(request)
            )
        gr.Info(
            text("drafted", lang, engine=engine_label(outcome.draft), seconds=outcome.timings["total_s"]), duration=4
        )
        return outcome.draft.draft_id, bump + 1

    draft.click(
        make_draft,
        [ws.incident, draft_lang, ws.lang, ws.changed],
        [draft_id, ws.changed],
        api_name="draft",
        concurrency_limit=4,
    )

    def regenerate_stage(
        incident_id: str, current: str, stage_name: str, wish: str, lang: str, bump: int, request: gr.Request
    ) -> tuple[str, int]:
        record = latest(incident_id, current) if incident_id else None
        if record is None:
            raise gr.Error(text("draft_first", lang))
        alert = alert_for(incident_id, lang)
        with user_errors():
            revised = services.regenerate_stage(
                record.draft, alert, Stage(stage_name), wish.strip(), officer_name(request)
            )
        gr.Info(text("regenerated", lang, version=services.records.latest_draft(revised.draft_id).version), duration=4)
        return "", bump + 1

    regenerate.click(
        regenerate_stage,
        [ws.incident, draft_id, stage, request_box, ws.lang, ws.changed],
        [request_box, ws.changed],
        api_name="regenerate_stage",
        concurrency_limit=4,
    )

    def save_edits(
        incident_id: str, current: str, rows: list[list[Any]], lang: str, bump: int, request: gr.Request
    ) -> int:
        record = latest(incident_id, current) if incident_id else None
        if record is None:
            raise gr.Error(text("draft_first", lang))
        try:
            edited = apply_edits(record.draft, rows)
        except AssistantError as err:
            raise gr.Error(str(err)) from err
        if edited is None:
            gr.Info(text("no_edits", lang), duration=4)
            return bump
        version = services.save_edit(edited, officer_name(request))
        gr.Info(text("regenerated", lang, version=version), duration=4)
        return bump + 1

    save.click(save_edits, [ws.incident, draft_id, edits, ws.lang, ws.changed], ws.changed, api_name="save_edits")
