"""Numbers as alerts write them: "260", "1,200", "两", "二十三", "1.2万", "约150"."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMBER = r"[零〇一二两三四五六七八九十百千]+"
NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|{CN_NUMBER})(?:\s*万)?"
_EN_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "a": 1, "an": 1, "half an": 0.5,
}  # fmt: skip


def cn_to_int(text: str) -> int | None:
    """一百二十 → 120, 十五 → 15, 两 → 2; None when ``text`` is not a Chinese numeral."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


def parse_number(text: str) -> float | None:
    """A number matched by ``NUMBER`` (Arabic or Chinese, optionally ×万); None if it is not one."""
    text = text.strip()
    scale = 1
    if text.endswith("万"):
        scale, text = 10000, text[:-1].strip()
    try:
        return float(text.replace(",", "")) * scale
    except ValueError:
        value = cn_to_int(text)
        return float(value * scale) if value is not None else None


def parse_english_count(text: str) -> float | None:
    """ "15", "one", "two" (durations and counts written out in English alerts)."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    value = _EN_WORDS.get(text)
    return float(value) if value is not None else None
