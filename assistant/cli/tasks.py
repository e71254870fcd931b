"""``assistant tasks ...``: issue a draft's actions as tasks, list them, move them forward, note feedback."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime

from assistant.cli.commands import settings_from_args
from assistant.errors import NotFoundError
from assistant.records import DraftRecord, Records
from assistant.services import DutyServices, build_duty_services
from assistant.tasks import Task, TaskStore
from assistant.tasks.actions import numbered_actions, parse_selection
from assistant.tasks.due import parse_due
from assistant.tasks.text import due_text, local_clock, state_text

BY_HELP = "who is acting (recorded)"


def register(sub: argparse._SubParsersAction) -> None:
    tasks = sub.add_parser(
        "tasks", help="任务 / tasks from a draft's actions: issue, list, ack, start, done, waive, note"
    )
    group = tasks.add_subparsers(dest="tasks_command", required=True, metavar="ACTION")

    actions = group.add_parser("actions", help="草案的措施编号 / a draft's actions, numbered as --actions takes them")
    actions.add_argument("draft_id")
    actions.add_argument("--version", type=int, help="default: the latest version")
    actions.set_defaults(func=run_actions)

    issue = group.add_parser("issue", help="下达任务 / issue a draft version's actions as tasks")
    issue.add_argument("draft_id")
    issue.add_argument("--actions", default="", help="e.g. 1,3,5-7 (default: every action)")
    issue.add_argument("--version", type=int, help="default: the latest version")
    issue.add_argument("--by", required=True, help=BY_HELP)
    issue.set_defaults(func=run_issue)

    listing = group.add_parser("list", help="任务列表 / an incident's tasks, or every open task")
    listing.add_argument("incident", nargs="?", help="default: open tasks of every incident")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(func=run_list)

    show = group.add_parser("show", help="任务详情 / one task with its history and notes")
    show.add_argument("task")
    show.set_defaults(func=run_show)

    for name, text in (
        ("ack", "签收 / acknowledge"),
        ("start", "开始处置 / mark in progress"),
        ("done", "完成 / mark done"),
    ):
        step = group.add_parser(name, help=f"{text} a task")
        step.add_argument("task", help="T12 or 12")
        step.add_argument("--by", required=True, help=BY_HELP)
        step.add_argument("--note", default="", help="feedback kept with the change")
        step.set_defaults(func=run_step, step=name)

    waive = group.add_parser("waive", help="免除 / waive a task, with the reason (recorded)")
    waive.add_argument("task")
    waive.add_argument("--reason", required=True)
    waive.add_argument("--by", required=True, help=BY_HELP)
    waive.set_defaults(func=run_waive)

    note = group.add_parser("note", help="反馈 / add a feedback note to a task")
    note.add_argument("task")
    note.add_argument("text")
    note.add_argument("--by", required=True, help=BY_HELP)
    note.set_defaults(func=run_note)


def _duty(args: argparse.Namespace) -> DutyServices:
    return build_duty_services(settings_from_args(args))


def _record(records: Records, draft_id: str, version: int | None) -> DraftRecord:
    if version is None:
        return records.latest_draft(draft_id)
    for record in records.draft_versions(draft_id):
        if record.version == version:
            return record
    raise NotFoundError(f"没有草案 {draft_id} 第 {version} 版 / no draft {draft_id} version {version}")


def line(task: Task, duty: DutyServices) -> str:
    """One task as a CLI line: id, state, due, unit, action, and the action's own time limit."""
    offset = duty.settings.ui.utc_offset
    state = state_text(task, duty.clock.now(), "zh")
    return (
        f"{task.ref:>5} [{state}] 时限 {due_text(task, offset, 'zh')}（{task.time_limit}） · {task.unit} · "
        f"{task.text} · 事件 {task.incident_id} · 草案 {task.draft_id} v{task.draft_version}"
    )


def run_actions(args: argparse.Namespace) -> int:
    duty = _duty(args)
    try:
        record = _record(duty.records, args.draft_id, args.version)
    finally:
        duty.close()
    print(f"草案 {args.draft_id} 第 {record.version} 版 / draft version {record.version}:")
    for item in numbered_actions(record.draft):
        kind = parse_due(item.action.time_limit).kind.value
        print(
            f"{item.number:>3}. [{item.stage.zh}] {item.action.text} · {item.action.unit} · {item.action.time_limit} ({kind})"
        )
    return 0


def run_issue(args: argparse.Namespace) -> int:
    duty = _duty(args)
    try:
        record = _record(duty.records, args.draft_id, args.version)
        numbers = parse_selection(args.actions, len(numbered_actions(record.draft)))
        issued, skipped = duty.tasks.issue(record.draft, record.version, args.by, numbers)
        for task in issued:
            print(line(task, duty))
    finally:
        duty.close()
    note = f"，{len(skipped)} 项此前已下达（{','.join(map(str, skipped))}）" if skipped else ""
    print(f"已下达 {len(issued)} 项任务{note} / issued {len(issued)} task(s), {len(skipped)} already issued")
    return 0


def run_list(args: argparse.Namespace) -> int:
    duty = _duty(args)
    try:
        found = duty.tasks.of_incident(args.incident) if args.incident else duty.tasks.open_tasks()
        if args.incident and not found:
            duty.alerts.incident(args.incident)  # a wrong id says so instead of listing nothing
        if args.json:
            now = duty.clock.now()
            print(json.dumps([_as_dict(t, now) for t in found], ensure_ascii=False, indent=2))
        elif not found:
            print("没有任务 / no tasks")
        else:
            for task in found:
                print(line(task, duty))
    finally:
        duty.close()
    return 0


def _as_dict(task: Task, now: datetime) -> dict[str, object]:
    return {
        "task": task.ref,
        "incident_id": task.incident_id,
        "draft_id": task.draft_id,
        "draft_version": task.draft_version,
        "stage": task.stage.value,
        "action_no": task.action_no,
        "text": task.text,
        "unit": task.unit,
        "time_limit": task.time_limit,
        "loop": task.loop.value,
        "due_kind": task.due_kind.value,
        "due_at": task.due_at.isoformat() if task.due_at else None,
        "status": task.status.value,
        "overdue": task.overdue(now),
        "issued_at": task.issued_at.isoformat(),
        "issued_by": task.issued_by,
        "waive_reason": task.waive_reason,
    }


def run_show(args: argparse.Namespace) -> int:
    duty = _duty(args)
    try:
        task = duty.tasks.task(args.task)
        print(line(task, duty))
        for event in duty.tasks.history(task.task_id):
            when = local_clock(event.at, duty.settings.ui.utc_offset)
            print(f"  {when} {event.actor}: {event.action} {event.note}".rstrip())
    finally:
        duty.close()
    return 0


def _change(args: argparse.Namespace, act: Callable[[TaskStore], Task]) -> int:
    duty = _duty(args)
    try:
        print(line(act(duty.tasks), duty))
    finally:
        duty.close()
    return 0


def run_step(args: argparse.Namespace) -> int:
    moves = {"ack": TaskStore.acknowledge, "start": TaskStore.start, "done": TaskStore.done}
    return _change(args, lambda tasks: moves[args.step](tasks, args.task, args.by, args.note))


def run_waive(args: argparse.Namespace) -> int:
    return _change(args, lambda tasks: tasks.waive(args.task, args.by, args.reason))


def run_note(args: argparse.Namespace) -> int:
    return _change(args, lambda tasks: tasks.note(args.task, args.by, args.text))
