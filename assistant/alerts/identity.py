"""Alert identity: the same message received twice must map to the same id.

CAP identifies a message by sender + identifier (CAP 1.2 §3.2.1), and references other
messages as "sender,identifier,sent" triples; a sensor reading is identified by its
point, sensor type and time. Ids are short hashes of those parts so they are safe in
URLs and CLI arguments and stable across restarts and re-imports.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from assistant.alerts.times import to_db


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def message_id(sender: str, identifier: str) -> str:
    """Id of a CAP-like message (CAP, Chinese warning signals, feed entries)."""
    return "msg-" + _digest("msg", sender.strip(), identifier.strip())


def reading_id(point_id: str, sensor_type: str, time: datetime) -> str:
    """Id of one sensor reading; the sensor type is part of it because one point may carry several sensors."""
    return "rd-" + _digest("reading", point_id.strip(), sensor_type, to_db(time))


def reference_ids(references: tuple[str, ...]) -> list[str]:
    """Message ids named by CAP reference triples "sender,identifier,sent"."""
    ids = []
    for triple in references:
        parts = triple.split(",")
        if len(parts) >= 2:
            ids.append(message_id(parts[0], parts[1]))
    return ids


def incident_id(group_key: str, first_seen: datetime) -> str:
    return "inc-" + _digest("incident", group_key, to_db(first_seen))[:12]
