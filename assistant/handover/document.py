"""A handover as an official document (交接班记录): Word through ``official_docx``, Markdown for the page.

Sections in the order the incoming officer acts on them: open incidents by colour, overdue tasks,
tasks due in the next shift, reports due, incidents opened and closed, notable changes.
"""

from __future__ import annotations

from assistant.domain import Colour
from assistant.export.document import Cell, Column, IssuingBlock, OfficialDocument, Paragraph, Section, Table
from assistant.export.local_time import local_date, local_time, offset_label
from assistant.export.official_docx import docx_bytes
from assistant.export.official_markdown import render_official_markdown
from assistant.handover.model import Handover
from assistant.tasks import Task
from assistant.tasks.text import due_text, local_clock, state_text

LABELS = {
    "zh": {
        "title": "交接班记录",
        "period": "交接时段",
        "next": "下一班关注至",
        "prepared_by": "交班人",
        "summary": "值守概况",
        "summary_line": "未关闭事件 {open} 起；逾期任务 {overdue} 项；下一班内到期任务 {due} 项；本班新增事件 {opened} 起、"
        "关闭 {closed} 起。",
        "open": "未关闭事件（按预警颜色）",
        "no_colour": "无预警颜色",
        "overdue": "逾期任务",
        "due_next": "下一班内到期任务",
        "reports": "待报送信息",
        "reports_off": "信息报送模块未接入，未核对待报送信息，请人工核对。",
        "opened_closed": "本班新增与关闭事件",
        "opened": "新增事件",
        "closed": "关闭事件",
        "changes": "重要变化",
        "none": "无。",
        "incident": "事件",
        "id": "编号",
        "status": "状态",
        "officer": "负责人",
        "tasks": "任务（完成/总数）",
        "task": "任务",
        "unit": "责任单位",
        "action": "措施",
        "limit": "时限",
        "due": "应完成",
        "time": "时间",
        "change": "变化",
        "detail": "详情",
        "kind": "类别",
        "rule": "依据",
        "by": "操作人",
        "overdue_n": "逾期{n}",
        "overdue_word": "已逾期",
        "unit_placeholder": "（值班单位）",
        "colour_raised": "预警颜色升级",
        "level_proposed": "提出响应级别",
        "similar_assets": "同类资产共性风险提示",
    },
    "en": {
        "title": "Shift handover",
        "period": "Shift",
        "next": "Next shift watches until",
        "prepared_by": "Handed over by",
        "summary": "Summary",
        "summary_line": "{open} open incidents; {overdue} overdue tasks; {due} tasks due in the next shift; {opened} "
        "incidents opened and {closed} closed during the shift.",
        "open": "Open incidents by warning colour",
        "no_colour": "No warning colour",
        "overdue": "Overdue tasks",
        "due_next": "Tasks due in the next shift",
        "reports": "Reports due",
        "reports_off": "The reports module is not connected: reports due were not checked; check them by hand.",
        "opened_closed": "Incidents opened and closed",
        "opened": "Opened",
        "closed": "Closed",
        "changes": "Notable changes",
        "none": "None.",
        "incident": "Incident",
        "id": "ID",
        "status": "Status",
        "officer": "Officer",
        "tasks": "Tasks (done/total)",
        "task": "Task",
        "unit": "Unit",
        "action": "Action",
        "limit": "Time limit",
        "due": "Due",
        "time": "Time",
        "change": "Change",
        "detail": "Detail",
        "kind": "Report",
        "rule": "Rule",
        "by": "By",
        "overdue_n": "{n} overdue",
        "overdue_word": "overdue",
        "unit_placeholder": "(duty unit)",
        "colour_raised": "warning colour raised",
        "level_proposed": "response level proposed",
        "similar_assets": "common-risk warning for similar assets",
    },
}
STATUS = {
    "zh": {"new": "新", "acknowledged": "已确认", "handling": "处置中", "closed": "已关闭"},
    "en": {"new": "new", "acknowledged": "acknowledged", "handling": "handling", "closed": "closed"},
}


def _t(lang: str) -> dict[str, str]:
    return LABELS["en" if lang == "en" else "zh"]


def _none(lang: str) -> tuple[Paragraph, ...]:
    return (Paragraph(_t(lang)["none"]),)


def _open_section(h: Handover, lang: str, offset: str) -> Section:
    t = _t(lang)
    groups: list[Section] = []
    for colour in (*Colour, None):
        entries = [e for e in h.open_incidents if e.incident.colour is colour]
        if not entries:
            continue
        columns = (
            Column(t["incident"], 40),
            Column(t["id"], 20),
            Column(t["status"], 12, centred=True),
            Column(t["officer"], 12, centred=True),
            Column(t["tasks"], 16, centred=True),
        )
        rows = []
        for entry in entries:
            i, counts = entry.incident, entry.tasks
            tasks = f"{counts.done}/{counts.total}" if counts else "—"
            if counts and counts.overdue:
                tasks += f"（{t['overdue_n'].format(n=counts.overdue)}）"
            status = STATUS["en" if lang == "en" else "zh"][i.status.value]
            rows.append((Cell(i.title), Cell(i.incident_id), Cell(status), Cell(i.assignee or "—"), Cell(tasks)))
        name = (colour.value if lang == "en" else colour.zh) if colour else t["no_colour"]
        groups.append(Section(f"{name}（{len(entries)}）", (Table(columns, tuple(rows)),)))
    return Section(t["open"], () if groups else _none(lang), tuple(groups))


