"""Tables that read on paper: fixed column widths, a header row repeated on every page,
rows kept whole while the table itself breaks between rows, shaded group rows kept
with the row after them, and an optional small second line per cell.

Word and LibreOffice both honour fixed widths only when the grid, every cell and the
table layout agree, so all three are written.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row

from assistant.export.document import Cell, SpanRow, Table
from assistant.export.docx_style import TEXT_WIDTH_MM, add_styled, faces_for, set_fonts, style_id
from assistant.export.ooxml_order import insert_ordered
from assistant.export.table_fit import TableType, fitted_shares

CELL_MARGIN_TWIPS = 28  # 0.5 mm each side: narrow columns (序号, 闭环) keep their characters
GROUP_SHADE = "EDEDED"  # a light grey that prints as grey on a black-and-white office printer


def column_widths(shares: list[float], total_twips: int) -> list[int]:
    """Twips per column from relative shares; rounding goes to the widest column so the sum is exact."""
    scale = sum(shares)
    widths = [int(total_twips * share / scale) for share in shares]
    widths[widths.index(max(widths))] += total_twips - sum(widths)
    return widths


def table_type(lang: str) -> TableType:
    """What ``table_fit`` needs to know of the table styles of ``lang``."""
    faces = faces_for(lang)
    padding_mm = 2 * CELL_MARGIN_TWIPS * 25.4 / 1440
    return TableType(
        faces["table"].size, faces["table"].pitch, faces["table_note"].size, faces["table_note"].pitch, padding_mm
    )


def _row_property(row: _Row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        tr_pr.append(OxmlElement(tag))


def _fix_layout(table: DocxTable, widths: list[int]) -> None:
    table.autofit = False  # w:tblLayout fixed: widths are not recomputed from the content
    tbl_pr = table._tbl.tblPr
    insert_ordered(tbl_pr, OxmlElement("w:tblW", {qn("w:w"): str(sum(widths)), qn("w:type"): "dxa"}))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(OxmlElement(f"w:{side}", {qn("w:w"): str(CELL_MARGIN_TWIPS), qn("w:type"): "dxa"}))
    insert_ordered(tbl_pr, margins)
    for column, twips in zip(table.columns, widths, strict=True):
        column.width = Twips(twips)


def _fill(docx_cell: _Cell, cell: Cell, style: str, note_style: str, centred: bool) -> None:
    paragraph = docx_cell.paragraphs[0]
    paragraph._p.style = style_id(style)
    paragraph.add_run(cell.text)
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if cell.note:
        add_styled(docx_cell, cell.note, note_style)


def _span(row: _Row, span: SpanRow, total: int, lang: str) -> None:
    """One cell across the row: the group's heading in the header's type, then its text in small type; a
    heading row is shaded and kept with the next row, so a stage's name never ends a page without its
    first action."""
    cells = row._tr.tc_lst
    for tc in cells[1:]:
        row._tr.remove(tc)
    tc_pr = cells[0].get_or_add_tcPr()
    insert_ordered(tc_pr, OxmlElement("w:gridSpan", {qn("w:val"): str(len(cells))}))
    docx_cell = row.cells[0]
    docx_cell.width = Twips(total)
    paragraph = docx_cell.paragraphs[0]
    paragraph._p.style = style_id("Table Small")  # the group's lead-in is read once: small type, full width
    if span.heading:
        heading = paragraph.add_run(span.heading + ("  " if lang == "en" else "　"))
        face = faces_for(lang)["table_header"]
        set_fonts(heading._r.get_or_add_rPr(), face)  # 黑体, as the header row
        heading.font.size = Pt(face.size)
        heading.bold = lang == "en"
        paragraph.paragraph_format.keep_with_next = True
        shade = OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): GROUP_SHADE})
        insert_ordered(tc_pr, shade)
    paragraph.add_run(span.text)


def add_table(doc: DocxDocument, table: Table, centre_columns: tuple[int, ...] = (), lang: str = "zh") -> DocxTable:
    """Append ``table`` at the document's text width; ``centre_columns`` are centred (numbers, short codes)."""
    total = int(Mm(TEXT_WIDTH_MM).twips)
    shares = [c.share for c in table.columns]
    if table.fit_widths:
        shares = fitted_shares(table, TEXT_WIDTH_MM, table_type(lang))
    widths = column_widths(shares, total)
    out = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    out.style = doc.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_layout(out, widths)
    header = out.rows[0]
    _row_property(header, "w:cantSplit")
    _row_property(header, "w:tblHeader")  # repeated at the top of every page the table runs onto
    for docx_cell, column, twips in zip(header.cells, table.columns, widths, strict=True):
        _fill(docx_cell, Cell(column.header), "Table Header", "Table Note", centred=True)
        docx_cell.width = Twips(twips)
    for row, cells in zip(out.rows[1:], table.rows, strict=True):
        _row_property(row, "w:cantSplit")  # a row moves to the next page whole; the table breaks between rows
        if isinstance(cells, SpanRow):
            _span(row, cells, total, lang)
            continue
        for index, (docx_cell, cell, twips) in enumerate(zip(row.cells, cells, widths, strict=True)):
            style = "Table Small" if table.columns[index].small else "Table Text"
            _fill(docx_cell, cell, style, "Table Note", centred=index in centre_columns)
            docx_cell.width = Twips(twips)
    for row in out.rows:
        for docx_cell in row.cells:
            docx_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return out
