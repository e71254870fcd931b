"""Break a long document title into balanced lines, as GB/T 9704 §7.3.1 asks.

A title that does not fit one line is set as a trapezoid: lines of similar length, never
breaking inside brackets, a number or a Latin word, nor leaving punctuation at a line
start. Word and LibreOffice would otherwise break wherever the line runs out
("（示" / "例）").
"""

from __future__ import annotations

import math
from itertools import combinations, pairwise

OPENING = "（【《“‘(["  # never last on a line
CLOSING = "）】》”’，。、；：！？)]"  # never first on a line
GOOD_ENDINGS = "的）》”、，"  # a line that ends here reads as a whole phrase
BRACKETS = {"（": "）", "【": "】", "《": "》", "(": ")"}  # nothing inside them is broken


def text_width(text: str) -> float:
    """Width in characters of the font size: CJK and full-width forms 1, Latin letters and digits 1/2,
    plus the quarter space Word and LibreOffice put between Chinese and Latin text ("中山路 12 号")."""
    width = sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)
    return width + 0.25 * sum(
        1 for a, b in pairwise(text) if _is_latin(a) != _is_latin(b) and a.isalnum() and b.isalnum()
    )


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _break_allowed(title: str) -> list[bool]:
    """allowed[i]: a line may start at index i."""
    allowed = [False] * (len(title) + 1)
    depth = 0
    for i, ch in enumerate(title):
        if i > 0:
            before = title[i - 1]
            latin_run = before.isascii() and before.isalnum() and ch.isascii() and ch.isalnum()
            allowed[i] = depth == 0 and not latin_run and ch not in CLOSING and before not in OPENING
        if ch in BRACKETS:
            depth += 1
        elif ch in BRACKETS.values():
            depth = max(depth - 1, 0)
    return allowed


def _cost(title: str, cuts: tuple[int, ...], capacity: float) -> float:
    """Widest line plus two characters for each break at a poor place; inf when a line overflows."""
    bounds = (0, *cuts, len(title))
    widths = [text_width(title[a:b]) for a, b in pairwise(bounds)]
    if max(widths) > capacity:
        return math.inf
    poor = 2 * sum(1 for cut in cuts if title[cut - 1] not in GOOD_ENDINGS)
    return max(widths) + poor + (0.1 if widths[0] > widths[-1] else 0)  # ties: 上短下长


def title_lines(title: str, capacity: float) -> list[str]:
    """The title in as few lines as fit ``capacity`` characters, even and broken at good places."""
    if text_width(title) <= capacity:
        return [title]
    allowed = [i for i, ok in enumerate(_break_allowed(title)) if ok and 0 < i < len(title)]
    for lines in range(math.ceil(text_width(title) / capacity), 4):
        options = [(_cost(title, cuts, capacity), cuts) for cuts in combinations(allowed, lines - 1)]
        cost, cuts = min(options, default=(math.inf, ()))
        if cost < math.inf:
            bounds = (0, *cuts, len(title))
            return [title[a:b] for a, b in pairwise(bounds)]
    return [title]  # no clean break fits: let the word processor wrap it