def _task_table(tasks: tuple[Task, ...], h: Handover, lang: str, offset: str) -> tuple[Table | Paragraph, ...]:
    if not tasks:
        return _none(lang)
    t = _t(lang)
    columns = (
        Column(t["task"], 8, centred=True),
        Column(t["incident"], 20),
        Column(t["unit"], 16),
        Column(t["action"], 30),
        Column(t["due"], 13, centred=True),
        Column(t["status"], 13, centred=True),
    )
    now = h.period.end
    rows = tuple(
        (
            Cell(task.ref),
            Cell(h.titles.get(task.incident_id, task.incident_id)),
            Cell(task.unit),
            Cell(
                task.text,
                note=f"{t['limit']}：{task.time_limit}" if lang != "en" else f"{t['limit']}: {task.time_limit}",
            ),
            Cell(due_text(task, offset, lang)),
            Cell(state_text(task, now, lang)),
        )
        for task in tasks
    )
    return (Table(columns, rows),)


def _reports_section(h: Handover, lang: str, offset: str) -> Section:
    t = _t(lang)
    if h.reports_due is None:
        return Section(t["reports"], (Paragraph(t["reports_off"]),))
    if not h.reports_due:
        return Section(t["reports"], _none(lang))
    columns = (
        Column(t["incident"], 34),
        Column(t["kind"], 12, centred=True),
        Column(t["due"], 16),
        Column(t["rule"], 38),
    )
    late = f"（{t['overdue_word']}）" if lang != "en" else f" ({t['overdue_word']})"
    rows = tuple(
        (
            Cell(r.title),
            Cell(r.kind),
            Cell(local_clock(r.due_at, offset) + (late if r.due_at < h.period.end else "")),
            Cell(r.rule),
        )
        for r in h.reports_due
    )
    return Section(t["reports"], (Table(columns, rows),))


def _opened_closed(h: Handover, lang: str, offset: str) -> Section:
    t = _t(lang)
    columns = (Column(t["time"], 18, centred=True), Column(t["incident"], 50), Column(t["id"], 32))
    opened = tuple((Cell(local_clock(at, offset)), Cell(title), Cell(i)) for i, title, at in h.opened)
    closed_columns = (*columns[:2], Column(t["by"], 14, centred=True), Column(t["id"], 18))
    closed = tuple((Cell(local_clock(at, offset)), Cell(title), Cell(by), Cell(i)) for i, title, at, by in h.closed)
    return Section(
        t["opened_closed"],
        subsections=(
            Section(f"{t['opened']}（{len(opened)}）", (Table(columns, opened),) if opened else _none(lang)),
            Section(f"{t['closed']}（{len(closed)}）", (Table(closed_columns, closed),) if closed else _none(lang)),
        ),
    )


def _changes(h: Handover, lang: str, offset: str) -> Section:
    t = _t(lang)
    if not h.changes:
        return Section(t["changes"], _none(lang))
    columns = (
        Column(t["time"], 14, centred=True),
        Column(t["incident"], 30),
        Column(t["change"], 18),
        Column(t["detail"], 38),
    )
    rows = tuple(
        (Cell(local_clock(c.at, offset)), Cell(c.title), Cell(t.get(c.kind, c.kind)), Cell(c.detail)) for c in h.changes
    )
    return Section(t["changes"], (Table(columns, rows),))


def handover_document(h: Handover, lang: str, offset: str, unit: str = "") -> OfficialDocument:
    t = _t(lang)
    colon = ": " if lang == "en" else "："
    start, end = local_time(h.period.start, offset, lang), local_time(h.period.end, offset, lang)
    lead = (
        Paragraph(f"{t['period']}{colon}{start} — {end}" + (f" ({offset_label(offset)})" if lang != "en" else "")),
        Paragraph(f"{t['next']}{colon}{local_time(h.period.next_end, offset, lang)}"),
        Paragraph(f"{t['prepared_by']}{colon}{h.prepared_by}"),
    )
    summary = t["summary_line"].format(
        open=len(h.open_incidents),
        overdue=len(h.overdue),
        due=len(h.due_next),
        opened=len(h.opened),
        closed=len(h.closed),
    )
    sections = (
        Section(t["summary"], (Paragraph(summary),)),
        _open_section(h, lang, offset),
        Section(t["overdue"], _task_table(h.overdue, h, lang, offset)),
        Section(t["due_next"], _task_table(h.due_next, h, lang, offset)),
        _reports_section(h, lang, offset),
        _opened_closed(h, lang, offset),
        _changes(h, lang, offset),
    )
    return OfficialDocument(
        title=f"{t['title']}（{local_date(h.period.end, offset, lang)}）"
        if lang != "en"
        else f"{t['title']}, {local_date(h.period.end, offset, lang)}",
        lang="en" if lang == "en" else "zh",
        lead=lead,
        sections=sections,
        issuing=IssuingBlock(
            unit=unit or t["unit_placeholder"], date=local_date(h.period.end, offset, lang), duty_officer=h.prepared_by
        ),
        comments=f"handover {h.period.start.isoformat()} — {h.period.end.isoformat()}",
    )


def handover_docx(h: Handover, lang: str, offset: str, unit: str = "") -> bytes:
    return docx_bytes(handover_document(h, lang, offset, unit))


def handover_markdown(h: Handover, lang: str, offset: str, unit: str = "") -> str:
    return render_official_markdown(handover_document(h, lang, offset, unit))
