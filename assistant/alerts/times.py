"""Alert times: stored in UTC, with the sender's original UTC offset kept for display.

Officers read local times ("14:20 北京时间") while grouping and ranking need one clock,
so every parser turns a time into ``(utc_datetime, "+08:00")`` through this module.
A time without an offset is refused: guessing the zone would silently shift alerts by hours.
"""

from __future__ import annotations

import email.utils
import math
import re
from datetime import UTC, datetime, timedelta, timezone

_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$", re.IGNORECASE)


class TimeFormatError(ValueError):
    """A time value we cannot place on the UTC clock; the message is shown to the sender."""


def _offset_text(dt: datetime, raw: str) -> str:
    match = _OFFSET.search(raw.strip())
    if match and match.group(1).upper() == "Z":
        return "Z"
    if match and ":" in match.group(1):
        return match.group(1)
    offset = dt.utcoffset()
    assert offset is not None
    total = int(offset.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def parse_time(value: object, field: str = "time") -> tuple[datetime, str]:
    """ISO 8601 with an offset, or epoch seconds/milliseconds, as (UTC datetime, original offset)."""
    if isinstance(value, bool) or value is None:
        raise TimeFormatError(f"{field} 缺失或无效 / {field} is missing or not a time: {value!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise TimeFormatError(f"{field} 不是有效时间 / {field} is not a finite number: {value!r}")
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC), "+00:00"
        except (OverflowError, OSError, ValueError):
            raise TimeFormatError(f"{field} 超出时间范围 / {field} is out of range: {value!r}") from None
    text = str(value).strip()
    if not text:
        raise TimeFormatError(f"{field} 为空 / {field} is empty")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise TimeFormatError(
            f"{field} 不是 ISO 8601 时间 / {field} is not an ISO 8601 time "
            f"(e.g. 2025-07-01T14:20:00+08:00): {text[:60]!r}"
        ) from None
    if parsed.tzinfo is None:
        raise TimeFormatError(f"{field} 缺少时区 / {field} has no UTC offset (add +08:00 or Z): {text[:60]!r}")
    return parsed.astimezone(UTC), _offset_text(parsed, text)


def parse_rfc822(value: str, field: str = "pubDate") -> tuple[datetime, str]:
    """RSS dates ("Wed, 11 Jun 2003 22:39:00 PDT"), which predate ISO 8601 in feeds."""
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return parse_time(value, field)
    if parsed.tzinfo is None:
        raise TimeFormatError(f"{field} 缺少时区 / {field} has no time zone: {value[:60]!r}")
    return parsed.astimezone(UTC), _offset_text(parsed, "")


def to_db(dt: datetime) -> str:
    """One fixed-width UTC text form, so SQLite compares times as strings."""
    return dt.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text)


def local_text(dt: datetime, offset: str) -> str:
    """The time as the sender wrote it, e.g. '2025-07-01 14:20 +08:00'."""
    if offset in ("Z", "+00:00", "-00:00"):
        return f"{dt:%Y-%m-%d %H:%M} UTC"
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":") if ":" in offset else (offset[1:3], offset[3:])
    zone = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    return f"{dt.astimezone(zone):%Y-%m-%d %H:%M} {offset}"
