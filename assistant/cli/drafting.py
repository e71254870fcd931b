"""``assistant draft`` and ``assistant ask``: the drafting and chat services from the shell."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.alerts.intake import parse_file
from assistant.chain.answers import Answer
from assistant.cli.commands import settings_from_args
from assistant.domain import Alert
from assistant.errors import AlertFormatError
from assistant.export.json_codec import draft_to_json
from assistant.export.markdown import render_markdown
from assistant.export.word import write_docx
from assistant.services import build_services, ensure_shipped_knowledge


def register(sub: argparse._SubParsersAction) -> None:
    draft = sub.add_parser("draft", help="由预警起草六阶段处置方案 / draft a six-stage response plan from an alert")
    draft.add_argument("--alert", type=Path, required=True, help="alert file: CAP XML, sensor JSON, warning JSON, CSV")
    draft.add_argument("--out", type=Path, help="write the plan here (.docx, .md or .json by suffix)")
    draft.add_argument("--lang", choices=["zh", "en"], help="document language (default: the alert's)")
    draft.add_argument("--officer", help="who asked for the draft (recorded)")
    draft.set_defaults(func=run_draft)
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
    services = build_services(settings_from_args(args))
    try:
        ensure_shipped_knowledge(services, background=True)
        outcome = services.draft(alert, lang=args.lang, officer=args.officer)
    finally:
        services.close()
    draft = outcome.draft
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if args.out.suffix.lower() == ".docx":
            write_docx(draft, args.out)
        elif args.out.suffix.lower() == ".json":
            args.out.write_text(draft_to_json(draft), encoding="utf-8")
        else:
            args.out.write_text(render_markdown(draft), encoding="utf-8")
    else:
        print(render_markdown(draft))
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
