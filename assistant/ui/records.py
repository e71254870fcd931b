"""记录 / records: who drafted, edited, asked and changed what, filtered by incident and officer.

Superiors use this page to see what the machine proposed and what a person changed,
so any stored draft version can be opened exactly as it was saved.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.services import Services
from assistant.ui.i18n import columns, table_texts, text
from assistant.ui.plan_view import draft_meta, stages_html
from assistant.ui.session import Workspace, user_errors

Tables = tuple[list[list[Any]], list[list[Any]], list[list[Any]]]


def record_tables(services: Services, incident: str, officer: str) -> Tables:
    """Drafts, chat turns and the audit trail, newest first, each filtered the same way."""
    incident_id, name = incident.strip() or None, officer.strip() or None
    records = services.records
    drafts = [
        [d["created_at"], d["draft_id"], d["version"], d["change"], d["officer"], d["incident_id"], d["engine"]]
        for d in records.list_drafts(incident_id=incident_id, officer=name)
    ]
    chats = [
        [t.created_at, t.officer, t.incident_id, t.role, t.content[:300], "" if t.covered is None else t.covered]
        for t in reversed(records.chat_turns(incident_id=incident_id, officer=name))
    ]
    audit = [
        [a["at"], a["actor"], a["action"], a["subject"], ", ".join(f"{k}={v}" for k, v in a["detail"].items())]
        for a in reversed(records.audit_trail(subject=incident_id, actor=name))
    ]
    return drafts, chats, audit


def build_records(ws: Workspace) -> None:
    services, loc = ws.services, ws.localiser
    lang0 = services.settings.ui.language
    with gr.Row(equal_height=True):
        incident = loc.label(
            gr.Textbox(label=text("records_incident", lang0), elem_id="records-incident"), "records_incident"
        )
        officer = loc.label(
            gr.Textbox(label=text("records_officer", lang0), elem_id="records-officer"), "records_officer"
        )
        show = loc.value(
            gr.Button(text("records_show", lang0), variant="primary", elem_id="records-show"), "records_show"
        )
    tables = []
    for key, headers in (
        ("records_drafts", "draft_columns"),
        ("records_chats", "chat_columns"),
        ("records_audit", "audit_columns"),
    ):
        table = gr.Dataframe(
            headers=columns(headers, lang0),
            interactive=False,
            wrap=True,
            label=text(key, lang0),
            elem_id=key.replace("_", "-"),
        )
        tables.append(loc.custom(table, table_texts(key, headers)))
    version_meta = gr.Markdown(elem_id="records-version-meta")
    version_view = gr.HTML(elem_id="records-version")

    def load(incident_id: str, name: str) -> Tables:
        return record_tables(services, incident_id, name)

    show.click(load, [incident, officer], tables, api_name="records")
    ws.incident.change(lambda i: i, ws.incident, incident, api_visibility="private", show_progress="hidden")

    def open_version(lang: str, evt: gr.SelectData) -> tuple[str, str]:
        row = evt.row_value or []
        if len(row) < 3:
            return "", ""
        draft_id, version = str(row[1]), int(row[2])
        with user_errors():
            record = next((r for r in services.records.draft_versions(draft_id) if r.version == version), None)
        if record is None:
            return "", ""
        return draft_meta(record.draft, record.version, text("draft_meta", lang)), stages_html(record.draft)

    tables[0].select(open_version, ws.lang, [version_meta, version_view], api_visibility="private")
