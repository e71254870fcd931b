"""Alert replay throughput and board latency with 100k alerts stored.

Replay: 100,000 simulated sensor readings (JSONL lines, as ``assistant alerts replay``
reads them) are parsed, normalised, grouped into incidents and stored in batched
transactions. Baselines measured in the same run on the same lines: bare ``json.loads``
and a bare SQLite insert of the raw lines (one table, one transaction) — the floor any
store must pay. Board: the top 50 open incidents, unfiltered and filtered, on that store
and on a worst-case store where each of 100,000 alerts is its own incident.

Run alone with ``python -m benchmarks.bench_alerts`` or through ``python -m benchmarks alerts``.
"""

from __future__ import annotations

import json
import math
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from assistant.alerts.intake import json_line_to_alert
from assistant.alerts.sensor_json import reading_to_alert
from assistant.alerts.simulator import DISTRICTS, simulate
from assistant.alerts.store import AlertStore
from assistant.domain import IncidentStatus
from benchmarks.report import BenchResult, Check, write

READINGS = 100_000
TARGET_RATE = 5_000.0  # readings per second, parse to stored incident
TARGET_BOARD_MS = 50.0  # top-50 latency with 100k alerts stored
BOARD_REPEATS = 30
FILTERS: dict[str, dict[str, Any]] = {
    "no filter": {},
    "hazard=燃气": {"hazard": "燃气"},
    "colour=red": {"colour": "red"},
    "district=老城区": {"district": "老城区"},
    "status=acknowledged": {"status": "acknowledged"},
    "hazard=地震 (matches nothing)": {"hazard": "地震"},
    "district=无此区 (matches nothing)": {"district": "无此区"},
}


def simulated_lines(count: int, seed: int = 1) -> list[str]:
    """``count`` sensor readings from the simulator (enough points to fill ~12 simulated hours)."""
    lines: list[str] = []
    for record in simulate(720, seed=seed, scale=math.ceil(count / 13_000)):
        if "point_id" in record:
            lines.append(json.dumps(record, ensure_ascii=False))
            if len(lines) == count:
                return lines
    raise RuntimeError(f"the simulator produced only {len(lines)} readings")


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def json_baseline(lines: list[str]) -> float:
    began = time.perf_counter()
    for line in lines:
        json.loads(line)
    return _rate(len(lines), time.perf_counter() - began)


