"""The one "now" that deadlines are measured against.

Tasks, the board's overdue marks and the handover period all ask this clock, never
``datetime.now`` directly, so a drill or a test can move time forward (``advance``)
and watch a task go overdue without waiting for it.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    """UTC now, plus an offset that only drills and tests move."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move this clock forward (a drill's or test's fast-forward); returns the new now."""
        if delta < timedelta(0):
            raise ValueError("时钟不能倒退 / the clock cannot go backwards")
        with self._lock:
            self._offset += delta
        return self.now()
