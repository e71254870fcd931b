"""值班台 / alert board: open incidents worst first, coloured, filtered, updating itself every second.

The timer asks the store once a second (the top 50 is read straight off an index in
~2 ms) but only sends the table to the browser when it changed, so an idle board costs
nothing and a posted alert shows up within two seconds.
"""

from __future__ import annotations

from datetime import timezone
from typing import Any

import gradio as gr
import pandas as pd
from pandas.io.formats.style import Styler

from assistant.alerts.board import BoardEntry
from assistant.chain.facts import AlertFacts
from assistant.chain.injection import withhold_injection
from assistant.domain import HAZARDS, Colour, IncidentStatus
from assistant.services import Services
from assistant.ui.auth import officer_name
from assistant.ui.facts_view import casualties_cell, nearby_cell, peak_cell, people_cell, trend_cell
from assistant.ui.i18n import text
from assistant.ui.incident_view import STATUS_LABELS, local, zone_of
from assistant.ui.session import Workspace, user_errors

REFRESH_S = 1.0
COLOUR_CSS = {
    "red": "background-color:#d62728;color:#fff;font-weight:bold",
    "orange": "background-color:#ff7f0e;color:#fff;font-weight:bold",
    "yellow": "background-color:#ffd700;color:#000;font-weight:bold",
    "blue": "background-color:#1f77b4;color:#fff;font-weight:bold",
    "green": "background-color:#2ca02c;color:#fff;font-weight:bold",
}
COLUMN_KEYS = (
    "col_colour",
    "col_hazard",
    "col_title",
    "col_count",
    "col_peak",
    "col_trend",
    "col_people",
    "col_casualties",
    "col_district",
    "col_near",
    "col_status",
    "col_assignee",
    "col_tasks",
    "col_next_due",
    "col_last",
    "col_id",
)
COLUMN_WIDTHS: list[str | int] = [
    "56px",
    "64px",
    "20%",
    "44px",
    "120px",
    "110px",
    "90px",
    "64px",
    "64px",
    "140px",
    "60px",
    "64px",
    "80px",
    "92px",
    "92px",
    "120px",
]
OVERDUE_CSS = "background-color:#d62728;color:#fff;font-weight:bold"
WITHHELD_CSS = "background-color:#fff3cd;color:#856404"
TASK_COLUMNS = ("col_tasks", "col_next_due")
Filters = tuple[str, str, str, str]


def tasks_cells(entry: BoardEntry, lang: str, zone: timezone) -> tuple[str, str]:
    """'2/5 逾期1' and the next deadline's local time ('' for an incident without tasks)."""
    counts = entry.tasks
    if counts is None:
        return "", ""
    cell = f"{counts.done}/{counts.total}"
    if counts.waived:
        cell += " " + text("waived_n", lang, n=counts.waived)
    if counts.overdue:
        cell += " " + text("overdue_n", lang, n=counts.overdue)
    return cell, local(counts.next_deadline, zone) if counts.next_deadline else ""


def title_cell(title: str, facts: AlertFacts, lang: str) -> str:
    """The title, with instruction-like text withheld and flagged (it must not read as an order)."""
    if not facts.withheld:
        return title
    return f"{withhold_injection(title, lang)} {text('withheld_flag', lang)}"


