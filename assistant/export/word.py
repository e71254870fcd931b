"""PlanDraft as a Word document that looks like an official handling plan (处置方案).

Fonts follow the habits of Chinese official documents (title in 宋体 bold, level-1
headings in 黑体, level-2 in 楷体, body in 仿宋); Word substitutes them where absent.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.run import Run

from assistant.domain import PlanDraft
from assistant.export.layout import action_rows, engine_label, labels, section_number, sub_number

TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "宋体", "黑体", "楷体", "仿宋"


def _font(run: Run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(
    doc: DocxDocument,
    text: str,
    font: str = BODY_FONT,
    size: float = 14,
    bold: bool = False,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
) -> None:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), font, size, bold)


def _heading(doc: DocxDocument, text: str, level: int) -> None:
    heading = doc.add_heading(level=level)
    _font(heading.add_run(text), HEADING_FONT if level == 1 else SUBHEADING_FONT, 16 if level == 1 else 15, True)


def _table(doc: DocxDocument, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5, True)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5)


def build_document(draft: PlanDraft, issuer: str = "") -> DocxDocument:
    """The python-docx document; stage headings carry the six official stage names."""
    lang = draft.lang
    t = labels(lang)
    doc = Document()
    _paragraph(doc, draft.title, TITLE_FONT, 20, True, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, t["draft_mark"], BODY_FONT, 12, True, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, f"{t['issuer']}：{issuer or t['issuer_placeholder']}", size=12)
    _paragraph(doc, f"{t['created']}：{draft.created.isoformat(timespec='minutes')}", size=12)
    _paragraph(doc, f"{t['engine']}：{engine_label(draft)}；{t['prompt_version']}：{draft.prompt_version}", size=12)
    for notice in draft.notices:
        _paragraph(doc, f"{t['notices']}：{notice}", size=12, bold=True)

    _heading(doc, f"{section_number(1, lang)}{t['summary']}", 1)
    _paragraph(doc, draft.summary)
    _heading(doc, f"{section_number(2, lang)}{t['level']}", 1)
    if draft.proposed_level:
        level = f"Level {draft.proposed_level.value}" if lang == "en" else draft.proposed_level.zh
    else:
        level = t["undetermined"]
    _paragraph(doc, f"{t['proposed']}：{level}")
    _paragraph(doc, f"{t['basis']}：{draft.level_basis}")

    _heading(doc, f"{section_number(3, lang)}{t['stages']}", 1)
    for index, stage in enumerate(draft.stages):
        _heading(doc, f"{sub_number(index + 1, lang)}{stage.stage.label(lang)}", 2)
        _paragraph(doc, stage.summary)
        rows = action_rows(draft, index)
        if rows:
            header = [t["no"], t["action"], t["unit"], t["time_limit"], t["loop"], t["basis"], t["evidence"]]
            body = []
            for row in rows:
                text = row.text + (f"\n{t['lessons']}：" + "；".join(row.lessons) if row.lessons else "")
                body.append([str(row.number), text, row.unit, row.time_limit, row.loop, row.basis, row.evidence])
            _table(doc, header, body)
        if stage.open_questions:
            _paragraph(doc, f"{t['questions']}：", bold=True)
            for question in stage.open_questions:
                _paragraph(doc, f"· {question}")

    _heading(doc, f"{section_number(4, lang)}{t['sources']}", 1)
    sources = [
        [str(n), c.title, c.section, str(c.page or ""), c.text[:120]] for n, c in enumerate(draft.citations, start=1)
    ]
    _table(doc, [t["no"], t["document"], t["section"], t["page"], t["excerpt"]], sources)
    doc.core_properties.title = draft.title
    doc.core_properties.comments = f"draft_id={draft.draft_id}; engine={draft.engine}; prompt={draft.prompt_version}"
    return doc


def render_docx(draft: PlanDraft, issuer: str = "") -> bytes:
    buffer = BytesIO()
    build_document(draft, issuer).save(buffer)
    return buffer.getvalue()


def write_docx(draft: PlanDraft, path: Path, issuer: str = "") -> Path:
    path.write_bytes(render_docx(draft, issuer))
    return path
