"""``assistant ingest``, ``assistant search`` and ``assistant kb ...``: the knowledge base from the shell."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from assistant.chain.clause_seed import export_clause_seed
from assistant.cli.commands import settings_from_args
from assistant.domain import HAZARD_NAMES, DocKind
from assistant.knowledge.ingest import FileResult, IngestReport
from assistant.knowledge.retriever import MODES
from assistant.services import KnowledgeServices, build_knowledge, check_action_cards, ensure_shipped_knowledge

STATUS_ZH = {
    "added": "新增",
    "replaced": "替换",
    "moved": "移动",
    "removed": "移除",
    "unchanged": "未变",
    "duplicate": "重复",
    "failed": "失败",
    "skipped": "跳过",
}


def register(sub: argparse._SubParsersAction) -> None:
    ingest = sub.add_parser("ingest", help="导入文件或文件夹 / ingest files or folders into the knowledge base")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument(
        "--defer-embedding",
        action="store_true",
        help="只做编目和关键词索引，向量稍后由 `assistant kb warm` 生成 / catalogue and BM25 only; vectors later",
    )
    ingest.add_argument("-v", "--verbose", action="store_true", help="also list unchanged and skipped files")
    ingest.set_defaults(func=run_ingest)

    search = sub.add_parser("search", help="检索预案与案例 / search plans and cases")
    search.add_argument("query")
    search.add_argument("--kind", choices=[k.value for k in DocKind])
    search.add_argument("--hazard", action="append", choices=sorted(HAZARD_NAMES), help="repeatable")
    search.add_argument("--region", help="e.g. 北京市")
    search.add_argument("-k", type=int, default=None, help="number of results (default: settings retrieval.k)")
    search.add_argument("--mode", choices=MODES, default=None, help="default: settings retrieval.mode")
    search.set_defaults(func=run_search)

    kb = sub.add_parser("kb", help="知识库管理 / manage the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    kb_sub.add_parser("list", help="列出文档 / list documents").set_defaults(func=run_list)
    remove = kb_sub.add_parser("remove", help="按编号删除文档 / remove a document by id")
    remove.add_argument("doc_id")
    remove.set_defaults(func=run_remove)
    kb_sub.add_parser("stats", help="统计 / counts by kind and hazard, index status").set_defaults(func=run_stats)
    cards = kb_sub.add_parser("check-cards", help="校验处置卡 / validate the action cards against the library")
    cards.add_argument("--cards", help="folder of card files (default: knowledge/cards)")
    cards.set_defaults(func=run_check_cards)
    kb_sub.add_parser("warm", help="生成缺少的向量 / embed every chunk still without a vector").set_defaults(
        func=run_warm
    )
    kb_sub.add_parser(
        "rebuild", help="用当前模型重建向量与关键词索引 / rebuild vectors and BM25 for the configured model"
    ).set_defaults(func=run_rebuild)
    export = kb_sub.add_parser(
        "export-cache",
        help="导出向量缓存供下一台机器使用 / write a library's vectors to FOLDER/.embeddings for the next machine "
        "(no FOLDER: the shipped knowledge's seed)",
    )
    export.add_argument("folders", nargs="*", type=Path, metavar="FOLDER")
    export.set_defaults(func=run_export_cache)


def _with_knowledge(args: argparse.Namespace, action: Callable[[KnowledgeServices], int], shipped: bool = False) -> int:
    """Run ``action`` on the index; ``shipped`` first makes sure the shipped library is in it (fresh machines)."""
    services = build_knowledge(settings_from_args(args))
    try:
        if shipped:
            ensure_shipped_knowledge(services, background=True)
        return action(services)
    finally:
        services.close()


def _embed_bar(desc: str) -> tuple[tqdm, Callable[[int, int], None]]:
    bar = tqdm(total=0, desc=desc, unit="chunk", file=sys.stderr, dynamic_ncols=True)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    return bar, update


def _file_line(result: FileResult) -> str:
    name = STATUS_ZH.get(result.status, result.status)
    line = f"[{name} {result.status:>9}] {result.path}"
    if result.chunks and result.status != "duplicate":
        line += f"  {result.chunks} 片段/chunks  《{result.title}》"
    if result.reason:
        line += f"\n      {result.reason}"
    for warning in result.warnings:
        line += f"\n      注意 / warning: {warning}"
    return line


def run_ingest(args: argparse.Namespace) -> int:
    def action(services: KnowledgeServices) -> int:
        files_bar = tqdm(desc="读取 / reading", unit="file", file=sys.stderr, dynamic_ncols=True)

        def on_file(result: FileResult, done: int, total: int) -> None:
            files_bar.total = total
            files_bar.update(1)
            if args.verbose or result.status != "unchanged":
                tqdm.write(_file_line(result), file=sys.stdout)

        embed_bar, on_embed = _embed_bar("向量化 / embedding")
        try:
            report = services.ingestor.ingest(
                args.paths, embed=not args.defer_embedding, on_file=on_file, on_embed=on_embed
            )
        finally:
            files_bar.close()
            embed_bar.close()
        _print_report(report, args.verbose)
        print(services.index.status().describe())
        return 1 if report.with_status("failed") else 0

    return _with_knowledge(args, action)


def _print_report(report: IngestReport, verbose: bool) -> None:
    for result in report.with_status("skipped") if verbose else []:
        print(_file_line(result))
    failed = report.with_status("failed")
    if failed:
        print(f"\n无法读取的文件 / files that could not be read ({len(failed)}):")
        for result in failed:
            print(f"  {result.path}\n      {result.reason}")
    counts = ", ".join(f"{STATUS_ZH[s]}/{s} {len(report.with_status(s))}" for s in STATUS_ZH)
    print(f"\n文件 / files {len(report.results)}: {counts}")
    print(
        f"变更文件 / changed files: {report.changed}; 新片段 / new chunks: {report.chunks_added}; "
        f"本次向量化 / embedded now: {report.embedded}; 用时 / elapsed: {report.seconds:.1f} s"
    )
    if report.dense_error:
        print(f"向量化未完成 / embedding incomplete: {report.dense_error}")


def run_search(args: argparse.Namespace) -> int:
    def action(services: KnowledgeServices) -> int:
        started = time.perf_counter()
        hits = services.retriever.hits(
            args.query, args.k, mode=args.mode, kind=args.kind, hazards=args.hazard, region=args.region
        )
        elapsed = (time.perf_counter() - started) * 1000
        for rank, hit in enumerate(hits, start=1):
            citation = hit.citation()
            snippet = " ".join(citation.text.split())
            print(f"{rank}. {citation.label()}")
            print(
                f"   score {citation.score:.4f} · {citation.kind.value} · {citation.chunk_id} · {hit.meta.source_path}"
            )
            print(f"   {snippet[:160]}{'…' if len(snippet) > 160 else ''}")
        if not hits:
            print("没有找到相关内容 / nothing found")
        mode = args.mode or services.settings.retrieval.mode
        print(f"\n{mode} · {elapsed:.0f} ms · {services.index.status().describe()}")
        return 0

    return _with_knowledge(args, action, shipped=True)


def run_list(args: argparse.Namespace) -> int:
    def action(services: KnowledgeServices) -> int:
        records = services.ingestor.documents()
        for record in records:
            meta = record.meta
            hazards = ",".join(meta.hazards) or "-"
            print(
                f"{meta.doc_id}  {meta.kind.value:<10} {record.chunks:>4} 片段/chunks "
                f"(向量/dense {record.dense_ready})  {hazards}  {meta.region or '-'}  《{meta.title}》"
            )
            print(f"    {meta.source_path}")
        print(f"\n{len(records)} 份文档 / documents")
        return 0

    return _with_knowledge(args, action, shipped=True)


def run_remove(args: argparse.Namespace) -> int:
    def action(services: KnowledgeServices) -> int:
        removed = services.ingestor.remove(args.doc_id)
        print(f"已删除 {args.doc_id}（{removed} 个片段）/ removed {args.doc_id} ({removed} chunks)")
        return 0

    return _with_knowledge(args, action)


def run_stats(args: argparse.Namespace) -> int:
    def action(services: KnowledgeServices) -> int:
        stats = services.ingestor.stats()
        print("按类型 / by kind: " + ", ".join(f"{k} {n}" for k, n in stats["kind"].items()))
        print("按灾种 / by hazard: " + ", ".join(f"{k} {n}" for k, n in stats["hazard"].items()))
        print(services.index.status().describe())
        plans = [m for m in services.retriever.documents() if m.kind is DocKind.PLAN]
        gradings = services.retriever.grading([m.doc_id for m in plans])
        unparsed = [m.title for m in plans if not gradings[m.doc_id].parsed]
        parsed = len(plans) - len(unparsed)
        print(f"分级标准 / grading criteria: {parsed}/{len(plans)} 份预案已解析 / plans parsed")
        for title in unparsed:
            print(f"  未能解析分级标准（定级时只能列出需研判的条件）/ grading not parsed: {title}")
        return 0

    return _with_knowledge(args, action, shipped=True)


def run_check_cards(args: argparse.Namespace) -> int:
    """Validate the action cards against the shipped library (no index needed)."""
    result = check_action_cards(settings_from_args(args), Path(args.cards) if args.cards else None)
    for problem in result.problems:
        print(problem)
    verdict = "通过 / passed" if not result.problems else f"{len(result.problems)} 个问题 / problems"
    print(f"处置卡 / action cards: {result.hazards} 个灾种 / hazards, {result.cards} 张 / cards — {verdict}")
    return 0 if not result.problems else 1


def run_warm(args: argparse.Namespace) -> int:
    def action(services: KnowledgeServices) -> int:
        bar, update = _embed_bar("向量化 / embedding")
        with bar:
            done = services.index.embed_pending(update)
        print(f"本次向量化 / embedded now: {done}; {services.index.status().describe()}")
        return 0

    return _with_knowledge(args, action)


def run_rebuild(args: argparse.Namespace) -> int:
    def action(services: KnowledgeServices) -> int:
        bar, update = _embed_bar("重建向量 / re-embedding")
        with bar:
            done = services.index.rebuild(update)
        print(f"已重建 / rebuilt: {done} 个片段 / chunks; {services.index.status().describe()}")
        return 0

    return _with_knowledge(args, action)


def run_export_cache(args: argparse.Namespace) -> int:
    def action(services: KnowledgeServices) -> int:
        bar, update = _embed_bar("导出 / exporting")
        with bar:
            path, count = services.export_seed_cache(update, args.folders)
        print(f"已写入 {count} 个向量 / wrote {count} vectors to {path} ({path.stat().st_size / 1024:.0f} KiB)")
        bar, update = _embed_bar("导出子句 / exporting clauses")
        with bar:  # the chat's clause vectors, so a first question is not slowed by embedding them
            folders = args.folders or services.shipped_dirs()
            path, count = export_clause_seed(services.index, services.retriever, folders, update)
        print(
            f"已写入 {count} 个子句向量 / wrote {count} clause vectors to {path} ({path.stat().st_size / 1024:.0f} KiB)"
        )
        if args.folders:
            print(
                "连同文件夹一起复制到下一台机器，在那里 `assistant ingest` 该文件夹即可免去向量化 / copy it along with "
                "the folder: `assistant ingest` of that folder on the next machine then embeds only what changed"
            )
        return 0

    return _with_knowledge(args, action)
