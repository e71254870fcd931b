"""The official page and type (GB/T 9704-2012) as Word styles, with font fallbacks.

GB/T 9704 sets A4 paper, a 156 × 225 mm text block (margins 37/35/28/26 mm top,
bottom, left, right), 22 lines of 28 characters, the title in 2号 方正小标宋, body in
3号 仿宋_GB2312, first-level headings in 黑体, second-level in 楷体, and page numbers
in 4号 宋体 as "— 1 —" below the text block, odd pages right and even pages left.

Every role names a chain of fonts. Word and WPS take the first one installed on the
officer's machine (the font table lists the next one as its alternative);
``pdf.py`` maps missing fonts to installed ones when LibreOffice converts.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from assistant.export.ooxml_order import insert_ordered

# GB/T 9704-2012 §5.2: A4, text block 156 mm × 225 mm.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
HEADER_DISTANCE_MM = 18
FOOTER_DISTANCE_MM = 22  # puts the page number's dashes about 7 mm below the text block


@dataclass(frozen=True)
class Face:
    """A typographic role: font chain (first choice first), Latin font, size, weight."""

    fonts: tuple[str, ...]
    latin: str
    size: float
    bold: bool = False
    line: float = 0.0  # exact line pitch in pt; 0 = the role's size × 1.25

    @property
    def pitch(self) -> float:
        return self.line or round(self.size * 1.25, 2)


FANGSONG = ("仿宋_GB2312", "仿宋", "FangSong")
XIAOBIAOSONG = ("方正小标宋简体", "华文中宋", "SimSun")
HEITI = ("黑体", "SimHei")
KAITI = ("楷体_GB2312", "楷体", "KaiTi")
SONGTI = ("宋体", "SimSun")

# 22 lines in the 225 mm text block: 28.95 pt, as in Word's 公文 templates.
BODY_PITCH = 28.95
ZH_FACES: dict[str, Face] = {
    "title": Face(XIAOBIAOSONG, "Times New Roman", 22, line=36),
    "body": Face(FANGSONG, "Times New Roman", 16, line=BODY_PITCH),
    "heading1": Face(HEITI, "Times New Roman", 16, line=BODY_PITCH),
    "heading2": Face(KAITI, "Times New Roman", 16, line=BODY_PITCH),
    "heading3": Face(FANGSONG, "Times New Roman", 16, bold=True, line=BODY_PITCH),
    "heading4": Face(FANGSONG, "Times New Roman", 16, line=BODY_PITCH),
    "lead": Face(KAITI, "Times New Roman", 10.5, line=14),  # 五号: when and how the draft was made, small print
    # 小五, as tables in 公文 annexes commonly are, set solid enough for 31 actions on three pages
    "table": Face(FANGSONG, "Times New Roman", 9, line=10),
    "table_header": Face(HEITI, "Times New Roman", 9, line=10),
    "table_note": Face(KAITI, "Times New Roman", 8, line=9),
    "table_small": Face(FANGSONG, "Times New Roman", 8, line=9),
    "header": Face(HEITI, "Times New Roman", 12, line=16),
    "page_number": Face(SONGTI, "宋体", 14, line=18),
}
SERIF, SANS = ("Times New Roman",), ("Arial",)
EN_FACES: dict[str, Face] = {
    "title": Face(SERIF, "Times New Roman", 18, bold=True, line=24),
    "body": Face(SERIF, "Times New Roman", 12, line=17),
    "heading1": Face(SANS, "Arial", 13, bold=True, line=20),
    "heading2": Face(SANS, "Arial", 12, bold=True, line=18),
    "heading3": Face(SERIF, "Times New Roman", 12, bold=True, line=17),
    "heading4": Face(SERIF, "Times New Roman", 12, line=17),
    "lead": Face(SERIF, "Times New Roman", 11, line=15),
    "table": Face(SERIF, "Times New Roman", 9.5, line=12),
    "table_header": Face(SANS, "Arial", 9, bold=True, line=12),
    "table_note": Face(SERIF, "Times New Roman", 8.5, line=10.5),
    "table_small": Face(SERIF, "Times New Roman", 8.5, line=10.5),
    "header": Face(SANS, "Arial", 11, bold=True, line=14),
    "page_number": Face(SERIF, "Times New Roman", 12, line=16),
}

RUNNING_TEXT = ("body", "heading1", "heading2", "heading3", "heading4")

# Style name per role; the heading styles keep Word's built-in names so navigation and outlines work.
STYLE_NAMES = {
    "title": "Title",
    "body": "Normal",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "heading4": "Heading 4",
    "lead": "Official Lead",
    "table": "Table Text",
    "table_header": "Table Header",
    "table_note": "Table Note",
    "table_small": "Table Small",
    "header": "Header",
    "page_number": "Footer",
}


def style_id(name: str) -> str:
    """The id Word files use for a style name ('Table Text' -> 'TableText', 'Heading 1' -> 'Heading1')."""
    return name.replace(" ", "")


def add_styled(container: DocxDocument | _Cell, text: str, name: str) -> DocxParagraph:
    """A paragraph in style ``name``, set by id: python-docx's lookup by name scans every style on
    each call, which made it most of a plan's render time."""
    paragraph = container.add_paragraph(text)
    paragraph._p.style = style_id(name)
    return paragraph


