"""What repeats on every page: the draft mark in the header and the page number in the footer.

GB/T 9704 §7.5: the page number is 4号 半角宋体 Arabic digits between two em dashes,
"— 1 —", on odd pages one character in from the right, on even pages one in from the left.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from assistant.export.docx_style import faces_for

PAGE_DASH = "—"


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (begin / instruction / separate / cached result / end) as separate runs."""

    def run_with(element: str, **attrs: str) -> None:
        run = paragraph.add_run()
        child = OxmlElement(element, {qn(f"w:{k}"): v for k, v in attrs.items()})
        if element == "w:instrText":
            child.set(qn("xml:space"), "preserve")
            child.text = f" {instruction} "
        run._r.append(child)

    run_with("w:fldChar", fldCharType="begin")
    run_with("w:instrText")
    run_with("w:fldChar", fldCharType="separate")
    paragraph.add_run(shown)
    run_with("w:fldChar", fldCharType="end")


def add_page_numbers(doc: DocxDocument, lang: str) -> None:
    """'— N —' on every page; Chinese documents alternate sides as GB/T 9704 asks."""
    indent = Pt(faces_for(lang)["page_number"].size)  # one character
    for section in doc.sections:
        footers = [(section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)]
        if lang == "en":
            footers = [
                (section.footer, WD_ALIGN_PARAGRAPH.CENTER),
                (section.even_page_footer, WD_ALIGN_PARAGRAPH.CENTER),
            ]
        for footer, side in footers:
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.style = doc.styles["Footer"]
            paragraph.alignment = side
            if side == WD_ALIGN_PARAGRAPH.RIGHT:
                paragraph.paragraph_format.right_indent = indent
            elif side == WD_ALIGN_PARAGRAPH.LEFT:
                paragraph.paragraph_format.left_indent = indent
            paragraph.add_run(f"{PAGE_DASH} ")
            _field(paragraph, "PAGE", "1")
            paragraph.add_run(f" {PAGE_DASH}")


def add_draft_mark(doc: DocxDocument, mark: str, lang: str) -> None:
    """``mark`` at the top right of every page (odd and even headers), e.g. '草案  须经值班领导审核后使用'."""
    for section in doc.sections:
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0]
            paragraph.style = doc.styles["Header"]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if lang == "en" else WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.add_run(mark)
