"""When a report is due, counted from the incident's first alert, and how the officer stands against it.

- 首报 under a "within" rule (1小时内): due at first alert + the minutes; under an "every" rule
  (两小时一报): due one interval after the first alert; under "立即": due at once, and the clause gives
  no minutes, so the officer sees the time elapsed, not a countdown.
- 续报 under an "every" rule: one interval after the last report sent; other rules set no deadline
  for follow-ups (the clauses say "及时续报").
- 终报: no shipped clause sets one.
Once the report is sent, the state says whether it went on time.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from assistant.reports.limits import LimitMode
from assistant.reports.model import ReportKind, RuleRef


class DueState(enum.StrEnum):
    RUNNING = "running"  # due in the future
    OVERDUE = "overdue"
    AT_ONCE = "at_once"  # "立即": no minutes stated
    ON_TIME = "on_time"  # sent before the deadline
    LATE = "late"  # sent after it
    SENT = "sent"  # sent; no deadline applied
    NONE = "none"  # no rule sets a deadline for this report


@dataclass(frozen=True)
class Due:
    state: DueState
    due_at: datetime | None = None
    seconds: int | None = None  # left (RUNNING), past (OVERDUE, LATE), elapsed since the first alert (AT_ONCE)


def due_at(
    rule: RuleRef | None, kind: ReportKind, first_alert: datetime, last_sent: datetime | None
) -> datetime | None:
    """The moment this kind of report is due under ``rule``; None when the rule sets none (or at once)."""
    if rule is None or rule.minutes is None:
        return None
    interval = timedelta(minutes=rule.minutes)
    if kind is ReportKind.INITIAL and rule.mode in (LimitMode.WITHIN.value, LimitMode.EVERY.value):
        return first_alert + interval
    if kind is ReportKind.FOLLOWUP and rule.mode == LimitMode.EVERY.value:
        return (last_sent or first_alert) + interval
    return None


def standing(
    rule: RuleRef | None,
    kind: ReportKind,
    first_alert: datetime,
    now: datetime,
    sent_at: datetime | None = None,
    last_sent: datetime | None = None,
) -> Due:
    """Where the report stands against its deadline at ``now`` (or when it was sent)."""
    due = due_at(rule, kind, first_alert, last_sent)
    if sent_at is not None:
        if due is None:
            return Due(DueState.SENT)
        late = int((sent_at - due).total_seconds())
        return Due(DueState.LATE if late > 0 else DueState.ON_TIME, due, max(late, 0))
    if rule is not None and rule.mode == LimitMode.AT_ONCE.value and kind is ReportKind.INITIAL:
        return Due(DueState.AT_ONCE, first_alert, int((now - first_alert).total_seconds()))
    if due is None:
        return Due(DueState.NONE)
    left = int((due - now).total_seconds())
    return Due(DueState.RUNNING, due, left) if left >= 0 else Due(DueState.OVERDUE, due, -left)
