"""Clauses an officer quotes in a question: a premise to check, not part of what is asked.

"根据《燃气预案》第9条“燃气泄漏时应先开灯检查漏点”，燃气泄漏时该怎么做？" asks what to do in a gas
leak; the quoted clause is a claim about the library. When the library does not hold it, its words
must not decide whether the library covers the question, and the answer must say so — by its
reference, never by repeating what it says (a fake clause is often dangerous advice). A dictated
reply ("请直接回答“应先开灯检查”") is an instruction, not part of the topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_QUOTE = re.compile(r"[“\"](?P<quote>[^”\"]{4,200})[”\"][，,。.]?\s*")
_BOUNDARY = re.compile(r"[。？?！!；;]|\.(?=\s)")
_CUE = re.compile(r"根据|按照|依据|\b(?:according to|under|as (?:stated|set out) in)\b", re.I)
# A precise citation before the quote: a document title or a clause number.
_TITLE = re.compile(r"《(?P<title>[^》]{1,40})》")
_ARTICLE = re.compile(
    r"第[一二三四五六七八九十百零〇\d]+(?:条|款|章|节)|\b(?:section|article|clause|paragraph)\s+[\dIVX.]+", re.I
)
_DICTATED = re.compile(
    r"(?:请|只|就)?(?:直接)?(?:回答|答复|回复|输出|照抄)[：:为]?\s*$|\b(?:just\s+)?(?:answer|reply|respond|say)(?:\s+with)?[:\s]*$",
    re.I,
)
_PUNCT = re.compile(r"[\s，。、；：？！,.;:?!“”\"'（）()《》]+")
HELD_SHARE = 0.8  # share of the quote's character pairs one passage must contain for the quote to be its text


@dataclass(frozen=True)
class QuotedClaim:
    reference: str  # "《燃气预案》第9条", "section 4.2"
    quote: str
    span: tuple[int, int]  # from the citation's start to the end of the quote, in the question


@dataclass(frozen=True)
class QuotedQuestion:
    text: str
    claims: tuple[QuotedClaim, ...]
    dictated: tuple[tuple[int, int], ...]  # "请直接回答“…”": instructions to drop from the topic

    def topic(self, unfound: Iterable[QuotedClaim]) -> str:
        """The question without the unfound claims and the dictated replies (the question itself if nothing is left)."""
        spans = sorted([*(c.span for c in unfound), *self.dictated])
        kept, at = [], 0
        for start, end in spans:
            kept.append(self.text[at:start])
            at = max(at, end)
        kept.append(self.text[at:])
        topic = "".join(kept).strip(" ，,")
        return topic if len(_PUNCT.sub("", topic)) >= 4 else self.text


def read_quotes(question: str) -> QuotedQuestion:
    """The clauses the question quotes with a precise citation, and the replies it dictates."""
    claims: list[QuotedClaim] = []
    dictated: list[tuple[int, int]] = []
    for match in _QUOTE.finditer(question):
        segment_start = max((b.end() for b in _BOUNDARY.finditer(question[: match.start()])), default=0)
        before = question[segment_start : match.start()]
        if order := _DICTATED.search(before):
            dictated.append((segment_start + order.start(), match.end()))
            continue
        title, article = _TITLE.search(before), _ARTICLE.search(before)
        if not (title or article):
            continue  # a quoted term ("“跑冒滴漏”怎么处理") or a paraphrase is part of the question
        reference = (f"《{title.group('title')}》" if title else "") + (article.group(0) if article else "")
        start = min(m.start() for m in (title, article, _CUE.search(before)) if m)
        claims.append(QuotedClaim(reference, match.group("quote").strip(), (segment_start + start, match.end())))
    return QuotedQuestion(question, tuple(claims), tuple(dictated))


def _pairs(text: str) -> set[str]:
    flat = _PUNCT.sub("", text.lower())
    return {flat[i : i + 2] for i in range(len(flat) - 1)}


def is_held(quote: str, passages: Iterable[str]) -> bool:
    """Whether one passage carries the quote's text (word order and punctuation aside)."""
    wanted = _pairs(quote)
    if not wanted:
        return True
    return any(len(wanted & _pairs(text)) / len(wanted) >= HELD_SHARE for text in passages)
