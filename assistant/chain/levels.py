"""Proposing a response level, always with the clause that justifies it.

A warning colour maps to a grade (red I … blue IV), but the response level is set by
each plan's grading criteria (deaths, injured, displaced, loss, scope). So the proposal
is provisional unless the alert carries those facts, and it says what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.chain.facts import AlertFacts
from assistant.chain.spec import DrafterSpec
from assistant.domain import Citation, Level

LEVEL_PATTERNS: dict[Level, re.Pattern[str]] = {
    Level.I: re.compile(r"Ⅰ级|(?<![IⅠ])I级|一级|特别重大|Level I(?!I|V)"),
    Level.II: re.compile(r"Ⅱ级|(?<![IⅠ])II级|二级|(?<!特别)重大|Level II(?!I)"),
    Level.III: re.compile(r"Ⅲ级|III级|三级|较大|Level III"),
    Level.IV: re.compile(r"Ⅳ级|IV级|四级|一般(?:（Ⅳ级）|\(Ⅳ级\)|事件|事故|级)|Level IV"),
}


def levels_mentioned(text: str) -> set[Level]:
    return {level for level, pattern in LEVEL_PATTERNS.items() if pattern.search(text)}


@dataclass(frozen=True)
class LevelProposal:
    level: Level | None
    basis: str
    citations: tuple[str, ...]
    needs: tuple[str, ...]


def _excerpt(text: str, level: Level, width: int = 90) -> str:
    match = LEVEL_PATTERNS[level].search(text)
    start = max(0, match.start() - 10) if match else 0
    snippet = text[start : start + width].replace("\n", " ")
    return snippet + ("…" if start + width < len(text) else "")


def grading_clause(level: Level, grading: list[Citation]) -> Citation | None:
    """The best grading passage that speaks of ``level``: a heading match beats a body match."""
    in_heading = [c for c in grading if level in levels_mentioned(c.heading)]
    in_text = [c for c in grading if level in levels_mentioned(c.text)]
    candidates = in_heading or in_text
    return candidates[0] if candidates else None


def propose_level(facts: AlertFacts, grading: list[Citation], spec: DrafterSpec) -> LevelProposal:
    lang = facts.lang
    needs = spec.need_items[lang]
    need_text = ("、" if lang == "zh" else ", ").join(needs)
    insufficient = spec.fill(spec.insufficient[lang], need=need_text)
    if facts.level is None:
        return LevelProposal(None, insufficient, (), needs)
    clause = grading_clause(facts.level, grading)
    if lang == "en":
        colour = facts.colour.value if facts.colour else "none"
        basis = f"Provisional: the alert's warning colour ({colour}) corresponds to Level {facts.level.value}."
    else:
        colour = facts.colour.zh if facts.colour else "无"
        basis = f"初判：预警颜色为{colour}，对应{facts.level.zh}。"
    citations: tuple[str, ...] = (facts.citation,)
    if clause is not None:
        source = f"《{clause.title}》{clause.section}"
        quote = _excerpt(clause.text, facts.level)
        basis += f' See {source}: "{quote}".' if lang == "en" else f"依据{source}：“{quote}”。"
        citations = (clause.chunk_id, facts.citation)
    return LevelProposal(facts.level, f"{basis} {insufficient}", citations, needs)
