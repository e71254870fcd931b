"""Tables that read on paper: fixed column widths, a header row repeated on every page,
rows that do not break across pages, and an optional small second line per cell.

Word and LibreOffice both honour fixed widths only when the grid, every cell and the
table layout agree, so all three are written.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Twips
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row

from assistant.export.document import Cell, Table
from assistant.export.docx_style import TEXT_WIDTH_MM, add_styled, style_id
from assistant.export.ooxml_order import insert_ordered

CELL_MARGIN_TWIPS = 43  # 0.75 mm each side: narrow columns (序号, 闭环) keep their characters


def column_widths(shares: list[float], total_twips: int) -> list[int]:
    """Twips per column from relative shares; rounding goes to the widest column so the sum is exact."""
    scale = sum(shares)
    widths = [int(total_twips * share / scale) for share in shares]
    widths[widths.index(max(widths))] += total_twips - sum(widths)
    return widths


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


def add_table(doc: DocxDocument, table: Table, centre_columns: tuple[int, ...] = ()) -> DocxTable:
    """Append ``table`` at the document's text width; ``centre_columns`` are centred (numbers, short codes)."""
    total = int(Mm(TEXT_WIDTH_MM).twips)
    widths = column_widths([c.share for c in table.columns], total)
    out = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    out.style = doc.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_layout(out, widths)
    header = out.rows[0]
    _row_property(header, "w:cantSplit")
    _row_property(header, "w:tblHeader")  # repeated at the top of every page the table runs onto
    for docx_cell, column in zip(header.cells, table.columns, strict=True):
        _fill(docx_cell, Cell(column.header), "Table Header", "Table Note", centred=True)
    for row, cells in zip(out.rows[1:], table.rows, strict=True):
        _row_property(row, "w:cantSplit")  # a row moves to the next page whole where it fits on one
        for index, (docx_cell, cell) in enumerate(zip(row.cells, cells, strict=True)):
            _fill(docx_cell, cell, "Table Text", "Table Note", centred=index in centre_columns)
    for row in out.rows:
        for docx_cell, twips in zip(row.cells, widths, strict=True):
            docx_cell.width = Twips(twips)
            docx_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return out
