"""The app over real HTTP: alert API and workspace on one server, driven with gradio_client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from docx import Document
from gradio_client import Client

from assistant.domain import STAGES
from assistant.errors import SettingsError
from assistant.services import build_services, ensure_shipped_knowledge
from assistant.settings import PROJECT_ROOT, load_settings
from assistant.ui.access import hash_password, verify_password
from assistant.ui.server import build_app
from tests.small_library import copy_small_library

GAS_ALARM = PROJECT_ROOT / "examples" / "alerts" / "gas_alarm.json"
LIBRARY = [
    "plans/plan-city-gas-emergency.md",
    "plans/reg-city-gas-583.md",
    "cases/case-shiyan-613-gas-explosion-2021.md",
]
TOKEN = "test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def running_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("app")
    library = copy_small_library(root / "library")
    port = _free_port()
    settings = load_settings(
        env={
            "ASSISTANT_DATA_DIR": str(root / "data"),
            "ASSISTANT__KNOWLEDGE__SHIPPED_DIRS": f"[{library}]",
            "ASSISTANT__RETRIEVAL__MODE": "lexical",
            "ASSISTANT__ALERTS__API_TOKEN": TOKEN,
            "ASSISTANT__UI__PORT": str(port),
        }
    )
    services = build_services(settings)
    ensure_shipped_knowledge(services, background=True)
    server = uvicorn.Server(uvicorn.Config(build_app(services), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    services.close()


def test_posted_alert_is_on_the_board_and_drafts_a_word_plan(running_app: str, tmp_path: Path) -> None:
    posted = httpx.post(
        f"{running_app}api/alerts",
        content=GAS_ALARM.read_bytes(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert posted.status_code == 200, posted.text
    incident_id = posted.json()["incident_ids"][0]
    client = Client(running_app, verbose=False)
    board = client.predict("", "", "", api_name="/board")
    assert any(row[-1] == incident_id for row in board["data"])
    _markdown, docx_path, _md_path, note = client.predict(incident_id, "zh", api_name="/draft")
    assert "offline-drafter" in note
    headings = [
        p.text for p in Document(docx_path).paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert all(any(stage.zh in h for h in headings) for stage in STAGES)
    assert client.predict(incident_id, api_name="/acknowledge").endswith("（值班员）")


def test_chat_cites_or_refuses(running_app: str) -> None:
    client = Client(running_app, verbose=False)
    history, _, sources = client.predict("燃气泄漏后怎么切断气源？", [], api_name="/chat")
    assert "[1]" in str(history[-1]["content"]) and "来源" in sources
    history, _, sources = client.predict("火星基地氧气舱失压时宇航员如何撤离？", [], api_name="/chat")
    assert "知识库未覆盖" in str(history[-1]["content"]) and "最接近" in sources


def test_alert_api_needs_the_token(running_app: str) -> None:
    refused = httpx.post(f"{running_app}api/alerts", content=GAS_ALARM.read_bytes(), timeout=10)
    assert refused.status_code in (401, 403)


def test_login_is_required_off_localhost(tmp_path: Path) -> None:
    settings = load_settings(env={"ASSISTANT_DATA_DIR": str(tmp_path), "ASSISTANT__UI__HOST": "0.0.0.0"})
    services = build_services(settings)
    try:
        with pytest.raises(SettingsError, match="users_file"):
            build_app(services)
    finally:
        services.close()


def test_password_hashes_verify() -> None:
    stored = hash_password("s3cret")
    assert stored.startswith("scrypt$") and verify_password("s3cret", stored) and not verify_password("x", stored)
