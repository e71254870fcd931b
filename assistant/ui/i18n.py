"""Every string the workspace shows, in Chinese and English, and the per-session language switch.

Officers work in Chinese; the English switch must change every label at once, so each
page registers its components here instead of hard-coding text. Messages built by
handlers (gr.Info, status lines) take their text from the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from assistant.domain import hazard_by_name

LANGS = ("zh", "en")

TEXTS: dict[str, tuple[str, str]] = {
    # header
    "app_title": ("应急决策辅助助手", "Emergency decision support"),
    "language": ("界面语言", "Language"),
    "user_line": ("当前用户：{name}（{role}）", "Signed in: {name} ({role})"),
    "role_admin": ("管理员", "admin"),
    "role_officer": ("值班员", "officer"),
    "logout": ("退出登录", "Log out"),
    # tabs
    "tab_board": ("值班台", "Alert board"),
    "tab_incident": ("事件工作台", "Incident workspace"),
    "tab_chat": ("问答", "Chat"),
    "tab_knowledge": ("知识库", "Knowledge"),
    "tab_records": ("记录", "Records"),
    # board
    "filter_hazard": ("灾种", "Hazard"),
    "filter_colour": ("颜色", "Colour"),
    "filter_district": ("区域", "District"),
    "filter_status": ("状态", "Status"),
    "all": ("全部", "all"),
    "open_only": ("未关闭", "open"),
    "board_table": ("事件（按严重程度排序，自动更新）", "Incidents, worst first (updates itself)"),
    "board_hint": ("点击一行选中事件", "Click a row to select an incident"),
    "board_counts": (
        "未关闭事件 {open} 起：红 {red} · 橙 {orange} · 黄 {yellow} · 蓝 {blue} · 绿 {green}",
        "{open} open incidents: red {red} · orange {orange} · yellow {yellow} · blue {blue} · green {green}",
    ),
    "board_empty": ("暂无事件", "No incidents"),
    "selected": ("已选事件：{title}", "Selected: {title}"),
    "nothing_selected": ("未选择事件", "No incident selected"),
    "ack": ("确认", "Acknowledge"),
    "handle": ("处置中", "Handling"),
    "close": ("关闭", "Close"),
    "open_workspace": ("打开事件工作台", "Open the workspace"),
    "assign_to": ("指派给", "Assign to"),
    "assign": ("指派", "Assign"),
    "assign_whom": ("请填写指派对象。", "Say who takes the incident."),
    "assigned": ("事件 {id} 已指派给 {assignee}（{officer}）", "Incident {id} assigned to {assignee} ({officer})"),
    "status_changed": ("事件 {id} → {status}（{officer}）", "Incident {id} → {status} ({officer})"),
    "col_colour": ("颜色", "Colour"),
    "col_hazard": ("灾种", "Hazard"),
    "col_title": ("事件", "Incident"),
    "col_count": ("次数", "Count"),
    "col_peak": ("峰值", "Peak"),
    "col_trend": ("趋势", "Trend"),
    "col_district": ("区域", "District"),
    "col_near": ("附近敏感点", "Nearby"),
    "col_people": ("涉及人员", "People"),
    "col_casualties": ("伤亡", "Casualties"),
    "col_status": ("状态", "Status"),
    "col_assignee": ("负责人", "Officer"),
    "col_last": ("最近", "Last seen"),
    "col_id": ("编号", "ID"),
    # incident workspace
    "pick_first": ("请先在值班台选择一个事件。", "Pick an incident on the board first."),
    "details": ("预警详情", "Alert details"),
    "timeline": ("时间线", "Timeline"),
    "draft_lang": ("方案语言", "Plan language"),
    "draft": ("起草处置方案", "Draft a response plan"),
    "drafted": ("方案已生成（{engine}，{seconds:.1f} 秒）", "Plan drafted ({engine}, {seconds:.1f} s)"),
    "no_alert": ("该事件没有预警报文", "The incident has no alert"),
    "no_draft": ("尚未起草方案。", "No plan drafted yet."),
    "draft_meta": (
        "生成方式：{engine} · 第 {version} 版 · {created}",
        "Produced by {engine} · version {version} · {created}",
    ),
    "analysis": ("态势研判与响应级别", "Situation analysis and response level"),
    "plan": ("六阶段处置方案", "Six-stage plan"),
    "cases": ("相似案例与教训", "Similar cases and lessons"),
    "no_cases": ("未检索到相似案例。", "No similar case was found."),
    "regenerate_stage": ("阶段", "Stage"),
    "regenerate_request": ("修改要求（可选）", "What to change (optional)"),
    "regenerate": ("重新生成该阶段", "Regenerate this stage"),
    "regenerated": ("已保存为第 {version} 版", "Saved as version {version}"),
    "edit_table": (
        "逐条修改各阶段摘要和措施（修改后点击保存，存为新版本）",
        "Edit stage summaries and actions in place (saved as a new version)",
    ),
    "save_edits": ("保存修改", "Save edits"),
    "no_edits": ("没有修改 / nothing changed", "Nothing changed"),
    "edit_columns": ("阶段|序号|措施|责任单位|时限", "Stage|No.|Action|Unit|Time limit"),
    "download_docx": ("下载 Word", "Download Word"),
    "download_md": ("下载 Markdown", "Download Markdown"),
    "make_pdf": ("生成 PDF", "Make PDF"),
    "download_pdf": ("下载 PDF", "Download PDF"),
    "draft_first": ("请先起草方案", "Draft a plan first"),
    "approve": ("批准", "Approve"),
    "approval_pending": (
        "第 {version} 版为草案：下载的 Word / PDF 每页带“草案”标记，值班领导批准后去掉。",
        "Version {version} is a draft: Word and PDF downloads carry the DRAFT mark on every page until the duty leader approves it.",
    ),
    "approval_done": (
        "第 {version} 版已由 {officer} 批准（{at}）：下载的 Word / PDF 不带草案标记。",
        "Version {version} approved by {officer} ({at}): Word and PDF downloads carry no DRAFT mark.",
    ),
    "approved_now": ("已批准第 {version} 版（{officer}）", "Version {version} approved ({officer})"),
    "approve_leader_only": (
        "仅值班领导（管理员角色）可以批准方案 / only the duty leader (admin role) may approve a plan",
        "Only the duty leader (admin role) may approve a plan",
    ),
    "approve_needs_name": (
        "批准须署名：请先在页首填写您的姓名 / an approval needs your name: give it at the top of the page",
        "An approval needs your name: give it at the top of the page",
    ),
    "approve_stale": (
        "该方案已有第 {version} 版，请查看新版本后再批准 / version {version} has been saved since: review it first",
        "Version {version} has been saved since: review it before approving",
    ),
    # chat
    "chatbot": ("问答", "Chat"),
    "question": ("问题", "Question"),
    "question_hint": ("例如：燃气泄漏报警后多长时间内要到场？", "e.g. How soon must a crew arrive after a gas alarm?"),
    "send": ("发送", "Send"),
    "clear": ("清空对话", "Clear"),
    "pin": ("以当前事件为上下文", "Use the current incident as context"),
    "pinned": ("上下文事件：{title}", "Context: {title}"),
    "sources": ("来源（点击展开原文）", "Sources (click to open the text)"),
    "nearest": ("最接近的资料（知识库未覆盖该问题）", "Nearest sources (the question is not covered)"),
    "not_covered": ("知识库未覆盖", "Not covered by the knowledge base"),
    "empty_question": ("请输入问题 / please type a question", "Please type a question"),
    # knowledge
    "search": ("检索测试", "Test retrieval"),
    "search_hint": ("例如：燃气泄漏 切断气源", "e.g. gas leak shut off the supply"),
    "nothing_found": ("没有找到相关内容", "Nothing found"),
    "upload": ("上传文件（PDF / DOCX / MD / TXT）", "Upload files (PDF / DOCX / MD / TXT)"),
    "ingest_report": ("导入结果", "Ingestion results"),
    "ingest_columns": ("文件|结果|片段|说明", "File|Result|Chunks|Notes"),
    "ingesting": ("导入中", "Ingesting"),
    "file_added": ("已添加", "added"),
    "file_replaced": ("已替换", "replaced"),
    "file_moved": ("已移动", "moved"),
    "file_removed": ("已移除", "removed"),
    "file_unchanged": ("未变化", "unchanged"),
    "file_duplicate": ("内容重复", "duplicate"),
    "file_failed": ("失败", "failed"),
    "file_skipped": ("已跳过", "skipped"),
    "file_dense": ("向量未建", "no vectors"),
    "documents": ("文档列表（点击一行选中）", "Documents (click a row to select)"),
    "doc_columns": ("编号|标题|类型|灾种|片段|向量|入库时间", "ID|Title|Kind|Hazards|Chunks|Vectors|Ingested"),
    "doc_id": ("文档编号", "Document ID"),
    "remove": ("删除文档", "Remove document"),
    "removed": ("已删除《{title}》（{chunks} 个片段）", "Removed “{title}” ({chunks} chunks)"),
    "admin_only": (
        "仅管理员可以上传或删除文档 / only the admin role may upload or remove documents",
        "Only the admin role may upload or remove documents",
    ),
    "choose_files": ("请选择文件 / choose files first", "Choose files first"),
    "index_status": ("索引状态：{status}", "Index: {status}"),
    "refresh": ("刷新", "Refresh"),
    # records
    "records_incident": ("事件编号", "Incident ID"),
    "records_officer": ("值班员", "Officer"),
    "records_show": ("查询", "Show"),
    "records_drafts": ("草案与修改（点击一行查看该版本）", "Drafts and edits (click a row to view it)"),
    "records_chats": ("问答记录", "Chat turns"),
    "records_audit": ("操作记录", "Audit trail"),
    "draft_columns": ("时间|草案|版本|变更|值班员|事件|生成方式", "Time|Draft|Version|Change|Officer|Incident|Engine"),
    "chat_columns": ("时间|值班员|事件|角色|内容|已覆盖", "Time|Officer|Incident|Role|Content|Covered"),
    "audit_columns": ("时间|操作人|操作|对象|详情", "Time|Actor|Action|Subject|Detail"),
    # tasks (board columns, the workspace's task panel)
    "col_tasks": ("任务", "Tasks"),
    "col_next_due": ("下一时限", "Next due"),
    "overdue_n": ("逾期{n}", "{n} overdue"),
    "waived_n": ("免除{n}", "{n} waived"),
    "withheld_flag": ("⚠ 疑似指令文字已隔离", "⚠ instruction-like text withheld"),
    "tasks_panel": ("任务跟踪", "Tasks"),
    "issue_pick": ("下达哪些措施（默认全部）", "Actions to issue (all by default)"),
    "issue_tasks": ("下达任务", "Issue as tasks"),
    "issued": ("已下达 {n} 项任务{skipped}", "Issued {n} task(s){skipped}"),
    "issued_skipped": ("，{n} 项此前已下达", "; {n} already issued"),
    "task_pick": ("任务", "Task"),
    "task_note": ("反馈 / 免除理由", "Feedback / reason for waiving"),
    "task_ack": ("签收", "Acknowledge"),
    "task_start": ("开始处置", "Start"),
    "task_done": ("完成", "Done"),
    "task_waive": ("免除", "Waive"),
    "task_add_note": ("记录反馈", "Add note"),
    "task_columns": (
        "任务|状态|时限|应完成|责任单位|措施|闭环|最新反馈",
        "Task|Status|Time limit|Due|Unit|Action|Loop|Latest note",
    ),
    "tasks_summary": (
        "任务 {total} 项：已完成 {done} · 免除 {waived} · 逾期 {overdue}",
        "{total} tasks: {done} done · {waived} waived · {overdue} overdue",
    ),
    "no_tasks": ("尚未下达任务。", "No tasks issued yet."),
    "task_changed": ("{task} → {status}（{officer}）", "{task} → {status} ({officer})"),
    "task_noted": ("{task} 已记录反馈（{officer}）", "Note added to {task} ({officer})"),
    "pick_task": ("请先选择任务。", "Pick a task first."),
    # shift handover
    "tab_handover": ("交接班", "Handover"),
    "handover_since": (
        "本班开始（如 08:00、12h；留空为上次交接以来）",
        "Shift start (e.g. 08:00, 12h; empty: since the last)",
    ),
    "handover_until": ("本班结束（留空为现在）", "Shift end (empty: now)"),
    "handover_next": ("下一班时长（小时）", "Next shift (hours)"),
    "handover_make": ("生成交接班记录", "Prepare the handover"),
    "handover_ack": ("接班确认", "Acknowledge and take over"),
    "handover_status": (
        "第 {id} 号交接班 · 交班人 {by} · {when} · {state}",
        "Handover {id} · by {by} · {when} · {state}",
    ),
    "handover_pending": ("待接班确认", "awaiting the incoming officer"),
    "handover_taken": ("已由 {by} 于 {when} 确认接班", "taken over by {by} at {when}"),
    "handover_none": ("尚无交接班记录。", "No handover yet."),
    # reports up the chain (信息报送)
    "reports": ("信息报送（首报 / 续报 / 终报）", "Reports up the chain (initial / follow-up / final)"),
    "report_kind": ("报告类型", "Report"),
    "report_notes": (
        "值班员补充情况（可选：现场反馈的伤亡、影响等）",
        "Your notes (optional: casualties, impact reported)",
    ),
    "report_phone": ("联系电话", "Contact phone"),
    "report_draft": ("起草报告", "Draft the report"),
    "report_drafted": ("{kind}已起草（第 {version} 版）", "{kind} drafted (version {version})"),
    "report_sections": ("报告内容（可逐段修改，保存为新版本）", "Report text (edit a section; saved as a new version)"),
    "report_columns": ("章节|内容", "Section|Text"),
    "report_save": ("保存报告修改", "Save report edits"),
    "report_saved": ("报告已保存为第 {version} 版", "Report saved as version {version}"),
    "report_to": ("报送对象", "Sent to"),
    "report_at": ("报送时间（本地时间 YYYY-MM-DD HH:MM，留空为现在）", "Sent at (local YYYY-MM-DD HH:MM; empty: now)"),
    "report_send": ("标记已报送", "Mark as sent"),
    "report_sent": ("已登记报送：{to}（{at}）", "Recorded as sent to {to} ({at})"),
    "report_docx": ("下载报告 Word", "Download the report (Word)"),
    "report_first": ("请先起草报告", "Draft a report first"),
    "report_bad_time": ("报送时间格式应为 YYYY-MM-DD HH:MM", "Write the time as YYYY-MM-DD HH:MM"),
    # five-colour map
    "tab_map": ("五色图", "Risk map"),
    "map_hint": ("点击事件圆点打开事件工作台", "Click an incident to open it in the workspace"),
    "map_small": ("周边态势图", "Map of the surroundings"),
    "map_refresh": ("刷新地图", "Refresh the map"),
    # officer name (anonymous local use) and login
    "officer_name": ("值班员姓名", "Your name"),
    "officer_name_hint": (
        "本机匿名使用：请填写您的姓名，本次会话的操作将署此名",
        "Anonymous local use: enter your name; what you do in this session is recorded under it",
    ),
    "officer_name_set": ("确定", "OK"),
    "officer_line": ("当前值班员：{name}", "Duty officer: {name}"),
    "officer_name_needed": ("请先填写值班员姓名 / enter your name first", "Enter your name first"),
    "times_in": ("时间为 {zone}", "Times in {zone}"),
}

# Codes recorded in drafts and the audit trail, as the Records page shows them; an unknown code shows as itself.
EVENT_LABELS: dict[str, tuple[str, str]] = {
    "generated": ("生成", "generated"),
    "edited": ("人工修改", "edited"),
    "revised": ("按要求修订", "revised"),
    "stage_regenerated": ("重新生成阶段", "stage regenerated"),
    "offline-drafter": ("离线检索生成", "offline drafter"),
    "draft.generated": ("生成方案", "plan generated"),
    "draft.edited": ("修改方案", "plan edited"),
    "draft.revised": ("修订方案", "plan revised"),
    "draft.stage_regenerated": ("重新生成阶段", "stage regenerated"),
    "draft.approved": ("审核通过", "plan approved"),
    "document.added": ("添加文档", "document added"),
    "document.replaced": ("替换文档", "document replaced"),
    "document.moved": ("移动文档", "document moved"),
    "document.removed": ("删除文档", "document removed"),
    "document.unchanged": ("文档未变化", "document unchanged"),
    "document.duplicate": ("重复文档", "duplicate document"),
    "document.failed": ("文档导入失败", "document failed"),
    "document.skipped": ("跳过文档", "document skipped"),
    "incident.acknowledged": ("确认事件", "incident acknowledged"),
    "incident.handling": ("开始处置", "incident handling"),
    "incident.closed": ("关闭事件", "incident closed"),
    "incident.assigned": ("指派事件", "incident assigned"),
    "report.drafted": ("起草报告", "report drafted"),
    "report.edited": ("修改报告", "report edited"),
    "report.sent": ("报告已报送", "report sent"),
    "task.issued": ("下达任务", "task issued"),
    "task.acknowledged": ("签收任务", "task acknowledged"),
    "task.in_progress": ("任务处置中", "task in progress"),
    "task.done": ("任务完成", "task done"),
    "task.waived": ("免除任务", "task waived"),
    "task.note": ("任务反馈", "task note"),
    "handover.prepared": ("交班", "handover prepared"),
    "handover.acknowledged": ("接班确认", "handover acknowledged"),
    "colour_raised": ("预警颜色升级", "warning colour raised"),
    "level_proposed": ("提出响应级别", "response level proposed"),
    "similar_assets": ("同类资产共性风险提示", "similar-asset warning"),
    "cancelled_with_open_tasks": (
        "来源撤销告警（任务未完成，事件保持打开）",
        "source cancelled (tasks open: kept open)",
    ),
}


def event_label(code: str, lang: str) -> str:
    """A recorded code (edited, document.added, offline-drafter …) in the officer's language."""
    pair = EVENT_LABELS.get(code)
    return (pair[1] if lang == "en" else pair[0]) if pair else code


