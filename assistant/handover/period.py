"""The period an officer asks a handover for, read the way they write it.

``--since`` takes an ISO time (with or without an offset: without one it is the centre's
``ui.utc_offset``), a clock time today ("08:00"; yesterday's when that is still ahead), or a span
back from now ("12h", "90m", "8小时"). Without it the shift starts where the last handover ended, or
12 hours ago.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from assistant.errors import AssistantError
from assistant.export.local_time import zone_of
from assistant.handover.model import Period

DEFAULT_SHIFT = timedelta(hours=12)
_SPAN = re.compile(r"^(\d+(?:\.\d+)?)\s*(h|小时|m|min|分钟|d|天)$", re.IGNORECASE)
_SPAN_UNITS = {"h": 3600, "小时": 3600, "m": 60, "min": 60, "分钟": 60, "d": 86400, "天": 86400}


def parse_moment(text: str, now: datetime, offset: str) -> datetime:
    value = text.strip()
    span = _SPAN.match(value)
    if span:
        return now - timedelta(seconds=float(span.group(1)) * _SPAN_UNITS[span.group(2).lower()])
    zone = zone_of(offset)
    if re.fullmatch(r"\d{1,2}:\d{2}", value):
        hour, minute = (int(part) for part in value.split(":"))
        local_now = now.astimezone(zone)
        try:
            moment = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        except ValueError:
            raise AssistantError(f"时间无效 / not a time of day: {value!r}") from None
        return moment - timedelta(days=1) if moment > local_now else moment
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise AssistantError(
            f"无法识别时间 {value!r}：请写成 2026-11-22 08:00、08:00 或 12h / cannot read the time {value!r}: "
            "write e.g. 2026-11-22 08:00, 08:00 or 12h"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def shift_period(
    since: str | None,
    until: str | None,
    next_hours: float,
    now: datetime,
    offset: str,
    last_end: datetime | None = None,
) -> Period:
    """[since, until) and the next shift's end (until + next_hours)."""
    end = parse_moment(until, now, offset) if until and until.strip() else now
    if since and since.strip():
        start = parse_moment(since, now, offset)
    elif last_end is not None and last_end < end:
        start = last_end
    else:
        start = end - DEFAULT_SHIFT
    if start >= end:
        raise AssistantError("交接时段的开始须早于结束 / the handover period must start before it ends")
    if not 0 < next_hours <= 72:
        raise AssistantError("下一班时长应在 0 到 72 小时之间 / the next shift must be between 0 and 72 hours")
    return Period(start, end, end + timedelta(hours=next_hours))
