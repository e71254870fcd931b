"""Writes the real files the loader tests read: PDFs (plain, encrypted, scanned, image page, truncated), DOCX, TXT, Markdown.

Every fixture is made at test time in a temporary folder with the same libraries a user's
office tools would produce files with (reportlab for PDFs, python-docx for Word), so the
loaders are tested against genuine file structures, not hand-written byte strings.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import docx
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK_FONT = "STSong-Light"
LINE_CHARS = 32  # characters per wrapped line at 12 pt on A4

# A small gas-emergency plan, three pages; each inner list is one page, "#" marks a heading line.
PLAN_PAGES: tuple[tuple[str, ...], ...] = (
    (
        "#城市燃气事故应急预案",
        "#1 总则",
        "#1.1 编制目的",
        "为了及时有效处置城市燃气泄漏、爆炸事故，最大限度减少人员伤亡和财产损失，保障城市运行安全，制定本预案。",
        "#1.2 适用范围",
        "本预案适用于本市行政区域内城镇燃气管网、场站及用户端发生的燃气泄漏、火灾、爆炸等突发事件的应对工作。",
    ),
    (
        "#2 应急响应",
        "#2.1 分级响应",
        "#2.1.1 Ⅰ级响应",
        "发生燃气泄漏并引发爆炸，造成3人以上死亡或者影响区域超过1平方公里时，启动Ⅰ级响应，由市应急指挥部统一指挥，燃气企业20分钟内到达现场。",
    ),
    (
        "#2.1.2 Ⅱ级响应",
        "发生燃气泄漏尚未引发爆炸，但泄漏点位于人员密集区域时，启动Ⅱ级响应，区应急管理局组织疏散周边群众并设置警戒区。",
        "#3 后期处置",
        "燃气企业对受损管线进行修复，检测合格后方可恢复供气。",
    ),
)


def _wrap(text: str, width: int = LINE_CHARS) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _register_font() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def pdf_bytes(pages: Sequence[Sequence[str]], image_only_pages: Sequence[int] = ()) -> bytes:
    """A PDF with one page per entry; lines are wrapped like a word processor would, headings stand alone.

    Pages whose 1-based number is in ``image_only_pages`` get only drawn shapes (no text layer).
    """
    _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    height = A4[1]
    for number, lines in enumerate(pages, start=1):
        if number in image_only_pages:
            pdf.rect(72, 400, 300, 200, fill=1)
            pdf.circle(300, 300, 80, fill=0)
        else:
            y = height - 72
            for line in lines:
                heading = line.startswith("#")
                pdf.setFont(CJK_FONT, 14 if heading else 12)
                for piece in _wrap(line.lstrip("#")):
                    pdf.drawString(72, y, piece)
                    y -= 20
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def write_plan_pdf(path: Path) -> Path:
    path.write_bytes(pdf_bytes(PLAN_PAGES))
    return path


def write_image_page_pdf(path: Path) -> Path:
    """The plan with an extra page 2 that holds only a drawing (like a scanned map)."""
    pages = [PLAN_PAGES[0], ("(drawing)",), *PLAN_PAGES[1:]]
    path.write_bytes(pdf_bytes(pages, image_only_pages=(2,)))
    return path


def write_scanned_pdf(path: Path, pages: int = 2) -> Path:
    path.write_bytes(pdf_bytes([("x",)] * pages, image_only_pages=range(1, pages + 1)))
    return path


def write_encrypted_pdf(path: Path, user_password: str = "") -> Path:
    """The plan, AES-256 encrypted; with an empty user password it opens without asking (like many official PDFs)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(PLAN_PAGES))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_truncated_pdf(path: Path) -> Path:
    data = pdf_bytes(PLAN_PAGES)
    path.write_bytes(data[: len(data) // 3])
    return path


def write_plan_docx(path: Path, title: str = "危险化学品事故应急预案") -> Path:
    """Headings (Heading 1/2), paragraphs and a contact table between them, plus the core title."""
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading("总则", level=1)
    document.add_heading("适用范围", level=2)
    document.add_paragraph("本预案适用于化工园区内危险化学品泄漏、火灾、爆炸事故的应急处置。")
    document.add_heading("应急联络", level=1)
    document.add_paragraph("事故发生后按下表通知有关单位：")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        (
            ("单位名称", "联系电话", "备注"),
            ("园区消防站", "0571-88000119", "24小时值守"),
            ("区应急管理局", "0571-88000000", ""),
        ),
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("表格之后的段落仍属于应急联络一节。")
    document.add_heading("后期处置", level=1)
    document.add_paragraph("对事故现场进行洗消，监测合格后解除警戒。")
    document.save(str(path))
    return path


PLAIN_PLAN = """防汛应急预案
一、总则
（一）编制目的。为做好防汛工作，保障人民群众生命财产安全，制定本预案。
（二）适用范围
本预案适用于本区行政区域内洪涝灾害的防范和处置。
二、应急响应
（一）Ⅰ级应急响应
当气象部门发布暴雨红色预警，主要河道水位超过保证水位时，启动Ⅰ级应急响应。
1. 各单位要立即进入战时状态，主要负责同志在岗指挥，确保信息畅通和人员安全。
（二）Ⅱ级应急响应
当气象部门发布暴雨橙色预警时，启动Ⅱ级应急响应。
"""


def write_text(path: Path, text: str = PLAIN_PLAN, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


MARKDOWN_PLAN = """---
title: 地铁大客流应急处置方案
kind: plan
hazards: [大客流]
region: 上海市
year: 2024
source:
  name: 示例市交通委
  issued: 2024-05-01
  url: https://example.org/plan
---
# 地铁大客流应急处置方案

## 1. 监测预警

站厅客流密度超过每平方米4人时，车站发布黄色预警。
- 启动限流措施
- 增派站务人员

## 2. 应急处置

| 等级 | 措施 |
| --- | --- |
| 黄色 | 站外限流 |
| 红色 | 封站并通知公交接驳 |
"""


def write_markdown(path: Path, text: str = MARKDOWN_PLAN) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
