"""PlanDraft as an official handling plan (处置方案) in Word.

This module only decides what the plan says, section by section; ``official_docx``
typesets it in the GB/T 9704 layout shared by every Word document we write.
"""

from __future__ import annotations

from pathlib import Path

from assistant.domain import PlanDraft
from assistant.export.document import (
    Annex,
    Cell,
    Column,
    IssuingBlock,
    OfficialDocument,
    Paragraph,
    Row,
    Section,
    SpanRow,
    Table,
)
from assistant.export.layout import (
    ExportContext,
    action_rows,
    cited_lessons,
    document_title,
    engine_label,
    labelled,
    labels,
    level_text,
    punctuation,
    states_level,
    sub_number,
)
from assistant.export.local_time import local_date, local_time, local_times_in
from assistant.export.official_docx import docx_bytes
from assistant.export.plan_lines import basis_after_level, grouped_escalation, questions_left, source_entry

# Share of the table width per column (序号 措施 责任单位 时限 闭环 依据 核验): where fitting starts. Fitting
# moves width to the columns whose text wraps most; the action text keeps at least MIN_ACTION_SHARE.
ACTION_SHARES = {"zh": (5, 46, 13, 11, 6, 14, 5), "en": (5, 40, 15, 11, 8, 13, 8)}  # English headers are longer
MIN_ACTION_SHARE = 0.40  # issue 20: the action text takes at least 40 % of the table
CENTRED_ACTION_COLUMNS = (0, 4, 6)
BASIS_COLUMN = 5  # source references, set small like the lessons: a reference, not the instruction


def _action_columns(lang: str) -> tuple[Column, ...]:
    t = labels(lang)
    headers = (t["no"], t["action"], t["unit"], t["time_limit"], t["loop"], t["basis"], t["evidence"])
    shares = ACTION_SHARES["en" if lang == "en" else "zh"]
    return tuple(
        Column(
            h,
            share,
            centred=i in CENTRED_ACTION_COLUMNS,
            min_share=MIN_ACTION_SHARE if i == 1 else 0.0,
            small=i == BASIS_COLUMN,
        )
        for i, (h, share) in enumerate(zip(headers, shares, strict=True))
    )


def _action_cells(draft: PlanDraft, stage_index: int) -> list[Row]:
    t = labels(draft.lang)
    colon, sep = punctuation(draft.lang)
    body: list[Row] = []
    for row in action_rows(draft, stage_index):
        notes = []
        if row.resources:
            notes.append(f"{t['resources']}{colon}{('、' if draft.lang != 'en' else ', ').join(row.resources)}")
        if row.lessons:
            notes.append(f"{t['lessons']}{colon}{sep.join(cited_lessons(row.lessons, draft))}")
        body.append(
            (
                Cell(str(row.number)),
                Cell(row.text, note=sep.join(notes)),
                Cell(row.unit),
                Cell(row.time_limit),
                Cell(row.loop),
                Cell(row.basis_brief),
                Cell(row.evidence),
            )
        )
    return body


def _measures_table(draft: PlanDraft, utc_offset: str) -> Table:
    """All six stages in one table: each stage opens with a shaded row (its name and summary) and ends with
    its open questions, so the table runs on from stage to stage without a half-empty page between them."""
    t = labels(draft.lang)
    colon, sep = punctuation(draft.lang)
    rows: list[Row] = []
    for index, stage in enumerate(draft.stages):
        gap = " " if draft.lang == "en" else ""  # '（一）风险管控', '1) Risk control'
        rows.append(
            SpanRow(
                local_times_in(stage.summary, utc_offset, draft.lang),
                heading=f"{sub_number(index + 1, draft.lang)}{gap}{stage.stage.label(draft.lang)}",
            )
        )
        rows += _action_cells(draft, index)
        if questions := questions_left(draft, stage.open_questions):
            asked = sep.join(f"{n}. {q}" for n, q in enumerate(questions, start=1))
            rows.append(SpanRow(f"{t['questions']}{colon}{asked}"))
    return Table(_action_columns(draft.lang), tuple(rows), fit_widths=True, notes_across=True)


