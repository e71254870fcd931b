"""Times as the workspace shows them: in the centre's ``ui.utc_offset``, with the zone written out.

Stored times are UTC ("2026-12-07T00:37:27+00:00"); an officer reads "2026-12-07 08:37:27 UTC+8".
"""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.export.local_time import offset_label, zone_of


def shown(moment: datetime | str | None, offset: str, seconds: bool = True) -> str:
    """ "2026-12-07 08:37:27 UTC+8" (or without seconds); "" for no time."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone_of(offset))
    return f"{local:%Y-%m-%d %H:%M{':%S' if seconds else ''}} {offset_label(offset)}"


def clock(moment: datetime, offset: str) -> str:
    """ "08:37" in the centre's time (for lines where the date and zone are said once)."""
    return f"{moment.astimezone(zone_of(offset)):%H:%M}"