def sqlite_baseline(lines: list[str], folder: Path) -> float:
    db = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE raw (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    began = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("INSERT INTO raw (body) VALUES (?)", ((line,) for line in lines))
    db.execute("COMMIT")
    seconds = time.perf_counter() - began
    db.close()
    return _rate(len(lines), seconds)


def replay(lines: list[str], store: AlertStore) -> tuple[float, float, float]:
    """(readings/s end to end, parse+normalise seconds, group+store seconds)."""
    began = time.perf_counter()
    alerts = [json_line_to_alert(line) for line in lines]
    parsed = time.perf_counter()
    store.ingest_many(alerts)
    stored = time.perf_counter()
    return _rate(len(lines), stored - began), parsed - began, stored - parsed


def distinct_incidents(count: int, store: AlertStore, seed: int = 2) -> None:
    """Worst case for the board: every alert opens its own incident."""
    rng = random.Random(seed)
    start = datetime(2025, 7, 1, 8, 0, tzinfo=timezone(timedelta(hours=8)))
    kinds = [("combustible_gas", "%LEL", 20, 80), ("h2s", "ppm", 8, 120), ("co", "ppm", 18, 60)]
    alerts = []
    for n in range(count):
        sensor, unit, low, high = rng.choice(kinds)
        alerts.append(
            reading_to_alert(
                {
                    "point_id": f"W-{n:06d}",
                    "sensor_type": sensor,
                    "value": round(rng.uniform(low, high), 2),
                    "unit": unit,
                    "time": (start + timedelta(seconds=n)).isoformat(),
                    "location": {
                        "lat": 31.23 + rng.uniform(-0.05, 0.05),
                        "lon": 121.47 + rng.uniform(-0.05, 0.05),
                        "district": rng.choice(DISTRICTS),
                    },
                }
            )
        )
    store.ingest_many(alerts)


def _timed(call: Callable[[], object]) -> tuple[float, float]:
    """(p50 ms, p95 ms) over repeated calls."""
    samples = []
    for _ in range(BOARD_REPEATS):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[round(0.95 * (len(samples) - 1))]


def board_latency(store: AlertStore, filters: dict[str, Any]) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, rows) of the ranked, filtered top 50."""
    rows = len(store.board(limit=50, **filters))
    p50, p95 = _timed(lambda: store.board(limit=50, **filters))
    return p50, p95, rows


def bare_read(path: Path) -> float:
    """Baseline: p50 ms of reading any 50 incident rows, unranked, on the same file."""
    db = sqlite3.connect(path)
    p50, _ = _timed(lambda: db.execute("SELECT * FROM incidents LIMIT 50").fetchall())
    db.close()
    return p50


def _acknowledge_some(store: AlertStore, every: int) -> None:
    for entry in store.board(limit=500)[::every]:
        store.transition(entry.incident.incident_id, IncidentStatus.ACKNOWLEDGED, "bench")


def run(quick: bool = False) -> BenchResult:
    count = READINGS // 10 if quick else READINGS
    rows: list[dict[str, Any]] = []
    checks: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="bench-alerts-") as tmp:
        folder = Path(tmp)
        lines = simulated_lines(count)
        json_rate = json_baseline(lines)
        sqlite_rate = sqlite_baseline(lines, folder)
        with AlertStore(folder / "replay.db") as store:
            rate, parse_s, store_s = replay(lines, store)
            counts = store.counts()
            _acknowledge_some(store, every=3)
            rows.append(_row("baseline: json.loads", json_rate, "readings/s", json_rate, sqlite_rate))
            rows.append(_row("baseline: bare SQLite insert", sqlite_rate, "readings/s", json_rate, sqlite_rate))
            rows.append(_row("replay: parse+normalise+group+store", rate, "readings/s", json_rate, sqlite_rate))
            rows.append(_row("  of which parse+normalise", count / parse_s, "readings/s", json_rate, sqlite_rate))
            rows.append(_row("  of which group+store", count / store_s, "readings/s", json_rate, sqlite_rate))
            checks.append(Check(f"replay of {count:,} readings (readings/s)", rate, TARGET_RATE))
            scenario = f"{counts['alerts']:,} alerts in {counts['incidents']} incidents"
            rows += _board_rows(store, scenario, checks)
        with AlertStore(folder / "distinct.db") as worst:
            distinct_incidents(count, worst)
            _acknowledge_some(worst, every=2)
            rows += _board_rows(worst, f"{count:,} alerts, each its own incident", checks)
    notes = [
        f"{count:,} readings grouped into {counts['incidents']} incidents ({counts['alerts']:,} alerts stored)",
        "ratios: replay rate / baseline rate, measured in the same run on the same lines",
    ]
    return BenchResult("alerts", "Live alerts: replay throughput and board latency", rows, checks, notes)


def _row(measure: str, value: float, unit: str, json_rate: float, sqlite_rate: float) -> dict[str, Any]:
    return {
        "measure": measure,
        "value": round(value, 1),
        "unit": unit,
        "vs json.loads": round(value / json_rate, 3),
        "vs bare insert": round(value / sqlite_rate, 3),
    }


def _board_rows(store: AlertStore, scenario: str, checks: list[Check]) -> list[dict[str, Any]]:
    baseline = bare_read(store.path)
    rows = [{"measure": f"baseline: 50 rows unranked, {scenario}", "value": round(baseline, 3), "unit": "ms p50"}]
    for label, filters in FILTERS.items():
        p50, p95, found = board_latency(store, filters)
        rows.append(
            {
                "measure": f"board top-50, {scenario}, {label}",
                "value": round(p95, 3),
                "unit": f"ms p95 (p50 {p50:.3f}, {found} rows, p50 {p50 / baseline:.1f}× baseline)",
            }
        )
        checks.append(Check(f"board p95 ms, {scenario}, {label}", p95, TARGET_BOARD_MS, at_most=True))
    return [{**row, "vs json.loads": "", "vs bare insert": ""} for row in rows]


if __name__ == "__main__":
    result = run(quick="--quick" in sys.argv)
    folder = Path(__file__).resolve().parent / "results"
    write(result, folder / "quick" if "--quick" in sys.argv else folder)
    print(result.markdown())
    raise SystemExit(0 if result.passed else 1)
