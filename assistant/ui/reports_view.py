"""信息报送 / reports up the chain, in the incident workspace: rule and countdown, draft, edit, send, Word.

The panel shows the clause that sets the deadline (open it to read the clause), the countdown from the
incident's first alert (refreshed every few seconds), the stricter rules that would apply once a
condition is confirmed, and the incident's reports with their versions and sendings. The officer
drafts a 首报 / 续报 / 终报, edits it section by section (each edit a new version), marks it sent
(to whom, when) and downloads it as Word.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.export.local_time import zone_of
from assistant.reports.deadline import Due, DueState
from assistant.reports.document import report_docx
from assistant.reports.model import ReportKind, section_label
from assistant.reports.service import Standing
from assistant.reports.store import ReportRecord
from assistant.reports.trace import untraced
from assistant.services import Services
from assistant.ui.auth import officer_name
from assistant.ui.downloads import export_dir
from assistant.ui.i18n import columns, text
from assistant.ui.plan_view import citation_block
from assistant.ui.session import Workspace, user_errors
from assistant.ui.times import shown

REFRESH_S = 5.0
WORDS = {
    "zh": {
        "rule": "报送时限依据",
        "none": "报送时限",
        "initial": "首报",
        "followup": "下次续报",
        "due": "应于 {at} 前报送",
        "left": "剩余 {t}",
        "over": "已超时 {t}",
        "at_once": "立即报送（条款未规定分钟数）· 距首次告警已 {t}",
        "on_time": "已于 {at} 报送（按时）",
        "late": "已于 {at} 报送（超时 {t}）",
        "sent": "已报送",
        "no_deadline": "条款未规定时限，情况变化时及时续报",
        "pending": "若确认以下条件，时限从严",
        "level": "判定所用响应级别",
        "level_none": "尚未确定",
        "first_alert": "首次告警",
        "table": "种类|版本|起草|报送",
        "unsent": "未报送",
        "untraced": "以下数字在来源中找不到，请核实：",
        "traced": "报告中的数字均可溯源（告警、任务、值班员补充、方案）。",
        "hours": "{h}小时{m}分",
        "minutes": "{m}分钟",
    },
    "en": {
        "rule": "Deadline set by",
        "none": "Deadline",
        "initial": "Initial report",
        "followup": "Next follow-up",
        "due": "due by {at}",
        "left": "{t} left",
        "over": "overdue by {t}",
        "at_once": "report at once (the clause states no minutes) · {t} since the first alert",
        "on_time": "sent {at} (on time)",
        "late": "sent {at} ({t} late)",
        "sent": "sent",
        "no_deadline": "no deadline in the clause: report changes as they happen",
        "pending": "Stricter if confirmed",
        "level": "Response level judged",
        "level_none": "not decided",
        "first_alert": "first alert",
        "table": "Kind|Version|Drafted|Sent",
        "unsent": "not sent",
        "untraced": "These figures are in no source; check them:",
        "traced": "Every figure in the report is traceable (alert, tasks, your notes, the plan).",
        "hours": "{h} h {m} min",
        "minutes": "{m} min",
    },
}
KINDS = (ReportKind.INITIAL, ReportKind.FOLLOWUP, ReportKind.FINAL)


def kind_choices(lang: str) -> list[tuple[str, str]]:
    return [(k.label(lang), k.value) for k in KINDS]


def _span(seconds: int, lang: str) -> str:
    w = WORDS[lang]
    minutes = max(seconds, 0) // 60
    return w["hours"].format(h=minutes // 60, m=minutes % 60) if minutes >= 60 else w["minutes"].format(m=minutes)


def due_line(due: Due, lang: str, offset: str, first: bool = True) -> str:
    """One countdown line: due time and what is left, overdue, sent on time or late."""
    w = WORDS[lang]
    at = shown(due.due_at, offset, seconds=False) if due.due_at else ""
    seconds = due.seconds or 0
    state = {
        DueState.RUNNING: f"{w['due'].format(at=at)} · {w['left'].format(t=_span(seconds, lang))}",
        DueState.OVERDUE: f"{w['due'].format(at=at)} · {w['over'].format(t=_span(seconds, lang))}",
        DueState.AT_ONCE: w["at_once"].format(t=_span(seconds, lang)),
        DueState.ON_TIME: w["on_time"].format(at=at),
        DueState.LATE: w["late"].format(at=at, t=_span(seconds, lang)),
        DueState.SENT: w["sent"],
        DueState.NONE: w["no_deadline"],
    }[due.state]
    label = w["initial"] if first else w["followup"]
    return f'<div class="countdown due-{due.state.value}" data-state="{due.state.value}"><b>{label}：</b>{escape(state)}</div>'


def _paren(words: str, lang: str) -> str:
    return f" ({escape(words)})" if lang == "en" else f"（{escape(words)}）"


def standing_html(state: Standing, lang: str, offset: str) -> str:
    w = WORDS["en" if lang == "en" else "zh"]
    lang = "en" if lang == "en" else "zh"
    chosen = state.choice.chosen
    parts = [
        f'<div class="report-first-alert">{w["first_alert"]}：{escape(shown(state.first_alert, offset, False))}</div>'
    ]
    if chosen is not None:
        limit = chosen.limit.describe(lang)
        parts.append(
            f'<div class="report-rule"><b>{w["rule"]}：</b>{escape(chosen.source(lang))} → <b>{escape(limit)}</b>'
            f"{_paren(chosen.why, lang)}</div>"
        )
        parts.append(citation_block(chosen.clause, lang))
        parts.append(due_line(state.initial, lang, offset))
        if state.followup.state is not DueState.NONE:
            parts.append(due_line(state.followup, lang, offset, first=False))
    else:
        parts.append(f'<div class="report-rule no-rule"><b>{w["none"]}：</b>{escape(state.choice.reason)}</div>')
    if state.choice.pending:
        items = "".join(
            f"<li>{escape(m.source(lang))} → {escape(m.limit.describe(lang))}{_paren(m.why, lang)}</li>"
            for m in state.choice.pending
        )
        parts.append(f'<div class="report-pending"><b>{w["pending"]}：</b><ul>{items}</ul></div>')
    level = state.level.value if state.level else w["level_none"]
    parts.append(f'<div class="report-level">{w["level"]}：{escape(level)} {escape(state.level_basis)}</div>')
    if state.reports:
        head = "".join(f"<th>{h}</th>" for h in w["table"].split("|"))
        rows = "".join(_report_row(r, lang, offset) for r in state.reports)
        parts.append(f'<table class="actions reports-table"><tr>{head}</tr>{rows}</table>')
    return '<div class="report-standing">' + "".join(parts) + "</div>"


def _report_row(record: ReportRecord, lang: str, offset: str) -> str:
    w = WORDS[lang]
    report = record.report
    kind = report.kind.label(lang) + (f" {report.seq}" if report.kind is ReportKind.FOLLOWUP else "")
    sent = f"{escape(record.sent.to)} · {escape(shown(record.sent.at, offset, False))}" if record.sent else w["unsent"]
    cells = [escape(kind), f"v{record.version}", escape(shown(record.created_at, offset, False)), sent]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def report_html(record: ReportRecord, lang: str) -> str:
    """The report as the recipient will read it, then the notices and the traceability check."""
    report = record.report
    w = WORDS["en" if lang == "en" else "zh"]
    sections = "".join(
        f'<p class="report-section" data-section="{s.key}"><b>{escape(section_label(s.key, report.lang))}：</b>'
        f"{escape(s.text(report.lang))}</p>"
        for s in report.sections
    )
    notices = "".join(f"<li>{escape(n)}</li>" for n in report.notices)
    missing = untraced(report)
    check = (
        f'<div class="untraced"><b>{w["untraced"]}</b> {escape("、".join(u.figure for u in missing))}</div>'
        if missing
        else f'<div class="traced">{w["traced"]}</div>'
    )
    return (
        f'<div class="report" data-report="{escape(report.report_id, quote=True)}" data-version="{record.version}">'
        f"<h4>{escape(report.title)}</h4>{sections}"
        + (f'<ul class="notices">{notices}</ul>' if notices else "")
        + check
        + "</div>"
    )


def section_rows(record: ReportRecord) -> list[list[str]]:
    report = record.report
    return [[section_label(s.key, report.lang), s.text(report.lang)] for s in report.sections]


def docx_file(services: Services, record: ReportRecord) -> str:
    folder = export_dir(services.settings)
    folder.mkdir(parents=True, exist_ok=True)
    sent = "-sent" if record.sent else ""
    path = folder / f"report-{record.report.report_id}-v{record.version}{sent}.docx"
    if not path.exists():
        partial = path.with_name(f"{path.stem}.part.docx")
        partial.write_bytes(report_docx(record, services.settings.ui.utc_offset, services.settings.export.issuing_unit))
        partial.replace(path)
    return str(path)


def parse_local(value: str, offset: str) -> datetime | None:
    """ "2026-12-03 12:05" in the centre's time → an aware datetime; "" → None (now)."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("/", "-"))
    except ValueError as err:
        raise AssistantError(f"{text('report_bad_time', 'zh')} / {text('report_bad_time', 'en')}: {value!r}") from err
    return moment if moment.tzinfo else moment.replace(tzinfo=zone_of(offset))


