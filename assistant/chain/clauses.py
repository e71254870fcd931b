"""Candidate answering clauses of the retrieved passages, and what each one states.

Plans pack several answers into one sentence ("四级由…批准；三级由…；一级由市防指总指挥
批准"), so the unit a lead sentence is built from is the clause between semicolons, with
its sentence and heading path kept for context: the heading often carries the level
("六、应急响应 > （五）一级响应") that the clause itself leaves implicit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from assistant.chain.glossary import language_of
from assistant.chain.injection import looks_like_injection
from assistant.chain.quantities import Quantity, quantities_in
from assistant.chain.question import levels_in
from assistant.domain import Citation, Level

_SENTENCE_END = re.compile(r"(?<=[。！？!?])\s*|(?<=[.])\s+(?=[A-Z\"“(])|\n+")
_CLAUSE_END = re.compile(r"(?<=[；;])\s*")
_LEADING_MARK = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[、.．)](?!\d)|\d+(?:\.\d+)+\s|[-•·*])\s*"
)
_LEAD_IN = re.compile(r"^([^：:]{2,40})[：:]")
_APPROVER = re.compile(r"(?:由|报|经|提请)([^，。；：,（(]{2,24}?)(?:审核后|审定后)?(?:批准|决定|签发)")
_LEADER = (
    re.compile(r"(?:总指挥|组长|主任|指挥长|负责人)由([^，。；、]{2,20}?)担任"),
    re.compile(r"由([^，。；、]{2,20}?)(?:担任|兼任|任)(?:总指挥|组长|主任|指挥长)"),
    re.compile(r"由([^，。；、]{2,24}?)(?:统一)?(?:组织指挥|指挥|负责|牵头|组织|主持)"),
    re.compile(r"^([^，。；、：]{2,20}?)(?:负责|牵头|统一指挥|坐镇指挥|组织指挥)"),
    re.compile(r"^([^，。；、：]{2,24}?)(?:统一)?领导(?!小组)"),  # "国务院抗震救灾指挥部统一领导…"
)
_PHONE = re.compile(
    r"(?<![\d.])(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|400-?\d{3}-?\d{4}|110|119|120|122|12345|12350|12369|12395)(?![\d.])"
)
_PROHIBIT = re.compile(r"严禁|禁止|不得|不准|切勿|不要|勿|不能|不可|must not|never|do not|prohibited|forbidden")
_ALLOW = re.compile(r"可以|允许|可先行|准予|\bmay\b|\bcan be (used|entered)\b|\ballowed\b|\bpermitted\b")
_ORDER = re.compile(r"先.{1,16}(再|后|然后)|首先|立即|第一时间|优先|\bfirst\b|\bbefore\b|\bthen\b")


@dataclass(frozen=True)
class Clause:
    """One candidate unit: a clause, the sentence it belongs to and where it comes from."""

    text: str
    sentence: str
    lead_in: str  # the list's lead-in ("全市性响应由市防指启动和结束") when this clause continues it
    citation: Citation
    rank: int  # rank of its passage in retrieval
    position: int  # order within the passage
    lang: str
    heading_levels: frozenset[Level] = field(default=frozenset())
    part: int = 0  # 0 for a sentence's first clause; later clauses continue it
    list_head: str = ""  # "…可启动一级响应：" when the clause is an item of a bulleted list

    @property
    def levels(self) -> frozenset[Level]:
        return frozenset(levels_in(self.text)) or self.heading_levels

    @property
    def context(self) -> str:
        """Title, heading path and text: what the clause's words are matched against."""
        return f"{self.citation.title} {self.citation.heading} {self.lead_in} {self.text}"


def _strip_mark(text: str) -> str:
    return _LEADING_MARK.sub("", text.strip()).strip()


class _Unit(NamedTuple):
    text: str
    sentence: str
    lead_in: str
    part: int
    list_head: str


@lru_cache(maxsize=4096)
def _split(text: str) -> tuple[_Unit, ...]:
    """The clauses of one passage, in order, each with its sentence, lead-in and list head.

    A line ending in "：" heads a list (ingestion drops the bullet marks): the lines after
    it are its items while they end in "；", up to and including one that ends in "。".
    """
    units: list[_Unit] = []
    head = ""
    for line in text.splitlines():
        line_head = head
        stripped = line.strip().rstrip()
        for raw in _SENTENCE_END.split(stripped):
            sentence = _strip_mark(raw)
            if len(sentence) < 4:
                continue
            parts = [p.strip() for p in _CLAUSE_END.split(sentence) if p.strip()]
            lead = _LEAD_IN.match(parts[0])
            lead_in = lead.group(1) if lead and len(parts) > 1 else ""
            for index, part in enumerate(parts):
                units.append(_Unit(part.rstrip("。；;，, "), sentence, lead_in if index else "", index, line_head))
        if stripped.endswith(("：", ":")):
            head = stripped
        elif not head or not stripped.endswith(("；", ";")):
            head = ""
    return tuple(units)


def clauses_of(passages: list[Citation]) -> list[Clause]:
    """Every clause of the passages, in retrieval order; instruction-like text left out."""
    found: list[Clause] = []
    for rank, citation in enumerate(passages):
        heading_levels = frozenset(levels_in(citation.section))
        for position, unit in enumerate(_split(citation.text)):
            if looks_like_injection(unit.sentence) or len(unit.text) < 4:
                continue
            found.append(
                Clause(
                    unit.text,
                    unit.sentence,
                    unit.lead_in,
                    citation,
                    rank,
                    position,
                    language_of(unit.text),
                    heading_levels,
                    unit.part,
                    unit.list_head,
                )
            )
    return found


def list_items(clause: Clause, limit: int) -> str:
    """The list the clause is an item of, as one sentence: its head and as many items as fit ``limit``."""
    if not clause.list_head:
        return ""
    items: list[str] = []
    for unit in _split(clause.citation.text):
        if unit.list_head == clause.list_head and unit.sentence not in items:
            items.append(unit.sentence)
    text = clause.list_head.rstrip("：:") + "："
    for item in items:
        piece = item.rstrip("。；;，, ")
        if len(text) + len(piece) > limit and text.endswith("："):
            return text + piece[: max(0, limit - len(text))]
        if len(text) + len(piece) > limit:
            break
        text += piece + "；"
    return text.rstrip("；")


def approver_in(text: str) -> str | None:
    """Who approves: "一级由市防指总指挥批准" → 市防指总指挥; "…审核、报总指挥批准" → 总指挥."""
    matches = _APPROVER.findall(text)
    if not matches:
        return None
    approver = re.split(r"报|经", matches[-1])[-1].strip("、 ")
    return approver or None


def post_holder_in(text: str) -> str | None:
    """Who holds a headquarters' or group's post: "总指挥由市长担任" → 市长 (not "市防指负责指挥…")."""
    for pattern in _LEADER[:2]:
        if match := pattern.search(text):
            return match.group(1).strip()
    return None


def leader_in(text: str) -> str | None:
    for pattern in _LEADER:
        match = pattern.search(text)
        if match:
            return re.sub(r"^(由|经|会同)", "", match.group(1)).strip()
    return None


def phones_in(text: str) -> list[str]:
    return _PHONE.findall(text)


def figures_in(text: str) -> list[Quantity]:
    return quantities_in(text)


def prohibits(text: str) -> bool:
    return bool(_PROHIBIT.search(text.lower()))


def allows(text: str) -> bool:
    return bool(_ALLOW.search(text.lower()))


def states_order(text: str) -> bool:
    return bool(_ORDER.search(text.lower()))
