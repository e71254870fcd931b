"""Due times read from the actions' own time limits: durations, at once, and limits that name an event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant.tasks.due import DueKind, parse_due

ISSUED = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("limit", "minutes"),
    [
        ("30分钟内", 30),
        ("接报后30分钟内完成初判并报告", 30),
        ("接到报警后20分钟到达现场", 20),
        ("二十分钟内到场", 20),
        ("半小时内", 30),
        ("2小时内", 120),
        ("24小时内", 24 * 60),
        ("1小时内报告，每级上报不超过2小时", 60),  # the first report's bound
        ("一般、较大4小时内；重大以上2小时内", 120),  # several bounds by level: the shortest
        ("自事故发生之日起45日内", 45 * 24 * 60),  # the incident itself started the clock
        ("within 1 hour", 60),
        ("report within 2 hours", 120),
        ("within 30 minutes", 30),
        ("within the 4-hour or 12-hour limit", 240),
        ("2 hours per level at most", 120),
    ],
)
def test_a_stated_duration_counts_from_issue(limit: str, minutes: int) -> None:
    due = parse_due(limit)
    assert due.kind is DueKind.BY
    assert due.due_at(ISSUED) == ISSUED + minutes * MINUTE


@pytest.mark.parametrize(
    "limit",
    [
        "立即",
        "接警后立即",
        "接警后立即电话通知",
        "预警发布后立即复核",  # the warning is what was received: it is already issued
        "红色预警发布后立即",
        "事发后第一时间发布简要信息",
        "immediately",
        "at once",
        "out at once, until the response ends",
        "as soon as the warning is issued",
        "by phone the moment the alarm arrives",
    ],
)
def test_at_once_is_due_at_issue(limit: str) -> None:
    due = parse_due(limit)
    assert due.kind is DueKind.AT_ONCE
    assert due.due_at(ISSUED) == ISSUED


@pytest.mark.parametrize(
    "limit",
    [
        "处置结束后",
        "退水后",
        "到场后立即",  # at once, but counted from an arrival that has not happened
        "先到场人员立即设置",
        "险情控制后开展",
        "浓度达到第二报警阈值时立即",  # a condition, not a clock
        "达到红色阈值即刻",
        "批复后一年内",  # a duration counted from another event
        "接报当日",
        "接警后当班落实",
        "两小时一报",  # a reporting rhythm, not a deadline
        "按所引条款",
        "",
        "on arrival",
        "after the response",
        "as soon as the rescuers arrive",
        "immediately after arrival",
        "within a year of approval",
        "for 7 days after the accident",
    ],
)
def test_a_limit_that_names_an_event_has_no_clock_due_time(limit: str) -> None:
    due = parse_due(limit)
    assert due.kind is DueKind.EVENT
    assert due.due_at(ISSUED) is None
