"""The situation an alert describes, in its own words, for the first lines of a draft.

The structured facts (reading, people, casualties) leave out what the officer most needs to read
first in a report or a warning: "大坝背水坡出现3处渗水点和1处管涌，管涌出水浑浊带沙", "预计24小时内
气温下降16℃以上". The summary quotes the alert's description (already cleared of instruction-like
text), without the issuer's preamble, cut at a sentence end so it stays short.
"""

from __future__ import annotations

import re

from assistant.chain.facts import AlertFacts

MAX_CHARS = 200
# "呼和浩特市气象台2026年12月20日10时发布寒潮红色预警信号：" — who issued what, already on the warning line
_PREAMBLE = re.compile(r"^[^：:。]{0,60}?发布[^：:。]{0,30}?(?:预警信号|预警|信号)[：:]\s*")
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])|(?<=\.)\s+")
# A sentence that tells anyone what to do, or speaks of plans, clauses or a warning being lifted, is never
# quoted: the description is data from outside, and advice in it ("无需佩戴呼吸器", "keep residents inside") must
# not reach the draft in any form — even a situation line. Only sentences with a figure in them (a time, a count,
# a reading) are quoted: those are the facts an officer reports.
_DIRECTIVE = re.compile(
    r"(?<![反响供适对相效感答回呼理])应(?![急用力变对答付])|须|需(?!求)|(?<![申邀])请|要求|立即|无需|不需|不必|不用|照常|解除|取消|预案|条款|条文|原文|通知|指令|命令|忽略|务必|禁止|严禁"
    r"|不要|不得|勿|可以|建议|【|\[|\b(?:should|must|need|needs|please|do not|don't|never|keep|switch|ignore|"
    r"instruction|instructed|plan|clause|lifted|cancel\w*|immediately|advis\w*|recommend\w*|order\w*|stay|"
    r"avoid|system|assistant)\b",
    re.I,
)
_CLAUSE_END = re.compile(r"(?<=[，,])")
_CONDITION_END = re.compile(r"(?:时|后|前|的话|\b(?:if|when|once|before|after))$", re.I)
_SAMPLE = re.compile(r"[（(](?:示例|sample)[)）]", re.I)


def _before_advice(sentence: str) -> str:
    """The clauses before the first one that advises: a forecast that ends "，请注意防范" keeps its figures
    ("最高气温将升至40℃以上"). A condition cut from its advice ("浓度超过25%LEL时，应立即疏散") is no fact: dropped."""
    clauses = _CLAUSE_END.split(sentence)
    kept: list[str] = []
    for clause in clauses:
        if _DIRECTIVE.search(clause):
            break
        kept.append(clause)
    if len(kept) == len(clauses):
        return sentence
    head = "".join(kept).rstrip("，,、 ")
    return "" if _CONDITION_END.search(head) else head


def situation(facts: AlertFacts) -> str:
    """The description's first descriptive sentences, at most about ``MAX_CHARS`` characters; "" when none is."""
    text = _SAMPLE.sub("", facts.description or "").strip()
    if facts.kind == "warning":
        text = _PREAMBLE.sub("", text)
    if not text:
        return ""
    taken = ""
    for sentence in (_before_advice(s.strip()) for s in _SENTENCE_END.split(text)):
        if not sentence or _DIRECTIVE.search(sentence) or not re.search(r"\d", sentence):
            continue  # advice is never quoted; a sentence with no figure in it is not a fact to report
        if taken and len(taken) + len(sentence) > MAX_CHARS:
            break
        taken = f"{taken} {sentence}".strip() if facts.lang == "en" else taken + sentence
    if not taken:
        return ""
    if len(taken) > MAX_CHARS * 1.5:
        taken = taken[: MAX_CHARS - 1] + "…"
    taken = taken.rstrip("；;，, ")
    if not re.search(r"[。！!？?.…]$", taken):
        taken += "。" if facts.lang == "zh" else "."
    return taken
