"""Mutation check of the evaluation (``make mutate``): do the tests and the gate notice a broken judgement?

Each mutation is a small, realistic break of the code that decides what an officer is told
(injection withholding, grounding, levels, jurisdiction, negation, scoring). It is applied to a
temporary copy of the project, then the tests that should notice it run, then a small gate run
of the goldens; a mutation that passes both *survived* — the evaluation could not fail there.
Results go to evals/mutation_results.md. Every mutation must be killed.

    .venv/bin/python evals/mutate.py [--only ID ...] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("assistant", "prompts", "knowledge", "evals", "tests", "examples", "docs", "pyproject.toml", "settings.yaml")
GATE = ("evals/goldens/injection_attacks.jsonl", "evals/goldens/cards_b.jsonl")


@dataclass(frozen=True)
class Mutation:
    id: str
    what: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]
    gate: bool = False  # also run the gate subset (slower) when the tests let it through


MUTATIONS = (
    Mutation(
        "withhold-address-only",
        "instruction-like text withheld in the address only, not in owner/event/headline/description",
        "assistant/chain/facts.py",
        "withheld = tuple(name for name, text in quoted.items() if looks_like_injection(text))",
        'withheld = tuple(name for name, text in quoted.items() if name == "place" and looks_like_injection(text))',
        ("tests/chain/test_injection.py",),
        gate=True,
    ),
    Mutation(
        "english-injection-broken",
        "the English 'ignore previous instructions' pattern no longer matches",
        "assistant/chain/injection.py",
        'r"ignore (?:all |any )?',
        'r"ignoreXX (?:all |any )?',
        ("tests/chain/test_injection.py",),
        gate=True,
    ),
    Mutation(
        "injection-line-start-only",
        "SYSTEM: recognised only at the start of a line (the old mid-line leak)",
        "assistant/chain/injection.py",
        'r"(?:^|[\\n。.!！?？;；,，】\\]>)）])\\s*system',
        'r"(?:^)\\s*system',
        ("tests/chain/test_injection.py",),
        gate=True,
    ),
    Mutation(
        "unknown-citation-unchecked",
        "an action citing a passage it was never given is not flagged",
        "assistant/chain/grounding.py",
        'unknown = [c for c in action.citations if not c.startswith(("alert", "officer:")) and c not in texts]',
        "unknown: list[str] = []",
        ("tests/chain/test_grounding.py", "tests/chain/test_llm_drafting.py"),
    ),
    Mutation(
        "declared-level-ignored",
        "the response level the alert declares is ignored",
        "assistant/chain/levels.py",
        "if facts.level is not None:",
        "if False:",
        ("tests/chain/test_levels.py",),
    ),
    Mutation(
        "unknown-counts-as-met",
        "a grading condition whose fact the alert does not give is accepted as met",
        "assistant/chain/levels.py",
        "met = [j for j in applicable if j.verdict is Verdict.MET]",
        "met = [j for j in applicable if j.verdict is not Verdict.NOT_MET]",
        ("tests/chain/test_levels.py",),
    ),
    Mutation(
        "colour-is-level",
        "the warning colour's grade becomes the response level (the old conflation)",
        "assistant/chain/facts.py",
        "declared = (\n",
        "from assistant.domain import level_for_colour\n\n    declared = level_for_colour(alert.colour) if alert.colour else None\n    _unused = (\n",
        ("tests/chain/test_levels.py", "tests/chain/test_offline_drafter.py"),
    ),
    Mutation(
        "lower-bound-exclusive",
        "'3人以上' read as more than 3",
        "assistant/chain/criteria.py",
        "met = value >= low and (high is None or value < high)",
        "met = value > low and (high is None or value < high)",
        ("tests/chain/test_levels.py",),
    ),
    Mutation(
        "jurisdiction-ignored",
        "every plan applies everywhere (another province's plan becomes a basis)",
        "assistant/chain/jurisdiction.py",
        "    if document.national:\n        return Relation.NATIONAL\n",
        "    return Relation.NATIONAL\n",
        ("tests/chain/test_levels.py", "tests/chain/test_jurisdiction.py"),
    ),
    Mutation(
        "sender-as-unit-accepted",
        "the alert's sender may be listed as the responsible unit",
        "assistant/chain/grounding.py",
        "return bool(sender) and (unit == sender or (len(sender) >= 4 and sender in unit))",
        "return False",
        ("tests/chain/test_grounding.py",),
    ),
    Mutation(
        "negation-ignored",
        "forbidden advice counted even when it is a prohibition ('严禁开关电器')",
        "assistant/chain/advice.py",
        'return clause.endswith(("不", "勿", "别")) or any(word in clause for word in NEGATIONS)',
        "return False",
        ("tests/evals/test_draft_scoring.py", "tests/evals/test_metrics.py", "tests/chain/test_offline_drafter.py"),
    ),
    Mutation(
        "boilerplate-scored",
        "template actions count toward key points",
        "assistant/evaluation/draft_scoring.py",
        "actions = [a for s in draft.stages for a in s.actions if a.is_boilerplate != decided]",
        "actions = [a for s in draft.stages for a in s.actions]",
        ("tests/evals/test_draft_scoring.py",),
    ),
    Mutation(
        "discrimination-off",
        "every draft is said to tell itself from other hazards",
        "assistant/evaluation/discrimination.py",
        "value = 1 - len(passed) / len(others)",
        "value = 1.0",
        ("tests/evals/test_draft_scoring.py",),
    ),
    Mutation(
        "english-keeps-chinese",
        "English goldens matched against Chinese text too",
        "assistant/evaluation/metrics.py",
        'return _CJK.sub(" ", _QUOTED.sub(" ", text))',
        "return text",
        ("tests/evals/test_draft_scoring.py",),
    ),
    Mutation(
        "model-level-unchecked",
        "a model's level is kept without a grading condition the facts meet",
        "assistant/chain/llm_writer.py",
        "if reply.level == offline.level:",
        "if True:\n            return replace(offline, level=reply.level, basis=reply.reason), ''\n        if reply.level == offline.level:",
        ("tests/chain/test_llm_drafting.py",),
    ),
    Mutation(
        "card-conditions-ignored",
        "every card is used whatever the facts (a school card with no school, day cards at night)",
        "assistant/chain/conditions.py",
        "    return all(holds(c, ctx) for c in conditions)",
        "    return True",
        ("tests/chain/test_offline_drafter.py", "tests/chain/test_cards.py"),
    ),
    Mutation(
        "abroad-under-national-plans",
        "a place outside China falls under the national plans (a London leak graded by a Chinese plan)",
        "assistant/chain/jurisdiction.py",
        "    if alert.abroad:\n        return Relation.OTHER\n",
        "",
        ("tests/chain/test_jurisdiction.py",),
    ),
    Mutation(
        "deaths-across-negation",
        "a head count is read as deaths across a negation ('5人受伤，无人死亡' counted as 5 dead)",
        "assistant/chain/fact_extraction.py",
        "(?!无人|无一|没有|未造成|未出现)",
        "",
        ("tests/chain/test_facts.py",),
    ),
    Mutation(
        "extra-condition-ignored",
        "a level clause that adds a condition the question does not state ('…且又发布橙色预警') answers as well as the one that applies",
        "assistant/chain/lead_choice.py",
        "- W_EXTRA_CONDITION * (base.extra_condition and ask is Ask.LEVEL)",
        "- 0.0 * (base.extra_condition and ask is Ask.LEVEL)",
        ("tests/chain/test_chat_unseen.py",),
    ),
    Mutation(
        "quake-density-ignored",
        "the initial grading rows for 人口较密集 areas are not read (a 5.4 quake there goes ungraded)",
        "assistant/knowledge/grading_measures.py",
        "(人口较密集|人口密集)地区发生",
        "(人口密集)地区发生",
        ("tests/chain/test_measured_levels.py", "tests/knowledge/test_grading.py"),
    ),
    Mutation(
        "premise-floor-exclusive",
        "a count stated in a question is graded as if '以上' excluded its number ('死亡10人算重大吗' → 较大)",
        "assistant/chain/premise.py",
        "return (self.low is None or value >= self.low)",
        "return (self.low is None or value > self.low)",
        ("tests/chain/test_chat_unseen_d.py",),
    ),
    Mutation(
        "premise-window-ignored",
        "a value reached over a longer time confirms a shorter window's threshold (60 mm in 6 h taken as 3 h)",
        "assistant/chain/premise.py",
        "return floor if window is None or own is None or window <= own else None",
        "return floor",
        ("tests/chain/test_chat_unseen_d.py",),
    ),
    Mutation(
        "case-failure-as-duty",
        "a case's account of what went wrong ('没有果断采取…停运') answers what must be done",
        "assistant/chain/lead_adjust.py",
        "W_FAILURE = 1.2 ",
        "W_FAILURE = 0.0 ",
        ("tests/chain/test_chat_unseen.py",),
    ),
    Mutation(
        "relay-before-first-report",
        "'how soon must it be reported' is answered by the relay between levels (2 h), not the first report (1 h)",
        "assistant/chain/lead_adjust.py",
        "W_RELAY = 0.3 ",
        "W_RELAY = 0.0 ",
        ("tests/chain/test_chat_unseen.py",),
    ),
    Mutation(
        "place-figure-any-distance",
        "a city's own figure is taken from anywhere after its name (the province's total read as the city's)",
        "assistant/chain/slots.py",
        "PLACE_FIGURE_GAP = 1 ",
        "PLACE_FIGURE_GAP = 40 ",
        ("tests/chain/test_chat_unseen_d.py", "tests/chain/test_chat_unseen.py"),
    ),
)


def _copy(target: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        elif source.exists():
            shutil.copy2(source, target / name)


def _apply(copy: Path, mutation: Mutation) -> None:
    path = copy / mutation.file
    text = path.read_text(encoding="utf-8")
    if text.count(mutation.old) != 1:
        raise SystemExit(f"{mutation.id}: the code it breaks has changed ({mutation.file}); update evals/mutate.py")
    path.write_text(text.replace(mutation.old, mutation.new), encoding="utf-8")


def _run(command: list[str], cwd: Path) -> int:
    env = {**os.environ, "PYTHONPATH": str(cwd), "OMP_WAIT_POLICY": "PASSIVE", "HF_HUB_OFFLINE": "1"}
    env.pop("ASSISTANT_REQUIRE_TOOLS", None)
    return subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def _pytest(folder: Path, tests: Sequence[str]) -> int:
    return _run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests], folder)


def unmutated_copy_passes(tests: Sequence[str]) -> bool:
    """The chosen tests pass on an unmutated copy: otherwise a broken copy (a file left out) would count as
    every mutation killed."""
    folder = Path(tempfile.mkdtemp(prefix="mutant-none-"))
    try:
        _copy(folder)
        return _pytest(folder, tests) == 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check(mutation: Mutation, keep: bool) -> tuple[str, str, float]:
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix=f"mutant-{mutation.id}-"))
    try:
        _copy(folder)
        _apply(folder, mutation)
        if _pytest(folder, mutation.tests) != 0:
            return "killed", "tests", time.perf_counter() - started
        if mutation.gate:
            gate = [sys.executable, "-m", "assistant", "eval", "run", "--report", str(folder / "out")]
            for goldens in GATE:
                gate += ["--goldens", goldens]
            if _run(gate, folder) != 0:
                return "killed", "gate", time.perf_counter() - started
        return "SURVIVED", "", time.perf_counter() - started
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def _earlier_rows() -> dict[str, str]:
    """The rows of the last results file, by mutation id (kept for mutations this run leaves out)."""
    results = ROOT / "evals" / "mutation_results.md"
    if not results.exists():
        return {}
    rows = [line for line in results.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    return {row.split("`")[1]: row for row in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="mutation ids to run (default: all); the others keep their last row")
    parser.add_argument("--keep", action="store_true", help="keep the mutated copies for inspection")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if not args.only or m.id in args.only]
    tests = sorted({test for mutation in chosen for test in mutation.tests})
    if not unmutated_copy_passes(tests):
        print(f"the unmutated copy fails {' '.join(tests)}: fix that first, or no kill means anything", flush=True)
        return 2
    rows = _earlier_rows()
    for mutation in chosen:
        verdict, by, seconds = check(mutation, args.keep)
        print(f"{verdict:9} {mutation.id:28} {by:6} {seconds:6.1f}s  {mutation.what}", flush=True)
        rows[mutation.id] = (
            f"| `{mutation.id}` | {mutation.what} | {verdict} | {by or '—'} | {seconds:.0f} s · {time.strftime('%Y-%m-%d')} |"
        )
    table = [rows.get(m.id, f"| `{m.id}` | {m.what} | not run | — | — |") for m in MUTATIONS]
    survived = sum("SURVIVED" in r for r in table)
    unrun = sum("| not run |" in r for r in table)
    report = [
        "# 变异检验结果 / Mutation check results",
        "",
        f"`.venv/bin/python evals/mutate.py`: {len(table)} mutations, {len(table) - survived - unrun} killed, "
        f"{survived} survived, {unrun} not run. Each row says when it last ran (`--only` reruns some rows).",
        "",
        "| id | what breaks | verdict | killed by | time · run on |",
        "|---|---|---|---|---|",
        *table,
        "",
    ]
    (ROOT / "evals" / "mutation_results.md").write_text("\n".join(report), encoding="utf-8")
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main())
