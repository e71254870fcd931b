"""Plain-text plans: decode UTF-8 or the GB encodings Chinese offices still use, one block per line.

Scraped and exported plans put one paragraph per line and show structure only through
numbered lines (一、 （一） 1.1 ...); those are recognised later by the chunker, so this
loader keeps lines intact. A line written as a Markdown heading (``## 2.2 适用范围``) is
taken as a heading, because many hand-written TXT plans use that convention.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import charset_normalizer

from assistant.errors import DocumentError
from assistant.knowledge.loaders.base import Block, LoadedDocument, no_text_error, read_sidecar, sha256_hex
from assistant.knowledge.normalise import normalise_text

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn"}
_RELIABLE_GUESS_BYTES = 200
_OTHER_CJK = {"big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "iso2022_jp"}
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_SENTENCE_END = tuple("。！？；，,.;!?")


def decode_text(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """Decode file bytes; returns the text and any warning about a guessed encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), ()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), ()
    if b"\x00" in data:
        raise DocumentError(
            str(path),
            "这不是文本文件（含二进制内容），请确认文件类型 / not a text file (binary content); check the file type",
        )
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    guess = best.encoding.lower() if best is not None and best.encoding else None
    if guess in _GB_FAMILY:
        return _strict(data, "gb18030", path), ()
    if guess not in _OTHER_CJK or len(data) < _RELIABLE_GUESS_BYTES:
        # Short GB texts fool the detector (it may say big5 or cp949); GB18030 decodes almost anything,
        # so its result must also read as Chinese.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = ""
        if text and _looks_chinese(text):
            return text, ()
    if best is None or guess is None:
        raise DocumentError(
            str(path),
            "无法识别文本编码，请另存为UTF-8后重试 / cannot tell the text encoding; save the file as UTF-8 and retry",
        )
    warning = (
        f"编码不是UTF-8或GB18030，按{guess}读取，请核对文字 / not UTF-8 or GB18030; decoded as {guess}, check the text"
    )
    return str(best), (warning,)


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise DocumentError(
            str(path),
            f"按{encoding}解码失败（第{err.start}字节），请另存为UTF-8 / cannot decode as {encoding} at byte {err.start}; save as UTF-8",
        ) from err


def _looks_chinese(text: str) -> bool:
    """GB18030 decodes many non-Chinese byte strings without error; accept it only if the result reads as Chinese."""
    non_ascii = [ch for ch in text if ord(ch) > 0x7F]
    if not non_ascii:
        return True
    common = sum(
        1 for ch in non_ascii if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    return common / len(non_ascii) >= 0.9


def text_blocks(text: str, page: int | None = None) -> list[Block]:
    """One paragraph block per non-empty line; short ``#`` lines become headings with their level."""
    blocks: list[Block] = []
    for line in normalise_text(text).split("\n"):
        if not line:
            continue
        heading = _MD_HEADING.match(line)
        if heading and len(heading.group(2)) <= 60 and not heading.group(2).endswith(_SENTENCE_END):
            blocks.append(Block(heading.group(2), page, "heading", len(heading.group(1))))
        else:
            blocks.append(Block(line.lstrip("#").strip() if heading else line, page, "paragraph"))
    return blocks


def load_text(path: Path, data: bytes) -> LoadedDocument:
    text, warnings = decode_text(data, path)
    blocks = text_blocks(text)
    if not blocks:
        raise no_text_error(path)
    return LoadedDocument(
        path=path,
        blocks=tuple(blocks),
        front_matter=read_sidecar(path),
        page_count=None,
        warnings=warnings,
        content_hash=sha256_hex(data),
    )
