"""What an official document says, apart from how it is typeset.

Plans, situation reports and shift handovers are all built as an ``OfficialDocument``:
a title, a few lead lines, numbered sections holding paragraphs and tables, the
issuing block and annexes. ``official_docx`` typesets any of them the same way, so
every Word file the assistant writes follows one layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

ParagraphKind = Literal["body", "strong", "note", "small"]


@dataclass(frozen=True)
class Paragraph:
    """Body text; ``strong`` for a run-in label line, ``note`` for small explanatory text, ``small`` for
    reference lines set like table text (a plan's sources)."""

    text: str
    kind: ParagraphKind = "body"


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and an optional small second line (e.g. an action's lesson)."""

    text: str
    note: str = ""


@dataclass(frozen=True)
class SpanRow:
    """A row across every column: a group's heading (a stage) with its lead-in text, or a closing note.

    ``heading`` is printed in bold before ``text``; a row with a heading opens a group, so it is
    shaded and kept on the same page as the row after it.
    """

    text: str
    heading: str = ""


@dataclass(frozen=True)
class Column:
    """A table column: its header, its share of the table width (shares are normalised),
    and whether its cells are centred (numbers and short codes).

    In a table with ``fit_widths`` the shares are where fitting starts and ``min_share`` the
    least a column may be given. A ``small`` column's cells are set in the small type of a cell's
    second line (references, not instructions).
    """

    header: str
    share: float
    centred: bool = False
    min_share: float = 0.0
    small: bool = False  # cells in the small type of second lines (references such as a plan's 依据)


Row = tuple[Cell, ...] | SpanRow


@dataclass(frozen=True)
class Table:
    """Rows of cells under a header row that repeats on every page the table runs onto.

    ``fit_widths`` lets the typesetter move width between columns to the text they hold, so
    the table takes as little height as it can (see ``table_fit``). With ``notes_across`` a row's
    small second lines are printed under the row, across every column but the first, instead of
    inside their narrow cell: an action's lesson then takes one line rather than three.
    """

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    fit_widths: bool = False
    notes_across: bool = False

    def __post_init__(self) -> None:
        for row in self.rows:
            if not isinstance(row, SpanRow) and len(row) != len(self.columns):
                raise ValueError(f"table row has {len(row)} cells for {len(self.columns)} columns")


Block = Paragraph | Table


@dataclass(frozen=True)
class Section:
    """A numbered section; the typesetter numbers headings by depth (一、 / （一） / 1. / （1））."""

    heading: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Approval:
    """Who approved which version, and when; while absent the document carries the draft mark."""

    by: str
    at: datetime


@dataclass(frozen=True)
class IssuingBlock:
    """The block at the end: issuing unit, duty officer, drafter, date.

    ``signer`` and ``contact`` are for reports sent up (签发人, 联系人及电话); plans leave
    them empty and the lines are not printed.
    """

    unit: str
    date: str
    duty_officer: str = ""
    drafted_by: str = ""
    approved: str = ""
    signer: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Annex:
    """An attachment (附件) printed after the issuing block, headed '附件N 标题'.

    GB/T 9704 starts an annex on a new page; ``new_page=False`` runs a short reference annex (a
    plan's sources) on below the issuing block instead, so it does not take a page of its own.
    """

    title: str
    blocks: tuple[Block, ...]
    new_page: bool = True


@dataclass(frozen=True)
class OfficialDocument:
    title: str
    lang: str
    sections: tuple[Section, ...]
    lead: tuple[Paragraph, ...] = ()
    issuing: IssuingBlock | None = None
    annexes: tuple[Annex, ...] = ()
    draft_mark: str = ""  # printed in the header of every page while not empty
    comments: str = ""  # document properties: where it came from (draft id, engine ...)
