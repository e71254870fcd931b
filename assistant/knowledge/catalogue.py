"""SQLite catalogue of documents and chunks: the source of truth of the knowledge index.

The BM25 index and the Chroma collection are both derived from it and can be
rebuilt from it. Each chunk row records whether its dense vector is in the vector
store (``dense_ready``), which lets retrieval use whatever is ready while vectors
are still being built, and lets a re-run finish what a crash interrupted.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.domain import Chunk, DocKind, DocumentMeta
from assistant.knowledge import grading_table
from assistant.knowledge.grading import Grading


def _m1_initial(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY, source_path TEXT NOT NULL, file_sha256 TEXT NOT NULL,
            title TEXT NOT NULL, kind TEXT NOT NULL, lang TEXT NOT NULL, region TEXT, issuer TEXT,
            year INTEGER, source TEXT, pages INTEGER, extra TEXT NOT NULL, warnings TEXT NOT NULL,
            ingested_at TEXT NOT NULL);
        CREATE INDEX documents_by_path ON documents(source_path);
        CREATE TABLE doc_hazards (doc_id TEXT NOT NULL, hazard TEXT NOT NULL, PRIMARY KEY (doc_id, hazard));
        CREATE INDEX hazards_by_name ON doc_hazards(hazard);
        CREATE TABLE chunks (
            chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL,
            heading_path TEXT NOT NULL, page_start INTEGER, page_end INTEGER,
            text_hash TEXT NOT NULL, tokens TEXT NOT NULL, dense_ready INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX chunks_by_doc ON chunks(doc_id);
        CREATE INDEX chunks_by_dense ON chunks(dense_ready);
        CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )


# Append new migrations; never edit one that has shipped. PRAGMA user_version counts those applied.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m1_initial, grading_table.backfill]


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as written: its cache key, its BM25 tokens and whether its vector is already stored."""

    chunk: Chunk
    text_hash: str
    tokens: list[str]
    dense_ready: bool


@dataclass(frozen=True)
class DocumentRecord:
    meta: DocumentMeta
    file_sha256: str
    chunks: int
    dense_ready: int
    warnings: tuple[str, ...]
    ingested_at: str


_DOC_COLUMNS = (
    "d.doc_id, d.source_path, d.title, d.kind, d.lang, d.region, d.issuer, d.year, d.source, d.pages, d.extra"
)