def hazard_label(name: str | None, lang: str) -> str:
    """A hazard of the vocabulary by its Chinese name, in English when asked ("燃气" → "gas")."""
    if not name or lang != "en":
        return name or ""
    try:
        return hazard_by_name(name).english
    except KeyError:
        return name


def text(key: str, lang: str, **values: Any) -> str:
    """The string for ``key`` in ``lang`` (Chinese unless "en"), with ``values`` filled in."""
    zh, en = TEXTS[key]
    chosen = en if lang == "en" else zh
    return chosen.format(**values) if values else chosen


def columns(key: str, lang: str) -> list[str]:
    """Table headers stored as one "a|b|c" entry, so both languages keep the same column count."""
    return text(key, lang).split("|")


def table_texts(label_key: str, columns_key: str) -> Callable[[str], dict[str, Any]]:
    """What a table's switch needs: its label and its headers in the new language."""
    return lambda lang: {"label": text(label_key, lang), "headers": columns(columns_key, lang)}


@dataclass
class Localiser:
    """Components whose label or text follows the session's language, updated together by the switch."""

    entries: list[tuple[gr.components.Component | gr.Tab, Callable[[str], dict[str, Any]]]] = field(
        default_factory=list
    )

    def label(self, component: Any, key: str) -> Any:
        self.entries.append((component, lambda lang: {"label": text(key, lang)}))
        return component

    def value(self, component: Any, key: str) -> Any:
        """Buttons and headings: the text is the component's value."""
        self.entries.append((component, lambda lang: {"value": text(key, lang)}))
        return component

    def placeholder(self, component: Any, key: str, hint: str) -> Any:
        self.entries.append((component, lambda lang: {"label": text(key, lang), "placeholder": text(hint, lang)}))
        return component

    def custom(self, component: Any, make: Callable[[str], dict[str, Any]]) -> Any:
        self.entries.append((component, make))
        return component

    @property
    def components(self) -> list[Any]:
        return [component for component, _ in self.entries]

    def updates(self, lang: str) -> list[dict[str, Any]]:
        return [gr.update(**make(lang)) for _, make in self.entries]
