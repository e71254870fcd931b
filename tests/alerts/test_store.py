"""The alert store: identity, grouping, CAP update/cancel, status history, restarts, atomicity, board."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from assistant.alerts.ingest import ingest_file, ingest_payload
from assistant.alerts.intake import parse_file
from assistant.alerts.sensor_json import reading_to_alert
from assistant.alerts.store import AlertStore
from assistant.domain import Alert, Colour, IncidentStatus
from assistant.errors import AlertFormatError, AssistantError, NotFoundError

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2025, 7, 1, 10, 0, tzinfo=CHINA)


def reading(point: str, value: float, minute: int, **extra: Any) -> Alert:
    data: dict[str, Any] = {
        "point_id": point,
        "sensor_type": "combustible_gas",
        "value": value,
        "unit": "%LEL",
        "time": (T0 + timedelta(minutes=minute)).isoformat(),
        "location": {"lat": 31.30, "lon": 121.60, "district": "新港区"},
        "name": f"{point} 地下室",
    }
    data.update(extra)
    return reading_to_alert(data)


def test_same_identity_twice_is_one_record(store: AlertStore, fixtures: Path) -> None:
    first = ingest_file(store, fixtures / "cn_rainstorm.cap")
    again = ingest_file(store, fixtures / "cn_rainstorm.cap")
    assert (first.new, again.new, again.duplicates) == (1, 0, 1)
    assert again.incident_ids == first.incident_ids
    one = store.ingest(reading("P1", 30, 0))
    assert store.ingest(reading("P1", 31, 0)).duplicate  # same point and time: same reading
    assert store.counts()["alerts"] == 2 and not one.duplicate


def test_repeats_group_into_one_incident_with_peak_and_trend(store: AlertStore) -> None:
    outcomes = [store.ingest(reading("P1", v, m)) for m, v in enumerate([22, 25, 30, 36, 44, 52])]
    assert len({o.incident_id for o in outcomes}) == 1
    incident = store.incident(outcomes[0].incident_id or "")
    assert incident.count == 6 and incident.trend == "rising"
    assert incident.peak_value == 52 and incident.peak_exceedance == pytest.approx(44 / 20)  # 44 is 2.2x yellow
    assert incident.colour is Colour.ORANGE and incident.hazard == "燃气"
    assert incident.first_seen == T0 and incident.last_seen == T0 + timedelta(minutes=5)
    # Readings falling back below every threshold join the incident (they do not open new ones) and turn it green.
    for minute, value in ((6, 30), (7, 12), (8, 4), (9, 3)):
        store.ingest(reading("P1", value, minute))
    cleared = store.board_entry(incident.incident_id)
    assert cleared.incident.trend == "falling" and cleared.incident.colour is Colour.GREEN
    assert cleared.incident.count == 10 and cleared.incident.peak_value == 52
    assert store.ingest(reading("P2", 3, 0)).incident_id is None  # a normal reading pages nobody


def test_a_repeat_after_the_window_opens_a_new_incident(store: AlertStore) -> None:
    first = store.ingest(reading("P1", 30, 0))
    later = store.ingest(reading("P1", 30, 121))
    assert first.incident_id != later.incident_id
    within = store.ingest(reading("P1", 31, 200))
    assert within.incident_id == later.incident_id


def test_update_supersedes_and_cancel_closes_what_they_reference(store: AlertStore, fixtures: Path) -> None:
    alert = ingest_file(store, fixtures / "cn_rainstorm.cap").outcomes[0]
    update = ingest_file(store, fixtures / "cn_rainstorm_update.cap").outcomes[0]
    assert update.incident_id == alert.incident_id
    assert update.effects == (f"superseded {alert.alert_id}",)
    assert store.alert_state(alert.alert_id) == ("superseded", update.alert_id)
    incident = store.incident(alert.incident_id or "")
    assert incident.colour is Colour.RED and incident.count == 2 and incident.trend == "rising"
    cancel = ingest_file(store, fixtures / "cn_rainstorm_cancel.cap").outcomes[0]
    assert cancel.effects == (f"cancelled {update.alert_id}", f"closed {alert.incident_id}")
    assert store.alert_state(update.alert_id) == ("cancelled", cancel.alert_id)
    assert store.alert_state(alert.alert_id)[0] == "superseded"  # untouched by the cancel
    assert store.incident(alert.incident_id or "").status is IncidentStatus.CLOSED
    last = store.events(alert.incident_id or "")[-1]
    assert (last.action, last.to_status, last.actor) == ("cancelled", "closed", "qxt@sample-city.example (CAP Cancel)")
    assert store.board() == []


def test_a_cancel_that_arrives_first_applies_when_its_target_arrives(store: AlertStore, fixtures: Path) -> None:
    cancel = ingest_file(store, fixtures / "cn_rainstorm_cancel.cap").outcomes[0]
    assert cancel.incident_id is None and cancel.effects == ()
    update = ingest_file(store, fixtures / "cn_rainstorm_update.cap").outcomes[0]
    assert store.alert_state(update.alert_id) == ("cancelled", cancel.alert_id)
    assert update.incident_id is None  # a withdrawn warning opens nothing


def test_status_moves_forward_with_who_and_when(store: AlertStore) -> None:
    incident_id = store.ingest(reading("P1", 30, 0)).incident_id or ""
    store.transition(incident_id, IncidentStatus.ACKNOWLEDGED, "值班员张三")
    store.transition(incident_id, IncidentStatus.HANDLING, "值班员张三", note="已通知燃气公司抢修")
    with pytest.raises(AssistantError, match="cannot become acknowledged"):
        store.transition(incident_id, IncidentStatus.ACKNOWLEDGED, "值班员李四")
    closed = store.transition(incident_id, IncidentStatus.CLOSED, "值班员李四")
    assert closed.status is IncidentStatus.CLOSED and closed.assignee == "值班员张三"
    events = store.events(incident_id)
    assert [(e.actor, e.action, e.from_status, e.to_status) for e in events] == [
        ("system", "created", None, "new"),
        ("值班员张三", "acknowledged", "new", "acknowledged"),
        ("值班员张三", "handling", "acknowledged", "handling"),
        ("值班员李四", "closed", "handling", "closed"),
    ]
    assert events[2].note == "已通知燃气公司抢修" and all(e.at.tzinfo for e in events)
    assert store.ingest(reading("P1", 35, 1)).incident_id != incident_id  # a closed incident is not reopened
    with pytest.raises(NotFoundError):
        store.transition("inc-missing", IncidentStatus.CLOSED, "x")
    with pytest.raises(AssistantError, match="--by"):
        store.transition(incident_id, IncidentStatus.CLOSED, " ")


def test_assigning_records_who_handed_the_incident_to_whom(store: AlertStore) -> None:
    incident_id = store.ingest(reading("P1", 30, 0)).incident_id or ""
    assigned = store.assign(incident_id, " 值班员李四 ", by="带班领导王五")
    assert assigned.assignee == "值班员李四" and assigned.status is IncidentStatus.NEW
    assert store.board_entry(incident_id).incident.assignee == "值班员李四"
    last = store.events(incident_id)[-1]
    assert (last.actor, last.action, last.note, last.to_status) == ("带班领导王五", "assigned", "值班员李四", None)
    with pytest.raises(AssistantError, match="assigned to"):
        store.assign(incident_id, "  ", by="王五")
    with pytest.raises(AssistantError, match="--by"):
        store.assign(incident_id, "李四", by="")
    store.transition(incident_id, IncidentStatus.CLOSED, "李四")
    with pytest.raises(AssistantError, match="is closed"):
        store.assign(incident_id, "张三", by="王五")
    with pytest.raises(NotFoundError):
        store.assign("inc-missing", "张三", by="王五")


def test_reopening_the_store_loses_nothing(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "alerts.db"
    with AlertStore(path) as store:
        ingest_file(store, fixtures / "cn_rainstorm.cap")
        ingest_file(store, fixtures / "readings.csv")
        incident_id = store.ingest(reading("P1", 30, 0)).incident_id or ""
        store.transition(incident_id, IncidentStatus.ACKNOWLEDGED, "张三")
        before = ([e.to_dict() for e in store.board()], store.counts(), store.events(incident_id))
        alert_ids = [a.alert_id for a in store.alerts_of(incident_id)]
    with AlertStore(path) as reopened:
        assert ([e.to_dict() for e in reopened.board()], reopened.counts(), reopened.events(incident_id)) == before
        restored = reopened.alert(alert_ids[0])
        assert restored.sensor is not None and restored.sensor.value == 30 and restored.colour is Colour.YELLOW
        # the next update after a restart still finds the alert it references
        update = ingest_file(reopened, fixtures / "cn_rainstorm_update.cap").outcomes[0]
        assert update.effects and update.incident_id is not None


def test_stored_alerts_round_trip(store: AlertStore, fixtures: Path) -> None:
    for name in ("cn_rainstorm.cap", "readings.csv", "cn_warning.json", "feed.atom"):
        for alert in parse_file(fixtures / name).alerts:
            store.ingest(alert)
            assert store.alert(alert.alert_id) == alert


def test_a_failing_message_leaves_no_partial_record(store: AlertStore) -> None:
    poison = dataclasses.replace(reading("P3", 45, 0), raw=None)  # type: ignore[arg-type]  # violates NOT NULL
    with pytest.raises(sqlite3.IntegrityError):
        store.ingest(poison)
    db = sqlite3.connect(store.path)
    # the incident and its 'created' event were written before the alert row failed: both rolled back
    assert db.execute("SELECT COUNT(*) FROM incidents").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM incident_events").fetchone()[0] == 0
    assert store.counts()["alerts"] == 0


def test_a_failing_batch_is_retried_message_by_message(store: AlertStore) -> None:
    poison = dataclasses.replace(reading("P3", 45, 0), raw=None)  # type: ignore[arg-type]
    outcomes = store.ingest_many([reading("P1", 30, 0), poison, reading("P2", 40, 0)])
    assert [o.alert_id for o in outcomes] == [reading("P1", 30, 0).alert_id, reading("P2", 40, 0).alert_id]
    assert store.counts() == {"alerts": 2, "incidents": 2, "open_incidents": 2, "rejections": 1}
    assert f"cannot store alert {poison.alert_id}: IntegrityError" in store.rejections()[0].problem


def test_refused_payloads_are_kept(store: AlertStore, fixtures: Path) -> None:
    with pytest.raises(AlertFormatError):
        ingest_file(store, fixtures / "malformed.cap")
    report = ingest_file(store, fixtures / "sensor_bad_fields.json")
    assert report.new == 1 and len(report.errors) == 8
    rejections = store.rejections()
    assert len(rejections) == 2
    assert "unknown sensor_type 'radon'" in rejections[0].problem
    assert "malformed XML" in rejections[1].problem
    kept = sqlite3.connect(store.path).execute("SELECT payload FROM rejections ORDER BY id").fetchone()[0]
    assert "BROKEN-1" in kept


def test_test_and_exercise_messages_are_stored_but_page_nobody(store: AlertStore, fixtures: Path) -> None:
    text = (fixtures / "cn_rainstorm.cap").read_text(encoding="utf-8").replace(">Actual<", ">Exercise<")
    report = ingest_payload(store, text, "exercise.cap")
    assert report.new == 1 and report.incident_ids == []


def test_board_ranks_colour_urgency_exceedance_closeness_recency(store: AlertStore) -> None:
    near_school = {"location": {"lat": 31.2316, "lon": 121.4806, "district": "滨江区"}}
    store.ingest(reading("FAR-YELLOW", 30, 0))  # yellow, 1.5x, far
    store.ingest(reading("NEAR-YELLOW", 30, 1, **near_school))  # yellow, 1.5x, next to the school
    store.ingest(reading("FAR-YELLOW-HIGH", 45, 2))  # yellow, 2.25x
    store.ingest(reading("ORANGE", 55, 3))  # orange beats any yellow
    store.ingest(reading("LATER-YELLOW", 30, 4))  # same as FAR-YELLOW but more recent
    titles = [e.incident.title.split(" ")[0] for e in store.board()]
    assert titles == ["ORANGE", "FAR-YELLOW-HIGH", "NEAR-YELLOW", "LATER-YELLOW", "FAR-YELLOW"]
    near = store.board(district="滨江区")[0]
    assert near.near_site == "测试小学" and near.near_site_km is not None and near.near_site_km < 0.1
    assert [e.incident.title.split(" ")[0] for e in store.board(colour="orange")] == ["ORANGE"]
    assert store.board(hazard="洪涝") == []
    first = store.board()[0].incident
    store.transition(first.incident_id, IncidentStatus.HANDLING, "张三")
    assert [e.incident.incident_id for e in store.board(status="handling")] == [first.incident_id]
    store.transition(first.incident_id, IncidentStatus.CLOSED, "张三")
    assert [e.incident.incident_id for e in store.board(status="closed")] == [first.incident_id]
    assert first.incident_id not in [e.incident.incident_id for e in store.board()]
    assert store.board(district="滨江") == []  # districts match exactly (an indexed equality)


def test_an_acknowledged_high_risk_incident_stays_above_new_lower_risk_ones(store: AlertStore) -> None:
    store.ingest(reading("ORANGE-ACKED", 55, 0))
    orange = store.board()[0].incident
    store.transition(orange.incident_id, IncidentStatus.ACKNOWLEDGED, "张三")
    store.transition(orange.incident_id, IncidentStatus.HANDLING, "张三")
    store.ingest(reading("NEW-YELLOW", 45, 1))
    store.ingest(reading("NEW-YELLOW-2", 30, 2))
    assert next(e.incident.title.split(" ")[0] for e in store.board()) == "ORANGE-ACKED"
