"""Recognising numbered headings in Chinese and English plans, where numbering is the only structure.

Scraped and exported plans mark sections only by numbering: 第三章, 第十条, 一、, （一）, 1.,
1、, 1.1, 1.1.1, （1）, "2.3 Response levels". This module says whether a line starts with
such a heading and splits it from text that follows on the same line ("4.5一级应急响应
当市气象局发布…" is a heading and a paragraph). Whether a candidate really is a heading
also depends on the headings before it; ``chunking`` decides that with a stack.

False positives are the risk: a numbered sentence ("1. 各单位要……。") is a list item, a
table-of-contents line ("1.1 总则 ........ 3") is skipped, and "2021年", "3.5米" or
"17 September 2021" are numbers, not headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER = "[一二三四五六七八九十百零〇两]+"
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}

# Styles that may stand without a title ("第十条" followed by its text).
BARE_STYLES = frozenset({"part", "chapter", "section", "article"})

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ordinal", re.compile(rf"^第\s*({_CN_NUMBER}|\d{{1,3}})\s*(章|节|条|部分|篇|编)")),
    ("annex", re.compile(r"^(附件|附录)\s*(?:(\d{1,2}|[一二三四五六七八九十]{1,3})|(?=[\s:：、.]|$))[:：、.]?")),
    ("cn_num", re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.]")),
    ("cn_paren", re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]")),
    ("num_paren", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]")),
    ("num_rparen", re.compile(r"^(\d{1,2})\s*[）)]")),
    ("num_comma", re.compile(r"^(\d{1,2})\s*、")),
    ("decimal", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})(\.?)(?=\s|[\u3400-\u9fff\u2160-\u217f（《“]|$)")),
    (
        "english",
        re.compile(
            r"^(Chapter|CHAPTER|Section|SECTION|Article|ARTICLE|Part|PART|Annex|ANNEX|Appendix|APPENDIX)\s+(\d{1,3}|[IVXLC]{1,6}|[A-Z])\b[.:]?"
        ),
    ),
)
_ORDINAL_STYLE = {"章": "chapter", "节": "section", "条": "article", "部分": "part", "篇": "part", "编": "part"}

_CLAUSE_PUNCT = re.compile(r"[，。；！？：,;!?:]")
# A number followed by a unit is a quantity, not a heading ("3.5米", "2人死亡", "20时"); the lookaheads keep
# headings that merely start with the same character ("分级响应", "台风", "次生灾害", "项目概况", "名词术语").
_UNIT_START = re.compile(
    r"^(?:[年月日秒米厘毫千万亿元个座辆艘吨倍级号届岁%‰℃]|时(?![期代效段])|分(?![级类工析区批布配管散])"
    r"|项(?!目)|次(?!生)|名(?![称词])|户(?![外籍])|台(?![风账湾])|度(?!汛)|期(?!间)|批(?![准复])"
    r"|人(?![员力民身口群工才事防大类文])|km|mm|cm|kg|m\b|h\b)"
)
_UNIT_AFTER_SPACE = re.compile(r"^[年月日米厘毫万亿元%‰℃]")
# Where a heading's title ends when text follows on its line: a space, or a glued next number ("奖惩8.2 预案管理").
_TITLE_END = re.compile(r"\s+|(?<=[\u4e00-\u9fff])(?=\d{1,2}\.\d{1,2})")
_EN_VERB = re.compile(
    r"\b(?:is|are|was|were|been|has|have|had|will|would|shall|should|must|can|could|did|does|may|might)\b"
)
_EN_DANGLING = re.compile(r"\b(?:the|a|an|and|or|of|to|with|for|in|on|at|by|from|that|which|two)$")
_MONTHS = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
)
_TOC_LINE = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|(?:\. ){3,}|-{4,}|_{4,})\s*\d{1,4}$")
_TOC_TITLE = re.compile(r"^(?:目\s*录|contents|table of contents)$", re.IGNORECASE)
_MAX_CJK_TITLE = 30
_MAX_EN_TITLE = 90
_MAX_LEAD_IN = 80
# A run-in heading: a short first sentence, then (maybe) the section text ("（一）编制目的。为了……").
# Styles whose short sentence alone on a line ("4.2 一级应急响应。") is a heading; for （1） or 1、 it is a list item.
_STANDALONE_RUN_IN = frozenset({"cn_num", "cn_paren", "dec1", "dec2", "dec3", "dec4", "dec5"})
_RUN_IN = re.compile(r"^([^，。；：,;:\s]{1,15})。\s*(.*)$")


@dataclass(frozen=True)
class HeadingMatch:
    """A heading candidate at the start of a line; ``rest`` is what follows it on the same line."""

    style: str  # numbering family: chapter, article, cn_num, cn_paren, dec1, dec1_dot, dec2, en_section, ...
    number: tuple[int, ...]
    text: str
    rest: str


def cn_to_int(text: str) -> int:
    """Chinese numerals up to the hundreds (一, 十二, 二十三, 一百零五) as an int."""
    total, digit = 0, 0
    for ch in text:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _CN_DIGITS.get(ch, 0)
    return total + digit


def _roman_to_int(text: str) -> int:
    values = [_ROMAN[ch] for ch in text.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _to_int(token: str) -> int:
    if token.isdigit():
        return int(token)
    if re.fullmatch(r"[IVXLC]+", token):
        return _roman_to_int(token)
    if re.fullmatch(r"[A-Z]", token):
        return ord(token) - ord("A") + 1
    return cn_to_int(token)


def is_toc_line(line: str) -> bool:
    """Table-of-contents lines (dot leaders and a page number) and the 目录 caption itself."""
    return bool(_TOC_LINE.search(line) or _TOC_TITLE.match(line.strip()))


def starts_numbered(line: str) -> bool:
    """Whether a line begins with any numbering prefix (used to stop joining wrapped PDF lines)."""
    return any(pattern.match(line) for name, pattern in _PATTERNS if name != "annex")


def _valid_cjk_title(title: str) -> bool:
    return (
        0 < len(title) <= _MAX_CJK_TITLE
        and not _CLAUSE_PUNCT.search(title.rstrip(":："))
        and re.search(r"[^\W\d_]", title) is not None  # "4)." has no title at all
    )


def _valid_english_title(title: str) -> bool:
    """Short, capitalised, not a sentence: numbered paragraphs of English reports ("1.5. The system is …") are text."""
    words = title.split()
    capitalised = sum(1 for word in words if word[0].isupper() or not word[0].isalpha())
    return (
        0 < len(title) <= _MAX_EN_TITLE
        and len(words) <= 12
        and (len(words) <= 8 or capitalised * 2 >= len(words))
        and title[0].isupper()
        and not title.endswith((".", ",", ";"))
        and ". " not in title
        and not _MONTHS.match(title)
        and not _EN_VERB.search(title)
        and not _EN_DANGLING.search(title)
        and not re.search(r"\s\d{1,3}$", title)  # "1.4 Injuries 14" is a contents line with its page
    )


def _style_and_number(name: str, match: re.Match[str]) -> tuple[str, tuple[int, ...]]:
    if name == "ordinal":
        return _ORDINAL_STYLE[match.group(2)], (_to_int(match.group(1)),)
    if name == "annex":
        return "annex", (_to_int(match.group(2)) if match.group(2) else 0,)
    if name == "decimal":
        parts = tuple(int(p) for p in match.group(1).split("."))
        if len(parts) == 2 and parts[1] == 0:  # "1.0 Factual information" numbers a chapter, like "1"
            return "dec1", parts[:1]
        return ("dec1_dot" if len(parts) == 1 and match.group(2) else f"dec{len(parts)}"), parts
    if name == "english":
        return f"en_{match.group(1).lower()}", (_to_int(match.group(2)),)
    return name, (_to_int(match.group(1)),)


def parse_heading(line: str) -> HeadingMatch | None:
    """The heading a line starts with, if it has a plausible one; None for list items, numbers and prose."""
    for name, pattern in _PATTERNS:
        match = pattern.match(line)
        if match:
            return _build(name, match, line)
    return None


def _build(name: str, match: re.Match[str], line: str) -> HeadingMatch | None:
    style, number = _style_and_number(name, match)
    after = line[match.end() :]
    body = after.lstrip()
    if body and body[0].isascii() and body[0].isalpha():
        if style.startswith(("dec", "en_")) and _valid_english_title(body):
            return HeadingMatch(style, number, line.strip(), "")
        return None
    if style.startswith("dec") and (_UNIT_START.match(after) or _UNIT_AFTER_SPACE.match(body)):
        return None  # "3.5米", "2人死亡", "3.5 米"; but "7.5 人力资源保障" is a heading
    if body.endswith((":", "：")) and len(body) <= _MAX_LEAD_IN and "。" not in body:
        return HeadingMatch(style, number, line.strip(), "")  # a lead-in ("当…时，应采取以下行动：") heads its list
    run_in = _RUN_IN.match(body)
    if run_in and _valid_cjk_title(run_in.group(1)) and (run_in.group(2) or style in _STANDALONE_RUN_IN):
        end = match.end() + (len(after) - len(body)) + len(run_in.group(1))
        return HeadingMatch(style, number, line[:end].strip(), run_in.group(2))
    gap = _TITLE_END.search(body)
    title, rest = (body[: gap.start()], body[gap.end() :]) if gap else (body, "")
    if (
        rest
        and len(rest) <= 12
        and not starts_numbered(rest)
        and _valid_cjk_title(rest)
        and len(body) <= _MAX_CJK_TITLE
    ):
        title, rest = body, ""
    if title and _valid_cjk_title(title):
        end = match.end() + (len(after) - len(body)) + len(title)
        return HeadingMatch(style, number, line[:end].strip(), rest.strip())
    if (style in BARE_STYLES and (not after or after[0].isspace())) or (
        style.startswith(("en_", "annex")) and not body
    ):
        return HeadingMatch(style, number, line[: match.end()].strip(), body)
    return None
