"""Column widths fitted to a table's text, so the same content takes the fewest lines.

A row is as tall as its tallest cell: when a narrow 依据 column wraps a source name over
six lines beside a two-line action, the whole row pays for it. Fitting moves width
between columns, a step at a time, while the estimated table height goes down, never
taking a column below its ``min_share`` or below what its longest unbreakable word
(a number, a Latin word) and two characters of its header need.

The estimate counts characters per line as Word and LibreOffice set Chinese text: every
character one em wide, Latin letters and digits half an em (``title_lines.text_width``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.export.document import Table
from assistant.export.title_lines import text_width

PT_MM = 25.4 / 72
STEPS = (0.08, 0.04, 0.02, 0.01, 0.005)  # shares of the table width moved at a time, coarse to fine
CODE_EMS = 5.0  # a column whose every text is at most this wide holds codes, kept on one line
SLACK_MM = 0.5  # rounding to whole twips and the word processor's own measure must not push a code onto two lines
_UNBREAKABLE = re.compile(r"[A-Za-z0-9\[\]().,%:/+-]+")


@dataclass(frozen=True)
class TableType:
    """Sizes (pt) and pitches (pt) of a table's text and of its small second lines, and the cell padding."""

    size: float
    pitch: float
    note_size: float
    note_pitch: float
    padding_mm: float


def _heights(ems: np.ndarray, widths_mm: np.ndarray, size: float, pitch: float, at_least: int) -> np.ndarray:
    """Heights (pt) of texts ``ems`` wide (rows) at each of ``widths_mm``: an array [width, row]."""
    per_line = np.maximum(1, np.floor(widths_mm / (size * PT_MM)))[:, None]
    lines = np.ceil(ems[None, :] / per_line)
    return np.maximum(lines, at_least) * pitch


def _least_share(texts: list[str], header: str, total_mm: float, kind: TableType, size: float) -> float:
    """Two characters of the header, the longest word that cannot be broken (an English header's too) and, in a
    column of short codes (小循环, 待核实), the longest code: a code broken over two lines reads as two words."""
    words = [m.group(0) for t in (*texts, header) for m in _UNBREAKABLE.finditer(t)]
    widest = max((text_width(t) for t in texts), default=0.0)
    codes = widest if widest <= CODE_EMS else 0.0
    ems = max([min(text_width(header), 2.0), codes, *(text_width(w) for w in words)])
    return (ems * size * PT_MM + kind.padding_mm + SLACK_MM) / total_mm


def _within_floors(start: np.ndarray, floors: np.ndarray) -> np.ndarray:
    """``start`` raised to ``floors``, the width that takes coming from the columns above their floors."""
    shares = np.maximum(start, floors)
    slack = shares - floors
    excess = shares.sum() - 1
    if excess > 0 and slack.sum() > excess:
        return shares - slack * excess / slack.sum()
    return shares / shares.sum()  # the floors alone overfill the width: share it out in their proportions


def fitted_shares(table: Table, total_mm: float, kind: TableType) -> list[float]:
    """Shares of ``total_mm`` per column that minimise the estimated height of ``table``'s cell rows."""
    columns = table.columns
    start = np.array([c.share for c in columns], dtype=float)
    start /= start.sum()
    rows = [row for row in table.rows if isinstance(row, tuple)]
    if not rows:
        return list(start)
    sizes = [(kind.note_size, kind.note_pitch) if c.small else (kind.size, kind.pitch) for c in columns]
    floors = np.array(
        [
            max(column.min_share, _least_share([row[i].text for row in rows], column.header, total_mm, kind, size))
            for i, (column, (size, _)) in enumerate(zip(columns, sizes, strict=True))
        ]
    )

    def note_width(note: str) -> float:  # notes printed across the row do not depend on the columns' widths
        return 0.0 if table.notes_across else text_width(note)

    grid = 0.005  # heights are tabulated per half per cent of the width
    inner = np.maximum(np.arange(0, 1 + grid / 2, grid) * total_mm - kind.padding_mm, 0.1)
    # heights[c, k, r]: height of row r's cell in column c when the column is k * grid of the width
    heights = np.array(
        [
            _heights(np.array([text_width(row[c].text) for row in rows]), inner, *sizes[c], 1)
            + _heights(np.array([note_width(row[c].note) for row in rows]), inner, kind.note_size, kind.note_pitch, 0)
            for c in range(len(columns))
        ]
    )
    last = len(inner) - 1

    def cost(shares: np.ndarray) -> float:
        index = np.clip(np.floor(shares / grid + 1e-9).astype(int), 0, last)
        return float(heights[np.arange(len(columns)), index].max(axis=0).sum())

    shares = _within_floors(start, floors)
    best = cost(shares)
    for step in STEPS:
        improved = True
        while improved:
            improved = False
            for giver in range(len(columns)):
                for taker in range(len(columns)):
                    if taker == giver or shares[giver] - step < floors[giver] - 1e-9:  # shares change as it gives
                        continue
                    trial = shares.copy()
                    trial[giver] -= step
                    trial[taker] += step
                    if (value := cost(trial)) < best - 1e-6:
                        shares, best, improved = trial, value, True
    return [float(s) for s in shares]
