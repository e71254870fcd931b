"""The substance of a Chinese cause or duty clause in English, for an English lead that cannot translate it.

"Why did it explode?" over a Chinese direct cause was led by "The source covers LPG, leak,
explosion" — what the clause is about, not what it says. The offline answerer has no
translator, but the glossary names the clause's things and acts in order: "regulator,
connected by mistake, liquid-phase valve". A direct cause is a chain told over several
sentences, so the whole chain of the cause section is named, first link first; the
Chinese clauses are quoted beneath the lead (answers.py) for the officer to read.
"""

from __future__ import annotations

import re

from assistant.chain.clauses import Clause, clauses_of
from assistant.chain.glossary import Glossary
from assistant.chain.lead_choice import LeadChoice
from assistant.chain.question import Ask

KINDS = ("action", "hazard", "body", "role", "measure")
MAX_CHAIN = 4  # clauses of one cause section named in the lead
MAX_WORDS = 14  # glossary names in the lead, all segments together
_SEGMENT = re.compile(r"[，,；;：:。]")
_CAUSE_SECTION = re.compile(r"原因")


def chain_of(choice: LeadChoice, clause: Clause) -> list[Clause]:
    """The lead clause and, for a cause, the other clauses of its cause section, in the order written; for
    what must be done, the clauses of its passage from it on ("红色：做好防台风应急和抢险工作；停止集会、停课…")."""
    if choice.ask is Ask.ACTIONS:
        following = [c for c in clauses_of([clause.citation]) if (c.position, c.part) >= (clause.position, clause.part)]
        return (following or [clause])[:MAX_CHAIN]
    if choice.ask is not Ask.CAUSE or not _CAUSE_SECTION.search(clause.citation.section):
        return [clause]
    same = [
        c.clause
        for c in choice.support
        if c.clause.citation.chunk_id == clause.citation.chunk_id and c.clause.lang == "zh"
    ]
    ordered = sorted({id(c): c for c in [clause, *same]}.values(), key=lambda c: (c.position, c.part))
    return ordered[:MAX_CHAIN]


def substance_en(clauses: list[Clause], glossary: Glossary) -> str:
    """The glossary's English for what the clauses name, segment by segment ("a, b; c, d"), each word once."""
    seen: set[str] = set()
    segments: list[str] = []
    count = 0
    for clause in clauses:
        for segment in _SEGMENT.split(clause.text):
            words = [w for w in glossary.gist_en(segment, KINDS) if w not in seen][: MAX_WORDS - count]
            if words:
                seen.update(words)
                count += len(words)
                segments.append(", ".join(words))
            if count >= MAX_WORDS:
                return "; ".join(segments)
    return "; ".join(segments)