def board_frame(services: Services, filters: Filters, lang: str) -> tuple[Styler, str, str]:
    """The coloured table, a one-line count by colour, and a signature to tell whether anything changed."""
    hazard, colour, district, status = (f or None for f in filters)
    entries = services.alerts.board(
        hazard=hazard, colour=colour, district=district, status=status, limit=100, now=services.clock.now()
    )
    key = "en" if lang == "en" else "zh"
    zone = zone_of(services.settings.ui.utc_offset)
    rows, colours, overdue, withheld = [], [], [], []
    for entry in entries:
        i = entry.incident
        facts = services.alert_facts(services.alerts.alert(i.latest_alert_id), lang=key)
        colour_name = (i.colour.value if lang == "en" else i.colour.zh) if i.colour else "—"
        tasks, next_due = tasks_cells(entry, lang, zone)
        rows.append(
            [
                colour_name,
                i.hazard or "",
                title_cell(i.title, facts, key),
                i.count,
                peak_cell(facts, i),
                trend_cell(facts, i),
                people_cell(facts),
                casualties_cell(facts),
                i.district or "",
                nearby_cell(facts),
                STATUS_LABELS[key][i.status.value],
                i.assignee or "",
                tasks,
                next_due,
                local(i.last_seen, zone),
                i.incident_id,
            ]
        )
        colours.append(i.colour.value if i.colour else "")
        overdue.append(bool(entry.tasks and entry.tasks.overdue))
        withheld.append(bool(facts.withheld))
    headers = [text(k, lang) for k in COLUMN_KEYS]
    frame = pd.DataFrame(rows, columns=headers)
    styler = frame.style.apply(lambda column: [COLOUR_CSS.get(c, "") for c in colours], subset=[headers[0]])
    task_headers = [headers[COLUMN_KEYS.index(k)] for k in TASK_COLUMNS]
    styler = styler.apply(lambda column: [OVERDUE_CSS if late else "" for late in overdue], subset=task_headers)
    title = headers[COLUMN_KEYS.index("col_title")]
    styler = styler.apply(lambda column: [WITHHELD_CSS if flag else "" for flag in withheld], subset=[title])
    counts = {c.value: 0 for c in Colour}
    for c in colours:
        if c:
            counts[c] += 1
    summary = text("board_counts", lang, open=len(entries), **counts) if entries else text("board_empty", lang)
    signature = repr((lang, filters, rows))
    return styler, summary, signature


