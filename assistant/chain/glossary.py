"""The zh ↔ en domain glossary (knowledge/data/glossary.yaml): find, expand, render.

An English question about "reporting a gas leak" shares no word with the Chinese clause
that answers it (燃气泄漏 … 报告), so the keyword side of retrieval and the coverage check
need the question's words in the other language too; an English answer needs the clause's
level, role and unit in English. The vocabulary is data an expert reviews, not code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.settings import PROJECT_ROOT

GLOSSARY_PATH = PROJECT_ROOT / "knowledge" / "data" / "glossary.yaml"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Chinese function characters a rendering may drop or turn into an English connective.
_CONNECTIVES = {"或": " or ", "或者": " or ", "和": " and ", "及": " and ", "与": " and ", "、": ", ", "的": " "}
_TITLES = ("role",)
_BODIES = ("body",)


@dataclass(frozen=True)
class Term:
    """One concept: its Chinese and English wordings (the first is the preferred one)."""

    kind: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    scope: str = ""  # places: "cn" or "foreign"

    def words(self, lang: str) -> tuple[str, ...]:
        return self.en if lang == "en" else self.zh

    def other(self, lang: str) -> tuple[str, ...]:
        return self.zh if lang == "en" else self.en


@dataclass(frozen=True)
class Match:
    term: Term
    text: str  # the wording as it occurs
    start: int
    end: int


def language_of(text: str) -> str:
    """``zh`` when a tenth of the characters are Chinese, else ``en`` (questions and passages alike)."""
    cjk = len(_CJK.findall(text))
    return "zh" if cjk >= max(1, len(text) // 10) else "en"


def _positions(text: str, word: str) -> Iterator[int]:
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + 1)


def english_pattern(word: str) -> re.Pattern[str]:
    body = re.escape(word.lower()).replace(r"\ ", r"[\s-]+")
    return re.compile(rf"(?<![a-z0-9]){body}(?:s|es|ed|d|ing)?(?![a-z0-9])")


class Glossary:
    """Longest-match lookup in either language; every method is pure and cheap."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.terms = terms
        self._zh = sorted(((w, t) for t in terms for w in t.zh), key=lambda item: -len(item[0]))
        self._en = sorted(((w, english_pattern(w), t) for t in terms for w in t.en), key=lambda item: -len(item[0]))

    def find(self, text: str, lang: str | None = None) -> list[Match]:
        """Non-overlapping matches, longest wording first, in text order."""
        lang = lang or language_of(text)
        taken: list[Match] = []
        if lang == "zh":
            candidates: Iterator[tuple[str, int, Term]] = (
                (w, start, t) for w, t in self._zh if w in text for start in _positions(text, w)
            )
        else:
            lowered = text.lower()
            candidates = ((m.group(0), m.start(), t) for _w, p, t in self._en for m in p.finditer(lowered))
        for word, start, term in candidates:
            end = start + len(word)
            if all(end <= m.start or start >= m.end for m in taken):
                taken.append(Match(term, text[start:end], start, end))
        return sorted(taken, key=lambda m: m.start)

    def equivalents(self, text: str, lang: str | None = None) -> list[str]:
        """Every other-language wording of the concepts ``text`` mentions (for a keyword query)."""
        lang = lang or language_of(text)
        found: list[str] = []
        for match in self.find(text, lang):
            if lang == "zh" and len(match.text) < 2:
                continue
            for word in match.term.other(lang):
                if word not in found:
                    found.append(word)
        return found

    def alternatives(self, text: str, lang: str | None = None) -> list[str]:
        """Other wordings, in the same language, of the concepts ``text`` mentions (启动条件 → 触发条件)."""
        lang = lang or language_of(text)
        found: list[str] = []
        for match in self.find(text, lang):
            for word in match.term.words(lang):
                if len(word) >= 2 and word.lower() != match.text.lower() and word not in found:
                    found.append(word)
        return found

    def places(self, text: str, lang: str | None = None) -> list[Term]:
        return list(dict.fromkeys(m.term for m in self.find(text, lang) if m.term.kind == "place"))

    def mentions(self, term: Term, text: str) -> bool:
        """Whether ``text`` (either language) names the concept."""
        lowered = text.lower()
        return any(w in text for w in term.zh) or any(english_pattern(w).search(lowered) for w in term.en)

    def render_en(self, phrase: str) -> str | None:
        """A Chinese role / unit phrase in English, or None when part of it is not in the glossary.

        A body followed by a title reads "the <title> of the <body>" (市防指总指挥 → the
        commander-in-chief of the municipal flood control headquarters).
        """
        matches = self.find(phrase, "zh")
        pieces: list[str] = []
        cursor = 0
        index = 0
        while index < len(matches):
            match = matches[index]
            gap = phrase[cursor : match.start]
            if gap and not self._connective(gap, pieces):
                return None
            following = matches[index + 1] if index + 1 < len(matches) else None
            if (
                following is not None
                and match.term.kind in _BODIES
                and following.term.kind in _TITLES
                and following.start == match.end
            ):
                pieces.append(f"the {following.term.en[0]} of the {match.term.en[0]}")
                cursor, index = following.end, index + 2
                continue
            pieces.append(match.term.en[0])
            cursor, index = match.end, index + 1
        rest = phrase[cursor:]
        if rest and not self._connective(rest, pieces):
            return None
        text = re.sub(r"\s+", " ", "".join(p if p.startswith(" ") or p.startswith(",") else f" {p}" for p in pieces))
        return text.replace(" ,", ",").strip() or None

    @staticmethod
    def _connective(gap: str, pieces: list[str]) -> bool:
        gap = gap.strip()
        if not gap:
            return True
        if gap in _CONNECTIVES:
            pieces.append(_CONNECTIVES[gap])
            return True
        return not _CJK.search(gap)

    def gist_en(self, text: str, kinds: tuple[str, ...] = ("action", "hazard", "body", "role")) -> list[str]:
        """The English names of the concepts a Chinese clause mentions, in order (a keyword gist)."""
        seen: list[str] = []
        for match in self.find(text, "zh"):
            if match.term.kind in kinds and len(match.text) >= 2 and match.term.en[0] not in seen:
                seen.append(match.term.en[0])
        return seen


@lru_cache(maxsize=2)
def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    """The glossary file; an absent file is an empty glossary (questions still work, monolingually)."""
    if not path.exists():
        return Glossary(())
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = tuple(
        Term(
            kind=str(entry.get("kind", "")),
            zh=tuple(str(w) for w in entry.get("zh", [])),
            en=tuple(str(w) for w in entry.get("en", [])),
            scope=str(entry.get("scope", "")),
        )
        for entry in data.get("entries", [])
        if entry.get("zh") and entry.get("en")
    )
    return Glossary(terms)


def renderings(sources: Iterable[str], glossary: Glossary | None = None) -> list[str]:
    """The glossary's English for the terms each Chinese source names: an English answer that writes
    "State Council" for the 国务院 of its source is grounded in that source."""
    glossary = glossary or load_glossary()
    return [" ".join(glossary.equivalents(text, "zh")) for text in sources if language_of(text) == "zh"]
