"""``assistant draft``, ``approve``, ``export`` and ``ask``: drafting, documents and chat from the shell."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.alerts.intake import parse_file
from assistant.chain.answers import Answer
from assistant.cli.commands import settings_from_args
from assistant.documents import approval_of, approve, export_context, write_plan
from assistant.domain import Alert
from assistant.errors import AlertFormatError, AssistantError, NotFoundError
from assistant.export.markdown import render_markdown
from assistant.records import Records
from assistant.services import build_services, ensure_shipped_knowledge

OUT_HELP = "write the plan here: .docx (Word), .pdf (needs LibreOffice), .md or .json, by suffix"


def register(sub: argparse._SubParsersAction) -> None:
    draft = sub.add_parser("draft", help="由预警起草六阶段处置方案 / draft a six-stage response plan from an alert")
    draft.add_argument("--alert", type=Path, required=True, help="alert file: CAP XML, sensor JSON, warning JSON, CSV")
    draft.add_argument("--out", type=Path, help=OUT_HELP)
    draft.add_argument("--lang", choices=["zh", "en"], help="document language (default: the alert's)")
    draft.add_argument("--officer", help="who asked for the draft (recorded)")
    draft.set_defaults(func=run_draft)
    approval = sub.add_parser(
        "approve", help="审核通过草案（去掉草案标记）/ approve a draft version (drops the DRAFT mark)"
    )
    approval.add_argument("draft_id")
    approval.add_argument("--officer", required=True, help="the approving officer (recorded)")
    approval.add_argument("--version", type=int, help="default: the latest version")
    approval.set_defaults(func=run_approve)
    export = sub.add_parser("export", help="导出已保存的草案 / write a stored draft version as a document")
    export.add_argument("draft_id")
    export.add_argument("--out", type=Path, required=True, help=OUT_HELP)
    export.add_argument("--version", type=int, help="default: the latest version")
    export.set_defaults(func=run_export)
    ask = sub.add_parser("ask", help="向知识库提问 / ask the knowledge base")
    ask.add_argument("question")
    ask.add_argument("--lang", choices=["zh", "en"])
    ask.set_defaults(func=run_ask)


def most_severe(alerts: list[Alert]) -> Alert:
    """The alert an officer would handle first: worst colour, then the latest."""
    return sorted(alerts, key=lambda a: (a.colour.rank if a.colour else 9, -a.sent.timestamp()))[0]


def run_draft(args: argparse.Namespace) -> int:
    result = parse_file(args.alert)
    if not result.alerts:
        problems = "; ".join(str(e) for e in result.errors) or "no alert in the file"
        raise AlertFormatError(str(args.alert), f"没有可用的预警 / no usable alert: {problems}")
    alert = most_severe(result.alerts)
    settings = settings_from_args(args)
    services = build_services(settings)
    try:
        ensure_shipped_knowledge(services, background=True)
        outcome = services.draft(alert, lang=args.lang, officer=args.officer)
    finally:
        services.close()
    draft = outcome.draft
    context = export_context(settings, drafted_by=args.officer)
    if args.out:
        try:
            write_plan(draft, args.out, context, settings)
        except AssistantError as err:  # the draft is recorded: say how to get it out another way
            raise AssistantError(
                f"{err}\n草案 {draft.draft_id} 已保存，可用 `assistant export {draft.draft_id} --out plan.docx` 导出"
                f" / draft {draft.draft_id} is saved: `assistant export {draft.draft_id} --out plan.docx` writes it"
            ) from err
    else:
        print(render_markdown(draft, context))
    actions = sum(len(s.actions) for s in draft.stages)
    flagged = [c for c in draft.checks if c.status.value != "supported"]
    print(
        f"草案 {draft.draft_id}：{len(draft.stages)} 个阶段，{actions} 项措施，{len(draft.citations)} 条来源；"
        f"生成方式 {draft.engine}；核验未通过 {len(flagged)} 处；用时 {outcome.timings['total_s']:.2f} s"
        + (f"；已写入 {args.out}" if args.out else ""),
        file=sys.stderr,
    )
    for notice in draft.notices:
        print(f"提示 / notice: {notice}", file=sys.stderr)
    return 0


def run_approve(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    records = Records(settings.data_path("records.db"))
    try:
        version = args.version or records.latest_draft(args.draft_id).version
        approval = approve(records, args.draft_id, version, args.officer)
    finally:
        records.close()
    print(f"草案 {args.draft_id} 第 {version} 版已由 {approval.by} 审核通过 / approved by {approval.by}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    records = Records(settings.data_path("records.db"))
    try:
        versions = records.draft_versions(args.draft_id)
        wanted = args.version or (versions[-1].version if versions else 0)
        record = next((r for r in versions if r.version == wanted), None)
        if record is None:
            raise NotFoundError(f"没有草案 {args.draft_id} 第 {wanted} 版 / no draft {args.draft_id} version {wanted}")
        approval = approval_of(records, args.draft_id, record.version)
        context = export_context(settings, versions[0].officer, approval)
    finally:
        records.close()
    write_plan(record.draft, args.out, context, settings)
    mark = "已审核" if context.approval else "草案"
    print(f"已写入 {args.out}（第 {record.version} 版，{mark}）/ wrote {args.out}", file=sys.stderr)
    return 0


def run_ask(args: argparse.Namespace) -> int:
    services = build_services(settings_from_args(args))
    try:
        ensure_shipped_knowledge(services, background=True)
        answer: Answer | None = None
        for piece in services.chat.stream(args.question, lang=args.lang):
            if isinstance(piece, Answer):
                answer = piece
            else:
                print(piece, end="", flush=True)
        print()
        if answer is not None:
            services.record_answer(args.question, answer)
    finally:
        services.close()
    return 0 if answer is None or answer.covered else 3
