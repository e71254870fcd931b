"""Issuing a draft's actions as tasks, moving them forward, notes, overdue marks and the board's counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from assistant.alerts.store import AlertStore
from assistant.errors import AssistantError, NotFoundError
from assistant.tasks import Clock, DueKind, TaskStatus, TaskStore
from tests.tasks.conftest import LIMITS, draft_for

RESPONSE = [4, 5, 6, 7]  # the four response actions of draft_for(): after one action in each of three stages


def test_issuing_all_actions_records_due_times_links_and_events(
    tasks: TaskStore, alerts: AlertStore, clock: Clock, incident_id: str, audit_log: list
) -> None:
    draft = draft_for(incident_id)
    issued, skipped = tasks.issue(draft, version=2, by="张伟")
    assert skipped == [] and len(issued) == 9 and [t.action_no for t in issued] == list(range(1, 10))
    response = {t.text: t for t in issued if t.action_no in RESPONSE}
    at_once, by_30, after, by_2h = (response[text] for text, _, _ in LIMITS)
    assert all(t.issued_at == at_once.issued_at and t.issued_at <= clock.now() for t in issued)
    assert (at_once.due_kind, at_once.due_at) == (DueKind.AT_ONCE, at_once.issued_at)
    assert by_30.due_at == by_30.issued_at + timedelta(minutes=30) and by_30.time_limit == "接报后30分钟内到场"
    assert (after.due_kind, after.due_at, after.deadline_at) == (DueKind.EVENT, None, None)
    assert by_2h.due_at == by_2h.issued_at + timedelta(hours=2)
    assert {(t.incident_id, t.draft_id, t.draft_version, t.status) for t in issued} == {
        (incident_id, "d-gas", 2, TaskStatus.ISSUED)
    }
    events = [e for e in alerts.events(incident_id) if e.action == "task.issued"]
    assert len(events) == 9 and all(e.actor == "张伟" and e.task_id for e in events)
    assert f"T{by_30.task_id} 燃气企业抢修人员：关闭泄漏点上游阀门切断气源（接报后30分钟内到场）" in [
        e.note for e in events
    ]
    assert audit_log[-1][0] == "task.issued" and audit_log[-1][1]["subject"] == incident_id


def test_issuing_twice_or_chosen_actions_never_duplicates(tasks: TaskStore, incident_id: str) -> None:
    draft = draft_for(incident_id)
    first, _ = tasks.issue(draft, 1, "张伟", numbers=[5, 7])
    assert [t.action_no for t in first] == [5, 7]
    again, skipped = tasks.issue(draft, 2, "李娜")  # the same actions from the next version
    assert skipped == [5, 7] and [t.action_no for t in again] == [1, 2, 3, 4, 6, 8, 9]
    assert len(tasks.of_incident(incident_id)) == 9
    with pytest.raises(AssistantError, match="没有第 12 项措施"):
        tasks.issue(draft, 2, "李娜", numbers=[12])


def test_a_draft_without_incident_or_officer_is_refused(tasks: TaskStore, incident_id: str) -> None:
    with pytest.raises(AssistantError, match="未关联事件"):
        tasks.issue(replace(draft_for(incident_id), incident_id=None), 1, "张伟")
    with pytest.raises(AssistantError, match="--by"):
        tasks.issue(draft_for(incident_id), 1, " ")
    with pytest.raises(NotFoundError):
        tasks.issue(draft_for("no-such-incident"), 1, "张伟")


def test_statuses_move_forward_only_and_waiving_needs_a_reason(
    tasks: TaskStore, alerts: AlertStore, incident_id: str
) -> None:
    issued, _ = tasks.issue(draft_for(incident_id), 1, "张伟", numbers=RESPONSE)
    one, two, three, _ = issued
    assert tasks.acknowledge(one.task_id, "李娜").status is TaskStatus.ACKNOWLEDGED
    assert tasks.start(f"T{one.task_id}", "李娜").status is TaskStatus.IN_PROGRESS
    done = tasks.done(one.task_id, "李娜", note="已电话通知区应急局值班室")
    assert done.status is TaskStatus.DONE and done.done_at is not None and done.deadline_at is None
    with pytest.raises(AssistantError, match=r"不能改为.*cannot become"):
        tasks.acknowledge(one.task_id, "李娜")  # done is final
    with pytest.raises(AssistantError, match="不能改为"):
        tasks.waive(one.task_id, "李娜", "重复")
    assert tasks.done(two.task_id, "王强").status is TaskStatus.DONE  # a unit may report done straight away
    with pytest.raises(AssistantError, match="免除任务须写明理由"):
        tasks.waive(three.task_id, "王强", "  ")
    waived = tasks.waive(three.task_id, "王强", "建筑未受冲击，无需评估")
    assert waived.status is TaskStatus.WAIVED and waived.waive_reason == "建筑未受冲击，无需评估"
    with pytest.raises(NotFoundError):
        tasks.done("T999", "王强")
    with pytest.raises(AssistantError, match="T12 或 12"):
        tasks.done("task-four", "王强")
    history = [(e.action, e.actor) for e in tasks.history(one.task_id)]
    assert history == [
        ("task.issued", "张伟"),
        ("task.acknowledged", "李娜"),
        ("task.in_progress", "李娜"),
        ("task.done", "李娜"),
    ]
    assert "已电话通知区应急局值班室" in tasks.history(one.task_id)[-1].note
    assert alerts.events(incident_id)[-1].note.endswith("建筑未受冲击，无需评估")


def test_notes_keep_time_and_author(tasks: TaskStore, clock: Clock, incident_id: str) -> None:
    task = tasks.issue(draft_for(incident_id), 1, "张伟", numbers=[5])[0][0]
    clock.advance(timedelta(minutes=12))
    tasks.note(task.task_id, "抢修班长老周", "已到场，正在关阀")
    note = tasks.history(task.task_id)[-1]
    assert (note.action, note.actor) == ("task.note", "抢修班长老周") and "已到场，正在关阀" in note.note
    assert note.at - task.issued_at >= timedelta(minutes=12)
    with pytest.raises(AssistantError, match="反馈内容为空"):
        tasks.note(task.task_id, "老周", "")


def test_overdue_follows_the_injected_clock(
    tasks: TaskStore, alerts: AlertStore, clock: Clock, incident_id: str
) -> None:
    at_once, by_30, after, by_2h = tasks.issue(draft_for(incident_id), 1, "张伟", numbers=RESPONSE)[0]
    now = clock.now()
    # 立即: overdue until a unit takes it up; the others are not due yet.
    assert [t.overdue(now + timedelta(seconds=1)) for t in (at_once, by_30, after, by_2h)] == [
        True,
        False,
        False,
        False,
    ]
    counts = alerts.board_entry(incident_id, now=now + timedelta(seconds=1)).tasks
    assert counts is not None and (counts.total, counts.done, counts.overdue) == (4, 0, 1)
    assert counts.next_deadline == at_once.due_at
    tasks.acknowledge(at_once.task_id, "李娜")
    counts = alerts.board_entry(incident_id, now=clock.now()).tasks
    assert counts is not None and counts.overdue == 0 and counts.next_deadline == by_30.due_at
    later = clock.advance(timedelta(minutes=31))
    entry = alerts.board(now=later)[0]
    assert entry.tasks is not None and (entry.tasks.overdue, entry.tasks.next_deadline) == (1, by_30.due_at)
    assert [t.task_id for t in tasks.open_with_deadline_before(later)] == [by_30.task_id]
    late = tasks.done(by_30.task_id, "王强")
    assert late.late and "逾期" in tasks.history(by_30.task_id)[-1].note
    clock.advance(timedelta(days=30))  # a limit that names an event never turns overdue
    entry = alerts.board(now=clock.now())[0]
    assert entry.tasks is not None and (entry.tasks.done, entry.tasks.total, entry.tasks.overdue) == (1, 4, 1)
    assert [t.task_id for t in tasks.open_with_deadline_before(clock.now())] == [by_2h.task_id]


def test_the_clock_never_goes_back() -> None:
    with pytest.raises(ValueError, match="cannot go backwards"):
        Clock().advance(timedelta(minutes=-1))
