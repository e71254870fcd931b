"""Tables as self-contained rows: each row repeats its column headers so it still means something alone.

A contact list row "2 | 公安报警 | 110" is useless in a search result; "单位名称：公安报警 |
联系电话：110" answers a question by itself. Whether the first row is a header is guessed:
all cells filled, short and distinct (forms with merged label cells are not).
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff]")


def looks_like_header(cells: list[str], next_row: list[str]) -> bool:
    """Filled, short, distinct cells, none merged down into the next row (a merged label column is not a header)."""
    filled = [cell for cell in cells if cell]
    return (
        len(cells) >= 2
        and len(filled) == len(cells)
        and len(set(filled)) == len(filled)
        and all(len(cell) <= 24 for cell in filled)
        and not any(a == b for a, b in zip(cells, next_row, strict=False))
    )


def row_text(header: list[str] | None, cells: list[str]) -> str:
    """One row as text; with a header, as "header：value" pairs (empty cells left out)."""
    if header is None or len(header) != len(cells):
        return " | ".join(cell for cell in cells if cell)
    pairs = []
    for name, value in zip(header, cells, strict=True):
        if not value:
            continue
        if not name or name == value:
            pairs.append(value)
        else:
            pairs.append(f"{name}：{value}" if _CJK.search(name) else f"{name}: {value}")
    return " | ".join(pairs)


def table_texts(rows: list[list[str]]) -> list[str]:
    """Texts of a table's rows; a detected header row is folded into every data row instead of standing alone."""
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    header = rows[0] if len(rows) > 1 and looks_like_header(rows[0], rows[1]) else None
    body = rows[1:] if header is not None else rows
    return [text for text in (row_text(header, row) for row in body) if text]
