"""The grading criteria of each document, stored beside its chunks in the catalogue database.

Rows are written in the same transaction as the document they come from and deleted with
it, so criteria never outlive or predate their plan; migration 2 fills them in for
documents ingested before criteria existed, and a new extractor version re-reads them all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from assistant.domain import Chunk, DocKind, Level
from assistant.knowledge.grading import EXTRACTOR_VERSION, Approver, Criterion, Grading, extract_grading

GRADED_KINDS = (DocKind.PLAN.value, DocKind.REGULATION.value)
_CRITERION_FIELDS = (
    "chunk_id",
    "level",
    "metric",
    "phrase",
    "low",
    "high",
    "unit",
    "hazard",
    "colour",
    "grade",
    "issuer",
    "condition",
    "scope",
)


def create_tables(db: sqlite3.Connection) -> None:
    db.executescript(
        f"""
        CREATE TABLE criteria (doc_id TEXT NOT NULL, {", ".join(f"{f} {'REAL' if f in ('low', 'high') else 'TEXT'}" for f in _CRITERION_FIELDS)});
        CREATE INDEX criteria_by_doc ON criteria(doc_id);
        CREATE TABLE approvers (doc_id TEXT NOT NULL, chunk_id TEXT NOT NULL, level TEXT NOT NULL, who TEXT NOT NULL, phrase TEXT NOT NULL);
        CREATE INDEX approvers_by_doc ON approvers(doc_id);
        """
    )


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """A catalogue made before a field existed gets its column (the rows are re-read right after)."""
    have = {row[1] for row in db.execute("PRAGMA table_info(criteria)")}
    for name in _CRITERION_FIELDS:
        if name not in have:
            db.execute(f"ALTER TABLE criteria ADD COLUMN {name} {'REAL' if name in ('low', 'high') else 'TEXT'}")


def write(db: sqlite3.Connection, doc_id: str, grading: Grading) -> None:
    db.executemany(
        f"INSERT INTO criteria VALUES (?, {', '.join('?' * len(_CRITERION_FIELDS))})",
        [
            (doc_id, *(getattr(c, f).value if f == "level" else getattr(c, f) for f in _CRITERION_FIELDS))
            for c in grading.criteria
        ],
    )
    db.executemany(
        "INSERT INTO approvers VALUES (?, ?, ?, ?, ?)",
        [(doc_id, a.chunk_id, a.level.value, a.who, a.phrase) for a in grading.approvers],
    )


def delete(db: sqlite3.Connection, doc_ids: Sequence[str]) -> None:
    for doc_id in doc_ids:
        db.execute("DELETE FROM criteria WHERE doc_id = ?", [doc_id])
        db.execute("DELETE FROM approvers WHERE doc_id = ?", [doc_id])


def read(db: sqlite3.Connection, doc_ids: Sequence[str]) -> dict[str, Grading]:
    if not doc_ids:
        return {}
    marks = ",".join("?" * len(doc_ids))
    criteria: dict[str, list[Criterion]] = {d: [] for d in doc_ids}
    approvers: dict[str, list[Approver]] = {d: [] for d in doc_ids}
    for row in db.execute(
        f"SELECT doc_id, {', '.join(_CRITERION_FIELDS)} FROM criteria WHERE doc_id IN ({marks}) ORDER BY rowid",
        list(doc_ids),
    ):
        values = dict(zip(_CRITERION_FIELDS, row[1:], strict=True))
        values["level"] = Level(values["level"])
        criteria[row[0]].append(Criterion(**values))
    for row in db.execute(
        f"SELECT doc_id, chunk_id, level, who, phrase FROM approvers WHERE doc_id IN ({marks}) ORDER BY rowid",
        list(doc_ids),
    ):
        approvers[row[0]].append(Approver(row[1], Level(row[2]), row[3], row[4]))
    return {d: Grading(tuple(criteria[d]), tuple(approvers[d])) for d in doc_ids}


def backfill(db: sqlite3.Connection) -> None:
    """Migration 2: criteria for every plan and regulation already in the catalogue."""
    create_tables(db)
    _extract_all(db)


def refresh(db: sqlite3.Connection) -> None:
    """Re-read every document's criteria from its chunks when the extractor changed since they were stored:
    a deployment that upgrades must not keep grading read by the older rules (a level granted without its
    condition)."""
    stored = db.execute("SELECT value FROM state WHERE key = 'grading_extractor'").fetchone()
    if stored and stored[0] == EXTRACTOR_VERSION:
        return
    _add_missing_columns(db)
    db.execute("DELETE FROM criteria")
    db.execute("DELETE FROM approvers")
    _extract_all(db)
    db.execute("INSERT OR REPLACE INTO state VALUES ('grading_extractor', ?)", [EXTRACTOR_VERSION])


def _extract_all(db: sqlite3.Connection) -> None:
    docs = [
        r[0]
        for r in db.execute(
            f"SELECT doc_id FROM documents WHERE kind IN ({','.join('?' * len(GRADED_KINDS))})", GRADED_KINDS
        )
    ]
    for doc_id in docs:
        chunks = [
            Chunk(r[0], doc_id, r[1], tuple(json.loads(r[2])), position=r[3])
            for r in db.execute(
                "SELECT chunk_id, text, heading_path, position FROM chunks WHERE doc_id = ? ORDER BY position", [doc_id]
            )
        ]
        write(db, doc_id, extract_grading(chunks))
