"""What every loader returns, and the small helpers they share (hashing, sidecar metadata, errors)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from assistant.errors import DocumentError

BlockKind = Literal["heading", "paragraph", "table_row"]


@dataclass(frozen=True)
class Block:
    """One structural piece of a document, in reading order; the chunker works on these."""

    text: str
    page: int | None  # 1-based page for PDFs, None otherwise
    kind: BlockKind
    level: int | None = None  # heading level when the format says it (DOCX heading styles, Markdown #)


@dataclass(frozen=True)
class LoadedDocument:
    """A document's text as blocks, plus what the file itself says about it.

    ``front_matter`` is what the author declared (Markdown front matter and/or a sidecar
    ``<file>.meta.yaml``) and overrides inference; ``properties`` is what the file format
    embeds (DOCX core title, PDF info title, a cover title) and only helps inference.
    """

    path: Path
    blocks: tuple[Block, ...]
    front_matter: dict[str, Any]
    page_count: int | None
    warnings: tuple[str, ...]
    content_hash: str  # sha256 hex of the file bytes
    properties: dict[str, Any] = field(default_factory=dict)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml")


def sidecar_paths(path: Path) -> tuple[Path, ...]:
    """Where a sidecar for ``path`` may live: ``plan.pdf.meta.yaml`` or ``plan.meta.yaml`` (and .yml)."""
    full = [path.with_name(path.name + suffix) for suffix in SIDECAR_SUFFIXES]
    stem = [path.with_name(path.stem + suffix) for suffix in SIDECAR_SUFFIXES]
    return tuple(full + stem)


def read_sidecar(path: Path) -> dict[str, Any]:
    """The first sidecar found for ``path`` as a mapping, or {} when there is none."""
    for candidate in sidecar_paths(path):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8-sig")
            return parse_yaml_mapping(text, candidate, first_line=1)
    return {}


def parse_yaml_mapping(text: str, source: Path, first_line: int) -> dict[str, Any]:
    """Parse YAML that must be a mapping; errors name the file and the line (counted from ``first_line``)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = f"第{mark.line + first_line}行" if mark is not None else "某处"
        line_en = f"line {mark.line + first_line}" if mark is not None else "somewhere"
        problem = getattr(err, "problem", None) or str(err)
        raise DocumentError(
            str(source),
            f"元数据YAML格式错误（{line}：{problem}），请修正后重试 / metadata YAML is malformed at {line_en}: {problem}",
        ) from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DocumentError(
            str(source),
            f"元数据应为“键: 值”映射，实际是{type(data).__name__} / metadata must be a key: value mapping, got {type(data).__name__}",
        )
    return {str(key): value for key, value in data.items()}


def no_text_error(path: Path) -> DocumentError:
    return DocumentError(
        str(path), "文件里没有可索引的文字，请检查文件内容 / the file contains no text to index; check its content"
    )
