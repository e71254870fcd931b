"""Start the assistant: settings -> services -> UI -> serve (one ASGI app, also serving /api/alerts)."""

import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import uvicorn

from assistant.errors import AssistantError
from assistant.services import build_services, ensure_shipped_knowledge, warm_query_path
from assistant.settings import load_settings
from assistant.ui.app import build_app

if __name__ == "__main__":
    try:
        settings = load_settings()
        services = build_services(settings)
        app = build_app(services)
    except AssistantError as err:
        sys.exit(f"无法启动 / cannot start: {err}")
    ensure_shipped_knowledge(services, background=True)
    warm_query_path(services)
    print(f"应急决策辅助助手 / assistant: http://{settings.ui.host}:{settings.ui.port}/", flush=True)
    uvicorn.run(app, host=settings.ui.host, port=settings.ui.port, timeout_graceful_shutdown=5)
    services.close()
