"""The feed poller against a stdlib HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.alerts.poller import FeedPoller
from assistant.alerts.store import AlertStore


class _Feeds:
    def __init__(self, fixtures: Path) -> None:
        self.files = {
            "/feed.atom": (fixtures / "feed.atom").read_bytes(),
            "/cap/rain.cap": (fixtures / "cn_rainstorm.cap").read_bytes(),
            "/broken.atom": (fixtures / "malformed.atom").read_bytes(),
        }
        self.hits: list[str] = []


@pytest.fixture
def feeds(fixtures: Path) -> Iterator[tuple[str, _Feeds]]:
    state = _Feeds(fixtures)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits.append(self.path)
            body = state.files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/atom+xml")
            self.end_headers()
            self.wfile.write(body or b"not found")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()


def test_poll_once_stores_embedded_and_linked_cap(feeds: tuple[str, _Feeds], store: AlertStore) -> None:
    url, state = feeds
    poller = FeedPoller(store, [f"{url}/feed.atom", f"{url}/missing.atom", f"{url}/broken.atom"], interval_s=60)
    good, missing, broken = poller.poll_once()
    assert (good.entries, good.new, good.errors) == (2, 2, [])
    assert "HTTP 404" in missing.errors[0] and "malformed XML" in broken.errors[0]
    headlines = sorted(e.incident.title for e in store.board())
    assert headlines == ["示例市气象台发布大风蓝色预警信号", "示例市气象台发布暴雨橙色预警信号"]
    rain = next(e for e in store.board() if "暴雨" in e.incident.title)
    assert store.alert(rain.incident.latest_alert_id).source_format == "cap"  # the linked CAP, not the index entry
    assert store.counts()["rejections"] == 2
    # a second poll stores nothing twice and does not fetch the linked CAP again
    again = poller.poll_once()[0]
    assert (again.new, again.duplicates) == (0, 1)
    assert state.hits.count("/cap/rain.cap") == 1
    assert store.counts()["alerts"] == 2


def test_the_thread_polls_until_stopped(feeds: tuple[str, _Feeds], store: AlertStore) -> None:
    url, state = feeds
    poller = FeedPoller(store, [f"{url}/feed.atom"], interval_s=0.05)
    poller.start()
    deadline = time.monotonic() + 5
    while state.hits.count("/feed.atom") < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    poller.stop()
    polls = state.hits.count("/feed.atom")
    assert polls >= 3
    time.sleep(0.2)
    assert state.hits.count("/feed.atom") == polls  # stopped means stopped
    assert store.counts()["alerts"] == 2


def test_only_http_urls_are_polled(store: AlertStore, tmp_path: Path) -> None:
    secret = tmp_path / "local.atom"
    secret.write_text("<feed/>", encoding="utf-8")
    (report,) = FeedPoller(store, [secret.as_uri()], interval_s=60).poll_once()
    assert "only http and https" in report.errors[0]
