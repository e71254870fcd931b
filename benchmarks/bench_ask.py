"""Offline chat answers (lead clause, meaning, coverage) against retrieval alone, over the shipped library.

Every ask golden's question is asked once on a fresh install ("cold": its query and clause
vectors are embedded now) and once more ("warm": they come from the caches). Retrieval
alone is measured on a second, separate install so neither side finds the other's cached
query vectors. The target is absolute (cold p95 ≤ 0.5 s); the ratios show what answering
costs on top of the search it needs.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from assistant.evaluation.goldens import load_goldens
from assistant.services import Services, build_services, ensure_shipped_knowledge
from assistant.settings import PROJECT_ROOT, load_settings
from benchmarks.report import BenchResult, Check

GOLDENS = PROJECT_ROOT / "evals" / "goldens"
TARGET_P95_S = 0.5


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _install(data_dir: str) -> Services:
    settings = load_settings(env={"ASSISTANT_DATA_DIR": data_dir, "ASSISTANT__LLM__BASE_URL": ""})
    services = build_services(settings)
    ensure_shipped_knowledge(services, background=False)
    return services


def questions(limit: int | None = None) -> list[tuple[str, str]]:
    """(question, lang) of the ask goldens, in file order."""
    found = [(g.question, g.lang) for g in load_goldens(sorted(GOLDENS.glob("ask*.jsonl"))) if g.task == "ask"]
    return found[:limit] if limit else found


def run(quick: bool = False) -> BenchResult:
    asked = questions(20 if quick else None)
    with tempfile.TemporaryDirectory() as chat_dir, tempfile.TemporaryDirectory() as search_dir:
        started = time.perf_counter()
        chat, search = _install(chat_dir), _install(search_dir)
        install_s = time.perf_counter() - started
        try:
            # One warm-up each (model load, tokenizer dictionary), outside the measurements.
            chat.chat.ask("燃气泄漏 应急处置")
            search.knowledge.retriever.search("燃气泄漏 应急处置")
            retrieval, cold, warm = [], [], []
            for question, lang in asked:
                t0 = time.perf_counter()
                search.knowledge.retriever.search(question)
                retrieval.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                chat.chat.ask(question, lang=lang)
                cold.append(time.perf_counter() - t0)
            for question, lang in asked:
                t0 = time.perf_counter()
                chat.chat.ask(question, lang=lang)
                warm.append(time.perf_counter() - t0)
        finally:
            chat.close()
            search.close()
    base = statistics.median(retrieval)
    rows = [
        {"what": "retrieval alone (baseline)", "p50 s": base, "p95 s": _p95(retrieval), "p50 ratio": 1.0},
        {"what": "ask, first time (cold caches)", "p50 s": statistics.median(cold), "p95 s": _p95(cold)},
        {"what": "ask, again (warm caches)", "p50 s": statistics.median(warm), "p95 s": _p95(warm)},
    ]
    rows[1]["p50 ratio"] = statistics.median(cold) / base
    rows[2]["p50 ratio"] = statistics.median(warm) / base
    return BenchResult(
        name="ask",
        title="Offline chat answer (answer-first, cross-lingual, coverage) vs retrieval alone",
        rows=rows,
        checks=[
            Check("ask p95, cold (s)", _p95(cold), TARGET_P95_S, at_most=True),
            Check("ask p95, warm (s)", _p95(warm), TARGET_P95_S, at_most=True),
        ],
        notes=[
            f"{len(asked)} questions (evals/goldens/ask*.jsonl), zh and en; two fresh installs took {install_s:.1f} s",
            f"p95 ratio to retrieval alone: cold {_p95(cold) / _p95(retrieval):.1f}×, warm {_p95(warm) / _p95(retrieval):.1f}×",
            "an answer runs two searches (as asked, and the glossary translation by keyword) and embeds at most "
            "4 clauses; cold = those vectors not yet cached",
            f"goldens folder: {Path(GOLDENS).relative_to(PROJECT_ROOT)}",
        ],
    )


if __name__ == "__main__":
    print(run().markdown())
