"""Loaders and chunking on the real third-party documents in ../shared/realdata (skipped when absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.domain import DocKind
from assistant.errors import DocumentError
from assistant.knowledge.chunking import chunk_document
from assistant.knowledge.loaders import load_document
from assistant.knowledge.metadata import build_metadata
from assistant.knowledge.normalise import normalise_text

pytestmark = pytest.mark.realdata

PLANS = "plans"
FLOOD_TXT = "plans/cn_provincial_flood_relief_txt"
HOTEL = "plans/cn_enterprise_docx/紫楹台酒店应急预案"
PDFS = "cases/en_transport_investigation_pdfs"
RADICALS = re.compile(r"[\u2e80-\u2fdf]")


def _chunks_under(chunks: list, heading: str) -> list:
    return [c for c in chunks if heading in c.heading_path]


def test_national_overall_plan_docx(realdata: Path) -> None:
    doc = load_document(realdata / PLANS / "国家突发事件总体应急预案_2025_新华社稿.docx")
    chunks = chunk_document(doc, "national")
    warning = next(c for c in chunks if c.heading_path[-1:] == ("3.2.2 预警",))
    assert warning.heading_path == (
        "中共中央国务院印发《国家突发事件总体应急预案》",
        "3 运行机制",
        "3.2 监测与预警",
        "3.2.2 预警",
    )
    assert "红色、橙色、黄色、蓝色" in warning.text
    meta = build_metadata(doc)
    assert meta.kind == DocKind.PLAN and meta.region == "全国" and meta.year == 2025


def test_beijing_flood_plan_level_one_response_has_its_heading_path(realdata: Path) -> None:
    doc = load_document(realdata / FLOOD_TXT / "03-北京市防汛应急预案-2025年修订.txt")
    chunks = chunk_document(doc, "beijing")
    level_one = _chunks_under(chunks, "4.5一级应急响应")
    assert level_one and all(c.heading_path[:2] == ("4应急响应", "4.5一级应急响应") for c in level_one)
    assert "暴雨红色预警" in level_one[0].text and "一级应急响应" in level_one[0].text
    # the four response levels are four separate sections, never mixed in one chunk
    for heading in ("4.2四级应急响应", "4.3三级应急响应", "4.4二级应急响应"):
        assert _chunks_under(chunks, heading)
    assert not any("暴雨橙色预警后" in c.text for c in level_one)
    # lead-in conditions of the prevention measures head their lists
    assert any(
        c.heading_path and c.heading_path[-1].startswith("3.2.5当预测未来3天内将发生全市日均降雨量接近或超200毫米时")
        for c in chunks
    )
    meta = build_metadata(doc)
    assert (meta.region, meta.year, meta.kind, meta.issuer) == ("北京市", 2025, DocKind.PLAN, "北京市人民政府")
    assert meta.hazards[0] == "洪涝"


def test_numbering_styles_on_real_plans(realdata: Path) -> None:
    def paths(name: str) -> set[tuple[str, ...]]:
        return {c.heading_path for c in chunk_document(load_document(realdata / FLOOD_TXT / name), "x")}

    hebei = paths("05-河北省自然灾害救助应急预案.txt")
    assert ("一、总则", "（一）编制目的") in hebei
    assert ("五、应急响应", "（一）一级响应", "1.启动条件") in hebei
    assert ("五、应急响应", "（一）一级响应", "3.响应措施", "（4）下拨救灾款物") in hebei
    qinghai = paths("28-青海省防汛抗洪应急预案.txt")
    assert ("4 应急响应", "4.2 一级应急响应", "4.2.1 一级响应条件") in qinghai
    housing = paths("42-住房和城乡建设部办公厅关于印发《洪涝灾害农村住房安全应急预案-暂行-》和《.txt")
    assert ("附件2 洪涝灾区农村住房安全应急评估指南（暂行）", "一、总则", "第二条") in housing
    national = paths("01-国家自然灾害救助应急预案.txt")
    assert ("5 国家应急响应", "5.1 Ⅰ级响应", "5.1.1 启动条件") in national


def test_hotel_docx_tables_and_text_match_its_own_extraction(realdata: Path) -> None:
    doc = load_document(realdata / f"{HOTEL}.docx")
    ground_truth = normalise_text((realdata / f"{HOTEL}.txt").read_text(encoding="utf-8"))
    lines = [line.replace(" ", "") for line in ground_truth.split("\n") if line.strip()]
    blocks = {block.text.replace(" ", "") for block in doc.blocks if block.kind != "table_row"}
    missing = [line for line in lines if line not in blocks]
    assert len(lines) > 800 and missing == []
    rows = [b.text for b in doc.blocks if b.kind == "table_row"]
    assert len(rows) > 60
    assert (
        "序号：2 | 应急物资：灭火器 | 数量：360 | 单位：具 | 存放地点：酒店内 | 保管人：张粼波 | 联系电话：18710508890"
        in rows
    )
    assert not any("灭火器" in line and "360" in line for line in lines)  # tables are what the .txt lost
    chunks = chunk_document(doc, "hotel")
    supplies = next(c for c in chunks if "应急物资：灭火器" in c.text)
    assert supplies.heading_path == ("附件4：应急物资清单",)
    parts = {c.heading_path[:2] for c in chunks if len(c.heading_path) > 2}
    assert ("现场处置方案", "（九）中毒和窒息事故现场处置方案") in parts
    assert build_metadata(doc).title == "西安新兴紫楹台酒店有限公司 生产安全事故应急预案"


@pytest.mark.slow
def test_transport_investigation_pdfs(realdata: Path) -> None:
    found = sorted((realdata / PDFS).glob("*.pdf"))
    assert len(found) == 6
    pages_without_text = {}
    for path in found:
        doc = load_document(path)
        assert doc.page_count and len(chunk_document(doc, "p")) >= 5
        assert {b.page for b in doc.blocks} <= set(range(1, doc.page_count + 1))
        pages_without_text[path.name] = [int(re.match(r"第(\d+)页", w).group(1)) for w in doc.warnings]
        assert build_metadata(doc).lang == "en"
    assert pages_without_text == {
        "ATSB_a_2002_646.pdf": [],
        "ATSB_r_2021_010.pdf": [],
        "TAIC_r_2004_121.pdf": [4],
        "TAIC_r_2014_103.pdf": [10, 50],
        "TSB_a_2022_O0118.pdf": [],
        "TSB_m_2021_A0041.pdf": [],
    }


def test_aes_encrypted_tsb_report_opens(realdata: Path) -> None:
    path = realdata / PDFS / "TSB_m_2021_A0041.pdf"
    assert b"/Encrypt" in path.read_bytes()[-4096:] or b"/Encrypt" in path.read_bytes()
    doc = load_document(path)
    assert doc.page_count == 56
    text = " ".join(b.text for b in doc.blocks)
    assert "Transportation Safety Board of Canada" in text
    meta = build_metadata(doc)
    assert meta.kind == DocKind.CASE and meta.region == "Canada" and meta.pages == 56


def test_cjk_pdf_matches_its_markdown_source(realdata: Path) -> None:
    folder = realdata / PLANS / "_cjk_pdf_parser_smoke"
    pdf = load_document(folder / "FloodReport_使用说明文档.pdf")
    markdown = load_document(folder / "FloodReport_使用说明文档.md")
    pdf_text = "".join(b.text for b in pdf.blocks)
    assert not RADICALS.search(pdf_text)
    squeezed = re.sub(r"\s+", "", pdf_text)
    expected = [re.sub(r"\s+", "", b.text) for b in markdown.blocks if b.kind == "paragraph"]
    found = [text for text in expected if text in squeezed]
    assert len(found) >= 0.9 * len(expected)
    assert pdf.warnings == ("第10页没有文字层，需要OCR / page 10: no text layer, needs OCR",)
    pdf_paths = {c.heading_path[-1] for c in chunk_document(pdf, "pdf") if c.heading_path}
    md_headings = {b.text for b in markdown.blocks if b.kind == "heading"}
    assert {"5.3.1 生成新报告", "7.2 修改密码", "5.1.1 提取网页内容"} <= pdf_paths & md_headings


@pytest.mark.slow
def test_every_real_plan_and_case_loads_or_fails_cleanly(realdata: Path) -> None:
    files = sorted(p for folder in ("plans", "cases") for p in (realdata / folder).rglob("*") if p.is_file())
    assert len(files) > 50
    failures = {}
    for path in files:
        try:
            doc = load_document(path)
            chunks = chunk_document(doc, "d", chunk_chars=500)
            build_metadata(doc, source_path=str(path.relative_to(realdata)))
        except DocumentError as err:
            failures[path.name] = str(err)
            continue
        assert chunks, path
        assert all(c.text.strip() for c in chunks), path
        oversize = [c for c in chunks if len(c.text) > 500]
        assert all("\n" not in c.text for c in oversize), path  # only a single, uncut table row may exceed
    assert failures == {}
