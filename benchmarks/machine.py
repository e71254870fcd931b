"""The machine around a benchmark: how busy other processes keep the CPU.

Several people share the benchmark machine. Their work takes cycles from whichever
measurement runs at that moment, so benchmarks wait for a quiet moment before each
timed run and report how much of the CPU others used meanwhile.
"""

from __future__ import annotations

import time
from pathlib import Path

QUIET_SHARE = 0.15  # start a measurement once other processes use less than this share of the CPU ...
QUIET_WAIT_S = 600.0  # ... or after waiting this long


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]  # guest is in user
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def wait_for_quiet(limit_s: float = QUIET_WAIT_S) -> float:
    """Wait (up to ``limit_s``) until other processes use under QUIET_SHARE of the cores; returns their share.

    Other people's work on the same cores takes cycles from whichever configuration runs at that moment;
    waiting for a quiet moment before each one keeps the comparison about our code.
    """
    deadline = time.monotonic() + limit_s
    while True:
        busy0, total0 = machine_jiffies()
        time.sleep(3)
        busy1, total1 = machine_jiffies()
        share = (busy1 - busy0) / max(1, total1 - total0)
        if share < QUIET_SHARE or time.monotonic() > deadline:
            return share
