"""PlanDraft as Markdown: the format shown in the UI and pasted into messages."""

from __future__ import annotations

from assistant.domain import PlanDraft
from assistant.export.layout import (
    ExportContext,
    action_rows,
    document_title,
    engine_label,
    labelled,
    labels,
    level_text,
    section_number,
    states_level,
    sub_number,
)
from assistant.export.local_time import local_time, local_times_in


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def _header(draft: PlanDraft, context: ExportContext) -> list[str]:
    t = labels(draft.lang)
    approval = context.approval
    out = [f"# {document_title(draft, context)}", ""]
    if approval:
        out.append(f"{t['approved']}：{approval.by}（{local_time(approval.at, context.utc_offset, draft.lang)}）  ")
    else:
        out.append(f"**{t['draft_mark']}**  ")
    out.append(f"{t['issuer']}：{context.issuing_unit or t['issuer_placeholder']}  ")
    if context.duty_officer or context.drafted_by:
        out.append(f"{t['duty_officer']}：{context.duty_officer or context.drafted_by}  ")
    out.append(f"{t['created']}：{local_time(draft.created, context.utc_offset, draft.lang)}  ")
    out.append(f"{t['engine']}：{engine_label(draft)}；{t['prompt_version']}：{draft.prompt_version}")
    out.append("")
    if draft.notices:
        out += [f"> **{t['notices']}**：{notice}" for notice in draft.notices]
        out.append("")
    return out


def _level(draft: PlanDraft) -> list[str]:
    t = labels(draft.lang)
    out = [f"## {section_number(2, draft.lang)}{t['level']}", ""]
    if draft.warning_line:
        out.append(f"- {labelled(t['warning_line'], draft.warning_line, draft.lang)}")
    if not states_level(draft):
        out.append(f"- {t['proposed']}：{level_text(draft)}")
    if draft.level_basis:
        out.append(f"- {labelled(t['basis'], draft.level_basis, draft.lang)}")
    if draft.to_confirm:
        out.append(f"- {t['to_confirm']}：{'；'.join(draft.to_confirm)}")
    if draft.escalation:
        out.append(f"- {t['escalation']}：{'；'.join(draft.escalation)}")
    return [*out, ""]


def render_markdown(draft: PlanDraft, context: ExportContext | None = None) -> str:
    """The whole plan document; stage headings use the six official stage names."""
    context = context or ExportContext()
    lang = draft.lang
    t = labels(lang)
    out = _header(draft, context)
    summary = local_times_in(draft.summary, context.utc_offset, lang)  # documents read in local time
    out += [f"## {section_number(1, lang)}{t['summary']}", "", summary, ""]
    out += _level(draft)
    out += [f"## {section_number(3, lang)}{t['stages']}", ""]
    for index, stage in enumerate(draft.stages):
        lead_in = local_times_in(stage.summary, context.utc_offset, lang)
        out += [f"### {sub_number(index + 1, lang)}{stage.stage.label(lang)}", "", lead_in, ""]
        rows = action_rows(draft, index)
        if rows:
            header = [t["no"], t["action"], t["unit"], t["time_limit"], t["loop"], t["basis"], t["evidence"]]
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "---|" * len(header))
            for row in rows:
                text = row.text
                if row.lessons:
                    text += "<br>" + t["lessons"] + "：" + "；".join(row.lessons)
                cells = [str(row.number), text, row.unit, row.time_limit, row.loop, row.basis_named, row.evidence]
                out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
            out.append("")
        if stage.open_questions:
            out.append(f"**{t['questions']}**：")
            out += [f"- {q}" for q in stage.open_questions]
            out.append("")
    out += [f"## {section_number(4, lang)}{t['sources']}", ""]
    for number, citation in enumerate(draft.citations, start=1):
        page = f"，{t['page']} {citation.page}" if citation.page else ""
        heading = f" · {citation.section}" if citation.section else ""
        out.append(f"{number}. 《{citation.title}》{heading}{page}（{citation.chunk_id}）")
    out.append("")
    return "\n".join(out)
