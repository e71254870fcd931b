"""Word (.docx) plans: paragraphs and tables in document order, heading styles as levels.

python-docx lists paragraphs and tables separately, which would move every table to the
end of its document; walking the body XML keeps a contact table under the section that
introduces it. Content controls (w:sdt) are entered, table-of-contents paragraphs skipped.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.errors import DocumentError
from assistant.knowledge.loaders.base import Block, LoadedDocument, no_text_error, read_sidecar, sha256_hex
from assistant.knowledge.loaders.tables import table_texts
from assistant.knowledge.normalise import normalise_text

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"title|封面标题|^标题$|^副标题$", re.IGNORECASE)
_PART_STYLE = re.compile(r"大标题")  # a part title above Heading 1 ("综合应急预案", "现场处置方案")
_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*\d*$|^toc heading$", re.IGNORECASE)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _open(path: Path, data: bytes) -> DocxDocument:
    if data.startswith(_OLE_MAGIC):
        raise DocumentError(
            str(path),
            "这是加密的或旧版Word文件，请在Word/WPS中去除密码并另存为.docx / "
            "the file is password-protected or an old binary Word file; remove the password and save as .docx",
        )
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise DocumentError(
            str(path), f"DOCX文件损坏或不完整，请重新导出 / the DOCX is corrupt or truncated ({err}); export it again"
        ) from err
    except Exception as err:  # python-docx raises many types on malformed XML parts
        raise DocumentError(
            str(path), f"无法读取DOCX（{type(err).__name__}），请用Word/WPS重新另存 / cannot read the DOCX: {err}"
        ) from err


def _body_items(parent: Any, document: DocxDocument) -> Iterator[Paragraph | Table]:
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_items(content, document)


def _style_name(paragraph: Paragraph) -> str:
    try:
        return paragraph.style.name if paragraph.style is not None and paragraph.style.name else ""
    except (KeyError, ValueError):
        return ""


def _table_rows(table: Table) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a horizontally merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(normalise_text(cell.text).replace("\n", " "))
        rows.append(cells)
    return rows


def docx_blocks(document: DocxDocument) -> tuple[list[Block], list[str]]:
    """Blocks in order, and the cover-title paragraphs met before the first heading."""
    blocks: list[Block] = []
    cover: list[str] = []
    any_heading = False
    for item in _body_items(document.element.body, document):
        if isinstance(item, Table):
            blocks.extend(Block(text, None, "table_row") for text in table_texts(_table_rows(item)))
            continue
        text = normalise_text(item.text)
        if not text:
            continue
        style = _style_name(item)
        heading = _HEADING_STYLE.match(style)
        if _TOC_STYLE.match(style):
            continue
        any_heading = any_heading or heading is not None
        if heading:
            blocks.append(Block(text.replace("\n", " "), None, "heading", int(heading.group(1))))
        elif _PART_STYLE.search(style) or (any_heading and _TITLE_STYLE.search(style)):
            blocks.append(Block(text.replace("\n", " "), None, "heading", 0))
        elif _TITLE_STYLE.search(style) and not any_heading:
            cover.append(text.replace("\n", " "))
            blocks.append(Block(text, None, "paragraph"))
        else:
            blocks.append(Block(text, None, "paragraph"))
    return blocks, cover


def load_docx(path: Path, data: bytes) -> LoadedDocument:
    document = _open(path, data)
    try:
        blocks, cover = docx_blocks(document)
        core_title = normalise_text(document.core_properties.title or "")
    except DocumentError:
        raise
    except Exception as err:
        raise DocumentError(str(path), f"DOCX内容结构异常，无法解析 / the DOCX body is malformed: {err}") from err
    if not blocks:
        raise no_text_error(path)
    properties: dict[str, Any] = {}
    if core_title:
        properties["title"] = core_title
    if cover:
        properties["cover_title"] = " ".join(cover[:3])
    return LoadedDocument(
        path=path,
        blocks=tuple(blocks),
        front_matter=read_sidecar(path),
        page_count=None,
        warnings=(),
        content_hash=sha256_hex(data),
        properties=properties,
    )
