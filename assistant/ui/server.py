"""One ASGI app: the Gradio workspace at / and the alert API under /api."""

from __future__ import annotations

import gradio as gr
from fastapi import FastAPI

from assistant.alerts.api import build_alerts_router
from assistant.services import Services
from assistant.ui.access import authenticator
from assistant.ui.board import build_board
from assistant.ui.chat import build_chat
from assistant.ui.knowledge import build_knowledge_tab

TITLE = "应急决策辅助助手 · Emergency decision support"


def build_blocks(services: Services) -> gr.Blocks:
    with gr.Blocks(title=TITLE) as blocks:
        gr.Markdown(f"## {TITLE}")
        with gr.Tab("值班台 / Board"):
            build_board(services)
        with gr.Tab("问答 / Chat"):
            build_chat(services)
        with gr.Tab("知识库 / Knowledge"):
            build_knowledge_tab(services)
    blocks.queue(default_concurrency_limit=services.settings.ui.concurrency)
    return blocks


def build_app(services: Services) -> FastAPI:
    """The app to serve; refuses to build when the settings would expose it without login."""
    auth = authenticator(services.settings.ui)
    app = FastAPI(title=TITLE)
    app.include_router(build_alerts_router(services.alerts, services.settings.alerts))
    return gr.mount_gradio_app(app, build_blocks(services), path="/", auth=auth)
