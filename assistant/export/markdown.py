"""PlanDraft as Markdown: the format shown in the UI and pasted into messages."""

from __future__ import annotations

from assistant.domain import PlanDraft
from assistant.export.layout import action_rows, engine_label, labels, section_number, sub_number


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def render_markdown(draft: PlanDraft, issuer: str = "") -> str:
    """The whole plan document; stage headings use the six official stage names."""
    lang = draft.lang
    t = labels(lang)
    out: list[str] = [f"# {draft.title}", ""]
    out.append(f"**{t['draft_mark']}**  ")
    out.append(f"{t['issuer']}：{issuer or t['issuer_placeholder']}  ")
    out.append(f"{t['created']}：{draft.created.isoformat(timespec='minutes')}  ")
    out.append(f"{t['engine']}：{engine_label(draft)}；{t['prompt_version']}：{draft.prompt_version}")
    out.append("")
    if draft.notices:
        out += [f"> **{t['notices']}**：{notice}" for notice in draft.notices]
        out.append("")
    out += [f"## {section_number(1, lang)}{t['summary']}", "", draft.summary, ""]
    level = draft.proposed_level.zh if draft.proposed_level and lang != "en" else None
    if draft.proposed_level and lang == "en":
        level = f"Level {draft.proposed_level.value}"
    out += [f"## {section_number(2, lang)}{t['level']}", ""]
    out.append(f"- {t['proposed']}：{level or t['undetermined']}")
    out.append(f"- {t['basis']}：{draft.level_basis}")
    out.append("")
    out += [f"## {section_number(3, lang)}{t['stages']}", ""]
    for index, stage in enumerate(draft.stages):
        out += [f"### {sub_number(index + 1, lang)}{stage.stage.label(lang)}", "", stage.summary, ""]
        rows = action_rows(draft, index)
        if rows:
            header = [t["no"], t["action"], t["unit"], t["time_limit"], t["loop"], t["basis"], t["evidence"]]
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "---|" * len(header))
            for row in rows:
                text = row.text
                if row.lessons:
                    text += "<br>" + t["lessons"] + "：" + "；".join(row.lessons)
                cells = [str(row.number), text, row.unit, row.time_limit, row.loop, row.basis, row.evidence]
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
