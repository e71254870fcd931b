"""The Word file read back with python-docx: GB/T 9704 page, fonts, headings, tables, page numbers, time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable
from docx.table import _Row

from assistant.domain import STAGES, Level
from assistant.export.document import (
    Approval,
    Cell,
    Column,
    IssuingBlock,
    OfficialDocument,
    Paragraph,
    Section,
    Table,
)
from assistant.export.layout import ExportContext
from assistant.export.local_time import local_date, local_time, offset_label
from assistant.export.official_docx import docx_bytes, heading_number
from assistant.export.ooxml_order import SCHEMA_ORDER
from assistant.export.title_lines import text_width, title_lines
from assistant.export.word import render_docx
from tests.factories import make_draft


def _open(data: bytes) -> DocxDocument:
    return Document(BytesIO(data))


def _plan(lang: str = "zh", context: ExportContext | None = None) -> DocxDocument:
    return _open(render_docx(make_draft(lang=lang), context or ExportContext(issuing_unit="滨江区城运中心")))


def _east_asian_font(style: ParagraphStyle) -> str:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return str(fonts.get(qn("w:eastAsia")))


def _style(doc: DocxDocument, name: str) -> ParagraphStyle:
    style = doc.styles[name]
    assert isinstance(style, ParagraphStyle)
    return style


def test_page_is_a4_with_gbt_9704_margins() -> None:
    section = _plan().sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def test_title_body_and_heading_fonts() -> None:
    doc = _plan()
    title, body = _style(doc, "Title"), _style(doc, "Normal")
    assert _east_asian_font(title) == "方正小标宋简体" and title.font.size.pt == 22
    assert _east_asian_font(body) == "仿宋_GB2312" and body.font.size.pt == 16
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 22 * body.paragraph_format.line_spacing.pt == pytest.approx(225 / 25.4 * 72, abs=2)  # 22 lines
    assert body.paragraph_format.first_line_indent.pt == 32  # two characters
    assert _east_asian_font(_style(doc, "Heading 1")) == "黑体"
    assert _east_asian_font(_style(doc, "Heading 2")) == "楷体_GB2312"
    for name in ("Heading 1", "Heading 2"):
        assert _style(doc, name).font.size.pt == 16 and _style(doc, name).font.color.rgb == (0, 0, 0)
    headings = [(p.text, p.style.name) for p in doc.paragraphs if p.style and p.style.name.startswith("Heading")]
    assert headings == [
        ("一、事件概要", "Heading 1"),
        ("二、响应级别建议及依据", "Heading 1"),
        ("三、分阶段处置措施", "Heading 1"),
        ("附件1　资料来源", "Heading 1"),
    ]
    assert doc.paragraphs[0].style.name == "Title"


def test_font_table_names_each_fallback() -> None:
    doc = _plan()
    part = next(p for p in doc.part.package.iter_parts() if p.partname.endswith("/fontTable.xml"))
    fonts = {
        f.get(qn("w:name")): (alt.get(qn("w:val")) if (alt := f.find(qn("w:altName"))) is not None else "")
        for f in parse_xml(part.blob).findall(qn("w:font"))
    }
    assert fonts["仿宋_GB2312"] == "仿宋" and fonts["仿宋"] == "FangSong"
    assert fonts["方正小标宋简体"] == "华文中宋" and fonts["华文中宋"] == "SimSun"
    assert fonts["楷体_GB2312"] == "楷体" and fonts["黑体"] == "SimHei"


def _grid(table: DocxTable) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def _span(row: _Row) -> int:
    span = row._tr.tc_lst[0].tcPr.find(qn("w:gridSpan"))
    return 1 if span is None else int(span.get(qn("w:val")))


def test_measures_table_widths_header_and_rows() -> None:
    table = _plan().tables[0]
    grid = _grid(table)
    assert len(grid) == 7
    assert grid[1] / sum(grid) >= 0.40  # 措施 takes most of the width
    assert grid[1] == max(grid)
    assert sum(grid) == pytest.approx(156 / 25.4 * 1440, abs=2)  # the full 156 mm text width
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # a row stays whole; the table breaks between rows
        widths = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in row._tr.tc_lst]
        if len(widths) == 7:
            assert widths == grid
        elif len(widths) == 2:  # a line of lessons under an action, beside the action's number
            assert widths == [grid[0], sum(grid[1:])]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert not any(row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows[1:])


def test_stages_open_with_shaded_rows_kept_with_their_first_action() -> None:
    """One table for the six stages: no stage starts a half-empty page, none ends a page without its first action."""
    rows = list(_plan().tables[0].rows)
    shaded = [i for i, row in enumerate(rows) if row._tr.tc_lst[0].tcPr.find(qn("w:shd")) is not None]
    assert [rows[i].cells[0].text.split("　")[0] for i in shaded] == [
        f"{heading_number((1, n), 'zh')}{stage.zh}" for n, stage in enumerate(STAGES, start=1)
    ]
    assert rows[shaded[0]].cells[0].text == "（一）风险管控　风险管控阶段的要点。"
    for i in shaded:
        assert _span(rows[i]) == 7
        paragraph = rows[i].cells[0].paragraphs[0]
        assert paragraph.paragraph_format.keep_with_next
        assert paragraph.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"  # the stage name as the header row
        assert _span(rows[i + 1]) == 1 and rows[i + 1].cells[0].text == "1"  # its first action follows
    questions = [row for i, row in enumerate(rows) if _span(row) == 7 and i not in shaded]
    assert [row.cells[0].text for row in questions] == ["待确认事项：1. 现场是否有人员被困？"] * 6
    assert not any(row.cells[0].paragraphs[0].paragraph_format.keep_with_next for row in questions)


def test_basis_cell_names_the_source_and_the_lesson_is_a_small_second_line() -> None:
    rows = _plan().tables[0].rows
    row, under = rows[2], rows[3]  # the first stage's first action, and the line under it
    assert row.cells[5].text == "[1]《城镇燃气突发事件应急预案》六（三） 预警信息"
    basis, text = row.cells[5].paragraphs[0].style, row.cells[1].paragraphs[0].style
    assert basis is not None and text is not None and basis.font.size.pt < text.font.size.pt  # a reference
    assert [p.text for p in row.cells[1].paragraphs] == ["关闭上游阀门切断气源，设置警戒区并疏散周边人员"]
    # resources and lessons on a small line under the action, across every column but the number's
    number, notes = under._tr.tc_lst
    assert under.cells[0].text == "" and _span(under) == 1  # not merged with the number: see docx_tables
    for upper, lower in ((row._tr.tc_lst[0], number), (row._tr.tc_lst[1], notes)):  # one entry, no rule between
        assert upper.tcPr.find(qn("w:tcBorders")).find(qn("w:bottom")).get(qn("w:val")) == "nil"
        assert lower.tcPr.find(qn("w:tcBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"
    assert notes.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "6"
    line = under.cells[-1].paragraphs[0]
    assert line.text == "资源：抢修车；案例教训：燃气泄漏报警后应先疏散人员、切断气源。"
    assert line.style is not None and line.style.font.size.pt < text.font.size.pt
    assert all(p.paragraph_format.keep_with_next for c in row.cells[1:] for p in c.paragraphs)  # kept together


def test_page_number_field_on_odd_and_even_pages() -> None:
    doc = _plan()
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        instructions = [i.text.strip() for i in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        assert paragraph.text == "— 1 —" and paragraph.alignment == side
        assert paragraph.style is not None and paragraph.style.font.size.pt == 14  # 4号
        assert _east_asian_font(paragraph.style) == "宋体"


def test_property_elements_follow_the_schema_order() -> None:
    """Word rejects a file whose property elements are out of order (LibreOffice does not mind)."""
    doc = _plan()
    section = doc.sections[0]
    roots = [doc.element, doc.styles.element]
    roots += [part._element for part in (section.header, section.even_page_header, section.footer)]
    checked = 0
    for root in roots:
        for element in root.iter(*(qn(f"w:{name}") for name in SCHEMA_ORDER)):
            order = {qn(f"w:{name}"): i for i, name in enumerate(SCHEMA_ORDER[element.tag.rsplit("}", 1)[-1]])}
            positions = [order[child.tag] for child in element if child.tag in order]
            assert positions == sorted(positions), (element.tag, [child.tag for child in element])
            assert len(positions) == len(element), "an element the schema does not allow here"
            checked += 1
    assert checked > 100


def test_draft_mark_until_approved() -> None:
    doc = _plan()
    for header in (doc.sections[0].header, doc.sections[0].even_page_header):
        assert header.paragraphs[0].text.startswith("草案")
    approval = Approval("王五", datetime(2026, 11, 22, 10, 5, tzinfo=UTC))
    approved = _plan(context=ExportContext(approval=approval, drafted_by="张三"))
    for header in (approved.sections[0].header, approved.sections[0].even_page_header):
        assert "草案" not in "".join(p.text for p in header.paragraphs)
    texts = [p.text for p in approved.paragraphs]
    assert texts[0] == "关于滨江路燃气泄漏报警的应急处置方案"  # 18 characters: one line, no longer a draft
    assert "审核：王五 (2026年11月22日 18时05分)" in texts and "值班员：张三" in texts


def test_times_are_local_in_the_centres_offset() -> None:
    texts = [p.text for p in _plan().paragraphs]
    assert any(t.startswith("生成时间：2026年11月22日 17时30分") for t in texts), texts[:4]
    assert "2026年11月22日" in texts  # the date under the issuing block
    assert not any("T09:30" in t or "+00:00" in t for t in texts)
    moment = datetime(2026, 8, 3, 1, 12, tzinfo=UTC)
    assert local_time(moment, "+08:00", "zh") == "2026年8月3日 9时12分"
    assert local_time(moment, "+08:00", "en") == "3 Aug 2026 09:12 (UTC+8)"
    assert local_date(moment, "-05:00", "zh") == "2026年8月2日"
    assert local_time(moment.replace(tzinfo=None), "+08:00", "zh") == "2026年8月3日 9时12分"  # naive = UTC
    assert [offset_label(o) for o in ("+05:30", "+00:00", "-03:00")] == ["UTC+5:30", "UTC", "UTC-3"]
    with pytest.raises(ValueError, match="UTC"):
        local_time(moment, "8", "zh")


def test_english_document_has_its_own_clean_layout() -> None:
    doc = _plan(lang="en")
    assert doc.sections[0].header.paragraphs[0].text.startswith("DRAFT")
    assert _style(doc, "Normal").font.name == "Times New Roman" and _style(doc, "Normal").font.size.pt == 12
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert headings == [
        "1. Event summary",
        "2. Proposed response level and basis",
        "3. Measures by stage",
        "Annex 1: Sources",
    ]
    assert doc.tables[0].rows[1].cells[0].text.startswith("1) Risk control  ")
    assert any(p.text.startswith("Generated: 22 Nov 2026 17:30 (UTC+8)") for p in doc.paragraphs)
    assert doc.sections[0].footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_the_typesetter_serves_other_documents_too() -> None:
    """A shift handover: four heading levels, a plain table, and a report's signer and contact lines."""
    handover = OfficialDocument(
        title="值班交接班记录",
        lang="zh",
        sections=(
            Section(
                "在办事件",
                subsections=(
                    Section(
                        "燃气",
                        (
                            Table(
                                (Column("事件", 60), Column("状态", 40, centred=True)),
                                ((Cell("中山路12号燃气报警", note="已关阀"), Cell("处置中")),),
                            ),
                        ),
                        (Section("待办", (Paragraph("复测浓度"),), (Section("责任人"),)),),
                    ),
                ),
            ),
        ),
        issuing=IssuingBlock(unit="滨江区城运中心", date="2026年11月22日", signer="赵六", contact="李四，12345"),
    )
    doc = _open(docx_bytes(handover))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert headings == ["一、在办事件", "（一）燃气", "1.待办", "（1）责任人"]
    texts = [p.text for p in doc.paragraphs]
    assert "签发人：赵六" in texts and "（联系人：李四，12345）" in texts
    assert not "".join(p.text for p in doc.sections[0].header.paragraphs)  # no draft mark asked for
    grid = [int(c.get(qn("w:w"))) for c in doc.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[0] / sum(grid) == pytest.approx(0.6, abs=0.001)
    assert [heading_number((11,), "zh"), heading_number((2, 20), "zh")] == ["十一、", "（二十）"]
    with pytest.raises(ValueError, match="cells"):
        Table((Column("a", 1),), ((Cell("x"), Cell("y")),))


def test_long_titles_break_into_balanced_lines_at_phrase_ends() -> None:
    assert title_lines("关于北京市暴雨的应急处置方案（草案）", 20) == ["关于北京市暴雨的应急处置方案（草案）"]
    assert title_lines("关于滨江路燃气泄漏报警的应急处置方案（草案）", 20) == [
        "关于滨江路燃气泄漏报警的",
        "应急处置方案（草案）",
    ]
    # "12" and the spaces around it make the first 20 characters too wide for one line
    assert title_lines("关于示例市老城区中山路12号地下室（示例）可燃气体监测的应急处置方案（草案）", 20) == [
        "关于示例市老城区中山路12号",
        "地下室（示例）可燃气体监测的",
        "应急处置方案（草案）",
    ]
    three = title_lines("关于深圳市福田区某某街道某某社区某某大厦地下车库积水内涝及人员被困的应急处置方案（草案）", 20)
    assert len(three) == 3 and all(text_width(line) <= 20 for line in three)
    assert not any(line.startswith(("）", "，")) or line.endswith("（") for line in three)
    assert title_lines("（" + "很长" * 20 + "）", 20) == ["（" + "很长" * 20 + "）"]  # no clean break: left whole


def test_a_stage_without_actions_or_summary_still_renders() -> None:
    draft = make_draft()
    empty = replace(draft.stages[0], summary="", actions=(), open_questions=())
    doc = _open(render_docx(replace(draft, stages=(empty, *draft.stages[1:]), citations=())))
    assert len(doc.tables) == 1  # the measures table, no sources annex
    texts = [row.cells[0 if _span(row) == 7 else 1].paragraphs[0].text for row in doc.tables[0].rows]
    assert texts[1:4] == [
        "（一）风险管控　",
        "（二）监测预警　监测预警阶段的要点。",
        "关闭上游阀门切断气源，设置警戒区并疏散周边人员",
    ]
    assert not any(p.text.startswith("附件") for p in doc.paragraphs)


def test_the_issuing_block_stays_on_one_page() -> None:
    paragraphs = _plan().paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("编制单位")) - 1  # the blank line above
    end = next(i for i, p in enumerate(paragraphs) if p.text == "2026年11月22日")
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[start:end])
    assert not paragraphs[end].paragraph_format.keep_with_next


