"""Structure-aware chunking: every numbering style, false positives, section boundaries, sizes."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.domain import Chunk
from assistant.knowledge.chunking import chunk_document
from assistant.knowledge.headings import parse_heading
from assistant.knowledge.loaders import Block, LoadedDocument, load_document
from tests.knowledge import make_fixtures as fx


def _doc(lines: str | list[Block], suffix: str = ".txt") -> LoadedDocument:
    blocks = (
        tuple(Block(line.strip(), None, "paragraph") for line in lines.strip().splitlines() if line.strip())
        if isinstance(lines, str)
        else tuple(lines)
    )
    return LoadedDocument(Path(f"plan{suffix}"), blocks, {}, None, (), "0" * 64)


class _Paths:
    """Heading paths of a text's chunks, looked up by how a chunk's text starts."""

    def __init__(self, text: str, chunk_chars: int = 500) -> None:
        self.chunks = chunk_document(_doc(text), "d", chunk_chars)

    def __getitem__(self, start: str) -> tuple[str, ...]:
        found = [c.heading_path for c in self.chunks if c.text.startswith(start)]
        assert len(found) == 1, f"{start!r} starts {len(found)} chunks: {[c.text[:20] for c in self.chunks]}"
        return found[0]


_paths = _Paths


def test_chapters_sections_and_articles() -> None:
    paths = _paths("""
        第一章 总则
        第一条 为了规范突发事件应对工作，制定本办法。
        第二条 本办法适用于本市行政区域。
        第三章 应急响应
        第二节 分级响应
        第十条 发生特别重大突发事件时，启动一级响应。
        第十一条 发生重大突发事件时，启动二级响应。
    """)
    assert paths["为了规范突发事件应对工作"] == ("第一章 总则", "第一条")
    assert paths["本办法适用于本市行政区域"] == ("第一章 总则", "第二条")
    assert paths["发生特别重大突发事件时，"] == ("第三章 应急响应", "第二节 分级响应", "第十条")
    assert paths["发生重大突发事件时，启动二"] == ("第三章 应急响应", "第二节 分级响应", "第十一条")


def test_chinese_government_outline() -> None:
    paths = _paths("""
        一、总则
        （一）编制目的
        为保障人民群众生命财产安全，制定本预案。
        (二)适用范围
        本预案适用于全区。
        二、应急响应
        （一）响应分级
        1、一级响应
        死亡10人以上时启动。
        2、二级响应
        死亡3人以上时启动。
        （1）先期处置
        事发单位立即组织自救。
        （二）响应结束
        险情消除后结束响应。
    """)
    assert paths["为保障人民群众生命财产安"] == ("一、总则", "（一）编制目的")
    assert paths["本预案适用于全区。"] == ("一、总则", "(二)适用范围")
    assert paths["死亡10人以上时启动。"] == ("二、应急响应", "（一）响应分级", "1、一级响应")
    assert paths["死亡3人以上时启动。"] == ("二、应急响应", "（一）响应分级", "2、二级响应")
    assert paths["事发单位立即组织自救。"] == ("二、应急响应", "（一）响应分级", "2、二级响应", "（1）先期处置")
    assert paths["险情消除后结束响应。"] == ("二、应急响应", "（二）响应结束")


def test_decimal_outline_three_levels_deep() -> None:
    paths = _paths("""
        4 应急响应
        4.1 响应启动
        接报后立即研判。
        4.2 分级响应
        4.2.1 Ⅰ级响应
        由市指挥部统一指挥。
        4.2.2 Ⅱ级响应
        由区指挥部组织。
        5 后期处置
        组织恢复重建。
    """)
    assert paths["接报后立即研判。"] == ("4 应急响应", "4.1 响应启动")
    assert paths["由市指挥部统一指挥。"] == ("4 应急响应", "4.2 分级响应", "4.2.1 Ⅰ级响应")
    assert paths["由区指挥部组织。"] == ("4 应急响应", "4.2 分级响应", "4.2.2 Ⅱ级响应")
    assert paths["组织恢复重建。"] == ("5 后期处置",)


def test_english_numbered_headings() -> None:
    paths = _paths("""
        Chapter 3
        Section 4
        Article 5
        The operator shall keep the plan up to date.
        1 Introduction
        This plan covers gas incidents.
        2 Response
        2.3 Response levels
        Level I applies when three or more people die.
        17 September 2021
        3 people were injured in the second event.
    """)
    assert paths["The operator"] == ("Chapter 3", "Section 4", "Article 5")
    assert paths["This plan co"] == ("Chapter 3", "Section 4", "Article 5", "1 Introduction")
    level = paths["Level I appl"]
    assert level[-2:] == ("2 Response", "2.3 Response levels")
    # a date line and a sentence that starts with a number stay in the text of 2.3
    chunk = next(
        c
        for c in chunk_document(
            _doc("2 Response\n2.3 Response levels\nLevel I.\n17 September 2021\n3 people were injured."), "d"
        )
    )
    assert "17 September 2021" in chunk.text and "3 people were injured." in chunk.text


def test_heading_and_text_on_one_line_and_several_headings_on_one_line() -> None:
    paths = _paths("""
        1总则 1.1指导思想
        坚持人民至上、生命至上。
        4应急响应 4.1应急响应分级
        应急响应分为四级。
        4.2一级应急响应 当市气象局发布暴雨红色预警后，市防指启动一级应急响应。
    """)
    assert paths["坚持人民至上、生命至上。"] == ("1总则", "1.1指导思想")
    assert paths["应急响应分为四级。"] == ("4应急响应", "4.1应急响应分级")
    assert paths["当市气象局发布暴雨红色预警"] == ("4应急响应", "4.2一级应急响应")


def test_run_in_heading_and_lead_in_sentence() -> None:
    paths = _paths("""
        三、应急响应
        （一）一级响应。 1.启动条件。全省发生特别重大自然灾害时启动。
        3.2.1当预测未来3天内日均降雨量超过50毫米时，应采取以下预防行动：
        （1）市水务局加强巡查。
    """)
    assert paths["全省发生特别重大自然灾害时"] == ("三、应急响应", "（一）一级响应", "1.启动条件")
    lead = "3.2.1当预测未来3天内日均降雨量超过50毫米时，应采取以下预防行动："
    assert paths["（1）市水务局加强巡查。"][-1] == lead


def test_long_numbered_sentence_is_a_list_item_not_a_heading() -> None:
    text = """
        （二）工作要求
        1. 各单位要加强值班值守，严格执行24小时领导带班和关键岗位值班制度，确保信息畅通。
        2. 各单位要做好物资储备，确保关键时刻拿得出、用得上，并定期开展检查和维护保养。
    """
    chunks = chunk_document(_doc(text), "d")
    assert len(chunks) == 1
    assert chunks[0].heading_path == ("（二）工作要求",)
    assert chunks[0].text.startswith("1. 各单位要加强值班值守") and "2. 各单位要做好物资储备" in chunks[0].text
    assert parse_heading("1. 各单位要加强值班值守，严格执行24小时领导带班和关键岗位值班制度，确保信息畅通。") is None


def test_list_restarting_under_a_numbered_heading_is_not_a_heading() -> None:
    paths = _paths("""
        5. 知识库详情
        5.1 内容管理
        此标签页显示知识库中的内容，并可进行增删改查等各项管理操作。此处写足够多的说明文字，让这一节确实有正文内容。
        内容列表按提取时间排序，每条内容显示来源网址、标题、提取时间和字数，点击标题可以查看全文，点击删除可以移除该条内容。
        1. 在文本框中输入网址
        2. 点击开始按钮
        6. 系统监控
        显示运行状态。
    """)
    assert paths["此标签页显示知识库中的内容"] == ("5. 知识库详情", "5.1 内容管理")
    assert paths["显示运行状态。"] == ("6. 系统监控",)
    chunk = next(
        c
        for c in chunk_document(
            _doc("5. 知识库详情\n5.1 内容管理\n" + "说明。" * 40 + "\n1. 在文本框中输入网址\n2. 点击开始按钮"), "d"
        )
    )
    assert "1. 在文本框中输入网址" in chunk.text


def test_table_of_contents_lines_are_skipped_and_outline_restarts_after_them() -> None:
    chunks = chunk_document(
        _doc("""
            目 录
            1 总则 ........................ 3
            1.1 编制目的 ……………… 3
            2 应急响应 ........ 8
            1 总则
            1.1 编制目的
            为了防范化解重大安全风险，制定本预案。
        """),
        "d",
    )
    assert [(c.heading_path, c.text) for c in chunks] == [
        (("1 总则", "1.1 编制目的"), "为了防范化解重大安全风险，制定本预案。")
    ]


def test_scraped_table_of_contents_without_leaders_restarts_the_outline() -> None:
    paths = _paths("""
        1总则 1.1指导思想
        1.2编制依据 2组织指挥体系
        2.1市防汛抗旱指挥部 3预报预警
        1总则 1.1指导思想
        以习近平新时代中国特色社会主义思想为指导。
        2组织指挥体系
        2.1市防汛抗旱指挥部
        市防汛抗旱指挥部负责全市防汛工作。
    """)
    assert paths["以习近平新时代中国特色社会"] == ("1总则", "1.1指导思想")
    assert paths["市防汛抗旱指挥部负责全市防"] == ("2组织指挥体系", "2.1市防汛抗旱指挥部")


@pytest.mark.parametrize(
    "line",
    ["2021年全国洪涝灾害造成重大损失", "3.5米以上的积水路段", "10万吨级航道", "20时至22时降雨", "3人死亡", "2.5 米"],
)
def test_numbers_and_dates_are_not_headings(line: str) -> None:
    assert parse_heading(line) is None
    chunks = chunk_document(_doc(f"一、总则\n{line}"), "d")
    assert chunks[0].heading_path == ("一、总则",) and chunks[0].text == line


def test_a_chunk_never_spans_two_sections() -> None:
    text = "\n".join(f"{n}、第{n}节\n第{n}节的短句。" for n in range(1, 9))
    chunks = chunk_document(_doc(text), "d", chunk_chars=500)
    assert len(chunks) == 8
    assert [c.heading_path for c in chunks] == [(f"{n}、第{n}节",) for n in range(1, 9)]
    assert all(c.text == f"第{n}节的短句。" for n, c in enumerate(chunks, start=1))


def test_long_section_is_split_at_sentence_ends_into_balanced_chunks() -> None:
    sentence = "各成员单位按照职责分工做好防汛抢险准备工作并及时报告。"  # 27 characters
    paragraph = sentence * 40  # 1080 characters in one paragraph
    chunks = chunk_document(_doc(f"6 应急保障\n{paragraph}\n7 附则\n本预案自发布之日起实施。"), "d", chunk_chars=300)
    section = [c for c in chunks if c.heading_path == ("6 应急保障",)]
    assert len(section) == 4  # ceil(1080 / 300)
    assert all(len(c.text) <= 300 for c in section)
    assert all(c.text.endswith("。") for c in section)
    assert "".join(c.text for c in section) == paragraph
    assert max(len(c.text) for c in section) - min(len(c.text) for c in section) <= len(sentence)
    assert chunks[-1].heading_path == ("7 附则",)


def test_sentence_without_stops_is_cut_at_clauses_or_hard_limit() -> None:
    text = "1 总则\n" + "，".join(["预警信息发布后各单位立即响应"] * 30) + "\n" + "无标点" * 200
    chunks = chunk_document(_doc(text), "d", chunk_chars=200)
    assert all(len(c.text) <= 200 for c in chunks)
    assert "".join(c.text.replace("\n", "") for c in chunks) == text.split("\n", 1)[1].replace("\n", "")


def test_small_paragraphs_of_one_section_are_merged() -> None:
    chunks = chunk_document(_doc("1 总则\n第一段。\n第二段。\n第三段。"), "d")
    assert len(chunks) == 1 and chunks[0].text == "第一段。\n第二段。\n第三段。"


def test_table_rows_are_never_cut() -> None:
    long_row = "单位：" + "消防救援支队" * 40  # 243 characters
    blocks = [
        Block("应急联络", None, "heading", 1),
        Block("单位：消防站 | 电话：119", None, "table_row"),
        Block(long_row, None, "table_row"),
        Block("单位：医院 | 电话：120", None, "table_row"),
    ]
    chunks = chunk_document(_doc(blocks, ".docx"), "d", chunk_chars=200)
    assert [c.text for c in chunks] == ["单位：消防站 | 电话：119", long_row, "单位：医院 | 电话：120"]


def test_chunk_ids_positions_and_retrieval_prefix() -> None:
    chunks = chunk_document(_doc("1 总则\n正文一。\n2 组织\n正文二。"), "abc123")
    assert [c.chunk_id for c in chunks] == ["abc123:0000", "abc123:0001"]
    assert [c.position for c in chunks] == [0, 1]
    assert all(isinstance(c, Chunk) and c.doc_id == "abc123" for c in chunks)
    assert chunks[1].retrieval_text("预案") == "预案 > 2 组织\n正文二。"


def test_markdown_headings_give_the_path_and_numbered_list_items_stay_text(tmp_path: Path) -> None:
    md = "# 手册\n\n## 3. 系统登录\n\n1. 打开浏览器\n2. 输入用户名\n\n### 3.1 界面说明\n\n登录界面包含以下元素。\n"
    doc = load_document(fx.write_markdown(tmp_path / "m.md", md))
    chunks = chunk_document(doc, "m")
    assert [(c.heading_path, c.text) for c in chunks] == [
        (("手册", "3. 系统登录"), "1. 打开浏览器\n2. 输入用户名"),
        (("手册", "3. 系统登录", "3.1 界面说明"), "登录界面包含以下元素。"),
    ]


def test_docx_heading_levels_and_numbered_parts(tmp_path: Path) -> None:
    blocks = [
        Block("专项应急预案", None, "heading", 0),
        Block("（一）火灾事故专项应急预案", None, "heading", 1),
        Block("适用范围", None, "heading", 1),
        Block("适用于酒店火灾。", None, "paragraph"),
        Block("（二）踩踏事故专项应急预案", None, "heading", 1),
        Block("适用范围", None, "heading", 1),
        Block("适用于大客流踩踏。", None, "paragraph"),
        Block("附件1：应急物资清单", None, "heading", 1),
        Block("灭火器360具。", None, "paragraph"),
    ]
    chunks = chunk_document(_doc(blocks, ".docx"), "d")
    assert [c.heading_path for c in chunks] == [
        ("专项应急预案", "（一）火灾事故专项应急预案", "适用范围"),
        ("专项应急预案", "（二）踩踏事故专项应急预案", "适用范围"),
        ("附件1：应急物资清单",),
    ]


def test_pdf_chunks_carry_page_numbers(tmp_path: Path) -> None:
    doc = load_document(fx.write_plan_pdf(tmp_path / "plan.pdf"))
    chunks = {c.heading_path[-1] if c.heading_path else "": c for c in chunk_document(doc, "p")}
    level_one = chunks["2.1.1 Ⅰ级响应"]
    assert level_one.heading_path == ("2 应急响应", "2.1 分级响应", "2.1.1 Ⅰ级响应")
    assert (level_one.page_start, level_one.page_end) == (2, 2)
    assert (chunks["2.1.2 Ⅱ级响应"].page_start, chunks["1.2 适用范围"].page_start) == (3, 1)


def test_chunk_spanning_a_page_break_has_a_page_range(tmp_path: Path) -> None:
    pages = [("#1 总则", "第一页上的正文。"), ("第二页接着写的正文。", "#2 应急响应", "第二页正文。")]
    path = tmp_path / "two.pdf"
    path.write_bytes(fx.pdf_bytes(pages))
    first = chunk_document(load_document(path), "t")[0]
    assert first.heading_path == ("1 总则",) and (first.page_start, first.page_end) == (1, 2)


def test_document_with_only_headings_still_yields_a_chunk() -> None:
    chunks = chunk_document(_doc([Block("应急联络表", None, "heading", 1)], ".md"), "d")
    assert [c.text for c in chunks] == ["应急联络表"]


def test_english_report_conventions() -> None:
    paths = _paths("""
        1.4 Injuries 14
        1.0 Factual information
        1.1 Particulars of the vessel
        The vessel was built in 1988.
        1.2. The computer-controlled braking system is sophisticated and is fitted with two
        independent channels.
        2 Analysis
        The crew acted quickly.
        3. Findings
        The engine failed first.
    """)
    assert paths["The vessel was built"] == ("1.0 Factual information", "1.1 Particulars of the vessel")
    assert paths["The crew acted"] == ("2 Analysis",)
    assert paths["The engine failed"] == ("3. Findings",)  # "3." continues "2" at the same level
    vessel = next(
        c for c in _paths("1.1 Particulars\nText.\n1.2. The system is sophisticated and is fitted with two").chunks
    )
    assert "1.2. The system is sophisticated" in vessel.text


@pytest.mark.parametrize(
    "line", ["4).", "（3）", "1.9.2 Wheelset serial numbers were allocated as follows", "12 The board and the"]
)
def test_not_english_headings(line: str) -> None:
    assert parse_heading(line) is None
