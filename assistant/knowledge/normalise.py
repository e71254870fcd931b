"""One text normalisation for every loader, so the same sentence is indexed the same way from any format.

Why not plain NFKC: NFKC also turns Chinese full-width punctuation (，：；（）！？) into ASCII and
the Roman numerals of response grades (Ⅰ级, Ⅳ级) into Latin letters. Both are kept, because
officers read chunks verbatim in citations. Why more than NFKC: PDFs made by Chromium with
Noto CJK fonts map some simplified characters to look-alike radicals (⻔ for 门, ⻛ for 风) that
NFKC leaves alone, and map a few others (⼾, ⾭, ⿈) to radicals whose NFKC form is the
traditional character. Query text should go through the same function before lexical search.
"""

from __future__ import annotations

import re
import unicodedata

# Radicals that stand for a whole simplified character when a PDF font shares the glyph.
_RADICAL_LOOKALIKES: dict[str, str] = {
    "⺝": "月",
    "⺠": "民",
    "⺩": "王",
    "⺼": "月",
    "⻄": "西",
    "⻅": "见",
    "⻆": "角",
    "⻉": "贝",
    "⻋": "车",
    "⻓": "长",
    "⻔": "门",
    "⻘": "青",
    "⻙": "韦",
    "⻚": "页",
    "⻛": "风",
    "⻜": "飞",
    "⻝": "食",
    "⻢": "马",
    "⻣": "骨",
    "⻤": "鬼",
    "⻥": "鱼",
    "⻦": "鸟",
    "⻧": "卤",
    "⻨": "麦",
    "⻩": "黄",
    "⻪": "黾",
    "⻬": "齐",
    "⻮": "齿",
    "⻰": "龙",
    # Kangxi radicals whose NFKC form is the traditional character, not the simplified one meant.
    "⼾": "户",
    "⾭": "青",
    "⿈": "黄",
}
_RADICAL_TABLE = str.maketrans(_RADICAL_LOOKALIKES)

# Characters NFKC would rewrite but that carry meaning or appearance officers expect to see.
_KEEP = "，：；！？（）" + "".join(chr(c) for c in range(0x2160, 0x2180))
_KEEP_SPLIT = re.compile(f"([{re.escape(_KEEP)}]+)")

# Invisible characters that break matching: zero-width space/joiners, word joiner, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """Canonical form of document text: look-alikes mapped, NFKC, tidy spaces, paragraph breaks kept.

    Lines are stripped and inner runs of spaces become one space; a blank line (paragraph
    break) survives, longer runs of blank lines shrink to one.
    """
    text = text.translate(_RADICAL_TABLE).translate(_INVISIBLE)
    text = "".join(
        part if index % 2 else unicodedata.normalize("NFKC", part) for index, part in enumerate(_KEEP_SPLIT.split(text))
    )
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")
