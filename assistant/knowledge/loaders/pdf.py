"""PDF plans and reports with pypdf: page numbers kept, scanned pages reported, encrypted files opened.

A page without a text layer is never indexed as empty text: it becomes a warning that
names the page, and a PDF with no text on any page is refused as a scan that needs OCR.
Extracted lines are hard-wrapped by the page layout; they are re-joined into paragraphs
(line "full" and not ending a sentence) and running headers, footers and page numbers
that repeat on most pages are dropped, so they do not pollute every chunk.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from assistant.errors import DocumentError
from assistant.knowledge.headings import starts_numbered
from assistant.knowledge.loaders.base import Block, LoadedDocument, read_sidecar, sha256_hex
from assistant.knowledge.normalise import normalise_text

_PAGE_NUMBER = re.compile(
    r"^[-–—›‹<>\s]*(?:page\s*)?[\divxlc]+(?:\s*(?:of|/)\s*\d+)?[-–—›‹<>\s]*$|^第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?$",
    re.IGNORECASE,
)
_LEADERS_ONLY = re.compile(r"^(?:[.…·]\s?){4,}\s*\d{1,4}$")
_SENTENCE_END = tuple("。！？；：.!?;:")
_BULLET = tuple("•●○◆◇■□▪·-–—*")
_EDGE_LINES = 2


def _display_width(line: str) -> int:
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in line)


def _open(path: Path, data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise DocumentError(
                str(path),
                "PDF设有打开密码，请提供去除密码的副本 / the PDF is encrypted with a password; provide an unprotected copy",
            )
        return reader
    except DocumentError:
        raise
    except DependencyError as err:
        raise DocumentError(
            str(path),
            f"PDF已加密，解密需要安装cryptography：pip install cryptography / the PDF is AES-encrypted and needs the 'cryptography' package ({err})",
        ) from err
    except FileNotDecryptedError as err:
        raise DocumentError(str(path), f"PDF无法解密 / the PDF cannot be decrypted: {err}") from err
    except Exception as err:  # pypdf raises many types on damaged files
        raise _damaged(path, err) from err


def _damaged(path: Path, err: Exception) -> DocumentError:
    return DocumentError(
        str(path),
        f"PDF文件损坏或不完整，请重新下载或导出 / the PDF is damaged or truncated ({type(err).__name__}: {err}); download or export it again",
    )


def _page_lines(reader: PdfReader, path: Path) -> tuple[list[list[str]], list[str]]:
    pages: list[list[str]] = []
    warnings: list[str] = []
    try:
        page_objects = list(reader.pages)
    except Exception as err:
        raise _damaged(path, err) from err
    for number, page in enumerate(page_objects, start=1):
        try:
            raw = page.extract_text() or ""
        except (PdfReadError, FileNotDecryptedError, DependencyError) as err:
            raise _damaged(path, err) from err
        except Exception as err:  # one bad content stream must not lose the other pages
            warnings.append(
                f"第{number}页文字提取失败（{type(err).__name__}） / page {number}: text extraction failed: {err}"
            )
            pages.append([])
            continue
        lines = [line for line in normalise_text(raw).split("\n") if line]
        if not lines:
            warnings.append(f"第{number}页没有文字层，需要OCR / page {number}: no text layer, needs OCR")
        pages.append(lines)
    return pages, warnings


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and header/footer lines that repeat at the top or bottom of most pages."""
    with_text = [lines for lines in pages if lines]
    counts: Counter[str] = Counter()
    for lines in with_text:
        edges = {re.sub(r"\d+", "#", line) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}
        counts.update(edges)
    threshold = max(3, len(with_text) // 2)
    running = {key for key, count in counts.items() if count >= threshold}
    cleaned: list[list[str]] = []
    for lines in pages:
        keep = []
        for index, line in enumerate(lines):
            at_edge = index < _EDGE_LINES or index >= len(lines) - _EDGE_LINES
            if at_edge and (_PAGE_NUMBER.match(line) or re.sub(r"\d+", "#", line) in running):
                continue
            keep.append(line)
        cleaned.append(keep)
    return cleaned


def _paragraphs(lines: list[str], full_width: float) -> list[str]:
    """Re-join layout-wrapped lines: a full line that does not end a sentence continues on the next."""
    paragraphs: list[str] = []
    previous = ""
    for line in lines:
        if paragraphs and _LEADERS_ONLY.match(line):  # a contents entry whose dot leaders wrapped onto their own line
            paragraphs[-1] += " " + line
        elif paragraphs and _continues(previous, line, full_width):
            current = paragraphs[-1]
            latin = current[-1].isascii() and current[-1].isalnum() and line[0].isascii() and line[0].isalnum()
            paragraphs[-1] = current + (" " if latin else "") + line
        else:
            paragraphs.append(line)
        previous = line

    return paragraphs


def _continues(previous: str, line: str, full_width: float) -> bool:
    return (
        not previous.endswith(_SENTENCE_END)
        and _display_width(previous) >= full_width
        and not line.startswith(_BULLET)
        and not starts_numbered(line)
    )


def _full_width(pages: list[list[str]]) -> float:
    """How wide a line that wraps is, from the pages' widest lines (90th percentile, so one odd line does not count).

    Too high a value only leaves wrapped lines apart (the chunker packs them again); too low a
    value would glue list items together, so the estimate leans high.
    """
    widest = sorted(max(_display_width(line) for line in lines) for lines in pages if lines)
    return widest[int(len(widest) * 0.9)] * 0.85 if widest else 0.0


def _title(reader: PdfReader) -> str:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:  # a broken info dictionary only costs us the title
        return ""
    return normalise_text(str(title)) if title else ""


def load_pdf(path: Path, data: bytes) -> LoadedDocument:
    reader = _open(path, data)
    pages, warnings = _page_lines(reader, path)
    if not pages:
        raise DocumentError(str(path), "PDF没有页面 / the PDF has no pages")
    if not any(pages):
        raise DocumentError(
            str(path),
            f"这是扫描件：{len(pages)}页都没有文字层，需要先OCR / scanned PDF: none of its {len(pages)} pages has a text layer, it needs OCR first",
        )
    pages = _strip_running_lines(pages)
    full_width = _full_width(pages)
    blocks = [
        Block(text, number, "paragraph")
        for number, lines in enumerate(pages, start=1)
        for text in _paragraphs(lines, full_width)
    ]
    properties: dict[str, Any] = {}
    if title := _title(reader):
        properties["title"] = title
    return LoadedDocument(
        path=path,
        blocks=tuple(blocks),
        front_matter=read_sidecar(path),
        page_count=len(pages),
        warnings=tuple(warnings),
        content_hash=sha256_hex(data),
        properties=properties,
    )
