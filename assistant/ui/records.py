"""记录 / records: who drafted, edited, asked and changed what, filtered by incident and officer.

Superiors use this page to see what the machine proposed and what a person changed,
so any stored draft version can be opened exactly as it was saved. Times are in the centre's
``ui.utc_offset`` with the zone written out; recorded codes (edited, document.added,
offline-drafter …) and the table headers follow the language switch.
"""

from __future__ import annotations

import gradio as gr
import pandas as pd

from assistant.services import Services
from assistant.ui.i18n import columns, event_label, table_texts, text
from assistant.ui.plan_view import CITE_JS, draft_meta, stages_html
from assistant.ui.session import Workspace, user_errors
from assistant.ui.times import shown

Tables = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]
ROLES = {"zh": {"user": "值班员", "assistant": "助手"}, "en": {"user": "officer", "assistant": "assistant"}}
COVERED = {"zh": {True: "是", False: "否"}, "en": {True: "yes", False: "no"}}


def record_tables(services: Services, incident: str, officer: str, lang: str = "zh") -> Tables:
    """Drafts, chat turns and the audit trail, newest first, each filtered the same way, in ``lang``."""
    incident_id, name = incident.strip() or None, officer.strip() or None
    records, offset, key = services.records, services.settings.ui.utc_offset, "en" if lang == "en" else "zh"
    drafts = [
        [
            shown(d["created_at"], offset),
            d["draft_id"],
            d["version"],
            event_label(d["change"], lang),
            d["officer"],
            d["incident_id"],
            event_label(d["engine"], lang),
        ]
        for d in records.list_drafts(incident_id=incident_id, officer=name)
    ]
    chats = [
        [
            shown(t.created_at, offset),
            t.officer,
            t.incident_id,
            ROLES[key].get(t.role, t.role),
            t.content[:300],
            "" if t.covered is None else COVERED[key][t.covered],
        ]
        for t in reversed(records.chat_turns(incident_id=incident_id, officer=name))
    ]
    audit = [
        [
            shown(a["at"], offset),
            a["actor"],
            event_label(a["action"], lang),
            a["subject"],
            ", ".join(f"{k}={v}" for k, v in a["detail"].items()),
        ]
        for a in reversed(records.audit_trail(subject=incident_id, actor=name))
    ]
    return (
        pd.DataFrame(drafts, columns=columns("draft_columns", lang)),
        pd.DataFrame(chats, columns=columns("chat_columns", lang)),
        pd.DataFrame(audit, columns=columns("audit_columns", lang)),
    )


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
    version_view = gr.HTML(elem_id="records-version", js_on_load=CITE_JS)

    def load(incident_id: str, name: str, lang: str) -> Tables:
        return record_tables(services, incident_id, name, lang)

    show.click(load, [incident, officer, ws.lang], tables, api_name="records")
    ws.lang.change(load, [incident, officer, ws.lang], tables, api_visibility="private", show_progress="hidden")
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
        meta = draft_meta(record.draft, record.version, text("draft_meta", lang), lang, services.settings.ui.utc_offset)
        return meta, stages_html(record.draft, anchor="records")

    tables[0].select(open_version, ws.lang, [version_meta, version_view], api_visibility="private")
