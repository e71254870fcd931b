"""知识库 / knowledge: search to test retrieval, upload and list documents."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from assistant.errors import AssistantError
from assistant.services import Services

PROGRESS = gr.Progress()  # Gradio injects the live tracker into a parameter defaulting to one


def _document_rows(services: Services) -> list[list[object]]:
    return [
        [r.meta.doc_id, r.meta.kind.value, "，".join(r.meta.hazards), r.chunks, r.meta.title]
        for r in services.knowledge.ingestor.documents()
    ]


def build_knowledge_tab(services: Services) -> None:
    query = gr.Textbox(label="检索 / search", placeholder="北京市 防汛 一级应急响应 启动条件")
    results = gr.Markdown()

    def search(text: str) -> str:
        hits = services.knowledge.retriever.search(text, 8)
        if not hits:
            return "没有找到相关内容 / nothing found"
        return "\n\n".join(f"**{n}. {c.label()}** · {c.score:.3f}\n\n> {c.text[:240]}" for n, c in enumerate(hits, 1))

    query.submit(search, query, results, api_name="search")
    upload = gr.File(label="上传 PDF/DOCX/MD/TXT / upload", file_count="multiple")
    report = gr.Markdown()
    documents = gr.Dataframe(
        headers=["编号 id", "类型 kind", "灾种 hazards", "片段 chunks", "标题 title"],
        value=_document_rows(services),
        interactive=False,
        wrap=True,
    )

    def ingest(files: list[str] | None, progress: gr.Progress = PROGRESS) -> tuple[str, list[list[object]]]:
        if not files:
            raise gr.Error("请选择文件 / choose files first")
        try:
            result = services.knowledge.ingestor.ingest(
                files, on_file=lambda r, done, total: progress((done, total), desc="导入 / ingesting")
            )
        except AssistantError as err:
            raise gr.Error(str(err)) from err
        lines = [
            f"- {Path(r.path).name}: {r.status} · {r.chunks} 片段/chunks {r.reason} {' '.join(r.warnings)}".rstrip()
            for r in result.results
        ]
        return "\n".join(lines), _document_rows(services)

    upload.upload(ingest, upload, [report, documents], api_name="ingest")
