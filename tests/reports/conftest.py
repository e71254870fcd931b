"""A report service over real stores in a temp dir; the library is the shipped one (session fixture)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.alerts.intake import parse_file
from assistant.alerts.store import AlertStore
from assistant.chain.facts import facts_from_alert
from assistant.records import Records
from assistant.reports.compose import TaskLine
from assistant.reports.service import ReportService
from assistant.reports.store import ReportStore
from assistant.services import Services
from assistant.settings import PROJECT_ROOT

ALERTS = PROJECT_ROOT / "evals" / "alerts"


@dataclass
class FixedClock:
    """A clock the test moves by hand: deadlines are checked without sleeping."""

    at: datetime = field(default_factory=lambda: datetime(2026, 12, 3, 3, 50, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.at

    def advance(self, minutes: float) -> None:
        self.at += timedelta(minutes=minutes)


@dataclass
class Desk:
    service: ReportService
    alerts: AlertStore
    records: Records
    clock: FixedClock
    tasks: dict[str, list[TaskLine]]

    def ingest(self, name: str) -> str:
        alert = parse_file(ALERTS / name).alerts[0]
        incident = self.alerts.ingest(alert).incident_id
        assert incident is not None
        return incident


@pytest.fixture
def desk(shipped: Services, tmp_path: Path) -> Iterator[Desk]:
    alerts, records = AlertStore(tmp_path / "alerts.db"), Records(tmp_path / "records.db")
    clock = FixedClock()
    tasks: dict[str, list[TaskLine]] = {}
    service = ReportService(
        store=ReportStore(tmp_path / "reports.db"),
        alerts=alerts,
        records=records,
        library=shipped.knowledge.retriever,
        facts_of=lambda alert, lang: facts_from_alert(alert, lang=lang),
        utc_offset="+08:00",
        unit="示例市城运中心（示例）",
        tasks=lambda incident_id: tasks.get(incident_id, []),
        clock=clock,
    )
    yield Desk(service, alerts, records, clock, tasks)
    service.store.close()
    alerts.close()
    records.close()
