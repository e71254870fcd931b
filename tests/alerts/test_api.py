"""POST /api/alerts and GET /api/incidents on a real HTTP server (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from assistant.alerts.api import build_alerts_router
from assistant.alerts.store import AlertStore
from assistant.settings import AlertSettings

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@contextmanager
def serve(store: AlertStore, settings: AlertSettings) -> Iterator[str]:
    app = FastAPI()
    app.include_router(build_alerts_router(store, settings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def base_url(store: AlertStore) -> Iterator[str]:
    with serve(store, AlertSettings(api_token=TOKEN, max_post_kb=64)) as url:
        yield url


def test_posting_cap_returns_alert_and_incident_ids(base_url: str, store: AlertStore, fixtures: Path) -> None:
    body = (fixtures / "cn_rainstorm.cap").read_bytes()
    headers = {**AUTH, "Content-Type": "application/cap+xml"}
    first = httpx.post(f"{base_url}/api/alerts", content=body, headers=headers)
    assert first.status_code == 200, first.text
    data = first.json()
    assert data["new"] == 1 and len(data["alert_ids"]) == 1 and len(data["incident_ids"]) == 1
    again = httpx.post(f"{base_url}/api/alerts", content=body, headers=headers).json()
    assert again["duplicates"] == 1 and again["incident_ids"] == data["incident_ids"]
    assert store.alert(data["alert_ids"][0]).headline == "示例市气象台发布暴雨橙色预警信号"


def test_posting_sensor_json_and_reading_the_board(base_url: str, fixtures: Path) -> None:
    readings = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((fixtures / "sensors").glob("*.json"))]
    response = httpx.post(f"{base_url}/api/alerts", json=readings, headers=AUTH)
    assert response.status_code == 200 and response.json()["new"] == len(readings)
    board = httpx.get(f"{base_url}/api/incidents", headers=AUTH).json()["incidents"]
    assert len(board) == len(readings)
    assert [i["colour"] for i in board][:4] == ["orange"] * 4
    gas = httpx.get(f"{base_url}/api/incidents", params={"hazard": "燃气", "colour": "yellow"}, headers=AUTH).json()
    assert {i["title"].split(" ")[0] for i in gas["incidents"]} == {
        "幸福里小区3号楼地下室（示例）",
        "菜市街饭店后厨（示例）",
    }
    assert gas["incidents"][0]["near_site"] == "测试小学"
    bad = httpx.get(f"{base_url}/api/incidents", params={"colour": "purple"}, headers=AUTH)
    assert bad.status_code == 400 and "invalid colour 'purple'" in bad.json()["detail"]


def test_unparseable_payload_gets_400_with_the_reason(base_url: str, store: AlertStore, fixtures: Path) -> None:
    response = httpx.post(f"{base_url}/api/alerts", content=(fixtures / "malformed.cap").read_bytes(), headers=AUTH)
    assert response.status_code == 400
    assert "malformed XML at line 9" in response.json()["detail"]
    refused = httpx.post(f"{base_url}/api/alerts", content=b'{"point_id": "X", "sensor_type": "h2s"}', headers=AUTH)
    assert refused.status_code == 400 and "value is missing" in refused.json()["detail"]
    xxe = (fixtures.parent / "fixtures" / "xinclude.cap").read_bytes()
    assert httpx.post(f"{base_url}/api/alerts", content=xxe, headers=AUTH).status_code == 400
    assert store.counts()["alerts"] == 0 and store.counts()["rejections"] == 3


def test_size_limit(base_url: str) -> None:
    big = b"<" + b"x" * (65 * 1024)
    declared = httpx.post(f"{base_url}/api/alerts", content=big, headers=AUTH)
    assert declared.status_code == 413 and "64 KB" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is enforced while reading
        for _ in range(70):
            yield b"x" * 1024

    streamed = httpx.post(f"{base_url}/api/alerts", content=chunks(), headers=AUTH)
    assert streamed.status_code == 413


def test_tokens(base_url: str, fixtures: Path) -> None:
    body = (fixtures / "cn_rainstorm.cap").read_bytes()
    missing = httpx.post(f"{base_url}/api/alerts", content=body)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    wrong = httpx.post(f"{base_url}/api/alerts", content=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert httpx.get(f"{base_url}/api/incidents").status_code == 401


def test_an_empty_token_setting_refuses_everything(store: AlertStore, fixtures: Path) -> None:
    with serve(store, AlertSettings(api_token="")) as url:
        response = httpx.post(f"{url}/api/alerts", content=(fixtures / "cn_rainstorm.cap").read_bytes(), headers=AUTH)
        assert response.status_code == 403 and "alerts.api_token" in response.json()["detail"]
        assert httpx.get(f"{url}/api/incidents", headers=AUTH).status_code == 403
    assert store.counts()["alerts"] == 0