class Catalogue:
    """Thread-safe: one connection guarded by a lock (the background warm-up shares it)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                with self._db:
                    migration(self._db)
                    self._db.execute(f"PRAGMA user_version = {number}")
            with self._db:
                grading_table.refresh(self._db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------ state

    def get_state(self, key: str, default: str = "") -> str:
        with self._lock:
            row = self._db.execute("SELECT value FROM state WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_state(self, key: str, value: str) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", [key, value])

    def generation(self) -> int:
        """Bumped whenever the set of chunks changes; derived indexes compare against it."""
        return int(self.get_state("generation", "0"))

    def _bump(self) -> None:
        self._db.execute(
            "INSERT INTO state VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    # ------------------------------------------------------------ writing

    def replace_document(
        self,
        meta: DocumentMeta,
        file_sha256: str,
        chunks: Sequence[StoredChunk],
        warnings: Sequence[str] = (),
        replaces: Sequence[str] = (),
        grading: Grading | None = None,
    ) -> list[str]:
        """Insert a document (with its grading criteria) and delete the ones it replaces in ONE transaction;
        returns the old chunk ids."""
        with self._lock, self._db:
            removed = self._delete(replaces)
            self._db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    meta.doc_id,
                    meta.source_path,
                    file_sha256,
                    meta.title,
                    str(meta.kind),
                    meta.lang,
                    meta.region,
                    meta.issuer,
                    meta.year,
                    meta.source,
                    meta.pages,
                    json.dumps(meta.extra, ensure_ascii=False, default=str),
                    json.dumps(list(warnings), ensure_ascii=False),
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ],
            )
            self._db.executemany("INSERT INTO doc_hazards VALUES (?, ?)", [(meta.doc_id, h) for h in meta.hazards])
            if grading is not None:
                grading_table.write(self._db, meta.doc_id, grading)
            self._db.executemany(
                "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        s.chunk.chunk_id,
                        meta.doc_id,
                        s.chunk.position,
                        s.chunk.text,
                        json.dumps(list(s.chunk.heading_path), ensure_ascii=False),
                        s.chunk.page_start,
                        s.chunk.page_end,
                        s.text_hash,
                        " ".join(s.tokens),
                        int(s.dense_ready),
                    )
                    for s in chunks
                ],
            )
            self._bump()
        return removed

    def remove_document(self, doc_id: str) -> list[str]:
        with self._lock, self._db:
            removed = self._delete([doc_id])
            self._bump()
        return removed

    def _delete(self, doc_ids: Sequence[str]) -> list[str]:
        removed: list[str] = []
        for doc_id in doc_ids:
            removed += [r[0] for r in self._db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", [doc_id])]
            for table in ("chunks", "doc_hazards", "documents"):
                self._db.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
        grading_table.delete(self._db, doc_ids)
        return removed

    def update_source(self, doc_id: str, source_path: str, file_sha256: str) -> None:
        """Same content seen at a new path or with new bytes (e.g. a moved file): keep its chunks."""
        with self._lock, self._db:
            self._db.execute(
                "UPDATE documents SET source_path = ?, file_sha256 = ? WHERE doc_id = ?",
                [source_path, file_sha256, doc_id],
            )

    def mark_dense(self, chunk_ids: Sequence[str], ready: bool) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "UPDATE chunks SET dense_ready = ? WHERE chunk_id = ?", [(int(ready), c) for c in chunk_ids]
            )

    def mark_all_dense(self, ready: bool) -> None:
        with self._lock, self._db:
            self._db.execute("UPDATE chunks SET dense_ready = ?", [int(ready)])

    def set_tokens(self, rows: Sequence[tuple[str, list[str]]]) -> None:
        """Store re-computed BM25 tokens (after a tokeniser change); derived indexes see a new generation."""
        with self._lock, self._db:
            self._db.executemany("UPDATE chunks SET tokens = ? WHERE chunk_id = ?", [(" ".join(t), c) for c, t in rows])
            self._bump()

    # ------------------------------------------------------------ reading

    def by_path(self, source_path: str) -> list[tuple[str, str]]:
        """(doc_id, file_sha256) of the documents ingested from this path."""
        with self._lock:
            rows = self._db.execute("SELECT doc_id, file_sha256 FROM documents WHERE source_path = ?", [source_path])
            return [(r[0], r[1]) for r in rows]

    def sources_under(self, prefix: str) -> list[tuple[str, str]]:
        """(doc_id, source_path) of the documents ingested from below this folder prefix."""
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_id, source_path FROM documents WHERE substr(source_path, 1, length(?)) = ?",
                [prefix, prefix],
            )
            return [(r[0], r[1]) for r in rows]

    def source_of(self, doc_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT source_path FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        return row[0] if row else None

    def documents(self) -> list[DocumentRecord]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_DOC_COLUMNS}, d.file_sha256, d.warnings, d.ingested_at, "
                "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id), "
                "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id AND c.dense_ready) "
                "FROM documents d ORDER BY d.source_path"
            ).fetchall()
            hazards = self._hazards()
        return [
            DocumentRecord(
                meta=_meta(row[:11], hazards.get(row[0], ())),
                file_sha256=row[11],
                warnings=tuple(json.loads(row[12])),
                ingested_at=row[13],
                chunks=row[14],
                dense_ready=row[15],
            )
            for row in rows
        ]

    def _hazards(self, doc_ids: Sequence[str] | None = None) -> dict[str, tuple[str, ...]]:
        sql = "SELECT doc_id, hazard FROM doc_hazards"
        if doc_ids is not None:
            sql += f" WHERE doc_id IN ({','.join('?' * len(doc_ids))})"
        found: dict[str, tuple[str, ...]] = {}
        for doc_id, hazard in self._db.execute(sql + " ORDER BY rowid", list(doc_ids or [])):
            found[doc_id] = (*found.get(doc_id, ()), hazard)
        return found

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        with self._lock:
            return [
                r[0]
                for r in self._db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ? ORDER BY position", [doc_id])
            ]

    def grading(self, doc_ids: Sequence[str]) -> dict[str, Grading]:
        """The grading criteria and approvers of these documents (empty for documents without any)."""
        with self._lock:
            return grading_table.read(self._db, list(doc_ids))

    def hydrate(self, chunk_ids: Sequence[str]) -> dict[str, tuple[Chunk, DocumentMeta]]:
        """Chunks with their documents, for turning search hits into citations (unknown ids are absent)."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT c.chunk_id, c.position, c.text, c.heading_path, c.page_start, c.page_end, {_DOC_COLUMNS} "
                f"FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE c.chunk_id IN ({marks})",
                list(chunk_ids),
            ).fetchall()
            hazards = self._hazards(sorted({r[6] for r in rows}))
        found = {}
        for row in rows:
            meta = _meta(row[6:], hazards.get(row[6], ()))
            chunk = Chunk(row[0], meta.doc_id, row[2], tuple(json.loads(row[3])), row[4], row[5], row[1])
            found[row[0]] = (chunk, meta)
        return found

    def pending(self, limit: int) -> list[tuple[str, str, str]]:
        """Up to ``limit`` chunks still without a dense vector: (chunk_id, doc_id, retrieval text)."""
        with self._lock:
            ids = [
                r[0]
                for r in self._db.execute(
                    "SELECT chunk_id FROM chunks WHERE dense_ready = 0 ORDER BY doc_id, position LIMIT ?", [limit]
                )
            ]
        return [
            (cid, meta.doc_id, chunk.retrieval_text(meta.title)) for cid, (chunk, meta) in self.hydrate(ids).items()
        ]

    def retrieval_texts(self, source_prefixes: Sequence[str]) -> list[str]:
        """Embedded texts of every chunk from documents under these folders (for the shipped seed cache)."""
        with self._lock:
            ids = [
                r[0]
                for r in self._db.execute(
                    "SELECT c.chunk_id, d.source_path FROM chunks c JOIN documents d ON d.doc_id = c.doc_id"
                )
                if any(r[1].startswith(p) for p in source_prefixes)
            ]
        return [chunk.retrieval_text(meta.title) for chunk, meta in self.hydrate(ids).values()]

    def dense_ids(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self._db.execute("SELECT chunk_id FROM chunks WHERE dense_ready = 1")}

    def existing(self, chunk_ids: Sequence[str]) -> set[str]:
        with self._lock:
            marks = ",".join("?" * len(chunk_ids))
            return {
                r[0] for r in self._db.execute(f"SELECT chunk_id FROM chunks WHERE chunk_id IN ({marks})", chunk_ids)
            }

    def counts(self) -> tuple[int, int, int]:
        """(documents, chunks, chunks with a dense vector)."""
        with self._lock:
            docs = self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            chunks, ready = self._db.execute("SELECT COUNT(*), COALESCE(SUM(dense_ready), 0) FROM chunks").fetchone()
        return int(docs), int(chunks), int(ready)

    def lexical_rows(self) -> Iterator[tuple[str, str, list[str]]]:
        with self._lock:
            rows = self._db.execute("SELECT chunk_id, doc_id, tokens FROM chunks ORDER BY doc_id, position").fetchall()
        for chunk_id, doc_id, tokens in rows:
            yield chunk_id, doc_id, tokens.split()

    def doc_ids_matching(
        self, kind: str | None = None, hazards: Sequence[str] | None = None, region: str | None = None
    ) -> list[str] | None:
        """Documents passing the filters, or None when there are no filters (everything passes)."""
        if not kind and not hazards and not region:
            return None
        sql, params = "SELECT doc_id FROM documents WHERE 1=1", []
        if kind:
            sql += " AND kind = ?"
            params.append(str(kind))
        if hazards:
            sql += f" AND doc_id IN (SELECT doc_id FROM doc_hazards WHERE hazard IN ({','.join('?' * len(hazards))}))"
            params += list(hazards)
        if region:
            # 北京 matches a document of 北京市 and 北京市 matches one of 北京市海淀区.
            sql += " AND region IS NOT NULL AND (instr(region, ?) > 0 OR instr(?, region) > 0)"
            params += [region, region]
        with self._lock:
            return [r[0] for r in self._db.execute(sql, params)]

    def stats(self) -> dict[str, dict[str, int]]:
        """Document counts by kind and by hazard."""
        with self._lock:
            kinds = dict(
                self._db.execute("SELECT kind, COUNT(*) FROM documents GROUP BY kind ORDER BY 2 DESC").fetchall()
            )
            hazards = dict(
                self._db.execute("SELECT hazard, COUNT(*) FROM doc_hazards GROUP BY hazard ORDER BY 2 DESC").fetchall()
            )
        return {"kind": kinds, "hazard": hazards}


def _meta(row: Sequence[object], hazards: tuple[str, ...]) -> DocumentMeta:
    doc_id, source_path, title, kind, lang, region, issuer, year, source, pages, extra = row
    return DocumentMeta(
        doc_id=str(doc_id),
        title=str(title),
        kind=DocKind(str(kind)),
        hazards=hazards,
        source_path=str(source_path),
        lang=str(lang),
        region=region if region is None else str(region),
        issuer=issuer if issuer is None else str(issuer),
        year=year if year is None else int(str(year)),
        source=source if source is None else str(source),
        pages=pages if pages is None else int(str(pages)),
        extra=json.loads(str(extra)),
    )
