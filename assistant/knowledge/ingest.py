"""Ingestion: files and folders in, documents and chunks in the index, one result per file.

Two phases, so a large corpus is searchable by keyword long before its vectors are
built: (1) every changed file is read, chunked and written to the catalogue and BM25
(chunks whose text is in the embedding cache get their vector at once); (2) the
remaining chunks are embedded in batches. Phase 2 also picks up chunks a previous
run left unembedded, so re-running ``ingest`` repairs an interrupted one.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import DocumentError, EmbeddingError, NotFoundError
from assistant.knowledge.catalogue import DocumentRecord
from assistant.knowledge.chunking import chunk_document
from assistant.knowledge.index import KnowledgeIndex, ProgressFn
from assistant.knowledge.loaders import SUPPORTED_SUFFIXES, load_document
from assistant.knowledge.loaders.base import sidecar_paths
from assistant.knowledge.loaders.legacy import LEGACY_SUFFIXES
from assistant.knowledge.metadata import build_metadata
from assistant.settings import KnowledgeSettings

CHANGED = ("added", "replaced", "moved", "removed")


@dataclass(frozen=True)
class FileResult:
    """What happened to one file: added | replaced | moved | removed | unchanged | duplicate | failed | skipped."""

    path: str
    status: str
    doc_id: str | None = None
    title: str = ""
    chunks: int = 0
    reason: str = ""
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    embedded: int = 0
    dense_error: str = ""
    seconds: float = 0.0

    def with_status(self, *statuses: str) -> list[FileResult]:
        return [r for r in self.results if r.status in statuses]

    @property
    def changed(self) -> int:
        return len(self.with_status(*CHANGED))

    @property
    def chunks_added(self) -> int:
        return sum(r.chunks for r in self.with_status("added", "replaced"))


FileProgressFn = Callable[[FileResult, int, int], None]  # (result, files done, files total)


def source_fingerprint(path: Path) -> str:
    """sha256 of the file and its metadata sidecar: a change to either re-ingests the file."""
    with path.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256")
    for sidecar in sidecar_paths(path):
        if sidecar.is_file():
            digest.update(sidecar.read_bytes())
    return digest.hexdigest()


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest (folders recursively, hidden ones skipped) and the files skipped, with reasons."""
    files: list[Path] = []
    skipped: list[FileResult] = []
    for path in paths:
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            for item in sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path)):
                suffix = item.suffix.lower()
                if suffix in SUPPORTED_SUFFIXES or suffix in LEGACY_SUFFIXES:  # legacy: converted or explained
                    files.append(item)
                elif not item.name.endswith((".meta.yaml", ".meta.yml")):
                    reason = f"不支持的文件类型 {suffix or '（无扩展名）'} / unsupported file type {suffix or '(none)'}"
                    skipped.append(FileResult(str(item), "skipped", reason=reason))
        else:
            skipped.append(FileResult(str(path), "failed", reason="路径不存在 / no such file or folder"))
    return files, skipped


