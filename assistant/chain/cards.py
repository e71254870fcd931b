"""Action cards (knowledge/cards/*.yaml): the 现场处置卡 a duty officer fills in, as data.

A card is one short, ordered, role-specific action of one stage of one hazard, with its own
unit, time limit, closed loop, the conditions under which it applies, the lesson it carries
and the clause it rests on (document · section · a phrase of that clause). The drafter
instantiates the cards whose conditions the alert's facts meet; a city adds its own cards
(its own 现场处置方案) by dropping a file in the same folder. See knowledge/cards/README.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.domain import Loop, Stage
from assistant.errors import DocumentError
from assistant.settings import PROJECT_ROOT

CARDS_DIR = PROJECT_ROOT / "knowledge" / "cards"
GENERAL = "综合"  # the deck every alert gets (information reports, records): boilerplate for the evaluation


@dataclass(frozen=True)
class CardCitation:
    doc: str  # the document's id (front-matter id or file stem)
    section: str  # a part of the clause's heading path
    phrase: str  # words that must appear in that clause


@dataclass(frozen=True)
class CardLesson:
    case: str  # the case file's id
    text: Mapping[str, str]  # zh / en


@dataclass(frozen=True)
class Card:
    id: str
    hazard: str
    stage: Stage
    order: int
    text: Mapping[str, str]
    unit: Mapping[str, str]
    time_limit: Mapping[str, str]
    loop: Loop
    when: tuple[str, ...]
    cite: tuple[CardCitation, ...]
    lessons: tuple[CardLesson, ...] = ()
    source: str = ""  # the file it came from

    @property
    def general(self) -> bool:
        return self.hazard == GENERAL


@dataclass(frozen=True)
class Deck:
    hazard: str
    title: Mapping[str, str]
    cards: tuple[Card, ...]
    forbidden: Mapping[str, tuple[str, ...]]  # advice that must never appear un-negated in a draft
    source: str


def _bilingual(value: Any, where: str, key: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"zh": value, "en": value}
    if not isinstance(value, Mapping) or not value.get("zh"):
        raise DocumentError(where, f"{key} 需要 zh（和 en）/ {key} needs zh (and en) text")
    if stray := sorted(str(k) for k in value if k not in ("zh", "en")):
        # `{zh: …, en: on arrival, until …}`: an unquoted comma ends the text and starts a key
        raise DocumentError(
            where,
            f"{key} 含多余的键 {stray}：含逗号的文字请加引号 / stray keys {stray}: quote text that contains a comma",
        )
    return {"zh": str(value["zh"]), "en": str(value.get("en") or value["zh"])}


def _card(raw: Mapping[str, Any], hazard: str, where: str) -> Card:
    card_id = str(raw.get("id") or "")
    here = f"{where} · {card_id or '?'}"
    if not card_id:
        raise DocumentError(where, "每张卡需要 id / every card needs an id")
    try:
        stage, loop = Stage(raw["stage"]), Loop(raw.get("loop", "small"))
    except (KeyError, ValueError) as err:
        raise DocumentError(here, f"stage/loop 无效 / invalid stage or loop: {err}") from None
    cites = tuple(
        CardCitation(str(c["doc"]), str(c.get("section", "")), str(c.get("phrase", ""))) for c in raw.get("cite") or ()
    )
    lessons = tuple(
        CardLesson(str(item["case"]), _bilingual(item.get("text") or item, here, "lesson"))
        for item in raw.get("lessons") or ()
    )
    return Card(
        id=card_id,
        hazard=hazard,
        stage=stage,
        order=int(raw.get("order", 100)),
        text=_bilingual(raw.get("text"), here, "text"),
        unit=_bilingual(raw.get("unit"), here, "unit"),
        time_limit=_bilingual(raw.get("time_limit"), here, "time_limit"),
        loop=loop,
        when=tuple(str(w) for w in raw.get("when") or ()),
        cite=cites,
        lessons=lessons,
        source=where,
    )


def load_deck(path: Path) -> Deck:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    hazard = str(data.get("hazard") or "")
    if not hazard:
        raise DocumentError(str(path), "缺少 hazard / the deck needs a hazard")
    forbidden = data.get("forbidden") or {}
    return Deck(
        hazard=hazard,
        title=_bilingual(data.get("title") or hazard, str(path), "title"),
        cards=tuple(_card(raw, hazard, str(path)) for raw in data.get("cards") or ()),
        forbidden={lang: tuple(forbidden.get(lang) or ()) for lang in ("zh", "en")},
        source=str(path),
    )


@lru_cache(maxsize=4)
def _load(folder: Path, stamp: tuple[tuple[str, float], ...]) -> dict[str, Deck]:
    decks: dict[str, Deck] = {}
    for name, _mtime in stamp:
        deck = load_deck(folder / name)
        if deck.hazard in decks:  # a city's own file for a hazard adds to the shipped deck
            known = decks[deck.hazard]
            deck = Deck(
                deck.hazard,
                known.title,
                known.cards + deck.cards,
                {lang: known.forbidden[lang] + deck.forbidden[lang] for lang in ("zh", "en")},
                known.source,
            )
        decks[deck.hazard] = deck
    return decks


def load_decks(folder: Path = CARDS_DIR) -> dict[str, Deck]:
    """All decks by hazard (reloaded when a file changes)."""
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return _load(folder, tuple((f.name, f.stat().st_mtime) for f in files))


def cards_text(folder: Path = CARDS_DIR) -> str:
    """Every card's wording (units, time limits), for the grounding check: reviewed data, like our templates."""
    parts = []
    for deck in load_decks(folder).values():
        for card in deck.cards:
            for field in (card.text, card.unit, card.time_limit):
                parts += list(field.values())
    return "\n".join(parts)
