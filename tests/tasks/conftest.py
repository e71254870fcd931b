"""A fresh alert store with one gas incident, a draft for it with four kinds of time limit, and a task clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.alerts.sensor_json import reading_to_alert
from assistant.alerts.store import AlertStore
from assistant.domain import Action, Loop, PlanDraft, Stage, StageResult
from assistant.tasks import Clock, TaskStore
from tests.factories import make_draft

LIMITS = (
    ("接警后立即电话通知区应急管理部门", "城运中心值班员", "接警后立即"),
    ("关闭泄漏点上游阀门切断气源", "燃气企业抢修人员", "接报后30分钟内到场"),
    ("对受影响建筑开展安全评估", "住房城乡建设部门", "处置结束后"),
    ("向区政府书面报告处置情况", "区应急管理局", "2小时内"),
)


def gas_reading(value: float = 32.5, minute: int = 0, point: str = "GAS-0107") -> object:
    return reading_to_alert(
        {
            "point_id": point,
            "sensor_type": "combustible_gas",
            "value": value,
            "unit": "%LEL",
            "thresholds": {"yellow": 20, "orange": 35, "red": 50},
            "time": (datetime(2026, 11, 22, 1, 28, tzinfo=UTC) + timedelta(minutes=minute)).isoformat(),
            "location": {"lat": 31.224, "lon": 121.469, "district": "老城区", "address": "中山路12号地下室"},
            "name": "中山路12号地下室可燃气体探测器",
        }
    )


def draft_for(incident_id: str, draft_id: str = "d-gas") -> PlanDraft:
    """A draft whose response stage holds the four actions above (other stages keep the factory's one action)."""
    base = make_draft(draft_id=draft_id)
    actions = tuple(Action(text, unit, limit, Loop.SMALL, ("alert:a1",)) for text, unit, limit in LIMITS)
    stages = tuple(StageResult(s.stage, s.summary, actions) if s.stage is Stage.RESPONSE else s for s in base.stages)
    return replace(base, incident_id=incident_id, stages=stages)


@pytest.fixture
def alerts(tmp_path: Path) -> Iterator[AlertStore]:
    with AlertStore(tmp_path / "alerts.db") as store:
        yield store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def audit_log() -> list[tuple[str, dict[str, object]]]:
    return []


@pytest.fixture
def tasks(alerts: AlertStore, clock: Clock, audit_log: list[tuple[str, dict[str, object]]]) -> TaskStore:
    return TaskStore(alerts, clock, audit=lambda action, **detail: audit_log.append((action, detail)))


@pytest.fixture
def incident_id(alerts: AlertStore) -> str:
    outcome = alerts.ingest(gas_reading())  # type: ignore[arg-type]
    assert outcome.incident_id
    return outcome.incident_id
