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

from assistant.export.document import Cell, Row, SpanRow, Table
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


def _no_rule(docx_cell: _Cell, side: str) -> None:
    borders = OxmlElement("w:tcBorders")
    borders.append(OxmlElement(f"w:{side}", {qn("w:val"): "nil"}))
    insert_ordered(docx_cell._tc.get_or_add_tcPr(), borders)


def _notes_under(cells_row: _Row, notes_row: _Row, notes: str, widths: list[int]) -> None:
    """``notes`` in small type across ``notes_row``, under every column but the first; no rule between the
    two rows, so they read as one entry, and the row above is kept with it.

    The number's cell is not merged down into the notes row: LibreOffice 7.4 drops the rest of a
    table whose vertically merged cell meets a page break between rows it must keep whole.
    """
    first, *rest = notes_row._tr.tc_lst
    for tc in rest[1:]:
        notes_row._tr.remove(tc)
    first.width = Twips(widths[0])
    insert_ordered(rest[0].get_or_add_tcPr(), OxmlElement("w:gridSpan", {qn("w:val"): str(len(widths) - 1)}))
    notes_cell = notes_row.cells[-1]
    notes_cell.width = Twips(sum(widths[1:]))
    notes_cell.paragraphs[0]._p.style = style_id("Table Note")
    notes_cell.paragraphs[0].add_run(notes)
    notes_row.cells[0].paragraphs[0]._p.style = style_id("Table Note")  # empty, but not a 3号 line tall
    for upper, lower in zip(cells_row.cells, (notes_row.cells[0], *[notes_cell] * (len(widths) - 1)), strict=True):
        _no_rule(upper, "bottom")
        _no_rule(lower, "top")
    for docx_cell in cells_row.cells[1:]:
        for paragraph in docx_cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True  # the row never ends a page without its notes


def add_table(doc: DocxDocument, table: Table, centre_columns: tuple[int, ...] = (), lang: str = "zh") -> DocxTable:
    """Append ``table`` at the document's text width; ``centre_columns`` are centred (numbers, short codes)."""
    total = int(Mm(TEXT_WIDTH_MM).twips)
    shares = [c.share for c in table.columns]
    if table.fit_widths:
        shares = fitted_shares(table, TEXT_WIDTH_MM, table_type(lang))
    widths = column_widths(shares, total)
    separator = "; " if lang == "en" else "；"

    def notes_of(cells: Row) -> str:
        if not table.notes_across or isinstance(cells, SpanRow):
            return ""
        return separator.join(c.note for c in cells if c.note)

    out = doc.add_table(rows=1 + len(table.rows) + sum(1 for r in table.rows if notes_of(r)), cols=len(widths))
    out.style = doc.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_layout(out, widths)
    header = out.rows[0]
    _row_property(header, "w:cantSplit")
    _row_property(header, "w:tblHeader")  # repeated at the top of every page the table runs onto
    for docx_cell, column, twips in zip(header.cells, table.columns, widths, strict=True):
        _fill(docx_cell, Cell(column.header), "Table Header", "Table Note", centred=True)
        docx_cell.width = Twips(twips)
    docx_rows = iter(out.rows[1:])
    for cells in table.rows:
        row = next(docx_rows)
        _row_property(row, "w:cantSplit")  # a row moves to the next page whole; the table breaks between rows
        if isinstance(cells, SpanRow):
            _span(row, cells, total, lang)
            continue
        notes = notes_of(cells)
        for index, (docx_cell, cell, twips) in enumerate(zip(row.cells, cells, widths, strict=True)):
            style = "Table Small" if table.columns[index].small else "Table Text"
            _fill(docx_cell, Cell(cell.text) if notes else cell, style, "Table Note", centred=index in centre_columns)
            docx_cell.width = Twips(twips)
        if notes:
            notes_row = next(docx_rows)
            _row_property(notes_row, "w:cantSplit")
            _notes_under(row, notes_row, notes, widths)
    for row in out.rows:
        for docx_cell in row.cells:
            docx_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return out
