"""任务跟踪 / the incident workspace's task panel: issue the draft's actions, then chase them to done.

The panel reads the newest draft of the incident (the one the workspace shows), lists its actions
for issuing (all, or the ones ticked), and lists the incident's tasks with status, due time, unit
and latest feedback; overdue rows are red. A timer redraws the list when a deadline passes, and
every change is recorded with the signed-in officer's name.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

import gradio as gr

from assistant.export.layout import LOOP_LABELS
from assistant.records import DraftRecord
from assistant.services import Services
from assistant.tasks import Task
from assistant.tasks.actions import numbered_actions
from assistant.tasks.text import due_text, state_text
from assistant.ui.auth import officer_name
from assistant.ui.i18n import columns, text
from assistant.ui.session import Workspace, user_errors

REFRESH_S = 3.0
ROW_CSS = {"overdue": "background:#f8d7da;color:#721c24;font-weight:600", "closed": "color:#777"}


def latest_draft(services: Services, incident_id: str) -> DraftRecord | None:
    drafts = services.records.list_drafts(incident_id=incident_id, limit=1)
    return services.records.latest_draft(str(drafts[0]["draft_id"])) if drafts else None


def latest_notes(services: Services, incident_id: str) -> dict[int, str]:
    """Each task's newest feedback note (one read of the incident's events)."""
    notes: dict[int, str] = {}
    for event in services.alerts.events(incident_id):
        if event.task_id is not None and event.action == "task.note":
            notes[event.task_id] = event.note.split("：", 1)[-1]
    return notes


def tasks_html(tasks: list[Task], notes: dict[int, str], now: datetime, offset: str, lang: str) -> str:
    if not tasks:
        return f"<p>{escape(text('no_tasks', lang))}</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in columns("task_columns", lang))
    loops = LOOP_LABELS["en" if lang == "en" else "zh"]
    body = []
    for task in tasks:
        style = ROW_CSS["overdue"] if task.overdue(now) else "" if task.status.is_open else ROW_CSS["closed"]
        note = notes.get(task.task_id, "") or (task.waive_reason or "")
        cells = (
            task.ref,
            state_text(task, now, lang),
            task.time_limit,
            due_text(task, offset, lang),
            task.unit,
            task.text,
            loops[task.loop.value],
            note,
        )
        row = "".join(f"<td>{escape(c)}</td>" for c in cells)
        body.append(f'<tr data-task="{task.ref}" data-status="{task.status.value}" style="{style}">{row}</tr>')
    return f'<table class="actions tasks"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def build_task_panel(ws: Workspace) -> None:
    services, loc = ws.services, ws.localiser
    lang0 = services.settings.ui.language
    with loc.label(gr.Accordion(text("tasks_panel", lang0), open=True, elem_id="tasks-panel"), "tasks_panel"):
        summary = gr.Markdown(elem_id="tasks-summary")
        table = gr.HTML(elem_id="tasks")
        with gr.Row(equal_height=True):
            task = loc.label(gr.Dropdown([], label=text("task_pick", lang0), elem_id="task-pick", scale=2), "task_pick")
            note = loc.label(gr.Textbox(label=text("task_note", lang0), elem_id="task-note", scale=3), "task_note")
        with gr.Row():
            buttons = {
                name: loc.value(gr.Button(text(key, lang0), size="sm", elem_id=f"task-{name}"), key)
                for name, key in (
                    ("ack", "task_ack"),
                    ("start", "task_start"),
                    ("done", "task_done"),
                    ("waive", "task_waive"),
                    ("note", "task_add_note"),
                )
            }
        message = gr.Markdown(elem_id="task-message")
        actions = loc.label(gr.CheckboxGroup([], label=text("issue_pick", lang0), elem_id="issue-pick"), "issue_pick")
        with gr.Row():
            issue = loc.value(
                gr.Button(text("issue_tasks", lang0), variant="primary", elem_id="issue-tasks", scale=0), "issue_tasks"
            )
    shown = gr.State("")

    def panel(incident_id: str, lang: str, last: str, reset: bool = True) -> tuple[Any, ...]:
        """Everything in the panel; ``reset`` clears the ticked actions (not on a timer's redraw)."""
        if not incident_id:
            return "", "", gr.update(choices=[], value=[]), gr.update(choices=[], value=None), ""
        now, offset = services.clock.now(), services.settings.ui.utc_offset
        found = services.tasks.of_incident(incident_id)
        record = latest_draft(services, incident_id)
        issued = {(t.stage.value, t.text): t.ref for t in found}
        choices = []
        for item in numbered_actions(record.draft) if record else []:
            done = issued.get((item.stage.value, item.action.text))
            label = f"{item.number}. [{item.stage.label(lang)}] {item.action.text[:40]} · {item.action.unit} · "
            label += item.action.time_limit + (f"（{done}）" if done else "")
            choices.append((label, item.number))
        html = tasks_html(found, latest_notes(services, incident_id), now, offset, lang)
        signature = repr((incident_id, lang, html, choices))
        if signature == last:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        counts = services.alerts.board_entry(incident_id, now=now).tasks
        line = (
            text(
                "tasks_summary",
                lang,
                total=counts.total,
                done=counts.done,
                waived=counts.waived,
                overdue=counts.overdue,
            )
            if counts
            else ""
        )
        picks = [(f"{t.ref} {t.text[:30]}", t.ref) for t in found]
        ticks = gr.update(choices=choices, value=[]) if reset else gr.update(choices=choices)
        return line, html, ticks, gr.update(choices=picks), signature

    outputs = [summary, table, actions, task, shown]
    for trigger in (ws.incident.change, ws.changed.change, ws.lang.change):
        trigger(lambda i, lang: panel(i, lang, ""), [ws.incident, ws.lang], outputs, api_visibility="private")
    gr.Timer(REFRESH_S).tick(
        lambda i, lang, last: panel(i, lang, last, reset=False),
        [ws.incident, ws.lang, shown],
        outputs,
        show_progress="hidden",
        api_visibility="private",
    )

    def issue_tasks(incident_id: str, numbers: list[int], lang: str, bump: int, request: gr.Request) -> tuple[str, int]:
        record = latest_draft(services, incident_id) if incident_id else None
        if record is None:
            raise gr.Error(text("draft_first", lang))
        with user_errors():
            new, skipped = services.tasks.issue(record.draft, record.version, officer_name(request), numbers or None)
        more = text("issued_skipped", lang, n=len(skipped)) if skipped else ""
        return text("issued", lang, n=len(new), skipped=more), bump + 1

    issue.click(issue_tasks, [ws.incident, actions, ws.lang, ws.changed], [message, ws.changed], api_name="issue_tasks")

    def step(name: str) -> Any:
        def run(task_ref: str | None, words: str, lang: str, bump: int, request: gr.Request) -> tuple[str, str, int]:
            if not task_ref:
                raise gr.Error(text("pick_task", lang))
            officer = officer_name(request)
            tasks = services.tasks
            with user_errors():
                if name == "note":
                    changed = tasks.note(task_ref, officer, words)
                    return text("task_noted", lang, task=changed.ref, officer=officer), "", bump + 1
                move = {"ack": tasks.acknowledge, "start": tasks.start, "done": tasks.done}.get(name)
                changed = move(task_ref, officer, words) if move else tasks.waive(task_ref, officer, words)
            status = changed.status.label(lang)
            return text("task_changed", lang, task=changed.ref, status=status, officer=officer), "", bump + 1

        return run

    for name, button in buttons.items():
        button.click(
            step(name), [task, note, ws.lang, ws.changed], [message, note, ws.changed], api_name=f"task_{name}"
        )
