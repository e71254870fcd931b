"""``assistant alerts ...`` sub-commands, run against a settings file and data dir in tmp."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.cli import commands, main
from assistant.errors import AssistantError

FIXTURES = Path(__file__).parent / "fixtures"


def run(settings: Path, *argv: str) -> int:
    """``assistant --settings FILE alerts ...`` through the real entry point (errors raise under tests)."""
    return main(["--settings", str(settings), "alerts", *argv])


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(
        f"data_dir: {tmp_path / 'data'}\nalerts:\n  assets_file: {FIXTURES / 'assets.yaml'}\n", encoding="utf-8"
    )
    return path


def test_the_alerts_group_is_registered() -> None:
    assert "alerts" in commands.GROUPS


def test_ingest_reports_each_file(settings: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(settings, "ingest", str(FIXTURES / "cn_rainstorm.cap"), str(FIXTURES / "malformed.cap"))
    out, err = capsys.readouterr()
    assert code == 1
    assert "cn_rainstorm.cap: 1 条新告警 / new, 0 条重复 / duplicate, 事件 / incidents: inc-" in out
    assert "malformed.cap: XML 格式错误" in err
    assert run(settings, "ingest", str(FIXTURES / "cn_rainstorm.cap")) == 0
    assert "0 条新告警 / new, 1 条重复" in capsys.readouterr().out


def test_simulate_replay_board_and_status(settings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stream = tmp_path / "sim.jsonl"
    assert run(settings, "simulate", "--minutes", "45", "--seed", "7", "--out", str(stream)) == 0
    again = tmp_path / "again.jsonl"
    run(settings, "simulate", "--minutes", "45", "--seed", "7", "--out", str(again))
    assert stream.read_bytes() == again.read_bytes()  # same seed, same stream
    capsys.readouterr()
    assert run(settings, "replay", str(stream), "--speed", "max") == 0
    assert "incidents" in capsys.readouterr().out
    run(settings, "board", "--json")
    board = json.loads(capsys.readouterr().out)
    assert board and all(i["status"] == "new" for i in board)
    ranks = [["red", "orange", "yellow", "blue", "green", None].index(i["colour"]) for i in board]
    assert ranks == sorted(ranks)
    incident = board[0]["incident_id"]
    assert run(settings, "assign", incident, "--to", "值班员李四", "--by", "带班领导赵六") == 0
    for action in ("ack", "handle", "close"):
        assert run(settings, action, incident, "--by", "值班员王五", "--note", f"{action} note") == 0
    capsys.readouterr()
    run(settings, "show", incident)
    shown = capsys.readouterr().out
    assert "带班领导赵六: assigned 值班员李四" in shown
    assert "值班员王五: acknowledged new→acknowledged ack note" in shown
    assert "值班员王五: closed handling→closed close note" in shown
    run(settings, "board", "--status", "closed")
    assert incident in capsys.readouterr().out
    with pytest.raises(AssistantError, match="cannot become acknowledged"):
        run(settings, "ack", incident, "--by", "值班员王五")


def test_replay_waits_in_scaled_time(settings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # readings.csv spans one minute; at 120x that is half a second
    began = time.perf_counter()
    assert run(settings, "replay", str(FIXTURES / "readings.csv"), "--speed", "120x") == 0
    assert time.perf_counter() - began >= 0.45
    assert "replayed 3 alerts (3 new)" in capsys.readouterr().out
    with pytest.raises(AssistantError, match="--speed"):
        run(settings, "replay", str(FIXTURES / "readings.csv"), "--speed", "fast")


def test_simulated_csv_replays(settings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "sim.csv"
    run(settings, "simulate", "--minutes", "10", "--seed", "2", "--out", str(csv_path))
    assert csv_path.read_text(encoding="utf-8").startswith("point_id,sensor_type,value,unit,time")
    assert run(settings, "replay", str(csv_path)) == 0
    assert "(0 new)" not in capsys.readouterr().out


def test_similar_assets_and_poll_without_feeds(settings: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(settings, "similar", "TB-1") == 0
    out = capsys.readouterr().out
    assert out.index("TB-2") < out.index("TB-3") and "同荷载等级" in out
    with pytest.raises(AssistantError, match="no asset"):
        run(settings, "similar", "XX-9")
    with pytest.raises(AssistantError, match=r"alerts\.feed_urls"):
        run(settings, "poll", "--once")


def test_poll_once_reads_the_configured_feeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {"/feed.atom": FIXTURES / "feed.atom", "/cap/rain.cap": FIXTURES / "cn_rainstorm.cap"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(files[self.path].read_bytes())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.atom"
        settings = tmp_path / "settings.yaml"
        settings.write_text(f"data_dir: {tmp_path / 'data'}\nalerts:\n  feed_urls: ['{url}']\n", encoding="utf-8")
        assert run(settings, "poll", "--once") == 0
    finally:
        server.shutdown()
        server.server_close()
    out = capsys.readouterr().out
    assert f"{url}: 2 条目 / entries, 2 new, 0 duplicate" in out  # the embedded CAP and the linked one
