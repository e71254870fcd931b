"""The topic words of a question or passage: jieba for Chinese, words for English, stopwords removed."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Words that carry the question's form, not its topic.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 是 在 有 吗 呢 吧 啊 么 什么 怎么 怎样 如何 哪些 哪个 多少 为什么 应该 应当 需要 可以 是否 "
    "要求 规定 情况 时候 进行 开展 一个 这个 那个 以及 如果 发生 出现 请问 请 我们 你 我 谁 "
    "what which who how when where why should must shall the a an of to in on for and or is are be "
    "do does with by at from about under what's there it this that any can "
    "soon long many much were was did has have had been will would could whom whose its makes make need needs "
    "within into after before than then also done doing happen happens happened found take taken get go know "
    "tell me us please thing things come comes coming occur occurs occurred first "
    "几级 哪一级 哪级 多长 多久 多长时间 几个 几人 多深 多高 多大 还是 能不能 不能 能否 可不可以 吗 多少级 达到 引起 告诉 知道 属于 算是 一起 对吧 对不对 是不是".split()
)
_FORM_TAIL = re.compile(r"(?<=[\u4e00-\u9fff])[要吗呢吧]$")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]+|\d+(?:\.\d+)?|[\u4e00-\u9fff]+")


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
            piece = _FORM_TAIL.sub("", piece)  # "多深要封闭" cut as "深要": the 要 is the question's form
            if piece not in STOPWORDS and (len(piece) > 1 or piece.isdigit()) and piece not in terms:
                terms.append(piece)
    return terms
