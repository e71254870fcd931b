"""Does a text advise something, or forbid it? "严禁开关电器" forbids; "立即开关电器检查" advises.

Shared by the drafter (which drops a sentence advising what a hazard's card deck forbids) and
the evaluation (which fails a draft that advises a golden's forbidden phrase): one rule, so the
check and the measurement cannot drift apart. A phrase counts as advised unless a negation
word precedes it in its own clause; "未" and "无需" are not negations ("未佩戴呼吸器下井救人"
is still advice to go down).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

NEGATIONS = (
    "严禁", "禁止", "不得", "不要", "切勿", "避免", "勿", "不准", "不可", "杜绝", "防止", "严防", "不能",
    "do not", "don't", "never", "must not", "avoid", "no ", "prohibit", "forbid", "without ever", "not to ",
)  # fmt: skip
NOT_NEGATIONS = ("不得不", "不可不", "不要紧", "不能不")  # "have to", "must", "it does not matter"
CLAUSE_END = re.compile(r"[。；;！!？?\n，,]|\.(?=\s|$)")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def negated(text: str, start: int) -> bool:
    """Whether a negation word precedes position ``start`` within the same clause of ``text``
    ("不开关电器": a bare 不 right before the phrase negates it too)."""
    clause_start = max((m.end() for m in CLAUSE_END.finditer(text, 0, start)), default=0)
    clause = text[clause_start:start].lower()
    for word in NOT_NEGATIONS:
        clause = clause.replace(word, "")
    return clause.endswith(("不", "勿", "别")) or any(word in clause for word in NEGATIONS)


def advised(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases ``text`` advises (mentions outside a negation), each once."""
    body = fold(text)
    found = []
    for phrase in phrases:
        wanted = fold(phrase)
        if any(not negated(body, m.start()) for m in re.finditer(re.escape(wanted), body)):
            found.append(phrase)
    return found


def negated_mentions(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases ``text`` mentions under a negation ("严禁开关电器" mentions 开关电器 as a prohibition)."""
    body = fold(text)
    return [p for p in phrases if any(negated(body, m.start()) for m in re.finditer(re.escape(fold(p)), body))]
