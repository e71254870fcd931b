"""One ASGI app: the Gradio workspace at / and the alert API under /api, on one port.

Monitoring platforms post to the same server the officers have open, so an alert is
on the board within a second of arriving. Building the app refuses settings that
would expose the workspace without login (see :class:`assistant.ui.auth.Access`).
"""

from __future__ import annotations

import gradio as gr
from fastapi import FastAPI

from assistant.alerts.api import build_alerts_router
from assistant.services import Services
from assistant.ui.auth import LOGIN_MESSAGE, Access
from assistant.ui.downloads import export_dir
from assistant.ui.i18n import text
from assistant.ui.layout import CSS, build_blocks


def build_app(services: Services) -> FastAPI:
    settings = services.settings
    access = Access(settings.ui)
    title = text("app_title", settings.ui.language)
    app = FastAPI(title=title, docs_url=None, redoc_url=None)
    app.include_router(build_alerts_router(services.alerts, settings.alerts))
    exports = export_dir(settings)
    exports.mkdir(parents=True, exist_ok=True)
    return gr.mount_gradio_app(
        app,
        build_blocks(services, access),
        path="/",
        auth=access.gradio_auth(),
        auth_message=LOGIN_MESSAGE,
        allowed_paths=[str(exports)],
        max_file_size=f"{settings.knowledge.max_upload_mb}mb",
        footer_links=[],
        run_history=False,
        css=CSS,
    )
