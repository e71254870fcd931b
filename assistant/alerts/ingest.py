"""Parse a payload and store what it holds: the path shared by HTTP, CLI, replay and poller.

Whatever is refused (a whole document, or single messages inside it) is kept in the
store's ``rejections`` table with the reasons, so the operator can fix and resend it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.alerts.intake import ParseResult, parse_payload
from assistant.alerts.store import AlertStore, IngestOutcome
from assistant.errors import AlertFormatError


@dataclass
class IngestReport:
    """What happened to one payload: stored alerts (new or duplicate) and refused messages."""

    source: str
    outcomes: list[IngestOutcome] = field(default_factory=list)
    errors: list[AlertFormatError] = field(default_factory=list)
    note: str = ""

    @property
    def alert_ids(self) -> list[str]:
        return [o.alert_id for o in self.outcomes]

    @property
    def incident_ids(self) -> list[str]:
        return list(dict.fromkeys(o.incident_id for o in self.outcomes if o.incident_id))

    @property
    def new(self) -> int:
        return sum(1 for o in self.outcomes if not o.duplicate)

    @property
    def duplicates(self) -> int:
        return sum(1 for o in self.outcomes if o.duplicate)


def store_parsed(store: AlertStore, result: ParseResult, source: str, payload: bytes | str) -> IngestReport:
    outcomes = store.ingest_many(result.alerts) if result.alerts else []
    if result.errors:
        problems = "\n".join(err.problem for err in result.errors)
        store.record_rejection(source, problems, payload)
    return IngestReport(source, outcomes, list(result.errors), result.note)


def ingest_payload(
    store: AlertStore, data: bytes | str, source: str, content_type: str | None = None, suffix: str = ""
) -> IngestReport:
    """Parse and store; a document-level refusal is recorded, then raised as AlertFormatError."""
    try:
        result = parse_payload(data, source, content_type=content_type, suffix=suffix)
    except AlertFormatError as err:
        store.record_rejection(source, err.problem, data)
        raise
    return store_parsed(store, result, source, data)


def ingest_file(store: AlertStore, path: str | Path) -> IngestReport:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise AlertFormatError(str(path), f"无法读取文件 / cannot read the file: {err.strerror}") from None
    return ingest_payload(store, data, str(path), suffix=path.suffix)
