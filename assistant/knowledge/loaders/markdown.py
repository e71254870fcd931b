"""Markdown plans and notes: YAML front matter for metadata, ``#`` headings for structure.

Only the structure retrieval needs is parsed: headings (ATX and setext), paragraphs,
list items, pipe tables (one block per row, with the header repeated) and fenced code.
Inline markup is reduced to its text, images are dropped (their URLs are not knowledge).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.knowledge.loaders.base import (
    Block,
    LoadedDocument,
    no_text_error,
    parse_yaml_mapping,
    read_sidecar,
    sha256_hex,
)
from assistant.knowledge.loaders.tables import row_text
from assistant.knowledge.loaders.text import decode_text
from assistant.knowledge.normalise import normalise_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# CommonMark wants a space after the #s; Chinese authors often leave it out ("##应急响应").
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?)|(?=[\u4e00-\u9fff（])(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|(\d{1,3}[.)]))\s+(.*)$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """Front matter mapping and the body; YAML errors are reported with the line number in the file."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return parse_yaml_mapping(match.group(1) or "", path, first_line=2), text[match.end() :]


def _inline(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    return _EMPHASIS.sub("", text).strip()


def _join(lines: list[str]) -> str:
    """Soft-wrapped lines: CJK joins without a space, Latin text with one."""
    out = ""
    for line in lines:
        if out and not (_is_cjk(out[-1]) and _is_cjk(line[0])):
            out += " "
        out += line
    return out


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _cells(line: str) -> list[str]:
    return [_inline(cell) for cell in line.strip().strip("|").split("|")]


def markdown_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    header: list[str] | None = None
    lines = normalise_text(_HTML_COMMENT.sub("", body)).split("\n")

    def flush() -> None:
        text = _join([t for t in (_inline(line) for line in paragraph) if t])
        if text:
            blocks.append(Block(text, None, "paragraph"))
        paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence:
            flush()
            end = index + 1
            while end < len(lines) and not lines[end].startswith(fence.group(1)):
                end += 1
            code = "\n".join(lines[index + 1 : end]).strip()
            if code:
                blocks.append(Block(code, None, "paragraph"))
            index = end + 1
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            title = _inline(atx.group(2) or atx.group(3) or "")
            if title:
                blocks.append(Block(title, None, "heading", len(atx.group(1))))
        elif paragraph and len(paragraph) == 1 and _SETEXT.match(line):
            title = _inline(paragraph.pop())
            blocks.append(Block(title, None, "heading", 1 if line.strip().startswith("=") else 2))
        elif "|" in line and index + 1 < len(lines) and _TABLE_RULE.match(lines[index + 1]):
            flush()
            header = _cells(line)
            index += 1
        elif header is not None and "|" in line:
            text = row_text(header, _cells(line))
            if text:
                blocks.append(Block(text, None, "table_row"))
        elif not line or _RULE.match(line):
            flush()
            header = None
        elif item := _LIST_ITEM.match(line):
            flush()
            paragraph.append(f"{item.group(1)} {item.group(2)}" if item.group(1) else item.group(2))
        else:
            header = None
            paragraph.append(line.lstrip("> ").strip())
        index += 1
    flush()
    return blocks


def load_markdown(path: Path, data: bytes) -> LoadedDocument:
    text, warnings = decode_text(data, path)
    front_matter, body = split_front_matter(text.replace("\r\n", "\n"), path)
    blocks = markdown_blocks(body)
    if not blocks:
        raise no_text_error(path)
    return LoadedDocument(
        path=path,
        blocks=tuple(blocks),
        front_matter={**front_matter, **read_sidecar(path)},
        page_count=None,
        warnings=warnings,
        content_hash=sha256_hex(data),
    )
