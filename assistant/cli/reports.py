"""``assistant report status|draft|send|export``: reports up the chain (信息报送) from the shell.

``status`` and ``draft`` read the library (the reporting clause) and so build the full services;
``send`` and ``export`` only need the report store and the records, and start at once.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from assistant.cli.commands import settings_from_args
from assistant.errors import AssistantError
from assistant.export.local_time import zone_of
from assistant.records import Records
from assistant.reports.deadline import Due, DueState
from assistant.reports.document import report_docx
from assistant.reports.model import ReportKind, section_label
from assistant.reports.service import Standing, record_sending
from assistant.reports.store import ReportRecord, ReportStore
from assistant.reports.trace import untraced
from assistant.services import build_services, ensure_shipped_knowledge
from assistant.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="信息报送：首报、续报、终报 / reports up the chain")
    actions = report.add_subparsers(dest="report_action", required=True)
    status = actions.add_parser("status", help="报送时限依据与倒计时 / the deadline's clause and countdown")
    status.add_argument("incident_id")
    status.add_argument("--lang", choices=["zh", "en"], default="zh")
    status.set_defaults(func=run_status)
    draft = actions.add_parser("draft", help="起草报告（新版本）/ draft a report (a new version)")
    draft.add_argument("incident_id")
    draft.add_argument("--kind", choices=[k.value for k in ReportKind], default=ReportKind.INITIAL.value)
    draft.add_argument("--by", required=True, help="the duty officer (recorded, and the report's contact)")
    draft.add_argument("--lang", choices=["zh", "en"], default="zh")
    draft.add_argument("--notes", default="", help="the officer's notes: casualties, impact reported from the scene")
    draft.add_argument("--phone", default="", help="contact phone printed in the report")
    draft.add_argument("--out", type=Path, help="also write the report as Word (.docx)")
    draft.set_defaults(func=run_draft)
    send = actions.add_parser("send", help="登记已报送 / record that a report was sent")
    send.add_argument("report_id")
    send.add_argument("--to", required=True, help="the recipient (e.g. 区应急管理局值班室)")
    send.add_argument("--by", required=True, help="who records the sending")
    send.add_argument("--at", default="", help="when it went, local time YYYY-MM-DD HH:MM (default: now)")
    send.add_argument("--version", type=int, help="default: the latest version")
    send.set_defaults(func=run_send)
    export = actions.add_parser("export", help="导出报告 Word / write a report version as Word")
    export.add_argument("report_id")
    export.add_argument("--out", type=Path, required=True, help="the .docx file to write")
    export.add_argument("--version", type=int, help="default: the latest version")
    export.set_defaults(func=run_export)


def _due(due: Due, offset: str) -> str:
    at = due.due_at.astimezone(zone_of(offset)).strftime("%Y-%m-%d %H:%M") if due.due_at else ""
    minutes = (due.seconds or 0) // 60
    return {
        DueState.RUNNING: f"应于 {at} 前报送，剩余 {minutes} 分钟 / due {at}, {minutes} min left",
        DueState.OVERDUE: f"应于 {at} 前报送，已超时 {minutes} 分钟 / due {at}, {minutes} min overdue",
        DueState.AT_ONCE: f"立即报送，距首次告警已 {minutes} 分钟 / at once, {minutes} min since the first alert",
        DueState.ON_TIME: f"已按时报送（时限 {at}）/ sent on time (due {at})",
        DueState.LATE: f"已报送，超时 {minutes} 分钟（时限 {at}）/ sent {minutes} min late",
        DueState.SENT: "已报送 / sent",
        DueState.NONE: "无时限 / no deadline",
    }[due.state]


def print_standing(state: Standing, offset: str, lang: str) -> None:
    chosen = state.choice.chosen
    if chosen is None:
        print(f"报送时限 / deadline: {state.choice.reason}")
    else:
        print(f"依据 / rule: {chosen.source(lang)} → {chosen.limit.describe(lang)}（{chosen.why}）")
        print(f"首报 / initial: {_due(state.initial, offset)}")
        if state.followup.state is not DueState.NONE:
            print(f"续报 / follow-up: {_due(state.followup, offset)}")
    for pending in state.choice.pending:
        print(f"若确认 / if confirmed: {pending.source(lang)} → {pending.limit.describe(lang)}（{pending.why}）")


def print_report(record: ReportRecord) -> None:
    report = record.report
    print(f"{report.title}（{report.report_id} 第 {record.version} 版）")
    for section in report.sections:
        print(f"{section_label(section.key, report.lang)}：{section.text(report.lang)}")
    for notice in report.notices:
        print(f"提示 / notice: {notice}", file=sys.stderr)
    missing = untraced(report)
    if missing:
        figures = "、".join(u.figure for u in missing)
        print(f"无来源的数字 / untraced figures: {figures}", file=sys.stderr)


def run_status(args: argparse.Namespace) -> int:
    services = build_services(settings_from_args(args))
    try:
        ensure_shipped_knowledge(services, background=True)
        print_standing(
            services.reports.standing(args.incident_id, args.lang), services.settings.ui.utc_offset, args.lang
        )
    finally:
        services.close()
    return 0


def run_draft(args: argparse.Namespace) -> int:
    services = build_services(settings_from_args(args))
    try:
        ensure_shipped_knowledge(services, background=True)
        record = services.reports.draft(
            args.incident_id, ReportKind(args.kind), args.lang, args.by, args.notes, args.phone
        )
        print_report(record)
        print_standing(
            services.reports.standing(args.incident_id, args.lang), services.settings.ui.utc_offset, args.lang
        )
        if args.out:
            _write(record, args.out, services.settings)
    finally:
        services.close()
    return 0


def _local(value: str, offset: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as err:
        raise AssistantError(
            f"报送时间格式应为 YYYY-MM-DD HH:MM / write the time as YYYY-MM-DD HH:MM: {value!r}"
        ) from err
    return moment if moment.tzinfo else moment.replace(tzinfo=zone_of(offset))


def run_send(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    store, records = ReportStore(settings.data_path("reports.db")), Records(settings.data_path("records.db"))
    try:
        at = _local(args.at, settings.ui.utc_offset)
        sending = record_sending(store, records, args.report_id, args.to, args.by, datetime.now(UTC), at, args.version)
    finally:
        store.close()
        records.close()
    when = sending.at.astimezone(zone_of(settings.ui.utc_offset)).strftime("%Y-%m-%d %H:%M")
    print(f"报告 {args.report_id} 第 {sending.version} 版已于 {when} 报送 {sending.to} / recorded as sent")
    return 0


def _write(record: ReportRecord, out: Path, settings: Settings) -> None:
    if out.suffix.lower() != ".docx":
        raise AssistantError(f"报告只导出 Word（.docx）/ reports are written as Word (.docx), not {out.suffix or out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(report_docx(record, settings.ui.utc_offset, settings.export.issuing_unit))
    print(f"已写入 {out}（第 {record.version} 版）/ wrote {out}", file=sys.stderr)


def run_export(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    store = ReportStore(settings.data_path("reports.db"))
    try:
        versions = store.versions(args.report_id)
        record = next((v for v in versions if v.version == (args.version or versions[-1].version)), None)
        if record is None:
            raise AssistantError(f"报告 {args.report_id} 没有第 {args.version} 版 / no version {args.version}")
    finally:
        store.close()
    _write(record, args.out, settings)
    return 0