def test_sources_annex_runs_on_grouped_by_document() -> None:
    doc = _plan()
    breaks = [br for p in doc.paragraphs for br in p._p.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert not breaks  # the short list follows the issuing block instead of taking a page of its own
    label = next(i for i, p in enumerate(doc.paragraphs) if p.text == "附件1　资料来源")  # one heading line
    assert doc.paragraphs[label - 1].paragraph_format.keep_with_next
    assert len(doc.tables) == 1  # one paragraph per document in 小五, not a table of its own
    listed = doc.paragraphs[label + 1]
    assert listed.style is not None and listed.style.name == "Table Small"
    assert listed.text == "《城镇燃气突发事件应急预案（要点）》：[1] 六（三）Ⅲ级响应（页码 1）"


def test_level_lines_are_not_labelled_twice() -> None:
    """The drafter's lines carry their own labels ('预警级别：…'); a basis that opens with the proposal states it."""
    draft = replace(
        make_draft(),
        warning_line="预警级别：橙色（示例市气象台发布暴雨橙色预警）。",
        level_basis="建议响应级别：Ⅳ级应急响应。依据《城镇燃气突发事件应急预案》六（三）。",
    )
    texts = [p.text for p in _open(render_docx(draft)).paragraphs]
    assert "预警级别：橙色（示例市气象台发布暴雨橙色预警）。" in texts
    assert "建议响应级别：Ⅳ级应急响应。依据《城镇燃气突发事件应急预案》六（三）。" in texts
    assert not any(t.startswith(("预警级别：预警级别", "建议响应级别：Ⅳ级应急响应\n")) for t in texts)
    assert "建议响应级别：Ⅳ级应急响应" not in texts and not any(t.startswith("依据：建议") for t in texts)
    changed = [p.text for p in _open(render_docx(replace(draft, proposed_level=Level.III))).paragraphs]
    assert "建议响应级别：Ⅲ级应急响应" in changed  # an officer changed the level: both lines are printed
