"""Loaders against real files made at test time: every format, every failure a user will meet."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from assistant.errors import DocumentError, UnsupportedFormatError
from assistant.knowledge.loaders import SUPPORTED_SUFFIXES, load_document
from tests.knowledge import make_fixtures as fx


def _texts(path: Path) -> list[str]:
    return [block.text for block in load_document(path).blocks]


# ---------------------------------------------------------------- PDF


def test_pdf_keeps_page_numbers_and_chinese_text(tmp_path: Path) -> None:
    doc = load_document(fx.write_plan_pdf(tmp_path / "plan.pdf"))
    assert doc.page_count == 3
    assert doc.warnings == ()
    pages = {block.text: block.page for block in doc.blocks}
    assert pages["1.1 编制目的"] == 1
    assert pages["2.1.1 Ⅰ级响应"] == 2
    assert pages["3 后期处置"] == 3
    # the wrapped paragraph is joined back into one block
    assert any(b.text.startswith("发生燃气泄漏并引发爆炸") and b.text.endswith("到达现场。") for b in doc.blocks)
    assert doc.content_hash == hashlib.sha256((tmp_path / "plan.pdf").read_bytes()).hexdigest()


def test_aes_encrypted_pdf_with_empty_password_opens(tmp_path: Path) -> None:
    path = fx.write_encrypted_pdf(tmp_path / "encrypted.pdf")
    assert b"/Encrypt" in path.read_bytes()
    doc = load_document(path)
    assert "2.1.1 Ⅰ级响应" in [b.text for b in doc.blocks]


def test_pdf_with_a_real_password_is_refused_clearly(tmp_path: Path) -> None:
    path = fx.write_encrypted_pdf(tmp_path / "locked.pdf", user_password="s3cret")
    with pytest.raises(DocumentError, match=r"密码.*password"):
        load_document(path)


def test_image_only_page_is_reported_not_indexed(tmp_path: Path) -> None:
    doc = load_document(fx.write_image_page_pdf(tmp_path / "with-map.pdf"))
    assert doc.page_count == 4
    assert doc.warnings == ("第2页没有文字层，需要OCR / page 2: no text layer, needs OCR",)
    assert all(block.page != 2 for block in doc.blocks)
    assert all(block.text.strip() for block in doc.blocks)
    assert {b.text: b.page for b in doc.blocks}["2.1.1 Ⅰ级响应"] == 3


def test_fully_scanned_pdf_needs_ocr(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"扫描件.*OCR"):
        load_document(fx.write_scanned_pdf(tmp_path / "scan.pdf", pages=3))


def test_truncated_pdf_is_a_document_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"损坏或不完整.*the PDF is damaged or truncated"):
        load_document(fx.write_truncated_pdf(tmp_path / "cut.pdf"))


def test_garbage_named_pdf_is_a_document_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"this is not a pdf at all")
    with pytest.raises(DocumentError):
        load_document(path)


# ---------------------------------------------------------------- DOCX


def test_docx_keeps_headings_tables_and_order(tmp_path: Path) -> None:
    doc = load_document(fx.write_plan_docx(tmp_path / "plan.docx"))
    kinds = [(b.kind, b.level, b.text) for b in doc.blocks]
    assert kinds[0] == ("heading", 1, "总则")
    assert kinds[1] == ("heading", 2, "适用范围")
    texts = [b.text for b in doc.blocks]
    intro = texts.index("事故发生后按下表通知有关单位：")
    after = texts.index("表格之后的段落仍属于应急联络一节。")
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [texts.index(r.text) for r in rows] == [intro + 1, intro + 2] and after == intro + 3
    assert rows[0].text == "单位名称：园区消防站 | 联系电话：0571-88000119 | 备注：24小时值守"
    assert rows[1].text == "单位名称：区应急管理局 | 联系电话：0571-88000000"  # empty cell left out
    assert doc.properties["title"] == "危险化学品事故应急预案"


def test_corrupt_docx_is_a_document_error(tmp_path: Path) -> None:
    good = fx.write_plan_docx(tmp_path / "good.docx").read_bytes()
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good[: len(good) // 2])
    with pytest.raises(DocumentError, match="DOCX"):
        load_document(bad)


# ---------------------------------------------------------------- TXT


def test_gb18030_text_is_detected(tmp_path: Path) -> None:
    path = fx.write_text(tmp_path / "gb.txt", encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    doc = load_document(path)
    assert _texts(path)[:2] == ["防汛应急预案", "一、总则"]
    assert doc.warnings == ()


def test_gbk_only_characters_and_rare_gb18030_characters(tmp_path: Path) -> None:
    text = "燃气泄漏处置：𠮷字与䶮字只在GB18030里有编码。\n"
    path = fx.write_text(tmp_path / "rare.txt", text, encoding="gb18030")
    assert _texts(path) == ["燃气泄漏处置：𠮷字与䶮字只在GB18030里有编码。"]


def test_short_gbk_lines_and_big5_text(tmp_path: Path) -> None:
    assert _texts(fx.write_text(tmp_path / "short.txt", "燃气泄漏\n", encoding="gbk")) == ["燃气泄漏"]
    traditional = "臺灣地區颱風應變計畫：當颱風警報發布時，應立即啟動應變機制，並疏散低窪地區居民。\n"
    doc = load_document(fx.write_text(tmp_path / "big5.txt", traditional * 3, encoding="big5"))
    assert doc.blocks[0].text == traditional.strip()
    assert doc.warnings and "big5" in doc.warnings[0]


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = fx.write_text(tmp_path / "bom.txt", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert _texts(path)[0] == "防汛应急预案"


def test_binary_data_named_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DocumentError, match="不是文本文件"):
        load_document(path)


def test_markdown_style_headings_in_text_files(tmp_path: Path) -> None:
    path = fx.write_text(
        tmp_path / "md-ish.txt", "### 2.2 水上交通事故专项应急预案\n#### 2.2.1 适用范围\n本预案适用于施工水域。\n"
    )
    blocks = load_document(path).blocks
    assert [(b.kind, b.level) for b in blocks] == [("heading", 3), ("heading", 4), ("paragraph", None)]


# ---------------------------------------------------------------- Markdown


def test_markdown_front_matter_headings_lists_and_tables(tmp_path: Path) -> None:
    doc = load_document(fx.write_markdown(tmp_path / "crowd.md"))
    assert doc.front_matter["title"] == "地铁大客流应急处置方案"
    assert doc.front_matter["hazards"] == ["大客流"]
    assert [(b.kind, b.level, b.text) for b in doc.blocks if b.kind == "heading"] == [
        ("heading", 1, "地铁大客流应急处置方案"),
        ("heading", 2, "1. 监测预警"),
        ("heading", 2, "2. 应急处置"),
    ]
    texts = [b.text for b in doc.blocks]
    assert "启动限流措施" in texts
    assert [b.text for b in doc.blocks if b.kind == "table_row"] == [
        "等级：黄色 | 措施：站外限流",
        "等级：红色 | 措施：封站并通知公交接驳",
    ]


def test_markdown_details(tmp_path: Path) -> None:
    text = (
        "##应急响应\n\n```\n# 不是标题\n```\n\n一段被\n折行的文字。\n\nText wrapped\nacross lines.\n\n"
        "> 引用的内容\n\n![图](http://x/y.png)\n\n<!-- 注释 -->\n\n设置标题\n---\n\n#hashtag\n"
    )
    blocks = load_document(fx.write_markdown(tmp_path / "d.md", text)).blocks
    assert [(b.kind, b.level, b.text) for b in blocks] == [
        ("heading", 2, "应急响应"),
        ("paragraph", None, "# 不是标题"),
        ("paragraph", None, "一段被折行的文字。"),
        ("paragraph", None, "Text wrapped across lines."),
        ("paragraph", None, "引用的内容"),
        ("heading", 2, "设置标题"),
        ("paragraph", None, "#hashtag"),
    ]


def test_malformed_front_matter_names_the_line(tmp_path: Path) -> None:
    path = fx.write_markdown(tmp_path / "broken.md", "---\ntitle: 预案\nhazards: [燃气\nkind: plan\n---\n# 正文\n")
    with pytest.raises(DocumentError, match=r"第\d+行.*line \d+"):
        load_document(path)


def test_front_matter_must_be_a_mapping(tmp_path: Path) -> None:
    path = fx.write_markdown(tmp_path / "list.md", "---\n- a\n- b\n---\n正文\n")
    with pytest.raises(DocumentError, match="映射"):
        load_document(path)


def test_sidecar_metadata_is_merged(tmp_path: Path) -> None:
    path = fx.write_text(tmp_path / "plan.txt")
    (tmp_path / "plan.txt.meta.yaml").write_text("kind: plan\nhazards: [洪涝]\n", encoding="utf-8")
    assert load_document(path).front_matter == {"kind": "plan", "hazards": ["洪涝"]}
    md = fx.write_markdown(tmp_path / "crowd.md")
    (tmp_path / "crowd.meta.yml").write_text("region: 浦东新区\n", encoding="utf-8")
    merged = load_document(md).front_matter
    assert merged["region"] == "浦东新区" and merged["title"] == "地铁大客流应急处置方案"


# ---------------------------------------------------------------- legacy, unsupported, limits


@pytest.mark.parametrize(
    ("name", "content", "label"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版Word/WPS"),
        ("page.doc", "<html><body><h1>燃气应急预案</h1></body></html>".encode(), "网页（HTML）"),
        ("saved.doc", b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=x\n\n--x\n", "MHTML"),
        ("old.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版Word/WPS"),
    ],
)
def test_legacy_files_get_conversion_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: bytes, label: str
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))  # as on a machine without LibreOffice
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnsupportedFormatError) as caught:
        load_document(path)
    message = str(caught.value)
    assert label in message
    assert "另存为 .docx" in message and "soffice --headless --convert-to docx" in message


def test_legacy_file_is_converted_when_libreoffice_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in ``soffice`` on PATH behaves like LibreOffice: it writes <stem>.docx into --outdir."""
    converted = fx.write_plan_docx(tmp_path / "converted.docx")
    tools = tmp_path / "bin"
    tools.mkdir()
    script = tools / "soffice"
    script.write_text(
        f'#!/bin/sh\nwhile [ "$1" != "--outdir" ]; do shift; done\ncp "{converted}" "$2/$(basename "$3" .doc).docx"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:/usr/bin:/bin")
    legacy = tmp_path / "old-plan.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    doc = load_document(legacy)
    assert doc.path == legacy and doc.blocks[0].text == "总则"
    assert doc.content_hash == hashlib.sha256(legacy.read_bytes()).hexdigest()
    assert any("LibreOffice" in warning for warning in doc.warnings)


def test_failed_libreoffice_conversion_is_a_document_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "soffice").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (tools / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    legacy = tmp_path / "old.wps"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(DocumentError, match="LibreOffice"):
        load_document(legacy)


def test_docx_renamed_to_doc_is_read(tmp_path: Path) -> None:
    path = tmp_path / "renamed.doc"
    path.write_bytes(fx.write_plan_docx(tmp_path / "real.docx").read_bytes())
    assert load_document(path).blocks[0].text == "总则"


def test_unknown_suffix_lists_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnsupportedFormatError) as caught:
        load_document(path)
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in str(caught.value)
    assert frozenset({".pdf", ".docx", ".md", ".markdown", ".txt"}) == SUPPORTED_SUFFIXES


