"""``assistant eval ...``: evaluation runs from the command line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.cli.commands import settings_from_args
from assistant.errors import SettingsError
from assistant.evaluation.goldens import load_goldens
from assistant.evaluation.report import build_report, load_thresholds, write_reports
from assistant.evaluation.retrieval import MODES, evaluate_mode, format_table
from assistant.evaluation.runner import run_goldens
from assistant.services import build_knowledge, build_services, ensure_shipped_knowledge
from assistant.settings import PROJECT_ROOT

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
    run.set_defaults(func=run_eval)


def run_retrieval(args: argparse.Namespace) -> int:
    goldens = [g for g in load_goldens(args.goldens or [DEFAULT_GOLDENS]) if g.task == "search"]
    plans = args.realdata / "plans"
    if not plans.is_dir():
        skipped = [g for g in goldens if g.corpus == "realdata"]
        goldens = [g for g in goldens if g.corpus != "realdata"]
        if skipped:
            print(f"跳过 {len(skipped)} 个真实预案用例（未找到 {plans}） / skipped {len(skipped)} realdata cases")
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


def run_eval(args: argparse.Namespace) -> int:
    """Exit 1 when a threshold fails or the baseline shows a regression."""
    goldens = load_goldens(args.goldens or [DEFAULT_GOLDENS])
    plans = args.realdata / "plans"
    if not plans.is_dir():
        skipped = [g for g in goldens if g.corpus == "realdata"]
        goldens = [g for g in goldens if g.corpus != "realdata"]
        if skipped:
            print(f"跳过 {len(skipped)} 个真实预案用例（未找到 {plans}） / skipped {len(skipped)} realdata cases")
    settings = settings_from_args(args)
    if args.engine == "offline":
        settings = settings.model_copy(update={"llm": settings.llm.model_copy(update={"base_url": ""})})
    elif not settings.llm.base_url:
        raise SettingsError("--engine endpoint 需要配置 llm.base_url / --engine endpoint needs llm.base_url")
    services = build_services(settings)
    try:
        ensure_shipped_knowledge(services, background=False)
        results = run_goldens(services, goldens, plans if plans.is_dir() else None)
    finally:
        services.close()
    baseline = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline else None
    report = build_report(results, load_thresholds(args.thresholds), baseline)
    paths = write_reports(report, args.report)
    summary = report["summary"]
    print(f"{len(results)} 个用例 / cases · 报告 / report: {paths[2]}")
    for key in sorted(summary):
        print(f"  {key:<28} {summary[key]:.3f}")
    for failure in report["failures"]:
        print(f"阈值未达 / threshold failed: {failure}")
    if report["regressions"]:
        print("与基线相比的退步 / regressions against the baseline:")
        for line in report["regressions"]:
            print(f"  {line}")
    return 1 if report["failures"] or report["regressions"] or summary["errors"] else 0
