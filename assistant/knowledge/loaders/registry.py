"""Which loader reads which suffix, and the checks every file goes through first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.errors import DocumentError, UnsupportedFormatError
from assistant.knowledge.loaders.base import LoadedDocument
from assistant.knowledge.loaders.docx import load_docx
from assistant.knowledge.loaders.legacy import LEGACY_SUFFIXES, load_legacy
from assistant.knowledge.loaders.markdown import load_markdown
from assistant.knowledge.loaders.pdf import load_pdf
from assistant.knowledge.loaders.text import load_text

Loader = Callable[[Path, bytes], LoadedDocument]

_LOADERS: dict[str, Loader] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_LOADERS)


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def load_document(path: Path, max_bytes: int | None = None) -> LoadedDocument:
    """Read one file into blocks; every failure is a DocumentError (or UnsupportedFormatError) that says what to do."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _LOADERS and suffix not in LEGACY_SUFFIXES:
        supported = " ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedFormatError(
            str(path),
            f"不支持的文件类型“{suffix or '无后缀'}”，支持：{supported} / unsupported file type, supported: {supported}",
        )
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise DocumentError(
                str(path),
                f"文件大小{_megabytes(size)}超过上限{_megabytes(max_bytes)}，请拆分文件或调高上限 / "
                f"file is {_megabytes(size)} ({size} bytes), over the limit of {_megabytes(max_bytes)} ({max_bytes} bytes)",
            )
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise DocumentError(str(path), "文件不存在 / file not found") from err
    except IsADirectoryError as err:
        raise DocumentError(str(path), "这是文件夹，不是文件 / this is a folder, not a file") from err
    except PermissionError as err:
        raise DocumentError(str(path), "没有读取权限 / permission denied") from err
    if not data:
        raise DocumentError(str(path), "文件是空的（0字节） / the file is empty (0 bytes)")
    if suffix in LEGACY_SUFFIXES:
        return load_legacy(path, data, load_docx)
    return _LOADERS[suffix](path, data)
