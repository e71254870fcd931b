"""PDF copies made by LibreOffice from the same Word document, checked page by page with poppler.

The PDFs and a PNG of each first page go to artifacts/export/ for a person to look at.
Without LibreOffice or poppler these tests skip locally and fail in CI (tests/tools.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from assistant.export.json_codec import draft_from_dict
from assistant.export.layout import ExportContext
from assistant.export.pdf import (
    INSTALL_HINT,
    PDFConversionError,
    PDFUnavailableError,
    docx_to_pdf,
    font_replacements,
    installed_families,
)
from assistant.export.word import write_docx
from assistant.settings import PROJECT_ROOT
from tests.tools import need_program

FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = PROJECT_ROOT / "artifacts" / "export"
PDF_TOOLS_HINT = (
    "需要 Debian 软件包 libreoffice-writer-nogui poppler-utils fonts-noto-cjk / needs the Debian packages "
    "libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk (`make test` installs them when run as root)"
)
# Pages in all, the sources annex included (it runs on below the issuing block). GB/T 9704 sets the body in
# 3号 (16 pt) on a 28.95 pt pitch; the measures table is in 小五 (9 pt on 10 pt) with sources in 8 pt and
# lessons in 8 pt on a line under their action. Issue 20: the 31-action rainstorm draft fits in four pages. The gas draft's front matter (a three-line
# title, a seven-line summary, escalation triggers) alone takes 1.3 pages, so its 28 actions end on a fifth
# (see fixtures/README.md for where the pages go).
PAGE_BUDGET = {"draft_rainstorm_orange_beijing": 4, "draft_gas_alarm": 5}
TEXT_BLOCK_MM = (37, 262)  # GB/T 9704: 37 mm top margin, 225 mm of text
MOST_BLANK = 0.25  # of the text block, at the foot of any page but the last


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout


def _pages(pdf: Path) -> int:
    info = _run("pdfinfo", str(pdf))
    assert "(A4)" in info, info
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def test_without_libreoffice_the_error_says_what_to_install(tmp_path: Path) -> None:
    docx = write_docx(draft_from_dict(json.loads((FIXTURES / "draft_gas_alarm.json").read_text())), tmp_path / "a.docx")
    with pytest.raises(PDFUnavailableError) as raised:
        docx_to_pdf(docx, tmp_path / "a.pdf", soffice="assistant-test-no-such-soffice")
    assert str(raised.value) == INSTALL_HINT and "libreoffice-writer-nogui" in INSTALL_HINT
    assert not (tmp_path / "a.pdf").exists()


def _fake_soffice(folder: Path, body: str) -> str:
    script = folder / "fake-soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_a_failed_or_hung_conversion_is_an_error_and_leaves_nothing(tmp_path: Path) -> None:
    docx = write_docx(draft_from_dict(json.loads((FIXTURES / "draft_gas_alarm.json").read_text())), tmp_path / "a.docx")
    failing = _fake_soffice(tmp_path, "echo 'source file could not be loaded' >&2; exit 1")
    with pytest.raises(PDFConversionError, match="could not be loaded"):
        docx_to_pdf(docx, tmp_path / "a.pdf", soffice=failing, profile=tmp_path / "profile")
    marker = tmp_path / "still-running"
    (tmp_path / "hang").mkdir()
    hanging = _fake_soffice(tmp_path / "hang", f"sh -c 'sleep 2; touch {marker}' & wait")
    with pytest.raises(PDFConversionError, match=r"0\.5 s"):
        docx_to_pdf(docx, tmp_path / "a.pdf", soffice=hanging, profile=tmp_path / "profile", timeout_s=0.5)
    time.sleep(2.5)
    assert not marker.exists(), "the whole LibreOffice process group is ended on a timeout"
    assert not list(tmp_path.glob("a.pdf*"))


def test_missing_official_fonts_map_to_installed_ones_of_the_same_kind() -> None:
    pairs = dict(font_replacements(frozenset({"Noto Serif CJK SC", "Noto Sans CJK SC", "仿宋"})))
    assert pairs["仿宋_GB2312"] == "Noto Serif CJK SC" and "仿宋" not in pairs  # installed: left alone
    assert pairs["方正小标宋简体"] == "Noto Serif CJK SC" and pairs["黑体"] == "Noto Sans CJK SC"
    assert pairs["楷体_GB2312"] == "Noto Serif CJK SC"  # no Kai font installed: the serif one
    assert font_replacements(frozenset()) == []  # nothing to map to: LibreOffice's own fallback decides


def _blank_at_foot(png: Path) -> float:
    """Share of the text block left blank below the last line on a page image (header and footer excluded)."""
    with Image.open(png) as image:
        grey = image.convert("L")
        width, height = grey.size
        top, bottom = (round(mm / 297 * height) for mm in TEXT_BLOCK_MM)
        inked = [y for y in range(top, bottom) if grey.crop((0, y, width, y + 1)).getextrema()[0] < 128]
    return (bottom - max(inked, default=top)) / (bottom - top)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PAGE_BUDGET))
def test_real_drafts_convert_to_a4_pdf_within_their_page_budget(name: str, tmp_path: Path) -> None:
    need_program("soffice", "pdfinfo", "pdftoppm", "pdftotext", "pdffonts", what=PDF_TOOLS_HINT)
    draft = draft_from_dict(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = ExportContext(issuing_unit="示例市城市运行管理中心", drafted_by="张三")
    docx = write_docx(draft, ARTIFACTS / f"{name}.docx", context)
    pdf = docx_to_pdf(docx, ARTIFACTS / f"{name}.pdf", profile=tmp_path / "profile")

    pages = _pages(pdf)
    assert pages <= PAGE_BUDGET[name], pages
    layouts = [_run("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-") for n in range(1, pages + 1)]
    texts = ["".join(layout.split()) for layout in layouts]  # without the spaces and breaks of the layout
    title = draft.title.replace("（草案）", "")
    assert title in texts[0] and "草案" in texts[0]
    for number, text in enumerate(texts, start=1):  # "— N —" on every page
        assert f"—{number}—" in text, number

    # the measures table starts under its heading and repeats its header row on every page it runs onto
    header = re.compile(r"^\s*序号\s+措施\s+责任单位\s+时限\s+闭环\s+依据\s+核验\s*$", re.MULTILINE)
    heading = next(n for n, text in enumerate(texts) if "三、分阶段处置措施" in text)
    assert "（一）风险管控" in texts[heading]
    last_row = next(n for n, text in enumerate(texts) if "（六）调查评估" in text)
    stage_row = re.compile(r"^\s*（[一二三四五六]）(风险管控|监测预警|分析研判|应急处置|善后恢复|调查评估)")
    for layout in layouts[heading : last_row + 1]:
        assert header.search(layout), layout[:300]
        below = layout[header.search(layout).end() :].lstrip("\n").splitlines()  # type: ignore[union-attr]
        assert not below[0].strip().startswith(("案例教训", "资源")), below[0]  # a lesson line stays with its action
        foot = [line for line in layout.splitlines() if line.strip()][-4:-1]  # above the page number
        assert not any(stage_row.match(line) for line in foot), foot  # a stage's row is kept with its first action
    loops = sum(text.count(loop) for text in texts for loop in ("小循环", "中循环", "大循环"))
    assert loops == sum(len(stage.actions) for stage in draft.stages)  # no row lost (LibreOffice can drop them)
    # the issuing block on one page, the sources annex after it with every source's number
    issued = next(n for n, text in enumerate(texts) if "编制单位：示例市城市运行管理中心" in text)
    assert "值班员：张三" in texts[issued] and "2026年12月7日" in texts[issued]
    annex = "".join(texts[issued:])
    assert "附件1资料来源" in annex
    assert all(f"[{n}]" in annex for n in range(1, len(draft.citations) + 1))

    fonts = _run("pdffonts", str(pdf))
    assert "CJK" in fonts, fonts  # Chinese glyphs come from a CJK font, not boxes
    if "Noto Serif CJK SC" in installed_families():
        assert "NotoSerifCJK" in fonts  # the 仿宋 body was mapped to the serif CJK font, not to a sans one

    _run("pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page"))
    images = sorted(tmp_path.glob("page-*.png"))
    blank = [round(_blank_at_foot(png), 2) for png in images]
    assert max(blank[:-1]) <= MOST_BLANK, blank  # no half-empty page before the last

    png = ARTIFACTS / f"{name}-page1.png"
    _run("pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(png.with_suffix("")))
    with Image.open(png) as image:
        width, height = image.size
        assert height / width == pytest.approx(297 / 210, rel=0.01)
        darkest, _ = image.convert("L").getextrema()
        assert darkest < 64  # text was drawn