def test_oversize_file_names_size_and_limit(tmp_path: Path) -> None:
    path = fx.write_text(tmp_path / "big.txt", "预案正文。\n" * 5000)
    size = path.stat().st_size
    with pytest.raises(DocumentError) as caught:
        load_document(path, max_bytes=10_000)
    assert f"{size} bytes" in str(caught.value) and "10000 bytes" in str(caught.value)
    assert load_document(path, max_bytes=size).blocks


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="不存在"):
        load_document(tmp_path / "nope.txt")
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match="空的"):
        load_document(empty)
    blank = tmp_path / "blank.txt"
    blank.write_text("\n  \n\t\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="没有可索引的文字"):
        load_document(blank)


def test_zip_that_is_not_a_word_file_is_a_document_error(tmp_path: Path) -> None:
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DocumentError, match="DOCX"):
        load_document(path)


def test_latin1_text_is_read_with_a_warning(tmp_path: Path) -> None:
    path = fx.write_text(
        tmp_path / "latin.txt", "Café evacuation plan for the naïve visitor.\n" * 5, encoding="latin-1"
    )
    doc = load_document(path)  # single-byte encodings are a guess, hence the warning to check the text
    assert doc.blocks[0].text.startswith("Caf") and "evacuation plan for the na" in doc.blocks[0].text
    assert doc.warnings and "UTF-8" in doc.warnings[0] and "check the text" in doc.warnings[0]
