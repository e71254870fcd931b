"""An incident closes only when every task is done or waived with a reason — whoever closes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.alerts.ingest import ingest_file
from assistant.alerts.store import AlertStore
from assistant.domain import IncidentStatus
from assistant.errors import AssistantError
from assistant.tasks import TaskStore
from tests.tasks.conftest import draft_for

CAP = Path(__file__).parent.parent / "alerts" / "fixtures"


def test_close_is_refused_while_tasks_are_open(tasks: TaskStore, alerts: AlertStore, incident_id: str) -> None:
    one, two, three = tasks.issue(draft_for(incident_id), 1, "张伟", numbers=[4, 5, 6])[0]
    tasks.done(one.task_id, "李娜")
    with pytest.raises(AssistantError) as refused:
        alerts.transition(incident_id, IncidentStatus.CLOSED, "张伟")
    message = str(refused.value)
    assert f"还有 2 项任务未完成（T{two.task_id}、T{three.task_id}）" in message
    assert "waive them with a reason" in message  # Chinese first, then English
    assert alerts.incident(incident_id).status is IncidentStatus.NEW  # nothing changed
    assert alerts.transition(incident_id, IncidentStatus.HANDLING, "张伟").status is IncidentStatus.HANDLING
    tasks.waive(two.task_id, "张伟", "抢修单位已在 T1 中一并关阀")
    tasks.waive(three.task_id, "张伟", "无建筑受损")
    closed = alerts.transition(incident_id, IncidentStatus.CLOSED, "张伟", note="险情已消除")
    assert closed.status is IncidentStatus.CLOSED
    actions = [(e.action, e.note) for e in alerts.events(incident_id)]
    assert ("task.waived", f"T{three.task_id} 已下达→已免除：无建筑受损") in actions
    assert actions[-1] == ("closed", "险情已消除")
    with pytest.raises(AssistantError, match="已关闭，不能下达任务"):
        tasks.issue(draft_for(incident_id), 2, "张伟")


def test_an_incident_without_tasks_closes_as_before(alerts: AlertStore, incident_id: str) -> None:
    assert alerts.transition(incident_id, IncidentStatus.CLOSED, "张伟").status is IncidentStatus.CLOSED


def test_a_source_cancel_does_not_close_an_incident_with_open_tasks(alerts: AlertStore, tasks: TaskStore) -> None:
    incident_id = ingest_file(alerts, CAP / "cn_rainstorm.cap").outcomes[0].incident_id or ""
    tasks.issue(draft_for(incident_id), 1, "张伟", numbers=[4])
    ingest_file(alerts, CAP / "cn_rainstorm_update.cap")  # the cancel refers to this update
    cancel = ingest_file(alerts, CAP / "cn_rainstorm_cancel.cap").outcomes[0]
    assert cancel.effects and not any(effect.startswith("closed") for effect in cancel.effects)
    assert alerts.incident(incident_id).status is IncidentStatus.NEW
    assert alerts.events(incident_id)[-1].action == "cancelled_with_open_tasks"
