"""Times in documents, written the way an officer reads them: local to the operations centre.

Drafts store UTC; a document printed for the duty leader must say "2026年8月3日 9时12分"
(Chinese) or "3 Aug 2026 09:12 (UTC+8)" (English) in the centre's ``ui.utc_offset``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _parts(offset: str) -> tuple[str, str, str]:
    match = _OFFSET.match(offset)
    if not match:
        raise ValueError(f"UTC 偏移格式应为 +08:00 / UTC offset must look like +08:00, got {offset!r}")
    sign, hours, minutes = match.groups()
    return sign, hours, minutes


def zone_of(offset: str) -> timezone:
    """'+08:00' -> UTC+8; raises ValueError on anything else (settings validate the same pattern)."""
    sign, hours, minutes = _parts(offset)
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def _local(moment: datetime, offset: str) -> datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # stored times without a zone are UTC
    return aware.astimezone(zone_of(offset))


def offset_label(offset: str) -> str:
    """'+08:00' -> 'UTC+8', '+05:30' -> 'UTC+5:30', '+00:00' -> 'UTC'."""
    sign, hours, minutes = _parts(offset)
    if hours == "00" and minutes == "00":
        return "UTC"
    return f"UTC{sign}{int(hours)}" + (f":{minutes}" if minutes != "00" else "")


def local_date(moment: datetime, offset: str, lang: str) -> str:
    """The date line of a document: '2026年8月3日' or '3 Aug 2026'."""
    day = _local(moment, offset)
    if lang == "en":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def local_time(moment: datetime, offset: str, lang: str) -> str:
    """Date and time: '2026年8月3日 9时12分' or '3 Aug 2026 09:12 (UTC+8)'."""
    when = _local(moment, offset)
    if lang == "en":
        return f"{local_date(moment, offset, lang)} {when:%H:%M} ({offset_label(offset)})"
    return f"{local_date(moment, offset, lang)} {when.hour}时{when.minute:02d}分"


# How drafts and alerts stamp a moment in running text: '2026-11-22 09:28（UTC+08:00）', '2026-11-22T09:28 (UTC+08:00)'.
_STAMPED = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?\s*[（(]UTC([+-]\d{2}:\d{2})[）)]")


def local_times_in(text: str, offset: str, lang: str) -> str:
    """Stamped moments in ``text`` rewritten as ``local_time`` writes them, in the centre's offset."""

    def local(match: re.Match[str]) -> str:
        day, clock, zone = match.groups()
        return local_time(datetime.fromisoformat(f"{day}T{clock}{zone}"), offset, lang)

    return _STAMPED.sub(local, text)
