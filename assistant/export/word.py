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
    Section,
    Table,
)
from assistant.export.layout import (
    ExportContext,
    action_rows,
    document_title,
    engine_label,
    labels,
    level_text,
    punctuation,
    section_path,
)
from assistant.export.local_time import local_date, local_time
from assistant.export.official_docx import docx_bytes

# Share of the table width per column: the action text takes most of it (序号 措施 责任单位 时限 闭环 依据 核验).
ACTION_SHARES = {"zh": (6, 42, 12, 10, 8, 16, 6), "en": (5, 40, 15, 11, 8, 13, 8)}  # English headers are longer
CENTRED_ACTION_COLUMNS = (0, 4, 6)


def _action_table(draft: PlanDraft, stage_index: int) -> Table | None:
    t = labels(draft.lang)
    rows = action_rows(draft, stage_index)
    if not rows:
        return None
    headers = (t["no"], t["action"], t["unit"], t["time_limit"], t["loop"], t["basis"], t["evidence"])
    columns = tuple(
        Column(h, share, centred=i in CENTRED_ACTION_COLUMNS)
        for i, (h, share) in enumerate(zip(headers, ACTION_SHARES["en" if draft.lang == "en" else "zh"], strict=True))
    )
    colon, sep = punctuation(draft.lang)
    body = []
    for row in rows:
        notes = []
        if row.resources:
            notes.append(f"{t['resources']}{colon}{('、' if draft.lang != 'en' else ', ').join(row.resources)}")
        if row.lessons:
            notes.append(f"{t['lessons']}{colon}{sep.join(row.lessons)}")
        body.append(
            (
                Cell(str(row.number)),
                Cell(row.text, note=sep.join(notes)),
                Cell(row.unit),
                Cell(row.time_limit),
                Cell(row.loop),
                Cell(row.basis_named),
                Cell(row.evidence),
            )
        )
    return Table(columns, tuple(body))


def _stage_sections(draft: PlanDraft) -> tuple[Section, ...]:
    t = labels(draft.lang)
    sections = []
    for index, stage in enumerate(draft.stages):
        blocks: list[Paragraph | Table] = [Paragraph(stage.summary)] if stage.summary else []
        table = _action_table(draft, index)
        if table is not None:
            blocks.append(table)
        if stage.open_questions:
            blocks.append(Paragraph(f"{t['questions']}{punctuation(draft.lang)[0]}", kind="strong"))
            blocks += [Paragraph(f"{n}. {q}") for n, q in enumerate(stage.open_questions, start=1)]
        sections.append(Section(stage.stage.label(draft.lang), tuple(blocks)))
    return tuple(sections)


def _level_section(draft: PlanDraft) -> Section:
    t = labels(draft.lang)
    colon, sep = punctuation(draft.lang)
    lines = []
    if draft.warning_line:
        lines.append(Paragraph(f"{t['warning_line']}{colon}{draft.warning_line}"))
    lines.append(Paragraph(f"{t['proposed']}{colon}{level_text(draft)}"))
    if draft.level_basis:
        lines.append(Paragraph(f"{t['basis']}{colon}{draft.level_basis}"))
    if draft.to_confirm:
        lines.append(Paragraph(f"{t['to_confirm']}{colon}{sep.join(draft.to_confirm)}"))
    if draft.escalation:
        lines.append(Paragraph(f"{t['escalation']}{colon}{sep.join(draft.escalation)}"))
    return Section(t["level"], tuple(lines))


def _sources_annex(draft: PlanDraft) -> Annex:
    """Every cited passage by number, document and section: what the [n] in the tables point to."""
    t = labels(draft.lang)
    columns = (Column(t["no"], 6, centred=True), Column(t["document"], 50), Column(t["section"], 44))
    rows = tuple(
        (Cell(str(n)), Cell(c.title), Cell(section_path(c) + (f"（{t['page']} {c.page}）" if c.page else "")))
        for n, c in enumerate(draft.citations, start=1)
    )
    return Annex(t["sources_title"], (Table(columns, rows),))


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
    lead = [
        Paragraph(
            f"{t['created']}{colon}{created}{sep}{t['engine']}{colon}{engine_label(draft)}"
            f"{sep}{t['draft_id']}{colon}{draft.draft_id}"
        )
    ]
    lead += [Paragraph(f"{t['notices']}{colon}{notice}") for notice in draft.notices]
    stages = Section(t["stages"], subsections=_stage_sections(draft))
    return OfficialDocument(
        title=document_title(draft, context),
        lang=draft.lang,
        lead=tuple(lead),
        sections=(Section(t["summary"], (Paragraph(draft.summary),)), _level_section(draft), stages),
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
