"""``assistant kb check-cards``: every action card is checked against the library it cites.

A card is a promise that a clause says what the card makes officers do. The check reads the
shipped documents directly (no index needed) and reports, per card: a citation that resolves
to no chunk containing its phrase, a slot or condition outside the vocabulary, a number in the
card's text or time limit that its cited clauses do not contain, a lesson whose case or numbers
are not in the library, a duplicate id, and hazards that lack cards for some of the six stages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.chain.card_slots import unknown_slots
from assistant.chain.cards import GENERAL, Card, Deck, load_deck
from assistant.chain.conditions import check_syntax
from assistant.domain import HAZARD_NAMES, STAGES, Chunk
from assistant.errors import DocumentError
from assistant.knowledge.chunking import chunk_document
from assistant.knowledge.loaders import load_document

_SLOT_OR_OPTIONAL = re.compile(r"\{[a-z_0-9]+\}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Problem:
    where: str  # file · card id
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def library_chunks(folders: Sequence[Path]) -> dict[str, list[Chunk]]:
    """Chunks of every Markdown/text document under ``folders``, by document id (front-matter id or file stem)."""
    docs: dict[str, list[Chunk]] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.md")):
            loaded = load_document(path)
            doc_ref = str(loaded.front_matter.get("id") or path.stem)
            docs[doc_ref] = chunk_document(loaded, doc_ref, 500)
    return docs


def _numbers(text: str) -> list[str]:
    return _NUMBER.findall(_SLOT_OR_OPTIONAL.sub("", text))


def check_card(card: Card, docs: dict[str, list[Chunk]]) -> list[Problem]:
    where = f"{Path(card.source).name} · {card.id}"
    problems: list[Problem] = []
    if not card.cite:
        problems.append(Problem(where, "没有依据 / no citation"))
    cited: list[Chunk] = []
    for cite in card.cite:
        chunks = docs.get(cite.doc)
        if chunks is None:
            problems.append(Problem(where, f"找不到文件 / no document {cite.doc!r}"))
            continue
        match = next((c for c in chunks if cite.section in " > ".join(c.heading_path) and cite.phrase in c.text), None)
        if match is None:
            problems.append(
                Problem(where, f"《{cite.doc}》{cite.section} 中没有“{cite.phrase}” / phrase not in that clause")
            )
        else:
            cited.append(match)
    for lang in ("zh", "en"):
        for part in (card.text[lang], card.unit[lang], card.time_limit[lang]):
            for slot in unknown_slots(part):
                problems.append(Problem(where, f"未知文字槽 / unknown slot {{{slot}}}"))
    for condition in card.when:
        if reason := check_syntax(condition):
            problems.append(Problem(where, f"条件 / condition: {reason}"))
    clause_text = "\n".join(c.text for c in cited)
    for part in (card.text["zh"], card.time_limit["zh"], card.unit["zh"]):
        for number in _numbers(part):
            if cited and number not in clause_text:
                problems.append(
                    Problem(where, f"数字 {number} 不在所引条款中 / number {number} is not in the cited clause")
                )
    for lesson in card.lessons:
        case = docs.get(lesson.case)
        if case is None:
            problems.append(Problem(where, f"找不到案例 / no case {lesson.case!r}"))
            continue
        case_text = "\n".join(c.text for c in case)
        for number in _numbers(lesson.text["zh"]):
            if number not in case_text:
                problems.append(
                    Problem(where, f"教训中的数字 {number} 不在案例中 / lesson number {number} not in the case")
                )
    return problems


def check_decks(decks: Iterable[Deck], docs: dict[str, list[Chunk]]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    by_hazard: dict[str, set[str]] = {}
    for deck in decks:
        if deck.hazard not in HAZARD_NAMES:
            problems.append(
                Problem(Path(deck.source).name, f"未知灾种 / hazard {deck.hazard!r} is not in the vocabulary")
            )
        for card in deck.cards:
            if card.id in seen:
                problems.append(
                    Problem(
                        Path(deck.source).name, f"重复的卡片 id / duplicate id {card.id} (first in {seen[card.id]})"
                    )
                )
            seen[card.id] = Path(deck.source).name
            by_hazard.setdefault(deck.hazard, set()).add(card.stage.value)
            problems += check_card(card, docs)
    for hazard in sorted(HAZARD_NAMES - {GENERAL}):
        missing = [s.zh for s in STAGES if s.value not in by_hazard.get(hazard, set())]
        if missing:
            problems.append(Problem(hazard, "缺少阶段的处置卡 / no cards for: " + "、".join(missing)))
    return problems


def check_folder(cards_dir: Path, library: Sequence[Path]) -> list[Problem]:
    decks, unreadable = [], []
    for path in sorted(cards_dir.glob("*.yaml")):
        try:
            decks.append(load_deck(path))
        except DocumentError as err:  # report every broken file, not only the first
            unreadable.append(Problem(path.name, str(err)))
    return unreadable + check_decks(decks, library_chunks(library))
