"""The app over real HTTP: alert API and workspace on one server, driven with gradio_client and httpx."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from assistant.errors import SettingsError
from assistant.services import build_services
from assistant.settings import PROJECT_ROOT, load_settings
from assistant.ui.app import build_app
from tests.ui.serving import PASSWORD, TOKEN, ServedApp, make_pdf, serve_app

GAS_ALARM = PROJECT_ROOT / "examples" / "alerts" / "gas_alarm.json"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    with serve_app(tmp_path_factory.mktemp("app")) as served:
        yield served


def _client(app: ServedApp, name: str) -> Client:
    return Client(app.url, auth=(name, PASSWORD), verbose=False)


def test_alert_api_feeds_the_board_on_the_same_server(app: ServedApp) -> None:
    refused = httpx.post(f"{app.url}api/alerts", content=GAS_ALARM.read_bytes(), timeout=10)
    assert refused.status_code in (401, 403)
    posted = httpx.post(
        f"{app.url}api/alerts",
        content=GAS_ALARM.read_bytes(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert posted.status_code == 200, posted.text
    incident_id = posted.json()["incident_ids"][0]
    table, counts, *_ = _client(app, "li").predict("", "", "", "", api_name="/board")
    assert any(row[-1] == incident_id for row in table["data"])
    assert table["data"][0][0] == "黄色" and "黄 1" in counts
    filtered, *_ = _client(app, "li").predict("", "red", "", "", api_name="/board")
    assert filtered["data"] == [] or all(row[-1] != incident_id for row in filtered["data"])


def test_the_workspace_needs_a_login(app: ServedApp) -> None:
    assert httpx.get(f"{app.url}config", timeout=10).status_code == 401
    wrong = httpx.post(f"{app.url}login", data={"username": "li", "password": "wrong-password"}, timeout=10)
    assert wrong.status_code >= 400
    with httpx.Client(base_url=app.url, timeout=10) as browser:
        assert browser.post("login", data={"username": "li", "password": PASSWORD}).status_code == 200
        assert browser.get("config").status_code == 200


def test_chat_cites_or_says_not_covered(app: ServedApp) -> None:
    client = _client(app, "li")
    history, _, sources = client.predict("燃气泄漏后怎么切断气源？", [], True, api_name="/chat")
    assert "[1]" in str(history[-1]["content"]) and "示例市燃气突发事件应急预案" in sources
    assert "not-covered" not in sources
    history, _, sources = client.predict("火星基地氧气舱失压时宇航员如何撤离？", [], True, api_name="/chat")
    assert "知识库未覆盖" in str(history[-1]["content"]) and 'class="not-covered"' in sources
    turns = app.services.records.chat_turns(officer="li")
    assert [t.role for t in turns][-4:] == ["user", "assistant", "user", "assistant"]
    assert turns[-1].covered is False


def test_only_an_admin_changes_the_knowledge_base(app: ServedApp, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "规程.pdf")
    officer, admin = _client(app, "li"), _client(app, "zhang")
    with pytest.raises(Exception, match="管理员"):
        officer.predict([handle_file(str(pdf))], api_name="/ingest")
    documents = app.services.knowledge.ingestor.documents()
    victim = documents[0].meta.doc_id
    with pytest.raises(Exception, match="管理员"):
        officer.predict(victim, api_name="/remove_document")
    assert victim in {d.meta.doc_id for d in app.services.knowledge.ingestor.documents()}

    report, listed, _status = admin.predict([handle_file(str(pdf))], api_name="/ingest")
    assert report["data"][0][1] == "已添加" and any("甲烷监测规程" in row[1] for row in listed["data"])
    uploaded = next(d for d in app.services.knowledge.ingestor.documents() if "甲烷" in d.meta.title)
    assert Path(uploaded.meta.source_path).parent == app.settings.data_path("uploads").resolve()
    listed, _, _ = admin.predict(uploaded.meta.doc_id, api_name="/remove_document")
    assert all(row[0] != uploaded.meta.doc_id for row in listed["data"])
    assert not Path(uploaded.meta.source_path).exists()
    actions = [a["action"] for a in app.services.records.audit_trail(actor="zhang")]
    assert "document.added" in actions and "document.removed" in actions


def test_refuses_to_build_without_login_off_localhost(tmp_path: Path) -> None:
    settings = load_settings(env={"ASSISTANT_DATA_DIR": str(tmp_path), "ASSISTANT__UI__HOST": "0.0.0.0"})
    services = build_services(settings)
    try:
        with pytest.raises(SettingsError, match="users_file"):
            build_app(services)
    finally:
        services.close()


@pytest.mark.slow
def test_app_py_refuses_to_start_without_login_off_localhost(tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path), "ASSISTANT_HOST": "0.0.0.0", "ASSISTANT_USERS_FILE": ""}
    done = subprocess.run(
        [sys.executable, "app.py"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "无法启动" in done.stderr and "users_file" in done.stderr and "Traceback" not in done.stderr
