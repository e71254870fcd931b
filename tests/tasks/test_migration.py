"""An alerts.db written before tasks existed opens, gains the task tables and keeps every record."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.alerts import migrations
from assistant.alerts.board import task_counts_query
from assistant.alerts.store import AlertStore
from assistant.domain import IncidentStatus
from assistant.tasks import Clock, TaskStore
from tests.tasks.conftest import draft_for, gas_reading

BEFORE_TASKS = 3  # schema version of the last release without tasks


def test_an_existing_database_is_migrated_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "alerts.db"
    with monkeypatch.context() as old:
        old.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:BEFORE_TASKS])
        with AlertStore(path) as store:
            incident_id = store.ingest(gas_reading()).incident_id or ""  # type: ignore[arg-type]
            store.transition(incident_id, IncidentStatus.ACKNOWLEDGED, "张伟")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == BEFORE_TASKS
        assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'tasks'").fetchall()

    with AlertStore(path) as store:
        assert store.incident(incident_id).status is IncidentStatus.ACKNOWLEDGED
        assert [(e.action, e.task_id) for e in store.events(incident_id)] == [("created", None), ("acknowledged", None)]
        assert store.board()[0].tasks is None  # no task yet: nothing to count
        tasks = TaskStore(store, Clock())
        issued, _ = tasks.issue(draft_for(incident_id), 1, "张伟", numbers=[4, 5])
        entry = store.board_entry(incident_id)
        assert entry.tasks is not None and (entry.tasks.total, entry.tasks.done) == (2, 0)
        assert store.events(incident_id)[-1].task_id == issued[-1].task_id
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)
    with AlertStore(path) as again:  # a second start runs nothing twice
        assert len(TaskStore(again, Clock()).of_incident(incident_id)) == 2


def test_the_board_counts_tasks_from_the_index_alone(tmp_path: Path) -> None:
    with AlertStore(tmp_path / "alerts.db") as store:
        sql, params = task_counts_query(["inc-a", "inc-b"], "2026-11-22T01:00:00.000000Z")
        with store.read() as db:
            plan = " ".join(str(tuple(row)) for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "COVERING INDEX tasks_incident_counts" in plan