def _level_section(draft: PlanDraft) -> Section:
    """Warning line, the proposed level with its basis in one paragraph, facts to confirm, and the
    triggers grouped by the level they lead to: each fact once, in as few 3号 lines as it takes."""
    t = labels(draft.lang)
    colon, sep = punctuation(draft.lang)
    lines = []
    if draft.warning_line:
        lines.append(Paragraph(labelled(t["warning_line"], draft.warning_line, draft.lang)))
    basis = basis_after_level(draft)
    stop = ". " if draft.lang == "en" else "。"
    proposed = f"{t['proposed']}{colon}{level_text(draft)}"
    if states_level(draft):
        lines.append(Paragraph(basis))
    elif basis and labelled(t["basis"], basis, draft.lang) != basis:  # the basis runs on after the level
        lines.append(Paragraph(f"{proposed}{stop}{t['basis']}{colon}{basis}"))
    else:  # no basis, or one with a label of its own (the drafter's level, since changed by an officer)
        lines += [Paragraph(proposed)] + ([Paragraph(basis)] if basis else [])
    if draft.to_confirm:
        lines.append(Paragraph(f"{t['to_confirm']}{colon}{sep.join(draft.to_confirm)}"))
    if draft.escalation:
        lines.append(Paragraph(f"{t['escalation']}{colon}{grouped_escalation(draft)}"))
    return Section(t["level"], tuple(lines))


def _sources_annex(draft: PlanDraft) -> Annex:
    """Every cited passage by number, clause and heading, one paragraph per document in 小五: what the [n]
    in the table point to, dense enough to follow the issuing block rather than take a page of its own."""
    colon, sep = punctuation(draft.lang)
    groups: dict[str, list[str]] = {}
    for n, citation in enumerate(draft.citations, start=1):
        groups.setdefault(citation.title, []).append(source_entry(citation, n, draft.lang))
    quoted = "“{}”" if draft.lang == "en" else "《{}》"
    lines = tuple(
        Paragraph(f"{quoted.format(title)}{colon}{sep.join(entries)}", "small") for title, entries in groups.items()
    )
    return Annex(labels(draft.lang)["sources_title"], lines, new_page=False)


def _issuing(draft: PlanDraft, context: ExportContext) -> IssuingBlock:
    t = labels(draft.lang)
    approval = context.approval
    approved = f"{approval.by} ({local_time(approval.at, context.utc_offset, draft.lang)})" if approval else ""
    duty = context.duty_officer or context.drafted_by
    return IssuingBlock(
        unit=context.issuing_unit or t["issuer_placeholder"],
        date=local_date(draft.created, context.utc_offset, draft.lang),
        duty_officer=duty,
        drafted_by=context.drafted_by if context.drafted_by != duty else "",
        approved=approved,
    )


def plan_document(draft: PlanDraft, context: ExportContext | None = None) -> OfficialDocument:
    """The plan as an official document: summary, level, six stages, issuing block, sources annex."""
    context = context or ExportContext()
    t = labels(draft.lang)
    created = local_time(draft.created, context.utc_offset, draft.lang)
    colon, sep = punctuation(draft.lang)
    # the draft id finds the record (sources, versions, audit trail); the prompt version stays in the properties
    lead = (
        f"{t['created']}{colon}{created}{sep}{t['engine']}{colon}{engine_label(draft)}"
        f"{sep}{t['draft_id']}{colon}{draft.draft_id}"
    )
    if draft.notices:  # one lead paragraph: the notices run on rather than each opening a line
        lead += f"{sep}{t['notices']}{colon}{' '.join(draft.notices)}"
    stages = Section(t["stages"], (_measures_table(draft, context.utc_offset),) if draft.stages else ())
    summary = Paragraph(local_times_in(draft.summary, context.utc_offset, draft.lang))
    return OfficialDocument(
        title=document_title(draft, context),
        lang=draft.lang,
        lead=(Paragraph(lead),),
        sections=(Section(t["summary"], (summary,)), _level_section(draft), stages),
        issuing=_issuing(draft, context),
        annexes=(_sources_annex(draft),) if draft.citations else (),
        draft_mark="" if context.approval else t["header_mark"],
        comments=f"draft_id={draft.draft_id}; engine={draft.engine}; prompt={draft.prompt_version}",
    )


def render_docx(draft: PlanDraft, context: ExportContext | None = None) -> bytes:
    return docx_bytes(plan_document(draft, context))


def write_docx(draft: PlanDraft, path: Path, context: ExportContext | None = None) -> Path:
    path.write_bytes(render_docx(draft, context))
    return path
