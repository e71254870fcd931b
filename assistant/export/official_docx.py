"""Typeset any ``OfficialDocument`` as a Word file in the official layout.

Plans use it today; situation reports and shift handovers build their own
``OfficialDocument`` and get the same page, fonts, headings, tables, page numbers,
draft mark and issuing block without touching this module.
"""

from __future__ import annotations

import math
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from assistant.export.document import Annex, Block, IssuingBlock, OfficialDocument, Paragraph, Section
from assistant.export.docx_pages import add_draft_mark, add_page_numbers
from assistant.export.docx_style import (
    TEXT_WIDTH_MM,
    add_styled,
    define_styles,
    faces_for,
    register_fallbacks,
    set_page,
)
from assistant.export.docx_tables import add_table
from assistant.export.title_lines import text_width, title_lines

CN_NUMERALS = "一二三四五六七八九十"

FIXED_WORDS = {
    "zh": {
        "annex": "附件",
        "unit": "编制单位",
        "duty_officer": "值班员",
        "drafted_by": "起草",
        "approved": "审核",
        "signer": "签发人",
        "contact": "联系人",
    },
    "en": {
        "annex": "Annex",
        "unit": "Issued by",
        "duty_officer": "Duty officer",
        "drafted_by": "Drafted by",
        "approved": "Approved",
        "signer": "Signed off by",
        "contact": "Contact",
    },
}


def _chinese_number(n: int) -> str:
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUMERALS[tens - 1]) + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def heading_number(path: tuple[int, ...], lang: str) -> str:
    """GB/T 9704 §7.3.3 numbering by depth: 一、 / （一） / 1. / （1）; English: 1. / 1.1 / 1.1.1."""
    if lang == "en":
        return ".".join(str(n) for n in path) + ("." if len(path) == 1 else "")
    n, depth = path[-1], len(path)
    return (f"{_chinese_number(n)}、", f"（{_chinese_number(n)}）", f"{n}.", f"（{n}）")[min(depth, 4) - 1]


def _words(lang: str) -> dict[str, str]:
    return FIXED_WORDS["en" if lang == "en" else "zh"]


def _add_paragraph(doc: DocxDocument, block: Paragraph) -> None:
    if block.kind == "note":
        add_styled(doc, block.text, "Official Lead")
    elif block.kind == "small":
        add_styled(doc, block.text, "Table Small").alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    else:
        paragraph = doc.add_paragraph()
        paragraph.add_run(block.text).bold = block.kind == "strong"


def _add_blocks(doc: DocxDocument, blocks: tuple[Block, ...], lang: str) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            _add_paragraph(doc, block)
        else:
            add_table(doc, block, tuple(i for i, c in enumerate(block.columns) if c.centred), lang)


def _add_section(doc: DocxDocument, section: Section, path: tuple[int, ...], lang: str) -> None:
    level = min(len(path), 4)
    gap = " " if lang == "en" else ""  # Chinese numbers carry their own punctuation: 一、 （一） 1.
    add_styled(doc, f"{heading_number(path, lang)}{gap}{section.heading}", f"Heading {level}")
    _add_blocks(doc, section.blocks, lang)
    for index, sub in enumerate(section.subsections, start=1):
        _add_section(doc, sub, (*path, index), lang)


def _add_issuing(doc: DocxDocument, block: IssuingBlock, lang: str) -> None:
    """Signature lines as a block ending four characters from the right margin, the date under them.

    GB/T 9704 puts the issuer and date at the right, the date four characters in; the
    contact line (reports) follows as a note in parentheses.
    """
    words = _words(lang)
    colon = ": " if lang == "en" else "："
    labelled = [
        (words["unit"], block.unit),
        (words["duty_officer"], block.duty_officer),
        (words["drafted_by"], block.drafted_by),
        (words["approved"], block.approved),
        (words["signer"], block.signer),
    ]
    lines = [f"{label}{colon}{value}" for label, value in labelled if value] + [block.date]
    size = faces_for(lang)["body"].size
    line_chars = TEXT_WIDTH_MM / (size * 0.3528)
    widest = min(max(text_width(line) for line in lines), line_chars - 4)
    indent = Pt(size * max(0.0, line_chars - 4 - widest))
    printed = [doc.add_paragraph()]
    for line in lines:
        paragraph = doc.add_paragraph(line)
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.left_indent = indent
        printed.append(paragraph)
    if block.contact:
        printed.append(doc.add_paragraph(f"（{words['contact']}{colon}{block.contact}）"))
    for paragraph in printed[:-1]:  # the block stays on one page
        paragraph.paragraph_format.keep_with_next = True


def _add_title(doc: DocxDocument, title: str, lang: str) -> None:
    """The title centred, broken into balanced lines when it needs more than one."""
    size = faces_for(lang)["title"].size
    capacity = math.floor(TEXT_WIDTH_MM / (size * 0.3528))  # whole characters
    lines = title_lines(title, capacity) if lang != "en" else [title]  # English wraps well at spaces
    paragraph = add_styled(doc, "", "Title")
    for index, line in enumerate(lines):
        if index:
            paragraph.runs[-1].add_break()
        paragraph.add_run(line)


def _add_annex(doc: DocxDocument, annex: Annex, number: int, lang: str) -> None:
    """'附件N' in 黑体 at the left, then the annex's title (2号, centred) and content, on a new page.

    An annex that runs on below the issuing block (a plan's sources) takes one heading line,
    '附件1　资料来源', after a half-line gap: it is a reference list, not a document of its own.
    """
    gap = " " if lang == "en" else ""  # 附件1, Annex 1
    label = f"{_words(lang)['annex']}{gap}{number}"
    if not annex.new_page:
        spacer = doc.add_paragraph()
        spacer.paragraph_format.line_spacing = Pt(faces_for(lang)["body"].pitch / 2)
        spacer.paragraph_format.keep_with_next = True
        heading = add_styled(doc, f"{label}{': ' if lang == 'en' else '　'}{annex.title}", "Heading 1")
        heading.paragraph_format.first_line_indent = Pt(0)
        _add_blocks(doc, annex.blocks, lang)
        return
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    add_styled(doc, label, "Heading 1").paragraph_format.first_line_indent = Pt(0)
    _add_title(doc, annex.title, lang)
    _add_blocks(doc, annex.blocks, lang)


def typeset(document: OfficialDocument) -> DocxDocument:
    """The python-docx document for ``document`` in the official layout of its language."""
    lang = document.lang
    doc = Document()
    set_page(doc)
    define_styles(doc, lang)
    register_fallbacks(doc, lang)
    add_page_numbers(doc, lang)
    if document.draft_mark:
        add_draft_mark(doc, document.draft_mark, lang)
    _add_title(doc, document.title, lang)
    doc.add_paragraph().paragraph_format.line_spacing = Pt(faces_for(lang)["lead"].pitch)
    for line in document.lead:
        add_styled(doc, line.text, "Official Lead")
    for index, section in enumerate(document.sections, start=1):
        _add_section(doc, section, (index,), lang)
    if document.issuing:
        _add_issuing(doc, document.issuing, lang)
    for number, annex in enumerate(document.annexes, start=1):
        _add_annex(doc, annex, number, lang)
    doc.core_properties.title = document.title
    doc.core_properties.comments = document.comments
    doc.core_properties.language = "en-GB" if lang == "en" else "zh-CN"
    return doc


def docx_bytes(document: OfficialDocument) -> bytes:
    buffer = BytesIO()
    typeset(document).save(buffer)
    return buffer.getvalue()