def build_board(ws: Workspace) -> None:
    services, loc = ws.services, ws.localiser
    lang0 = services.settings.ui.language
    with gr.Row():
        hazard = loc.label(
            gr.Dropdown(["", *(h.name for h in HAZARDS)], value="", label=text("filter_hazard", lang0)), "filter_hazard"
        )
        colour = loc.label(
            gr.Dropdown(["", *(c.value for c in Colour)], value="", label=text("filter_colour", lang0)), "filter_colour"
        )
        district = loc.label(
            gr.Dropdown([""], value="", allow_custom_value=True, label=text("filter_district", lang0)),
            "filter_district",
        )
        status = loc.label(
            gr.Dropdown(["", *(s.value for s in IncidentStatus)], value="", label=text("filter_status", lang0)),
            "filter_status",
        )
    counts = gr.Markdown(elem_id="board-counts")
    first, first_counts, first_sig = board_frame(services, ("", "", "", ""), lang0)
    table = loc.label(
        gr.Dataframe(
            first,
            interactive=False,
            wrap=True,
            column_widths=COLUMN_WIDTHS,
            label=text("board_table", lang0),
            elem_id="board",
        ),
        "board_table",
    )
    counts.value = first_counts
    shown = gr.State(first_sig)
    loc.value(gr.Markdown(text("board_hint", lang0)), "board_hint")
    with gr.Row(equal_height=True):
        selected = gr.Markdown(text("nothing_selected", lang0), elem_id="selected-incident")
        ack = loc.value(gr.Button(text("ack", lang0), size="sm", elem_id="ack"), "ack")
        handle = loc.value(gr.Button(text("handle", lang0), size="sm", elem_id="handle"), "handle")
        close = loc.value(gr.Button(text("close", lang0), size="sm", variant="stop", elem_id="close"), "close")
        assignee = loc.label(
            gr.Dropdown(
                ws.access.names(),
                value=None,
                allow_custom_value=True,
                label=text("assign_to", lang0),
                elem_id="assignee",
            ),
            "assign_to",
        )
        assign = loc.value(gr.Button(text("assign", lang0), size="sm", elem_id="assign"), "assign")
        open_ws = loc.value(
            gr.Button(text("open_workspace", lang0), variant="primary", elem_id="open-workspace"), "open_workspace"
        )
    note = gr.Markdown(elem_id="board-note")
    filters = [hazard, colour, district, status]

    def refresh(h: str, c: str, d: str, s: str, lang: str, last: str) -> tuple[Any, Any, Any, Any]:
        styler, summary, signature = board_frame(services, (h, c, d, s), lang)
        if signature == last:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        districts = sorted({e.incident.district for e in services.alerts.board(limit=200) if e.incident.district})
        return styler, summary, signature, gr.update(choices=["", *districts])

    def redraw(h: str, c: str, d: str, s: str, lang: str) -> tuple[Any, Any, Any, Any]:
        return refresh(h, c, d, s, lang, "")

    outputs = [table, counts, shown, district]
    timer = gr.Timer(REFRESH_S)
    timer.tick(
        refresh, [*filters, ws.lang, shown], outputs, api_name="board", show_progress="hidden", concurrency_limit=None
    )
    for trigger in (*(f.change for f in filters), ws.lang.change, ws.changed.change):
        trigger(redraw, [*filters, ws.lang], outputs, show_progress="hidden", api_visibility="private")

    def describe(incident_id: str, lang: str) -> str:
        if not incident_id:
            return text("nothing_selected", lang)
        with user_errors():
            incident = services.alerts.incident(incident_id)
        return text("selected", lang, title=f"{incident.title}（{incident.incident_id}）")

    def pick(lang: str, evt: gr.SelectData) -> tuple[str, str]:
        incident_id = str(evt.row_value[-1]) if evt.row_value else ""
        return incident_id, describe(incident_id, lang)

    table.select(pick, [ws.lang], [ws.incident, selected], api_name="select_incident", show_progress="hidden")
    for trigger in (ws.incident.change, ws.lang.change):
        trigger(describe, [ws.incident, ws.lang], selected, show_progress="hidden", api_visibility="private")

    def transition(target: IncidentStatus) -> Any:
        def run(incident_id: str, lang: str, bump: int, request: gr.Request) -> tuple[str, int]:
            if not incident_id:
                raise gr.Error(text("pick_first", lang))
            officer = officer_name(request)
            with user_errors():
                changed = services.alerts.transition(incident_id, target, officer)
            services.records.log(f"incident.{target.value}", actor=officer, subject=incident_id)
            status_text = STATUS_LABELS["en" if lang == "en" else "zh"][changed.status.value]
            return text("status_changed", lang, id=incident_id, status=status_text, officer=officer), bump + 1

        return run

    for button, target in (
        (ack, IncidentStatus.ACKNOWLEDGED),
        (handle, IncidentStatus.HANDLING),
        (close, IncidentStatus.CLOSED),
    ):
        button.click(transition(target), [ws.incident, ws.lang, ws.changed], [note, ws.changed], api_name=target.value)

    def hand_over(incident_id: str, to: str | None, lang: str, bump: int, request: gr.Request) -> tuple[str, int]:
        if not incident_id:
            raise gr.Error(text("pick_first", lang))
        if not (to or "").strip():
            raise gr.Error(text("assign_whom", lang))
        officer = officer_name(request)
        with user_errors():
            changed = services.alerts.assign(incident_id, to or "", officer)
        services.records.log("incident.assigned", actor=officer, subject=incident_id, assignee=changed.assignee)
        return text("assigned", lang, id=incident_id, assignee=changed.assignee, officer=officer), bump + 1

    assign.click(hand_over, [ws.incident, assignee, ws.lang, ws.changed], [note, ws.changed], api_name="assign")

    def open_workspace(incident_id: str, lang: str) -> Any:
        if not incident_id:
            raise gr.Error(text("pick_first", lang))
        return gr.Tabs(selected="incident")

    open_ws.click(open_workspace, [ws.incident, ws.lang], ws.tabs, api_name="open_incident")
