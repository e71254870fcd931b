"""``assistant handover``: prepare the shift handover (Word or Markdown), or acknowledge one as the incoming officer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.commands import settings_from_args
from assistant.errors import AssistantError
from assistant.handover.document import handover_docx
from assistant.services import build_duty_services, build_services, ensure_shipped_knowledge, prepare_handover


def register(sub: argparse._SubParsersAction) -> None:
    handover = sub.add_parser(
        "handover", help="交接班 / the shift handover: open incidents, tasks due, reports due, changes"
    )
    handover.add_argument("--since", help="start of the shift: 2026-11-22 08:00, 08:00 or 12h (default: last handover)")
    handover.add_argument("--until", help="end of the shift (default: now)")
    handover.add_argument("--next-hours", type=float, default=12, help="how far the next shift looks ahead (12)")
    handover.add_argument("--out", type=Path, help="write it here: .docx (Word) or .md (Markdown); default: print")
    handover.add_argument("--lang", choices=["zh", "en"], default="zh")
    handover.add_argument("--ack", type=int, metavar="ID", help="acknowledge handover ID as the incoming officer")
    handover.add_argument("--by", required=True, help="who hands over (or, with --ack, who takes over); recorded")
    handover.set_defaults(func=run_handover)


def run_handover(args: argparse.Namespace) -> int:
    if args.out and args.out.suffix.lower() not in (".docx", ".md"):
        raise AssistantError(f"--out 须为 .docx 或 .md / --out must end in .docx or .md: {args.out}")
    settings = settings_from_args(args)
    if args.ack is not None:
        duty = build_duty_services(settings)
        try:
            taken = duty.handovers.acknowledge(args.ack, args.by)
        finally:
            duty.close()
        print(f"第 {taken.handover_id} 号交接班已由 {taken.acknowledged_by} 确认接班 / acknowledged")
        return 0
    services = build_services(settings)  # reports due read the reporting clauses from the library
    try:
        ensure_shipped_knowledge(services, background=True)
        record, handover = prepare_handover(services, args.since, args.until, args.next_hours, args.by, args.lang)
        if args.out is None:
            print(record.body)
        elif args.out.suffix.lower() == ".md":
            args.out.write_text(record.body, encoding="utf-8")
        else:
            args.out.write_bytes(
                handover_docx(handover, args.lang, settings.ui.utc_offset, settings.export.issuing_unit)
            )
    finally:
        services.close()
    where = f"，已写入 {args.out}" if args.out else ""
    print(
        f"第 {record.handover_id} 号交接班已记录{where}；接班人确认：assistant handover --ack {record.handover_id} --by 姓名"
        f" / handover {record.handover_id} recorded",
        file=sys.stderr,
    )
    return 0
