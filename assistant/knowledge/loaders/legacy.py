"""Legacy Word/WPS files (.doc, .wps) and web pages saved as .doc: convert, or say exactly how to.

Government sites often publish plans as .doc files that are really HTML or MHTML pages,
and older offices still keep binary .doc/.wps files. We do not parse either; when
LibreOffice (``soffice``) is installed the file is converted to .docx in a temporary
folder and read from there, otherwise the error tells the officer how to convert it.
A .doc that is really a .docx (a renamed zip) is simply read as one.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from assistant.errors import DocumentError, UnsupportedFormatError
from assistant.knowledge.loaders.base import LoadedDocument, sha256_hex

LEGACY_SUFFIXES = frozenset({".doc", ".wps"})
_CONVERT_TIMEOUT_S = 120
_ADVICE = "用 Word/WPS 另存为 .docx，或 `soffice --headless --convert-to docx FILE` / save it as .docx in Word or WPS, or run `soffice --headless --convert-to docx FILE`"


def describe_content(data: bytes) -> str:
    """What a .doc/.wps file really holds: 'docx', 'ole' (binary Word/WPS), 'html', 'mhtml', 'rtf' or 'unknown'."""
    head = data[:2048].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if b"mime-version:" in head or b"content-type: multipart/related" in head:
        return "mhtml"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head:
        return "html"
    return "unknown"


_KIND_LABEL = {
    "ole": "旧版Word/WPS二进制文件 / a legacy binary Word/WPS file",
    "html": "另存为.doc的网页（HTML） / a web page (HTML) saved with a .doc name",
    "mhtml": "另存为.doc的网页（MHTML） / a web page (MHTML) saved with a .doc name",
    "rtf": "RTF文档 / an RTF document",
    "unknown": "无法识别的旧格式 / an unrecognised legacy format",
}


def load_legacy(path: Path, data: bytes, load_docx: Callable[[Path, bytes], LoadedDocument]) -> LoadedDocument:
    kind = describe_content(data)
    if kind == "docx":
        return load_docx(path, data)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnsupportedFormatError(str(path), f"这是{_KIND_LABEL[kind]}，不能直接读取，请转换：{_ADVICE}")
    converted = _convert(soffice, path, kind)
    document = load_docx(path, converted)
    note = f"已用LibreOffice从{path.suffix}转换为.docx / converted from {path.suffix} to .docx with LibreOffice"
    return replace(
        document,
        content_hash=sha256_hex(data),
        warnings=(*document.warnings, note),
    )


def _convert(soffice: str, path: Path, kind: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="assistant-convert-") as tmp:
        command = [soffice, "--headless", "--convert-to", "docx", "--outdir", tmp, str(path)]
        try:
            subprocess.run(command, capture_output=True, timeout=_CONVERT_TIMEOUT_S, check=True)
        except (subprocess.SubprocessError, OSError) as err:
            raise DocumentError(
                str(path), f"LibreOffice转换失败（{_KIND_LABEL[kind]}）：{err}；请手动转换：{_ADVICE}"
            ) from err
        output = Path(tmp) / (path.stem + ".docx")
        if not output.is_file():
            raise DocumentError(str(path), f"LibreOffice没有生成.docx / LibreOffice produced no .docx; {_ADVICE}")
        return output.read_bytes()
