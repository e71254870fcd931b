"""Does the knowledge base cover a question? Decided before any answer is written.

An answer built from passages that merely share the word "泄漏" with a question about
a Mars base would be confidently wrong. We require that most of the question's content
terms occur in the best passages; otherwise the answer is "not covered" plus the
nearest sources, in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.domain import Citation

# Words that carry the question's form, not its topic.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 是 在 有 吗 呢 吧 啊 么 什么 怎么 怎样 如何 哪些 哪个 多少 为什么 应该 应当 需要 可以 是否 "
    "要求 规定 情况 时候 进行 开展 一个 这个 那个 以及 如果 发生 出现 请问 请 我们 你 我 谁 "
    "what which who how when where why should must shall the a an of to in on for and or is are be "
    "do does with by at from about under what's there it this that any can".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]+|\d+(?:\.\d+)?|[\u4e00-\u9fff]+")
MIN_COVERAGE = 0.6


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(60)
    return jieba


def content_terms(question: str) -> list[str]:
    """The topic words of a question (jieba for Chinese, words for English), stopwords removed."""
    terms: list[str] = []
    for token in _WORD.findall(question.lower()):
        pieces = _jieba().lcut(token) if re.match(r"[\u4e00-\u9fff]", token) else [token]
        for piece in pieces:
            if piece not in STOPWORDS and (len(piece) > 1 or piece.isdigit()) and piece not in terms:
                terms.append(piece)
    return terms


@dataclass(frozen=True)
class Coverage:
    covered: bool
    ratio: float
    missing: tuple[str, ...]


def assess_coverage(question: str, hits: Sequence[Citation], top: int = 4) -> Coverage:
    """Fraction of content terms found in the top passages (title and heading included)."""
    terms = content_terms(question)
    if not hits:
        return Coverage(False, 0.0, tuple(terms))
    if not terms:
        return Coverage(True, 1.0, ())
    haystack = "\n".join(f"{c.title} {c.heading} {c.text}" for c in hits[:top]).lower()
    missing = tuple(t for t in terms if t not in haystack)
    ratio = 1 - len(missing) / len(terms)
    return Coverage(ratio >= MIN_COVERAGE, ratio, missing)