class Ingestor:
    def __init__(self, index: KnowledgeIndex, settings: KnowledgeSettings) -> None:
        self.index = index
        self.settings = settings

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        embed: bool = True,
        on_file: FileProgressFn | None = None,
        on_embed: ProgressFn | None = None,
    ) -> IngestReport:
        """Ingest files and folders; with ``embed=False`` vectors are left for ``embed_pending`` (the warm-up)."""
        started = time.perf_counter()
        files, report_rows = discover(Path(p) for p in paths)
        report = IngestReport(results=report_rows)
        self._use_exported_caches(Path(p) for p in paths)
        for number, path in enumerate(files, start=1):
            result = self.ingest_file(path)
            report.results.append(result)
            if on_file:
                on_file(result, number, len(files))
        for folder in (Path(p) for p in paths):
            if folder.is_dir():
                report.results += self._forget_vanished(folder)
        self.index.refresh_lexical()
        if embed:
            try:
                report.embedded = self.index.embed_pending(on_embed)
            except EmbeddingError as err:
                report.dense_error = (
                    f"{err}（关键词检索已可用；修复后运行 `assistant kb warm` / keyword search works; "
                    "run `assistant kb warm` once fixed）"
                )
        report.seconds = time.perf_counter() - started
        return report

    def _use_exported_caches(self, paths: Iterable[Path]) -> None:
        """A library exported with ``assistant kb export-cache FOLDER`` carries its vectors in ``.embeddings``
        in that folder: found here (in the folder or above it), they spare the next machine the embedding."""
        for path in paths:
            if path.exists():
                folder = path.resolve() if path.is_dir() else path.resolve().parent
                for directory in (folder, *folder.parents):
                    self.index.embeddings.add_seed_dir(directory)

    def ingest_file(self, path: Path) -> FileResult:
        started = time.perf_counter()
        source = str(path.resolve())
        max_bytes = self.settings.max_upload_mb * 1024 * 1024
        try:  # an oversized file is not hashed: load_document below explains the limit
            fingerprint = source_fingerprint(path) if path.stat().st_size <= max_bytes else ""
        except OSError as err:
            return FileResult(source, "failed", reason=f"无法读取文件 / cannot read the file: {err.strerror}")
        previous = self.index.catalogue.by_path(source)
        if any(fp == fingerprint for _, fp in previous):
            return FileResult(source, "unchanged", doc_id=previous[0][0])
        try:
            doc = load_document(path, max_bytes=max_bytes)
            meta = build_metadata(doc, source_path=source)
            chunks = chunk_document(doc, meta.doc_id, chunk_chars=self.settings.chunk_chars)
        except DocumentError as err:
            return FileResult(source, "failed", reason=err.problem, seconds=time.perf_counter() - started)
        if not chunks:
            reason = "没有可索引的文字 / no text to index"
            return FileResult(source, "failed", reason=reason, warnings=doc.warnings)
        replaces = [doc_id for doc_id, _ in previous]
        elsewhere = self.index.catalogue.source_of(meta.doc_id)
        done = time.perf_counter() - started
        if elsewhere not in (None, source):
            if Path(str(elsewhere)).exists():
                for doc_id in replaces:
                    self.index.remove_document(doc_id)
                reason = f"与已入库的 {elsewhere} 内容相同，已跳过 / same content as {elsewhere}; skipped"
                return FileResult(source, "duplicate", meta.doc_id, meta.title, reason=reason, seconds=done)
            for doc_id in replaces:
                self.index.remove_document(doc_id)
            self.index.catalogue.update_source(meta.doc_id, source, fingerprint)
            return FileResult(source, "moved", meta.doc_id, meta.title, len(chunks), seconds=done)
        self.index.store_document(meta, chunks, fingerprint, doc.warnings, replaces)
        return FileResult(
            source,
            "replaced" if replaces else "added",
            meta.doc_id,
            meta.title,
            len(chunks),
            warnings=doc.warnings,
            seconds=time.perf_counter() - started,
        )

    def _forget_vanished(self, folder: Path) -> list[FileResult]:
        """Documents once ingested from this folder whose file is gone are removed, so search never cites them."""
        results = []
        for doc_id, source in self.index.catalogue.sources_under(str(folder.resolve()) + os.sep):
            if not Path(source).exists():
                chunks = self.index.remove_document(doc_id)
                reason = "文件已不存在，已从知识库移除 / the file no longer exists; removed from the knowledge base"
                results.append(FileResult(source, "removed", doc_id, chunks=chunks, reason=reason))
        return results

    def remove(self, doc_id: str) -> int:
        """Remove a document and its chunks everywhere; returns the number of chunks removed."""
        if self.index.catalogue.source_of(doc_id) is None:
            raise NotFoundError(f"没有编号为 {doc_id} 的文档 / no document with id {doc_id} (see `assistant kb list`)")
        return self.index.remove_document(doc_id)

    def documents(self) -> list[DocumentRecord]:
        return self.index.catalogue.documents()

    def stats(self) -> dict[str, dict[str, int]]:
        return self.index.catalogue.stats()
