"""值班台 / alert board and incident handling: ranked incidents, status changes, one-click drafts."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from assistant.domain import Colour, IncidentStatus
from assistant.errors import AssistantError
from assistant.export.markdown import render_markdown
from assistant.export.word import write_docx
from assistant.services import Services
from assistant.ui.identity import officer_name

COLUMNS = [
    "颜色 colour",
    "灾种 hazard",
    "事件 incident",
    "次数 count",
    "峰值 peak",
    "趋势 trend",
    "区 district",
    "状态 status",
    "编号 id",
]
COLOUR_MARK = {"red": "🔴 红", "orange": "🟠 橙", "yellow": "🟡 黄", "blue": "🔵 蓝", "green": "🟢 绿"}
EXPORT_DIR = Path(tempfile.gettempdir()) / "assistant-exports"


def board_rows(services: Services, hazard: str, colour: str, status: str) -> list[list[object]]:
    entries = services.alerts.board(hazard=hazard or None, colour=colour or None, status=status or None)
    rows: list[list[object]] = []
    for entry in entries:
        incident = entry.incident
        peak = f"{incident.peak_value:g} {entry.unit or ''}".strip() if incident.peak_value is not None else ""
        rows.append(
            [
                COLOUR_MARK.get(incident.colour.value, "") if incident.colour else "",
                incident.hazard or "",
                incident.title,
                incident.count,
                peak,
                incident.trend,
                incident.district or "",
                incident.status.value,
                incident.incident_id,
            ]
        )
    return rows


def build_board(services: Services) -> None:
    """The board tab; refreshes itself every two seconds."""
    with gr.Row():
        hazard = gr.Dropdown(["", *sorted({h for h in _hazards(services)})], value="", label="灾种 / hazard")
        colour = gr.Dropdown(["", *[c.value for c in Colour]], value="", label="颜色 / colour")
        status = gr.Dropdown(["", *[s.value for s in IncidentStatus]], value="", label="状态 / status")
    table = gr.Dataframe(headers=COLUMNS, value=board_rows(services, "", "", ""), interactive=False, wrap=True)
    timer = gr.Timer(2.0)

    def refresh(hazard_name: str, colour_name: str, status_name: str) -> list[list[object]]:
        return board_rows(services, hazard_name, colour_name, status_name)

    timer.tick(refresh, [hazard, colour, status], table, api_name="board")
    for change in (hazard.change, colour.change, status.change):
        change(refresh, [hazard, colour, status], table)

    gr.Markdown("### 事件处置 / handle an incident")
    with gr.Row():
        incident_id = gr.Textbox(label="事件编号 / incident id (点击表格行 / click a row)")
        lang = gr.Radio(["zh", "en"], value="zh", label="语言 / language")
    with gr.Row():
        ack = gr.Button("确认 / acknowledge")
        handle = gr.Button("处置中 / handling")
        close = gr.Button("关闭 / close")
        draft = gr.Button("起草处置方案 / draft plan", variant="primary")
    status_note = gr.Markdown()
    plan = gr.Markdown(label="处置方案 / plan")
    with gr.Row():
        docx_file = gr.File(label="Word 下载 / download")
        md_file = gr.File(label="Markdown 下载 / download")

    def pick(evt: gr.SelectData, rows: list[list[object]]) -> str:
        row = rows.values.tolist()[evt.index[0]] if hasattr(rows, "values") else rows[evt.index[0]]
        return str(row[-1])

    table.select(pick, table, incident_id)

    def transition(target: IncidentStatus) -> Callable[[str, gr.Request], str]:
        def run(incident: str, request: gr.Request) -> str:
            try:
                changed = services.alerts.transition(incident.strip(), target, officer_name(request))
            except AssistantError as err:
                raise gr.Error(str(err)) from err
            return f"事件 {changed.incident_id} → {changed.status.value}（{officer_name(request)}）"

        return run

    ack.click(transition(IncidentStatus.ACKNOWLEDGED), incident_id, status_note, api_name="acknowledge")
    handle.click(transition(IncidentStatus.HANDLING), incident_id, status_note, api_name="handle")
    close.click(transition(IncidentStatus.CLOSED), incident_id, status_note, api_name="close")

    def make_draft(incident: str, language: str, request: gr.Request) -> tuple[str, str, str, str]:
        try:
            record = services.alerts.incident(incident.strip())
            alerts = services.alerts.alerts_of(record.incident_id, limit=1)
            if not alerts:
                raise gr.Error("该事件没有预警 / the incident has no alert")
            outcome = services.draft(alerts[0], record, lang=language, officer=officer_name(request))
        except AssistantError as err:
            raise gr.Error(str(err)) from err
        draft_doc = outcome.draft
        EXPORT_DIR.mkdir(parents=True, exist_ok=True)
        docx_path = write_docx(draft_doc, EXPORT_DIR / f"plan-{draft_doc.draft_id}.docx")
        markdown = render_markdown(draft_doc)
        md_path = EXPORT_DIR / f"plan-{draft_doc.draft_id}.md"
        md_path.write_text(markdown, encoding="utf-8")
        note = f"生成方式 / engine: {draft_doc.engine} · {outcome.timings['total_s']:.2f} s"
        return markdown, str(docx_path), str(md_path), note

    draft.click(make_draft, [incident_id, lang], [plan, docx_file, md_file, status_note], api_name="draft")


def _hazards(services: Services) -> list[str]:
    return [e.incident.hazard for e in services.alerts.board(limit=200) if e.incident.hazard] + [
        "燃气",
        "有限空间",
        "暴雨内涝",
        "洪涝",
        "桥梁隧道",
        "大客流",
        "危化品",
    ]
