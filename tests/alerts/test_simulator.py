"""The simulator produces realistic, parseable, reproducible streams."""

from __future__ import annotations

import json
from collections import Counter

from assistant.alerts.intake import json_line_to_alert
from assistant.alerts.simulator import simulate
from assistant.alerts.store import AlertStore
from assistant.domain import Colour


def test_streams_are_reproducible_and_cover_every_kind() -> None:
    first = list(simulate(240, seed=11))
    assert first == list(simulate(240, seed=11))
    assert first != list(simulate(240, seed=12))
    kinds = Counter(r.get("sensor_type", "signal") for r in first)
    assert set(kinds) == {
        "combustible_gas",
        "h2s",
        "displacement",
        "water_level",
        "rainfall",
        "crowd_density",
        "signal",
    }
    assert kinds["combustible_gas"] == 8 * 240 and kinds["displacement"] == 4 * 48  # 1-minute and 5-minute points
    times = [r.get("time") or r["pubTime"] for r in first]
    assert times == sorted(times)


def test_a_replayed_stream_becomes_a_few_incidents_with_repeats_and_trends(store: AlertStore) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in simulate(240, seed=11, scale=2)]
    alerts = [json_line_to_alert(line) for line in lines]
    outcomes = store.ingest_many(alerts)
    assert len(outcomes) == len(lines)
    board = store.board(limit=500)
    assert 0 < len(board) < len(lines) / 50  # grouped, never an endless list
    assert max(e.incident.count for e in board) > 20
    assert {e.incident.trend for e in board} >= {"rising", "falling"}
    assert any(e.incident.colour is Colour.GREEN for e in board)  # some events cleared
    signal = [e for e in store.board(limit=500, status=None) if e.incident.hazard == "暴雨内涝" and e.unit is None]
    closed = store.board(limit=500, status="closed")
    assert signal or closed  # the rainstorm signal is on the board, or was lifted and closed
    hazards = {e.incident.hazard for e in board}
    assert {"燃气", "有限空间"} <= hazards
