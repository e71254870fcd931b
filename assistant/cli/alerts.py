"""``assistant alerts ...``: ingest, replay, simulate, poll, the board and incident status."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from assistant.alerts.board import describe
from assistant.alerts.factory import build_alert_store, build_poller, load_registry
from assistant.alerts.ingest import ingest_file
from assistant.alerts.intake import parse_file
from assistant.alerts.simulator import DEFAULT_START, simulate, write_stream
from assistant.alerts.times import local_text
from assistant.cli.commands import settings_from_args
from assistant.domain import Alert, Colour, IncidentStatus
from assistant.errors import AlertFormatError, AssistantError


def register(sub: argparse._SubParsersAction) -> None:
    alerts = sub.add_parser("alerts", help="实时告警 / live alerts: ingest, replay, simulate, board, status")
    group = alerts.add_subparsers(dest="alerts_command", required=True, metavar="ACTION")

    ingest = group.add_parser("ingest", help="导入告警文件 / store alert files (CAP, Atom/RSS, JSON, JSONL, CSV)")
    ingest.add_argument("files", nargs="+", type=Path)
    ingest.set_defaults(func=run_ingest)

    replay = group.add_parser("replay", help="按时间顺序回放 / replay files in time order, scaled")
    replay.add_argument("files", nargs="+", type=Path)
    replay.add_argument("--speed", default="max", help="e.g. 10x (ten times real time) or max (no waiting)")
    replay.set_defaults(func=run_replay)

    sim = group.add_parser("simulate", help="生成模拟告警流 / write a realistic simulated stream")
    sim.add_argument("--minutes", type=int, required=True)
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--out", type=Path, required=True, help=".jsonl (readings and signals) or .csv (readings)")
    sim.add_argument("--scale", type=int, default=1, help="multiply the number of monitoring points")
    sim.add_argument("--start", type=datetime.fromisoformat, default=DEFAULT_START, help="ISO time with offset")
    sim.set_defaults(func=run_simulate)

    board = group.add_parser("board", help="告警看板 / open incidents, worst first")
    board.add_argument("--hazard")
    board.add_argument("--colour", choices=[c.value for c in Colour])
    board.add_argument("--district")
    board.add_argument("--status", choices=[s.value for s in IncidentStatus])
    board.add_argument("--limit", type=int, default=50)
    board.add_argument("--json", action="store_true", help="machine-readable output")
    board.set_defaults(func=run_board)

    show = group.add_parser("show", help="事件详情 / one incident with its history and alerts")
    show.add_argument("incident")
    show.set_defaults(func=run_show)

    for action, status, text in (
        ("ack", IncidentStatus.ACKNOWLEDGED, "确认 / acknowledge"),
        ("handle", IncidentStatus.HANDLING, "处置中 / mark as being handled"),
        ("close", IncidentStatus.CLOSED, "关闭 / close"),
    ):
        step = group.add_parser(action, help=f"{text} an incident")
        step.add_argument("incident")
        step.add_argument("--by", required=True, help="who is acting (recorded)")
        step.add_argument("--note", default="")
        step.set_defaults(func=run_transition, to_status=status)

    assign = group.add_parser("assign", help="指派 / assign an incident to a named officer")
    assign.add_argument("incident")
    assign.add_argument("--to", required=True, dest="assignee", help="the officer who takes it")
    assign.add_argument("--by", required=True, help="who is assigning (recorded)")
    assign.set_defaults(func=run_assign)

    poll = group.add_parser("poll", help="轮询配置的 CAP 订阅源 / poll the configured CAP feeds")
    poll.add_argument("--once", action="store_true", help="poll once and exit (default: keep polling)")
    poll.set_defaults(func=run_poll)

    similar = group.add_parser("similar", help="同类资产 / assets similar to one (common-risk warning)")
    similar.add_argument("asset")
    similar.set_defaults(func=run_similar)


def run_ingest(args: argparse.Namespace) -> int:
    failed = 0
    with build_alert_store(settings_from_args(args)) as store:
        for path in args.files:
            try:
                report = ingest_file(store, path)
            except AlertFormatError as err:
                failed += 1
                print(f"✗ {err}", file=sys.stderr)
                continue
            incidents = ", ".join(report.incident_ids[:5]) + (" …" if len(report.incident_ids) > 5 else "")
            note = f" ({report.note})" if report.note else ""
            print(
                f"✓ {path}: {report.new} 条新告警 / new, {report.duplicates} 条重复 / duplicate"
                f"{', 事件 / incidents: ' + incidents if incidents else ''}{note}"
            )
            for problem in report.errors:
                failed += 1
                print(f"  ✗ {problem}", file=sys.stderr)
    return 1 if failed else 0


def parse_speed(text: str) -> float | None:
    """'10x' -> 10.0; 'max' -> None (no waiting)."""
    value = text.strip().lower()
    if value in ("max", "0", "inf"):
        return None
    value = value.removesuffix("x")
    try:
        speed = float(value)
    except ValueError:
        raise AssistantError(f"--speed 应为如 10x 或 max / --speed must look like 10x or max, got {text!r}") from None
    if speed <= 0:
        raise AssistantError("--speed 必须大于 0 / --speed must be positive")
    return speed


def load_in_time_order(files: list[Path]) -> list[Alert]:
    alerts: list[Alert] = []
    for path in files:
        result = parse_file(path)
        for err in result.errors:
            print(f"  ✗ {err}", file=sys.stderr)
        alerts.extend(result.alerts)
    return sorted(alerts, key=lambda a: a.sent)


def run_replay(args: argparse.Namespace) -> int:
    speed = parse_speed(args.speed)
    alerts = load_in_time_order(args.files)
    if not alerts:
        raise AssistantError("没有可回放的告警 / nothing to replay")
    began = time.perf_counter()
    with build_alert_store(settings_from_args(args)) as store:
        if speed is None:
            outcomes = store.ingest_many(alerts)
        else:
            outcomes = []
            first = alerts[0].sent
            for alert in alerts:
                due = (alert.sent - first).total_seconds() / speed
                wait = due - (time.perf_counter() - began)
                if wait > 0:
                    time.sleep(wait)
                outcomes.append(store.ingest(alert))
    elapsed = time.perf_counter() - began
    new = sum(1 for o in outcomes if not o.duplicate)
    incidents = len({o.incident_id for o in outcomes if o.incident_id})
    print(
        f"回放 {len(alerts)} 条（新 {new}），涉及 {incidents} 个事件，用时 {elapsed:.1f}s / "
        f"replayed {len(alerts)} alerts ({new} new) into {incidents} incidents in {elapsed:.1f}s"
    )
    return 0


def run_simulate(args: argparse.Namespace) -> int:
    if args.minutes <= 0:
        raise AssistantError("--minutes 必须大于 0 / --minutes must be positive")
    if args.start.tzinfo is None:
        raise AssistantError("--start 须带时区 / --start needs a UTC offset, e.g. 2025-07-01T08:00:00+08:00")
    count = write_stream(simulate(args.minutes, args.seed, start=args.start, scale=args.scale), args.out)
    print(f"已写入 {count} 条 / wrote {count} records to {args.out}")
    return 0


def run_board(args: argparse.Namespace) -> int:
    with build_alert_store(settings_from_args(args)) as store:
        entries = store.board(args.hazard, args.colour, args.district, args.status, args.limit)
    if args.json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("没有符合条件的事件 / no matching incidents")
    for entry in entries:
        print(describe(entry))
    return 0


def run_show(args: argparse.Namespace) -> int:
    with build_alert_store(settings_from_args(args)) as store:
        entry = store.board_entry(args.incident)
        events = store.events(args.incident)
        alerts = store.alerts_of(args.incident, limit=10)
    print(describe(entry))
    for event in events:
        change = f" {event.from_status or ''}→{event.to_status}" if event.to_status else ""
        print(f"  {event.at:%Y-%m-%d %H:%M:%S}Z {event.actor}: {event.action}{change} {event.note}".rstrip())
    for alert in alerts:
        print(f"  · {local_text(alert.sent, alert.sent_offset)} {alert.headline}")
    return 0


def run_transition(args: argparse.Namespace) -> int:
    with build_alert_store(settings_from_args(args)) as store:
        store.transition(args.incident, args.to_status, args.by, args.note)
        print(describe(store.board_entry(args.incident)))
    return 0


def run_assign(args: argparse.Namespace) -> int:
    with build_alert_store(settings_from_args(args)) as store:
        store.assign(args.incident, args.assignee, args.by)
        print(describe(store.board_entry(args.incident)))
    return 0


def run_poll(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if not settings.alerts.feed_urls:
        raise AssistantError("未配置订阅源 / no feeds configured: set alerts.feed_urls in settings.yaml")
    with build_alert_store(settings) as store:
        poller = build_poller(settings, store)
        while True:
            for report in poller.poll_once():
                print(f"{report.url}: {report.entries} 条目 / entries, {report.new} new, {report.duplicates} duplicate")
                for problem in report.errors:
                    print(f"  ✗ {problem}", file=sys.stderr)
            if args.once:
                return 0
            time.sleep(settings.alerts.poll_interval_s)


def run_similar(args: argparse.Namespace) -> int:
    registry = load_registry(settings_from_args(args))
    if registry is None:
        raise AssistantError("没有资产清单 / no asset registry: set alerts.assets_file")
    if registry.asset(args.asset) is None:
        raise AssistantError(f"资产清单中没有 {args.asset} / no asset {args.asset} in the registry")
    found = registry.similar_assets(args.asset)
    if not found:
        print("没有同类资产 / no similar assets")
    for item in found:
        print(f"{item.asset.asset_id} {item.asset.name} [{item.asset.district}] — {'；'.join(item.reasons)}")
    return 0
