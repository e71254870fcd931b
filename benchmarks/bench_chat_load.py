"""Twenty officers chatting at once against the running app, versus one officer alone.

The real app (`app.py`: Gradio workspace and alert API on one server, offline drafter,
the shipped library indexed from its seed cache) runs in its own process on 127.0.0.1.
Every simulated officer has its own HTTP connection and asks through Gradio's documented
HTTP API for the chat endpoint the browser uses, so the queue, the event stream,
retrieval and the SQLite chat records are all in the measured path. (gradio_client
spends ~120 ms of CPU per call itself: twenty of them would measure the client.)

Baseline: one session asking its questions one after another, measured before and
after the load in the same run. Targets: every question under load is answered; the
answer rate with twenty sessions stays at least 80 % of one session's (the queue and the
shared stores do not collapse under contention); and the p95 under load stays within
1.5 times what serving the twenty one after another would give (ratio to the baseline
p95 ≤ 1.5 × the number of sessions: nobody is starved while others are served). On 2 cores the work is CPU-bound (≈46 ms of server CPU per answer, most of it
the query embedding), so a ratio far below the session count is not to be had here.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from assistant.settings import PROJECT_ROOT, load_settings
from benchmarks.report import BenchResult, Check

SESSIONS = 20
CHAT_CALL = "gradio_api/call/chat"
QUESTIONS_FILE = PROJECT_ROOT / "evals" / "goldens" / "search_knowledge.jsonl"
# app.py loads the tokenizer and query embedder in the background (≈3 s); an officer's first
# question comes later than the first HTTP 200, so the run lets that finish first.
WARM_UP_WAIT_S = 5


def _questions() -> list[str]:
    """Distinct officer questions (Chinese first), so no session profits from another's query cache."""
    cases = [json.loads(line) for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    ordered = sorted(cases, key=lambda c: c.get("lang") != "zh")
    return list(dict.fromkeys(c["question"] for c in ordered))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serve(data_dir: str) -> Iterator[tuple[str, str, int]]:
    """`app.py` in its own process, as `make run` starts it; yields (url, index status, ui.concurrency).

    The library is indexed first (`assistant kb stats`), so the app starts with every
    vector ready and the load meets the index officers get after the first start.
    """
    port = _free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": data_dir, "ASSISTANT__UI__PORT": str(port)}
    indexed = subprocess.run(
        [sys.executable, "-m", "assistant", "kb", "stats"], env=env, capture_output=True, text=True, check=True
    )
    status = " ".join(indexed.stdout.split())[:200]
    app = subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "app.py")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            if app.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"app.py did not start: {app.stderr.read().decode()[-2000:] if app.stderr else ''}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url, status, load_settings(env=env).ui.concurrency
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()


async def _ask(client: httpx.AsyncClient, question: str) -> tuple[float, bool]:
    """One question through Gradio's documented HTTP API (POST /call/chat, then its event stream)."""
    started = time.perf_counter()
    posted = await client.post(CHAT_CALL, json={"data": [question, [], True]})
    posted.raise_for_status()
    event, outputs = "", None
    async with client.stream("GET", f"{CHAT_CALL}/{posted.json()['event_id']}") as stream:
        async for line in stream.aiter_lines():
            if line.startswith("event:"):
                event = line.removeprefix("event:").strip()
            elif line.startswith("data:") and event == "complete":
                outputs = json.loads(line.removeprefix("data:"))
    elapsed = time.perf_counter() - started
    if not outputs:
        return elapsed, False
    history, _, sources = outputs
    return elapsed, bool(history and history[-1]["content"]) and "<details" in str(sources)


async def _session(url: str, questions: list[str]) -> list[tuple[float, bool]]:
    """One officer: their own connection, questions asked one after another."""
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        return [await _ask(client, question) for question in questions]


async def _sessions(url: str, loads: list[list[str]]) -> list[list[tuple[float, bool]]]:
    return list(await asyncio.gather(*(_session(url, questions) for questions in loads)))


def run(quick: bool = False) -> BenchResult:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    per_session = 2 if quick else 3
    baseline_n = 5 if quick else 10
    pool = _questions()
    needed = 2 * baseline_n + SESSIONS * per_session
    if len(pool) < needed:
        raise RuntimeError(f"{QUESTIONS_FILE} has {len(pool)} distinct questions, the run needs {needed}")
    before, after = pool[:baseline_n], pool[baseline_n : 2 * baseline_n]
    loads = [pool[2 * baseline_n + i * per_session : 2 * baseline_n + (i + 1) * per_session] for i in range(SESSIONS)]
    with tempfile.TemporaryDirectory() as data_dir, _serve(data_dir) as (url, status, concurrency):
        time.sleep(WARM_UP_WAIT_S)
        first = asyncio.run(_session(url, [pool[-1]]))[0][0]
        alone = asyncio.run(_session(url, before))
        started = time.perf_counter()
        sessions = asyncio.run(_sessions(url, loads))
        wall = time.perf_counter() - started
        alone += asyncio.run(_session(url, after))
    single = [s for s, _ in alone]
    loaded = [s for session in sessions for s, _ in session]
    answered = sum(ok for session in sessions for _, ok in session)
    ratio = _p95(loaded) / _p95(single)
    rate_alone = len(single) / sum(single)
    rate_loaded = len(loaded) / wall
    rows = [
        {
            "what": "1 session alone (baseline)",
            "questions": len(single),
            "p50 s": statistics.median(single),
            "p95 s": _p95(single),
        },
        {
            "what": f"{SESSIONS} sessions at once",
            "questions": len(loaded),
            "p50 s": statistics.median(loaded),
            "p95 s": _p95(loaded),
        },
    ]
    return BenchResult(
        name="chat_load",
        title=f"{SESSIONS} concurrent chat sessions against the running app (offline drafter) vs one session",
        rows=rows,
        checks=[
            Check("share of questions answered under load", answered / len(loaded), 1.0),
            Check("answers/s under load / answers/s alone", rate_loaded / rate_alone, 0.8),
            Check(
                f"p95 under load / p95 alone (served one after another ≈ {SESSIONS})",
                ratio,
                1.5 * SESSIONS,
                at_most=True,
            ),
        ],
        notes=[
            f"{SESSIONS} sessions (each its own HTTP connection) × {per_session} questions each, {wall:.1f} s wall clock "
            f"({rate_loaded:.1f} answers/s; one session alone {rate_alone:.1f} answers/s); "
            f"baseline {baseline_n} questions before and {baseline_n} after",
            f"first question, {WARM_UP_WAIT_S} s after the start: {first:.2f} s (not in the figures above)",
            f"ui.concurrency = {concurrency}; retrieval hybrid; index: {status}",
        ],
    )


if __name__ == "__main__":
    print(run().markdown())
