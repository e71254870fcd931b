"""Sentence-level tools for the offline drafter and the grounding check.

Plans state duties as sentences ("事发地街道应立即组织疏散……"); the offline drafter
turns the best of them into actions, so it needs to split, score and mine them for the
responsible unit and time limit they already name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])\s*|(?<=\.)\s+(?=[A-Z])|\n+")
# List numbering ("（三）", "2、", "4.2.1 ") — never a year or a figure that opens a sentence ("2018年…").
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、．]|\d+\.(?!\d)|[-•·*]|\d+(?:\.\d+)+(?=\s))\s*"
)
_TIME_LIMIT = re.compile(
    r"(\d+(?:\.\d+)?\s*(?:分钟|小时|个工作日|日|天|周)(?:内|之内|以内)|within \d+ (?:minutes|hours|days))"
)
_IMMEDIATE = re.compile(r"(立即|第一时间|immediately)")
_UNIT = re.compile(
    r"([\u4e00-\u9fa5]{2,14}?(?:部门|单位|企业|公司|集团|街道|乡镇|镇街|社区|居委会|村委会|指挥部|指挥机构|"
    r"管理局|应急局|公安机关|消防救援机构|消防救援队伍|救援队伍|抢修队|医疗机构|卫生健康部门|气象部门|"
    r"水务部门|交通运输部门|住房城乡建设部门|生态环境部门|人民政府|政府|委员会|办公室|中心))"
)
# "产权人（管理人）是第一责任主体": the plan names who answers for it
_FIRST_RESPONSIBLE = re.compile(r"([\u4e00-\u9fa5（）()]{2,16}?)(?:是|为)(?:第一)?责任(?:主体|人|单位)")
_BARE_SUFFIXES = frozenset({"部门", "单位", "企业", "公司", "政府", "中心", "办公室", "委员会", "社区", "街道"})
_DUTY_VERB = re.compile(r"组织|报告|处置|并|通知|协调|派员|开展")
_UNIT_STOP_PREFIX = re.compile(r"^(?:由|各|并|及|和|与|会同|组织|负责|协调|按照|根据|要求|督促|指导)+")


def split_sentences(text: str) -> list[str]:
    """Split Chinese and English text into sentences, dropping list numbering."""
    sentences = []
    for raw in _SENTENCE_END.split(text):
        sentence = _LEADING_NUMBER.sub("", raw.strip()).strip()
        if sentence:
            sentences.append(sentence)
    return sentences


def time_limit_in(sentence: str) -> str | None:
    """A stated deadline ("30分钟内") beats "立即", which beats nothing."""
    match = _TIME_LIMIT.search(sentence) or _IMMEDIATE.search(sentence)
    return match.group(1) if match else None


def unit_in(sentence: str) -> str | None:
    """The responsible unit a duty sentence names, if any ("属地街道办事处" ...)."""
    if named := _FIRST_RESPONSIBLE.search(sentence):
        return named.group(1)
    for match in _UNIT.finditer(sentence):
        unit = _UNIT_STOP_PREFIX.sub("", match.group(1))
        # "一般事件由区级指挥机构" / "负责调查的国务院有关部门": the unit is what follows 由 / 的;
        # "须立即组织处置并报告主管部门": what follows the duty's verbs.
        unit = re.split(r"由|的|须|应当|应(?!急)|立即|及时", unit)[-1]
        if _DUTY_VERB.match(unit):
            unit = _DUTY_VERB.split(unit)[-1]
        if len(unit) >= 2 and unit not in _BARE_SUFFIXES:  # "需要通知的部门" names no one
            return unit
    return None


def bigrams(text: str) -> set[str]:
    compact = re.sub(r"\s+", "", text.lower())
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: language-neutral and cheap."""
    x, y = bigrams(a), bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def action_score(
    sentence: str, cue_words: Iterable[str], keywords: Iterable[str], hazard_words: Iterable[str]
) -> float:
    """How much a sentence reads like an actionable duty for this stage and hazard."""
    lowered = sentence.lower()
    if not 8 <= len(sentence) <= 220:
        return 0.0
    cues = sum(1 for w in cue_words if w.lower() in lowered)
    if cues == 0:
        return 0.0
    score = min(cues, 3) * 1.0
    score += sum(0.8 for w in keywords if w.lower() in lowered)
    score += sum(0.6 for w in hazard_words if w.lower() in lowered)
    if time_limit_in(sentence):
        score += 0.5
    if unit_in(sentence):
        score += 0.5
    return score


def pick_distinct(
    candidates: list[tuple[float, str, str]], limit: int, max_similarity: float = 0.5
) -> list[tuple[str, str]]:
    """Best-scoring (sentence, source) pairs, skipping near-duplicates of ones already taken."""
    chosen: list[tuple[str, str]] = []
    for _score, sentence, source in sorted(candidates, key=lambda c: -c[0]):
        if all(similarity(sentence, taken) < max_similarity for taken, _ in chosen):
            chosen.append((sentence, source))
        if len(chosen) == limit:
            break
    return chosen
