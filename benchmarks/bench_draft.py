"""Drafting a six-stage plan (offline drafter, Word export) against retrieval alone.

The acceptance target is an absolute one (p95 ≤ 2 s with the shipped knowledge
indexed); the ratio to the retrieval the draft needs, measured in the same run, shows
how much of that time is drafting rather than search.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time

from assistant.alerts.intake import parse_file
from assistant.chain.evidence import gather_evidence
from assistant.chain.facts import facts_from_alert
from assistant.export.word import render_docx
from assistant.services import build_services, ensure_shipped_knowledge
from assistant.settings import PROJECT_ROOT, load_settings
from benchmarks.report import BenchResult, Check

# A sensor alarm, a provincial warning graded by its plan and an English CAP: the three paths an officer sees.
ALERTS = (
    PROJECT_ROOT / "examples" / "alerts" / "gas_alarm.json",
    PROJECT_ROOT / "evals" / "alerts" / "cap_rainstorm_red_beijing_zh.xml",
    PROJECT_ROOT / "evals" / "alerts" / "cap_rainstorm_orange_henan_en.xml",
)
TARGET_P95_S = 2.0
PREVIOUS = PROJECT_ROOT / "benchmarks" / "results" / "draft.json"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _previous_p95() -> tuple[float, float | None] | None:
    """The draft + Word p95 of the last recorded run and its machine load, for the note comparing with it."""
    if not PREVIOUS.exists():
        return None
    data = json.loads(PREVIOUS.read_text(encoding="utf-8"))
    row = next((r for r in data.get("rows", []) if r.get("what", "").startswith("draft + Word")), None)
    return (float(row["p95 s"]), data.get("environment", {}).get("load_average")) if row else None


def run(quick: bool = False) -> BenchResult:
    rounds = 3 if quick else 10
    alerts = [parse_file(path).alerts[0] for path in ALERTS]
    previous = _previous_p95()
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(env={"ASSISTANT_DATA_DIR": data_dir})
        services = build_services(settings)
        try:
            started = time.perf_counter()
            ensure_shipped_knowledge(services, background=False)
            index_s = time.perf_counter() - started
            status = services.knowledge.index.status().describe()
            spec = services.drafter.spec
            retrieval, drafting = [], []
            by_alert: dict[str, list[float]] = {path.name: [] for path in ALERTS}
            actions: dict[str, int] = {}
            for _ in range(rounds):
                for path, alert in zip(ALERTS, alerts, strict=True):
                    t0 = time.perf_counter()
                    gather_evidence(services.knowledge.retriever, facts_from_alert(alert), spec, services.drafter.k)
                    retrieval.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    outcome = services.draft(alert)
                    render_docx(outcome.draft)
                    drafting.append(time.perf_counter() - t0)
                    by_alert[path.name].append(drafting[-1])
                    actions[path.name] = sum(len(s.actions) for s in outcome.draft.stages)
        finally:
            services.close()
    ratio = statistics.median(drafting) / statistics.median(retrieval)
    rows = [
        {"what": "retrieval alone (baseline)", "p50 s": statistics.median(retrieval), "p95 s": _p95(retrieval)},
        {"what": "draft + Word export", "p50 s": statistics.median(drafting), "p95 s": _p95(drafting)},
    ]
    per_alert = [
        {"alert": name, "actions": actions[name], "p50 s": statistics.median(t), "p95 s": _p95(t)}
        for name, t in by_alert.items()
    ]
    notes = [
        f"draft/retrieval p50 ratio {ratio:.2f} (same run)",
        f"{rounds} rounds of {len(ALERTS)} alerts; indexing the shipped knowledge first took {index_s:.1f} s ({status})",
    ]
    if previous:
        before, load = previous
        notes.append(
            f"draft + Word p95 now/previous recorded run: {_p95(drafting) / before:.2f} "
            f"(previous {before:.3f} s at load {load if load is not None else '?'}; different machine load, indicative only)"
        )
    return BenchResult(
        name="draft",
        title="Offline six-stage draft (gas alarm, Beijing red rainstorm, English Henan warning) vs retrieval alone",
        rows=rows,
        checks=[Check("draft + Word p95 (s)", _p95(drafting), TARGET_P95_S, at_most=True)],
        notes=notes,
        tables=[("Per alert", per_alert)],
    )


if __name__ == "__main__":
    print(run().markdown())
