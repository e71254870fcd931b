"""``assistant eval ...``: evaluation runs from the command line."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.cli.commands import settings_from_args
from assistant.errors import SettingsError
from assistant.evaluation.calibration import (
    Calibration,
    DraftSample,
    calibrate,
    draft_samples,
    embedding_similarity,
)
from assistant.evaluation.goldens import Golden, known_failures, load_goldens
from assistant.evaluation.judge import Judge
from assistant.evaluation.report import (
    build_report,
    format_failure,
    format_regression,
    load_thresholds,
    write_reports,
)
from assistant.evaluation.retrieval import MODES, evaluate_mode, format_table
from assistant.evaluation.runner import CaseResult, RunOptions, run_goldens
from assistant.services import Services, build_knowledge, build_services, ensure_shipped_knowledge
from assistant.settings import PROJECT_ROOT, Settings

DEFAULT_GOLDENS = PROJECT_ROOT / "evals" / "goldens"
REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("eval", help="评测 / evaluation runs")
    eval_sub = parser.add_subparsers(dest="eval_command", required=True, metavar="EVAL")
    retrieval = eval_sub.add_parser("retrieval", help="检索评测：dense / lexical / hybrid 的 recall@1/@5 与 MRR")
    retrieval.add_argument(
        "--goldens", type=Path, action="append", help="goldens files or folders (default: evals/goldens)"
    )
    retrieval.add_argument("-k", type=int, default=10, help="hits per question")
    retrieval.add_argument(
        "--realdata",
        type=Path,
        default=REALDATA,
        help="the shared real-data folder; its plans are ingested for the 'realdata' cases",
    )
    retrieval.add_argument("--report", type=Path, help="write the per-case results as JSON here")
    retrieval.set_defaults(func=run_retrieval)
    run = eval_sub.add_parser("run", help="运行全部评测用例并与阈值和基线比较 / run the goldens, check thresholds")
    run.add_argument("--goldens", type=Path, action="append", help="goldens files or folders (default: evals/goldens)")
    run.add_argument(
        "--engine",
        choices=["offline", "endpoint"],
        default="offline",
        help="offline: the grounded drafter; endpoint: the configured LLM endpoint",
    )
    run.add_argument(
        "--report", type=Path, default=PROJECT_ROOT / "out" / "eval", help="folder for report.json/.md/.html"
    )
    run.add_argument("--baseline", type=Path, help="an earlier report.json to diff against")
    run.add_argument("--thresholds", type=Path, default=PROJECT_ROOT / "evals" / "thresholds.yaml")
    run.add_argument("--realdata", type=Path, default=REALDATA, help="the shared real-data folder (its plans)")
    run.add_argument(
        "--data-dir",
        type=Path,
        help="index and records of the run (default: a fresh temporary folder, so scores do not depend on "
        "what was ingested on this machine)",
    )
    run.set_defaults(func=run_eval)
    cal = eval_sub.add_parser(
        "calibrate", help="在评测集上校准要点的语义相似度阈值 / calibrate the key-point similarity threshold"
    )
    cal.add_argument("--goldens", type=Path, action="append", help="goldens files or folders (default: evals/goldens)")
    cal.add_argument("--data-dir", type=Path, help="index of the run (default: a fresh temporary folder)")
    cal.set_defaults(func=run_calibrate)


def run_retrieval(args: argparse.Namespace) -> int:
    plans = args.realdata / "plans"
    goldens = [g for g in load_goldens(args.goldens or [DEFAULT_GOLDENS]) if g.task == "search"]
    goldens = _without_missing_realdata(goldens, plans)
    services = build_knowledge(settings_from_args(args))
    try:
        ensure_shipped_knowledge(services, background=False)
        if any(g.corpus == "realdata" for g in goldens):
            services.ingestor.ingest([plans])
            services.index.embed_pending()
        reports = [evaluate_mode(services.retriever, goldens, mode, args.k) for mode in MODES]
    finally:
        services.close()
    print(f"{len(goldens)} search cases\n")
    print(format_table(reports))
    best = max(reports, key=lambda r: (r.recall_at(5), r.mrr))
    default = services.settings.retrieval.mode
    print(f"\nbest on this set: {best.mode}; configured default: {default}")
    missed = [c for c in next(r for r in reports if r.mode == default).cases if c.rank is None or c.rank > 5]
    if missed:
        print(f"\n{default}: missed in top 5:")
        for case in missed:
            print(f"  {case.golden_id}: top = {' | '.join(case.top)}")
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        data = {
            r.mode: {
                "recall@1": r.recall_at(1),
                "recall@5": r.recall_at(5),
                "mrr": r.mrr,
                "ndcg": r.ndcg,
                "cases": [c.__dict__ for c in r.cases],
            }
            for r in reports
        }
        args.report.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def _without_missing_realdata(goldens: list[Golden], plans: Path) -> list[Golden]:
    if plans.is_dir():
        return goldens
    skipped = [g for g in goldens if g.corpus == "realdata"]
    if skipped:
        print(f"跳过 {len(skipped)} 个真实预案用例（未找到 {plans}） / skipped {len(skipped)} realdata cases")
    return [g for g in goldens if g.corpus != "realdata"]


def run_calibrate(args: argparse.Namespace) -> int:
    """Print the similarity distributions and the threshold to put in evals/thresholds.yaml."""
    goldens = load_goldens(args.goldens or [DEFAULT_GOLDENS])
    with _data_dir(args.data_dir) as data_dir:
        settings = _offline(settings_from_args(args).model_copy(update={"data_dir": data_dir}))
        services = build_services(settings)
        samples, result = _calibrate(services, goldens)
    print(f"{len(samples)} drafts · {result.describe()}")
    print(f"evals/thresholds.yaml → similarity: {{key_points: {result.threshold}}}")
    return 0


def _calibrate(services: Services, goldens: list[Golden]) -> tuple[list[DraftSample], Calibration]:
    try:
        ensure_shipped_knowledge(services, background=False)
        samples = draft_samples(services, goldens)
        return samples, calibrate(samples, embedding_similarity(services.knowledge.index.embeddings.inner))
    finally:
        services.close()


@contextmanager
def _data_dir(chosen: Path | None) -> Iterator[str]:
    """The given data dir, or a fresh temporary one removed afterwards."""
    if chosen is not None:
        yield str(chosen.resolve())
        return
    with tempfile.TemporaryDirectory(prefix="assistant-eval-") as folder:
        yield folder


def _offline(settings: Settings) -> Settings:
    return settings.model_copy(update={"llm": settings.llm.model_copy(update={"base_url": ""})})


def run_eval(args: argparse.Namespace) -> int:
    """Exit 1 when a threshold fails, a case crashes or the baseline shows a regression."""
    started = time.perf_counter()
    plans = args.realdata / "plans"
    goldens = _without_missing_realdata(load_goldens(args.goldens or [DEFAULT_GOLDENS]), plans)
    thresholds = load_thresholds(args.thresholds)
    baseline = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline else None
    settings = settings_from_args(args)
    if args.engine == "offline":
        settings = _offline(settings)
    elif not settings.llm.base_url:
        raise SettingsError("--engine endpoint 需要配置 llm.base_url / --engine endpoint needs llm.base_url")
    with _data_dir(args.data_dir) as data_dir:
        services = build_services(settings.model_copy(update={"data_dir": data_dir}))
        results = _run(services, goldens, thresholds, plans)
    meta = {
        "engine": services.chat_model.name if services.chat_model else "offline",
        "cases": len(results),
        "seconds": round(time.perf_counter() - started, 1),
        "retrieval": f"{settings.retrieval.mode} k={settings.retrieval.k}",
    }
    known = known_failures(args.goldens or [DEFAULT_GOLDENS])
    report = build_report(results, thresholds, baseline, meta, goldens, known)
    paths = write_reports(report, args.report)
    _print_outcome(report, paths[2])
    return 1 if report["failures"] or report["regressions"] or report["summary"]["errors"] else 0


def _run(services: Services, goldens: list[Golden], thresholds: dict[str, Any], plans: Path) -> list[CaseResult]:
    try:
        ensure_shipped_knowledge(services, background=False)
        cutoff = thresholds["similarity"].get("key_points")
        options = RunOptions(
            similarity=embedding_similarity(services.knowledge.index.embeddings.inner) if cutoff else None,
            similarity_threshold=float(cutoff or 1.0),
            judge=Judge(services.chat_model) if services.chat_model else None,
            case_thresholds=thresholds["case"],
        )
        if options.judge is None:
            print("离线运行：不做 LLM 裁判评分 / offline: LLM-judged faithfulness and relevance skipped")
        return run_goldens(services, goldens, plans if plans.is_dir() else None, options)
    finally:
        services.close()


def _print_outcome(report: dict[str, Any], html: Path) -> None:
    summary = report["summary"]
    print(f"{report['meta']['cases']} 个用例 / cases · {report['meta']['seconds']} s · 报告 / report: {html}")
    for key in sorted(summary):
        print(f"  {key:<32} {summary[key]:8.3f}")
    for name in report["unmeasured"]:
        print(f"本次未测 / not measured in this run: {name}")
    for failure in report["failures"]:
        print(f"阈值未达 / threshold failed: {format_failure(failure)}")
    if report["regressions"]:
        print("与基线相比的退步 / regressions against the baseline:")
        for item in report["regressions"]:
            print(f"  {format_regression(item)}")
    errors = [c for c in report["cases"] if c["error"]]
    for case in errors:
        print(f"用例出错 / case crashed: {case['golden_id']}: {case['error']}")