def build_reports_panel(ws: Workspace) -> None:
    services, loc = ws.services, ws.localiser
    lang0 = services.settings.ui.language
    offset = services.settings.ui.utc_offset
    report_id = gr.State("")
    bump = gr.State(0)
    with loc.label(gr.Accordion(text("reports", lang0), open=True, elem_id="reports-panel"), "reports"):
        status = gr.HTML(elem_id="report-standing")
        with gr.Row(equal_height=True):
            kind = loc.custom(
                gr.Radio(kind_choices(lang0), value="initial", label=text("report_kind", lang0), elem_id="report-kind"),
                lambda lang: {"label": text("report_kind", lang), "choices": kind_choices(lang)},
            )
            phone = loc.label(gr.Textbox(label=text("report_phone", lang0), elem_id="report-phone"), "report_phone")
            draft = loc.value(
                gr.Button(text("report_draft", lang0), variant="primary", elem_id="report-draft"), "report_draft"
            )
        notes = loc.label(
            gr.Textbox(label=text("report_notes", lang0), lines=2, elem_id="report-notes"), "report_notes"
        )
        view = gr.HTML(elem_id="report-view")
        sections = loc.custom(
            gr.Dataframe(
                headers=columns("report_columns", lang0),
                interactive=True,
                wrap=True,
                static_columns=[0],
                type="array",
                label=text("report_sections", lang0),
                elem_id="report-sections",
            ),
            lambda lang: {"label": text("report_sections", lang), "headers": columns("report_columns", lang)},
        )
        with gr.Row(equal_height=True):
            save = loc.value(gr.Button(text("report_save", lang0), elem_id="report-save"), "report_save")
            to = loc.label(gr.Textbox(label=text("report_to", lang0), elem_id="report-to"), "report_to")
            at = loc.label(gr.Textbox(label=text("report_at", lang0), elem_id="report-at"), "report_at")
            send = loc.value(gr.Button(text("report_send", lang0), elem_id="report-send"), "report_send")
            docx = loc.custom(
                gr.DownloadButton(text("report_docx", lang0), interactive=False, elem_id="report-docx"),
                lambda lang: {"label": text("report_docx", lang)},
            )

    def current(incident_id: str, chosen: str) -> ReportRecord | None:
        records = services.reports.store.of_incident(incident_id) if incident_id else []
        mine = [r for r in records if r.report.report_id == chosen] or records[-1:]
        if not mine:
            return None
        return services.reports.store.latest(mine[0].report.report_id)

    def standing(incident_id: str, lang: str) -> str:
        if not incident_id:
            return ""
        with user_errors():
            return standing_html(services.reports.standing(incident_id, lang), lang, offset)

    def show(incident_id: str, chosen: str, lang: str) -> list[Any]:
        record = current(incident_id, chosen)
        if record is None:
            off = gr.update(value=None, interactive=False)
            return [standing(incident_id, lang), "", [], off, ""]
        return [
            standing(incident_id, lang),
            report_html(record, lang),
            gr.update(value=section_rows(record), headers=columns("report_columns", lang)),
            gr.update(value=docx_file(services, record), interactive=True),
            record.report.report_id,
        ]

    outputs = [status, view, sections, docx, report_id]
    for trigger in (ws.incident.change, ws.changed.change, ws.lang.change, bump.change):
        trigger(show, [ws.incident, report_id, ws.lang], outputs, api_visibility="private", show_progress="hidden")
    ws.incident.change(lambda: "", None, report_id, api_visibility="private", show_progress="hidden")

    def tick(incident_id: str, lang: str, last: str) -> Any:
        fresh = standing(incident_id, lang)
        return gr.skip() if fresh == last else fresh

    gr.Timer(REFRESH_S).tick(
        tick, [ws.incident, ws.lang, status], status, show_progress="hidden", api_visibility="private"
    )

    def make(
        incident_id: str, kind_value: str, phone_text: str, notes_text: str, lang: str, n: int, request: gr.Request
    ) -> tuple[str, int]:
        if not incident_id:
            raise gr.Error(text("pick_first", lang))
        report_lang = "en" if lang == "en" else "zh"
        with user_errors():
            record = services.reports.draft(
                incident_id, ReportKind(kind_value), report_lang, officer_name(request), notes_text, phone_text
            )
        gr.Info(text("report_drafted", lang, kind=record.report.kind.label(lang), version=record.version), duration=4)
        return record.report.report_id, n + 1

    draft.click(make, [ws.incident, kind, phone, notes, ws.lang, bump], [report_id, bump], api_name="draft_report")

    def save_edits(incident_id: str, chosen: str, rows: list[list[Any]], lang: str, n: int, request: gr.Request) -> int:
        record = current(incident_id, chosen)
        if record is None:
            raise gr.Error(text("report_first", lang))
        keys = [s.key for s in record.report.sections]
        texts = {key: str(row[1]) for key, row in zip(keys, rows or [], strict=False) if len(row) > 1}
        with user_errors():
            saved = services.reports.edit(record.report.report_id, texts, officer_name(request))
        if saved is None:
            gr.Info(text("no_edits", lang), duration=4)
            return n
        gr.Info(text("report_saved", lang, version=saved.version), duration=4)
        return n + 1

    save.click(save_edits, [ws.incident, report_id, sections, ws.lang, bump], bump, api_name="save_report")

    def mark_sent(
        incident_id: str, chosen: str, whom: str, when: str, lang: str, n: int, request: gr.Request
    ) -> tuple[int, str]:
        record = current(incident_id, chosen)
        if record is None:
            raise gr.Error(text("report_first", lang))
        with user_errors():
            sending = services.reports.send(
                record.report.report_id, whom, officer_name(request), parse_local(when, offset)
            )
        gr.Info(text("report_sent", lang, to=sending.to, at=shown(sending.at, offset, False)), duration=4)
        return n + 1, ""

    send.click(mark_sent, [ws.incident, report_id, to, at, ws.lang, bump], [bump, at], api_name="send_report")