def faces_for(lang: str) -> dict[str, Face]:
    return EN_FACES if lang == "en" else ZH_FACES


def set_fonts(r_pr: BaseOxmlElement, face: Face) -> None:
    """Name the fonts explicitly: theme fonts would otherwise win over the names we set."""
    fonts = r_pr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), face.latin)
    fonts.set(qn("w:hAnsi"), face.latin)
    fonts.set(qn("w:eastAsia"), face.fonts[0])
    fonts.set(qn("w:cs"), face.latin)


def _reset(style: BaseStyle) -> None:
    """Drop the template's formatting (theme fonts, blue headings, borders) before setting ours."""
    for tag in ("w:pPr", "w:rPr"):
        for child in style.element.findall(qn(tag)):
            style.element.remove(child)


def _style(doc: DocxDocument, name: str) -> ParagraphStyle:
    try:
        style = doc.styles[name]
    except KeyError:  # one of ours (Table Text ...), based on Normal
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
    assert isinstance(style, ParagraphStyle)
    return style


def _outline_level(style: ParagraphStyle, level: int) -> None:
    insert_ordered(style.element.get_or_add_pPr(), OxmlElement("w:outlineLvl", {qn("w:val"): str(level)}))


def define_styles(doc: DocxDocument, lang: str) -> None:
    """Set every role's style: fonts, size, exact line pitch, indents, black text, no spacing."""
    faces = faces_for(lang)
    for role, name in STYLE_NAMES.items():
        face = faces[role]
        style = _style(doc, name)
        assert style.style_id == style_id(name), (name, style.style_id)
        _reset(style)
        style.font.size = Pt(face.size)
        style.font.bold = face.bold
        style.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(style.element.get_or_add_rPr(), face)
        fmt = style.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(face.pitch)
        fmt.widow_control = True
        running_text = role in RUNNING_TEXT and lang != "en"
        # two characters of indent on every 公文 paragraph; styles based on Normal must undo it
        fmt.first_line_indent = Pt(2 * face.size) if running_text else Pt(0)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if role in RUNNING_TEXT else WD_ALIGN_PARAGRAPH.LEFT
        # 28 characters fit the 156 mm line only slightly condensed (GB/T: 22 lines × 28 characters)
        spacing = OxmlElement("w:spacing", {qn("w:val"): "-6" if running_text else "0"})
        insert_ordered(style.element.get_or_add_rPr(), spacing)
        if role.startswith("heading"):
            fmt.keep_with_next = True
            _outline_level(style, int(role[-1]) - 1)
        if role == "title":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.keep_with_next = True
    _document_language(doc, lang)


def _document_language(doc: DocxDocument, lang: str) -> None:
    """East Asian text is Chinese (no 。 at a line start); Latin text stays English whatever the document's
    language, since a Chinese locale for Latin runs lets LibreOffice break '2024' into '2' and '024'."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    for lang_el in defaults.iter(qn("w:lang")):
        lang_el.set(qn("w:val"), "en-GB" if lang == "en" else "en-US")
        lang_el.set(qn("w:eastAsia"), "zh-CN")


def set_page(doc: DocxDocument) -> None:
    """A4 with the GB/T 9704 margins; odd and even pages get their own footers (page-number side)."""
    for section in doc.sections:
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.header_distance, section.footer_distance = Mm(HEADER_DISTANCE_MM), Mm(FOOTER_DISTANCE_MM)
    doc.settings.odd_and_even_pages_header_footer = True


def register_fallbacks(doc: DocxDocument, lang: str) -> None:
    """List each font of a chain in the font table with the next one as its alternative.

    Word and WPS substitute a missing font by its alternative name and character set
    (GB2312), so 仿宋_GB2312 falls back to 仿宋 rather than to the default font.
    """
    part = next((p for p in doc.part.package.iter_parts() if p.partname.endswith("/fontTable.xml")), None)
    if part is None:
        return
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for chain in sorted({face.fonts for face in faces_for(lang).values()}):
        for name, alternative in zip(chain, (*chain[1:], ""), strict=True):
            if name in known:
                continue
            known.add(name)
            font = OxmlElement("w:font", {qn("w:name"): name})
            if alternative:
                font.append(OxmlElement("w:altName", {qn("w:val"): alternative}))
            if lang != "en":
                font.append(OxmlElement("w:charset", {qn("w:val"): "86"}))  # GB2312
            root.append(font)
    # python-docx keeps parts it does not model as bytes; this one is rewritten whole
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
