"""Board and incident workspace with tasks: the top 50 with task counts joined, against the board without them.

A store of 20,000 open incidents (each alert its own incident, the board's worst case) gets 1,000 open
tasks on the 50 incidents the board shows first (20 each, issued through the real task store from a
20-action draft, some acknowledged so their deadlines differ) and a history of 4,000 done tasks on
other incidents. Measured, taking turns so machine load hits both alike:
- the board top 50 with each incident's tasks counted (done/total, overdue now, next deadline);
- baseline: the same top 50 read the way the board read it before tasks (same query, same rows);
- the workspace's reads for one incident: its task list and its board line with counts.

Run alone with ``python -m benchmarks.bench_board_tasks`` or through ``python -m benchmarks board_tasks``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.alerts.board import board_query, entry_from_row
from assistant.alerts.store import AlertStore
from assistant.domain import Action, Loop, PlanDraft, Stage, StageResult
from assistant.tasks import Clock, TaskStore
from benchmarks.bench_alerts import distinct_incidents
from benchmarks.machine import wait_for_quiet
from benchmarks.report import BenchResult, Check

INCIDENTS = 20_000
OPEN_TASKS = 1_000
DONE_TASKS = 4_000
PER_INCIDENT = 20
SAMPLES = 300
TARGET_P95_MS = 50.0
LIMITS = ("接警后立即", "接报后30分钟内到场", "2小时内", "处置结束后", "24小时内")


def twenty_actions(incident_id: str) -> PlanDraft:
    """A draft for the incident whose response stage holds PER_INCIDENT actions with mixed time limits."""
    actions = tuple(
        Action(f"第{n}项处置措施：核实、到场、关阀、疏散", "燃气企业抢修人员", LIMITS[n % len(LIMITS)], Loop.SMALL, ())
        for n in range(PER_INCIDENT)
    )
    return PlanDraft(
        draft_id=f"bench-{incident_id}",
        title="燃气泄漏处置方案",
        lang="zh",
        alert_id=None,
        incident_id=incident_id,
        engine="offline-drafter",
        prompt_version="bench",
        created=datetime.now(UTC),
        summary="",
        proposed_level=None,
        level_basis="",
        stages=(StageResult(Stage.RESPONSE, "", actions),),
        citations=(),
    )


def fill(store: AlertStore, tasks: TaskStore, open_tasks: int, done_tasks: int) -> list[str]:
    """Open tasks on the board's top incidents, done ones further down; returns the top incident ids."""
    top = [e.incident.incident_id for e in store.board(limit=open_tasks // PER_INCIDENT)]
    for incident_id in top:
        issued, _ = tasks.issue(twenty_actions(incident_id), 1, "bench")
        for task in issued[::3]:
            tasks.acknowledge(task.task_id, "bench")
    history = [e.incident.incident_id for e in store.board(limit=500)][len(top) :]
    for incident_id in history[: done_tasks // PER_INCIDENT]:
        for task in tasks.issue(twenty_actions(incident_id), 1, "bench")[0]:
            tasks.done(task.task_id, "bench")
    return top


def without_tasks(store: AlertStore) -> list[Any]:
    """The board as it was read before tasks: the ranked query and its rows, nothing joined."""
    sql, params = board_query(limit=50)
    with store.read() as db:
        rows = db.execute(sql, params).fetchall()
    return [entry_from_row(r) for r in rows]


def take_turns(calls: dict[str, Callable[[], object]], samples: int) -> dict[str, list[float]]:
    """Milliseconds per call; the calls alternate so a burst of load hits each alike."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(samples):
        for name, call in calls.items():
            began = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - began) * 1000)
    return times


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[round(q * (len(ordered) - 1))]


def run(quick: bool = False) -> BenchResult:
    incidents, open_tasks, done_tasks = (2_000, 200, 400) if quick else (INCIDENTS, OPEN_TASKS, DONE_TASKS)
    samples = 60 if quick else SAMPLES
    with tempfile.TemporaryDirectory(prefix="bench-board-tasks-") as tmp:
        store = AlertStore(Path(tmp) / "alerts.db")
        clock = Clock()
        tasks = TaskStore(store, clock)
        distinct_incidents(incidents, store)
        top = fill(store, tasks, open_tasks, done_tasks)
        now = clock.now()
        shown = store.board(limit=50, now=now)
        open_now = sum(e.tasks.open for e in shown if e.tasks)
        overdue_now = sum(e.tasks.overdue for e in shown if e.tasks)
        busy = 0.0 if quick else wait_for_quiet()
        times = take_turns(
            {
                "board top-50, tasks joined": lambda: store.board(limit=50, now=now),
                "baseline: board top-50 without tasks": lambda: without_tasks(store),
                "workspace: one incident's task list": lambda: tasks.of_incident(top[0]),
                "workspace: one incident's board line with counts": lambda: store.board_entry(top[0], now=now),
            },
            samples,
        )
        store.close()
    baseline = statistics.median(times["baseline: board top-50 without tasks"])
    rows = [
        {
            "measure": name,
            "p50 ms": round(statistics.median(ms), 3),
            "p95 ms": round(_p(ms, 0.95), 3),
            "p50 vs baseline": round(statistics.median(ms) / baseline, 2),
        }
        for name, ms in times.items()
    ]
    joined, bare = times["board top-50, tasks joined"], times["baseline: board top-50 without tasks"]
    checks = [
        Check(
            f"board top-50 p95 ms with {open_now:,} open tasks joined", _p(joined, 0.95), TARGET_P95_MS, at_most=True
        ),
        Check(
            "workspace task list p95 ms", _p(times["workspace: one incident's task list"], 0.95), TARGET_P95_MS, True
        ),
    ]
    notes = [
        f"{incidents:,} open incidents; {open_now:,} open tasks on the 50 shown ({overdue_now} overdue at once: "
        f"立即 tasks not yet acknowledged), {done_tasks:,} done tasks on other incidents",
        f"ratio p95 joined / without: {_p(joined, 0.95) / _p(bare, 0.95):.2f}; p50: "
        f"{statistics.median(joined) / statistics.median(bare):.2f}",
        f"{samples} samples each, taken in turns; other processes used {busy:.0%} of the CPU just before",
    ]
    return BenchResult("board_tasks", "Board and workspace with 1,000 open tasks", rows, checks, notes)


if __name__ == "__main__":
    result = run()
    print(result.markdown())
