"""Any ``OfficialDocument`` as Markdown: the same title, numbered sections, tables and issuing block as its
Word file, for pasting into a message or reading in the browser.

``official_docx`` typesets the Word file; this is its plain-text twin, so a document built once (a
shift handover, a report) reads the same in both.
"""

from __future__ import annotations

from assistant.export.document import Annex, Block, OfficialDocument, Paragraph, Section, Table
from assistant.export.official_docx import FIXED_WORDS, heading_number


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def _table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(_cell(c.header) for c in table.columns) + " |", "|" + "---|" * len(table.columns)]
    for row in table.rows:
        if isinstance(row, tuple):
            cells = [_cell(c.text + (f"（{c.note}）" if c.note else "")) for c in row]
        else:  # a row across every column (a group heading or a closing note)
            heading = getattr(row, "heading", "")
            cells = [_cell((f"**{heading}** " if heading else "") + getattr(row, "text", ""))]
            cells += [""] * (len(table.columns) - 1)
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _blocks(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            text = f"**{block.text}**" if block.kind == "strong" else block.text
            out += [f"> {text}" if block.kind == "note" else text, ""]
        else:
            out += _table(block)
    return out


def _section(section: Section, path: tuple[int, ...], lang: str) -> list[str]:
    gap = " " if lang == "en" else ""
    out = [f"{'#' * min(len(path) + 1, 6)} {heading_number(path, lang)}{gap}{section.heading}", ""]
    out += _blocks(section.blocks)
    for index, sub in enumerate(section.subsections, start=1):
        out += _section(sub, (*path, index), lang)
    return out


def _annex(annex: Annex, number: int, lang: str) -> list[str]:
    words = FIXED_WORDS["en" if lang == "en" else "zh"]
    return [f"## {words['annex']}{number} {annex.title}", "", *_blocks(annex.blocks)]


def render_official_markdown(document: OfficialDocument) -> str:
    lang = document.lang
    words = FIXED_WORDS["en" if lang == "en" else "zh"]
    colon = ": " if lang == "en" else "："
    out = [f"# {document.title}", ""]
    if document.draft_mark:
        out += [f"**{document.draft_mark}**", ""]
    out += [f"{line.text}  " for line in document.lead]
    if document.lead:
        out.append("")
    for index, section in enumerate(document.sections, start=1):
        out += _section(section, (index,), lang)
    issuing = document.issuing
    if issuing is not None:
        for key, value in (
            ("unit", issuing.unit),
            ("duty_officer", issuing.duty_officer),
            ("drafted_by", issuing.drafted_by),
            ("approved", issuing.approved),
            ("signer", issuing.signer),
            ("contact", issuing.contact),
        ):
            if value:
                out.append(f"{words[key]}{colon}{value}  ")
        out += [issuing.date, ""]
    for number, annex in enumerate(document.annexes, start=1):
        out += _annex(annex, number, lang)
    return "\n".join(out).rstrip() + "\n"
