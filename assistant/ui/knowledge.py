"""知识库 / knowledge: test retrieval, upload documents with progress, list and remove them (admins only).

Uploads are copied into ``<data_dir>/uploads`` before ingestion: Gradio's temporary
copies are cleaned up, and a document whose source file vanished could not be
re-ingested or shown again. The role check runs in every changing handler, not only
in the page, because any logged-in client can call the endpoints directly. Tables carry their
headers in the page's language (so the switch changes them at once) and times in ``ui.utc_offset``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.services import Services
from assistant.ui.auth import officer_name
from assistant.ui.i18n import columns, hazard_label, table_texts, text
from assistant.ui.plan_view import KIND_LABELS, sources_html
from assistant.ui.session import Workspace, user_errors
from assistant.ui.times import shown

PROGRESS = gr.Progress()  # Gradio injects the live tracker into a parameter defaulting to one
FILE_TYPES = [".pdf", ".docx", ".md", ".txt"]


def document_rows(services: Services, lang: str) -> pd.DataFrame:
    kinds = KIND_LABELS["en" if lang == "en" else "zh"]
    offset = services.settings.ui.utc_offset
    rows = [
        [
            r.meta.doc_id,
            r.meta.title,
            kinds.get(r.meta.kind.value, r.meta.kind.value),
            ("、" if lang != "en" else ", ").join(hazard_label(h, lang) for h in r.meta.hazards),
            r.chunks,
            f"{r.dense_ready}/{r.chunks}",
            shown(r.ingested_at, offset, seconds=False),
        ]
        for r in services.knowledge.ingestor.documents()
    ]
    return pd.DataFrame(rows, columns=columns("doc_columns", lang))


def index_status(services: Services, lang: str) -> str:
    status = (
        services.knowledge.warmup.describe()
        if services.knowledge.warmup
        else services.knowledge.index.status().describe()
    )
    return text("index_status", lang, status=status)


def build_knowledge(ws: Workspace) -> None:
    services, loc, access = ws.services, ws.localiser, ws.access
    lang0 = services.settings.ui.language
    uploads = services.settings.data_path("uploads")
    status = gr.Markdown(index_status(services, lang0), elem_id="index-status")
    with gr.Row(equal_height=True):
        query = loc.placeholder(
            gr.Textbox(
                label=text("search", lang0), placeholder=text("search_hint", lang0), scale=5, elem_id="kb-query"
            ),
            "search",
            "search_hint",
        )
        search_button = loc.value(gr.Button(text("search", lang0), scale=1), "search")
    results = gr.HTML(elem_id="kb-results")
    admin_note = gr.Markdown(visible=False, elem_id="admin-note")
    upload = loc.label(
        gr.File(label=text("upload", lang0), file_count="multiple", file_types=FILE_TYPES, elem_id="upload"), "upload"
    )
    report = loc.custom(
        gr.Dataframe(
            headers=columns("ingest_columns", lang0),
            interactive=False,
            wrap=True,
            label=text("ingest_report", lang0),
            elem_id="ingest-report",
        ),
        table_texts("ingest_report", "ingest_columns"),
    )
    documents = loc.custom(
        gr.Dataframe(
            document_rows(services, lang0),
            headers=columns("doc_columns", lang0),
            interactive=False,
            wrap=True,
            label=text("documents", lang0),
            elem_id="documents",
        ),
        table_texts("documents", "doc_columns"),
    )
    with gr.Row(equal_height=True):
        doc_id = loc.label(gr.Textbox(label=text("doc_id", lang0), scale=4, elem_id="doc-id"), "doc_id")
        remove = loc.value(gr.Button(text("remove", lang0), variant="stop", scale=1, elem_id="remove-doc"), "remove")
        refresh = loc.value(gr.Button(text("refresh", lang0), scale=1, elem_id="kb-refresh"), "refresh")

    def search(query_text: str, lang: str) -> str:
        with user_errors():
            hits = services.knowledge.retriever.search(query_text)
        return sources_html(hits, text("search", lang), lang) if hits else f"<p>{text('nothing_found', lang)}</p>"

    for trigger, name in ((query.submit, "search"), (search_button.click, "search_button")):
        trigger(search, [query, ws.lang], results, api_name=name)

    def require_admin(request: gr.Request, lang: str) -> str:
        if not access.is_admin(request):
            raise gr.Error(text("admin_only", lang))
        return officer_name(request)

    def ingest(
        files: list[str] | None, lang: str, request: gr.Request, progress: gr.Progress = PROGRESS
    ) -> tuple[pd.DataFrame, pd.DataFrame, str]:
        officer = require_admin(request, lang)
        if not files:
            raise gr.Error(text("choose_files", lang))
        uploads.mkdir(parents=True, exist_ok=True)
        kept = [Path(shutil.copy(f, uploads / Path(f).name)) for f in files]
        progress(0.0, desc=text("ingesting", lang))
        with user_errors():
            result = services.knowledge.ingestor.ingest(
                kept,
                on_file=lambda r, done, total: progress(
                    (done, total), desc=f"{text('ingesting', lang)} {Path(r.path).name}"
                ),
                on_embed=lambda done, total: progress((done, total), desc=f"{text('ingesting', lang)}: embedding"),
            )
        rows = [
            [
                Path(r.path).name,
                text(f"file_{r.status}", lang),
                r.chunks,
                " ".join(p for p in (r.reason, *r.warnings) if p),
            ]
            for r in result.results
        ]
        if result.dense_error:
            rows.append(["—", text("file_dense", lang), 0, result.dense_error])
        for r in result.results:
            services.records.log(f"document.{r.status}", actor=officer, subject=r.doc_id, file=Path(r.path).name)
        report = pd.DataFrame(rows, columns=columns("ingest_columns", lang))
        return report, document_rows(services, lang), index_status(services, lang)

    upload.upload(ingest, [upload, ws.lang], [report, documents, status], api_name="ingest", concurrency_limit=1)

    def pick(evt: gr.SelectData) -> str:
        return str(evt.row_value[0]) if evt.row_value else ""

    documents.select(pick, None, doc_id, api_visibility="private", show_progress="hidden")

    def remove_document(document_id: str, lang: str, request: gr.Request) -> tuple[pd.DataFrame, str, str]:
        officer = require_admin(request, lang)
        document_id = document_id.strip()
        record = next((r for r in services.knowledge.ingestor.documents() if r.meta.doc_id == document_id), None)
        with user_errors():
            chunks = services.knowledge.ingestor.remove(document_id)
        if record is not None and Path(record.meta.source_path).parent == uploads.resolve():
            Path(record.meta.source_path).unlink(missing_ok=True)
        title = record.meta.title if record else document_id
        services.records.log("document.removed", actor=officer, subject=document_id, title=title, chunks=chunks)
        gr.Info(text("removed", lang, title=title, chunks=chunks), duration=4)
        return document_rows(services, lang), "", index_status(services, lang)

    remove.click(
        remove_document, [doc_id, ws.lang], [documents, doc_id, status], api_name="remove_document", concurrency_limit=1
    )
    refresh.click(
        lambda lang: (document_rows(services, lang), index_status(services, lang)),
        ws.lang,
        [documents, status],
        api_visibility="private",
    )
    ws.lang.change(
        lambda lang: document_rows(services, lang), ws.lang, documents, api_visibility="private", show_progress="hidden"
    )

    def permissions(lang: str, request: gr.Request) -> tuple[Any, Any, Any]:
        admin = access.is_admin(request)
        note = gr.update(visible=not admin, value=f"**{text('admin_only', lang)}**")
        return gr.update(interactive=admin), gr.update(interactive=admin), note

    for trigger in (ws.app.load, ws.lang.change):
        trigger(permissions, ws.lang, [upload, remove, admin_note], api_visibility="private", show_progress="hidden")
