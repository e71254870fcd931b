"""What kind of value a clause states, for each kind of question (the "slot" a lead sentence fills).

A "who approves" question is answered only by a clause that names an approver ("由…批准"),
"how soon" only by one that states a time limit, "how many died" only by one that gives a
head count (not a year). Kept apart so a reviewer can read the rules in one place.
"""

from __future__ import annotations

import re

from assistant.chain.clauses import (
    Clause,
    allows,
    approver_in,
    figures_in,
    leader_in,
    phones_in,
    prohibits,
    states_order,
)
from assistant.chain.clock_times import states_moment
from assistant.chain.glossary import Term, english_pattern
from assistant.chain.quantities import Quantity, deadlines_in
from assistant.chain.question import Ask
from assistant.chain.sentences import unit_in
from assistant.chain.spec import load_spec

_EN_DEADLINE = re.compile(r"\bwithin \d+|\bimmediately\b|\bhours?\b|\bminutes?\b|\bdays?\b", re.IGNORECASE)
_EN_ROLE = re.compile(r"\b(responsib|led by|in charge|command|coordinat|approv|authori[sz]|decid)", re.IGNORECASE)
# A person's name as documents write it ("姓名：王某某", "李某先生", "Mr Smith"); plans name offices, not people.
_PERSON_NAME = re.compile(
    r"(?:姓名|名叫|名为)[:：]?\s*[\u4e00-\u9fff]{2,3}|[\u4e00-\u9fff]{2,3}(?:先生|女士)|\b(?:Mr|Mrs|Ms|Dr)\.? [A-Z][a-z]+"
)
_COUNT_EN = re.compile(
    r"\b\d[\d,.]*\s+(?:(?:million|thousand|billion)\s+)?"
    r"(?:people|persons|deaths|dead|died|killed|injured|residents|households|customers|victims)\b"
    r"|\b(?:died|killed|deaths?)\b[^.]{0,40}\b\d",
    re.IGNORECASE,
)
_VAGUE = ("及时", "迅速")  # no limit an officer can be held to
_COUNT_UNITS = ("人", "万人", "例", "户")
_MONEY_UNITS = ("万元", "亿元")
_MONEY_EN = re.compile(
    r"(?:\$|US\$|£|€|¥)\s?\d|\b\d[\d,.]*\s*(?:million|billion)?\s*(?:dollars|yuan|euros?|pounds)\b", re.I
)
LOSS = "直接经济损失"  # a "how much" question about a loss wants an amount of money, not a head count
# Figures written in Chinese numerals ("百分之一", "十分钟", "三人以上").
_CHINESE_FIGURE = re.compile(
    r"百分之[零一二三四五六七八九十百]+|[零一二两三四五六七八九十百千万]+个?(?:小时|分钟|天|日|人|米|厘米|毫米|公里|公顷|户)"
)
COUNTED = ("死亡人数", "重伤", "受伤", "失踪", LOSS)  # glossary concepts a head count can be of (by first wording)


def _mentions(term: Term, text: str) -> bool:
    lowered = text.lower()
    return any(w in text for w in term.zh) or any(english_pattern(w).search(lowered) for w in term.en)


def has_slot(ask: Ask, clause: Clause, counted: Term | None = None) -> bool:
    """Whether the clause states the kind of value the ask wants.

    ``counted`` is what a "how many" question counts (死亡, 受伤 …): the clause must count that,
    not the evacuees or the houses.
    """
    text = clause.text
    if ask is Ask.LEVEL:
        return bool(clause.levels)
    if ask is Ask.APPROVER:
        return approver_in(text) is not None or (clause.lang == "en" and bool(re.search(r"approv|authori|decid", text)))
    if ask is Ask.LEADER:
        return bool(leader_in(text) or unit_in(text) or (clause.lang == "en" and _EN_ROLE.search(text)))
    if ask is Ask.WHEN:
        return states_moment(text)
    if ask is Ask.DEADLINE:  # "及时采取措施" is promptness, not a time limit
        stated = [d for d in deadlines_in(text) if d not in _VAGUE]
        return bool(stated) or (clause.lang == "en" and bool(_EN_DEADLINE.search(text)))
    if ask is Ask.COUNT and counted is not None and counted.zh[0] == LOSS:  # "损失多少": an amount
        amounts = any(q.unit in _MONEY_UNITS for q in figures_in(text)) or bool(_MONEY_EN.search(text))
        return amounts and _mentions(counted, text)
    if ask is Ask.COUNT:  # a head count, not a year or a date
        counts = any(q.unit in _COUNT_UNITS for q in figures_in(text)) or bool(_COUNT_EN.search(text))
        return counts and (counted is None or _mentions(counted, text))
    if ask is Ask.THRESHOLD:  # an incident's name or a date ("郑州“7·20”之后") states no threshold
        bare = _NAMES_AND_DATES.sub("", text)
        return bool(figures_in(text)) or bool(re.search(r"\d", bare)) or bool(_CHINESE_FIGURE.search(text))
    if ask is Ask.PERMISSION:
        return prohibits(text) or allows(text)
    if ask is Ask.ACTIONS:
        cues = load_spec().cue_words[clause.lang]
        return states_order(text) or any(c.lower() in text.lower() for c in cues)
    if ask is Ask.CONTACT:
        return bool(phones_in(text))
    if ask is Ask.PERSON:
        return bool(_PERSON_NAME.search(text))
    # Plans and case reports hold no forecasts or live readings; any clause may answer a general or
    # cause question (cause sections score higher).
    return ask is not Ask.FORECAST


_NAMES_AND_DATES = re.compile(r"\d{1,2}·\d{1,2}|\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日")
PLACE_FIGURE_GAP = 1  # characters between a place and its own figure ("其中郑州市380人", "郑州市 409亿元")


def place_figures(text: str, place: Term) -> list[Quantity]:
    """The figures a clause states for one place: written right after its name ("…398人，其中郑州市380人").

    A case of a province gives the province's figure and then its city's; a question about the
    city is answered by the figure next to the city's name, never by the province's total.
    """
    found = []
    for quantity in figures_in(text):
        at = text.find(quantity.text)
        before = text[max(0, at - PLACE_FIGURE_GAP - max(len(w) for w in place.zh)) : at]
        if any(re.search(re.escape(w) + rf".{{0,{PLACE_FIGURE_GAP}}}$", before) for w in place.zh):
            found.append(quantity)
    return found


def slot_value(ask: Ask, clause: Clause) -> str:
    """The value a clause gives for an ask, normalised for comparison ("" when none)."""
    text = clause.text
    if ask is Ask.LEVEL:
        return ",".join(sorted(level.value for level in clause.levels))
    if ask is Ask.APPROVER:
        return approver_in(text) or ""
    if ask is Ask.DEADLINE:
        return ",".join(sorted(deadlines_in(text)))
    if ask is Ask.THRESHOLD:
        return ",".join(sorted(q.text for q in figures_in(text)))
    return ""
