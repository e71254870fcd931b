"""Structure-aware chunking: chunks follow a plan's own sections and carry their heading path.

An officer needs "4 应急响应 > 4.5 一级应急响应" next to a sentence to trust it, and a
chunk that mixes the end of one response level with the start of the next is a wrong
answer waiting to happen. So a chunk never spans two sections; long sections are cut at
sentence ends into pieces of about ``chunk_chars`` characters (characters, not tokens,
because CJK text has no spaces); small paragraphs of one section are packed together;
table rows are never cut.

Headings come from the format (DOCX styles, Markdown ``#``) or from numbering
(``headings.parse_heading``). A numbered candidate only becomes a heading if it fits the
outline so far (``_Outline``): "2." after "1." is a sibling, "1." under a "3." heading
is a list item, "1总则" after a table of contents starts the outline again.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from assistant.domain import Chunk
from assistant.knowledge.headings import HeadingMatch, is_toc_line, parse_heading
from assistant.knowledge.loaders.base import LoadedDocument

_MARKUP_SUFFIXES = frozenset({".md", ".markdown"})
_ALWAYS_PLAUSIBLE = frozenset({"part", "chapter", "section", "article", "annex"})
# A styled heading that also carries outline numbering ranks above unnumbered headings of its style level.
_PROMOTING_STYLES = frozenset({"part", "chapter", "section", "cn_num", "cn_paren"})
_TWIN_STYLES = {"dec1": "dec1_dot", "dec1_dot": "dec1"}
_MAX_FIRST_NUMBER = 9  # a first heading numbered higher is more likely a quantity than an excerpt's section
_MAX_STEP = 3
_MAX_TOC_TEXT = 100  # stray text lines a scraped table of contents may carry before the outline restarts
_SENTENCE = re.compile(r"(?<=[。！？；!?;])|(?<=\.)(?=\s)|\n")
_CLAUSE = re.compile(r"(?<=[，、,：:])|(?<=\s)")


@dataclass(frozen=True)
class _Entry:
    style: str | None  # None for a heading whose level the format gave
    number: tuple[int, ...]
    text: str
    level: float = 0


@dataclass(frozen=True)
class _Unit:
    text: str
    page: int | None
    whole: bool  # table rows are never cut


def _follows(previous: tuple[int, ...], new: tuple[int, ...]) -> bool:
    """Whether ``new`` can be the next sibling of ``previous`` (small gaps allowed for lossy scrapes)."""
    if len(previous) != len(new):
        return False
    if new[:-1] == previous[:-1]:
        return 0 < new[-1] - previous[-1] <= _MAX_STEP
    return new[:-1] > previous[:-1] and new[-1] <= _MAX_STEP


class _Outline:
    """The stack of open headings; decides whether a numbered candidate fits."""

    def __init__(self) -> None:
        self.entries: list[_Entry] = []
        self.body_chars: Counter[str | None] = Counter()  # text seen so far under each numbering style

    def mark_body(self, chars: int) -> None:
        for style in {entry.style for entry in self.entries}:
            self.body_chars[style] += chars

    def path(self) -> tuple[str, ...]:
        return tuple(entry.text for entry in self.entries)

    def open_explicit(self, text: str, level: float) -> None:
        keep = len(self.entries)
        while keep and not (self.entries[keep - 1].style is None and self.entries[keep - 1].level < level):
            keep -= 1
        del self.entries[keep:]
        self.entries.append(_Entry(None, (), text, level))

    def place(self, match: HeadingMatch) -> int | None:
        """Stack index the heading replaces or extends, or None when it is not a heading here."""
        same = self._index(match.style)
        twin = self._index(_TWIN_STYLES.get(match.style, ""))
        if same is None and twin is not None and _follows(self.entries[twin].number, match.number):
            return twin  # "3. Findings" after "2 Analysis": the same level, written differently
        if same is not None:
            if _follows(self.entries[same].number, match.number):
                return same
            # Numbering may start again only at the outermost level and only while hardly any text has
            # been seen under that style (after a table of contents); otherwise "1." under "5." is a list item.
            outermost = all(entry.style is None for entry in self.entries[:same])
            fresh = self.body_chars[match.style] < _MAX_TOC_TEXT
            return same if outermost and fresh and match.number[-1] <= 1 else None
        if match.style.startswith("dec") and len(match.number) > 1:
            parent_styles = {f"dec{len(match.number) - 1}"} | ({"dec1_dot"} if len(match.number) == 2 else set())
            parent = next((e for e in reversed(self.entries) if e.style in parent_styles), None)
            if parent is not None and parent.number != match.number[:-1]:
                return None
        if match.style not in _ALWAYS_PLAUSIBLE and match.number[-1] > _MAX_FIRST_NUMBER:
            return None
        return 0 if match.style == "annex" else len(self.entries)

    def _index(self, style: str) -> int | None:
        return next((i for i, entry in enumerate(self.entries) if entry.style == style), None)

    def open_numbered(self, match: HeadingMatch, index: int) -> None:
        del self.entries[index:]
        self.entries.append(_Entry(match.style, match.number, match.text))


def _effective_level(text: str, level: int, numbered: bool) -> float:
    """Enterprise plans reuse "Heading 1" for parts ("（一）火灾事故专项应急预案") and their sections ("适用范围");
    the numbering tells them apart. Annexes always start again at the top."""
    match = parse_heading(text) if numbered else None
    if match is None:
        return level
    if match.style == "annex":
        return 0
    return level - 0.5 if match.style in _PROMOTING_STYLES else level


class _Sections:
    """Collects (heading path, units) pairs while the document is read in order."""

    def __init__(self) -> None:
        self.outline = _Outline()
        self.sections: list[tuple[tuple[str, ...], list[_Unit]]] = []
        self.units: list[_Unit] = []
        self.headings: list[_Unit] = []  # the text of a document that turns out to be only headings
        self.first_heading: str | None = None
        self.text_since_first_heading = 0

    def add(self, unit: _Unit) -> None:
        self.units.append(unit)
        self.outline.mark_body(len(unit.text))
        self.text_since_first_heading += len(unit.text)

    def _contents_ended(self, match: HeadingMatch) -> bool:
        """The first numbered heading coming round again before any real text: all before it was a table of contents."""
        return self.first_heading == match.text.replace(" ", "") and self.text_since_first_heading < _MAX_TOC_TEXT

    def close(self) -> None:
        if self.units:
            self.sections.append((self.outline.path(), self.units))
            self.units = []

    def heading_block(self, text: str, level: int | None, page: int | None, numbered: bool) -> None:
        if level is None and numbered and self._numbered_line(text, page):
            return
        self.close()
        self.headings.append(_Unit(text, page, whole=False))
        self.outline.open_explicit(text, _effective_level(text, 1 if level is None else level, numbered))

    def line(self, text: str, page: int | None, numbered: bool) -> None:
        if is_toc_line(text):
            return
        if not (numbered and self._numbered_line(text, page)):
            self.add(_Unit(text, page, whole=False))

    def _numbered_line(self, text: str, page: int | None) -> bool:
        """Open every heading the line starts with and keep the rest as body; False (and no change) if none fits."""
        rest, opened = text, False
        while rest:
            match = parse_heading(rest)
            if match and self._contents_ended(match):
                self.outline = _Outline()
            index = self.outline.place(match) if match else None
            if match is None or index is None:
                break
            self.close()
            self.headings.append(_Unit(match.text, page, whole=False))
            self.outline.open_numbered(match, index)
            if self.first_heading is None:
                self.first_heading = match.text.replace(" ", "")
            rest, opened = match.rest, True
        if opened and rest:
            self.add(_Unit(rest, page, whole=False))
        return opened


def _pieces(text: str, limit: int) -> list[str]:
    """Cut text longer than ``limit`` at sentence ends into near-equal parts, clauses or hard cuts as a last resort."""
    if len(text) <= limit:
        return [text]
    sentences: list[str] = []
    for sentence in (s for s in _SENTENCE.split(text) if s.strip()):
        if len(sentence) <= limit:
            sentences.append(sentence)
            continue
        for clause in (c for c in _CLAUSE.split(sentence) if c):
            sentences.extend(clause[i : i + limit] for i in range(0, len(clause), limit))
    target = len(text) / math.ceil(len(text) / limit)
    parts: list[str] = []
    current = ""
    for sentence in sentences:
        if current and (len(current) + len(sentence) > limit or len(current) >= target):
            parts.append(current.strip())
            current = ""
        current += sentence
    if current.strip():
        parts.append(current.strip())
    return parts


def _pack(units: list[_Unit], limit: int) -> list[list[_Unit]]:
    """Greedily pack a section's units (long paragraphs already cut) into groups of at most ``limit`` characters."""
    groups: list[list[_Unit]] = []
    size = 0
    for unit in units:
        parts = [unit] if unit.whole else [_Unit(p, unit.page, False) for p in _pieces(unit.text, limit)]
        for part in parts:
            if groups and groups[-1] and size + 1 + len(part.text) <= limit:
                groups[-1].append(part)
                size += 1 + len(part.text)
            else:
                groups.append([part])
                size = len(part.text)
    return groups


def chunk_document(
    doc: LoadedDocument, doc_id: str, chunk_chars: int = 500, numbered_headings: bool | None = None
) -> list[Chunk]:
    """Chunks of one document in reading order, ids ``f"{doc_id}:{position:04d}"``.

    ``numbered_headings`` turns recognition of numbered lines as headings on or off; by default it
    is off for Markdown (whose ``#`` headings are the structure and numbered lines are lists).
    """
    numbered = doc.path.suffix.lower() not in _MARKUP_SUFFIXES if numbered_headings is None else numbered_headings
    sections = _Sections()
    for block in doc.blocks:
        if block.kind == "heading":
            sections.heading_block(block.text, block.level, block.page, numbered)
        elif block.kind == "table_row":
            sections.add(_Unit(block.text, block.page, whole=True))
        else:
            for line in block.text.split("\n"):
                if line.strip():
                    sections.line(line.strip(), block.page, numbered)
    sections.close()
    found = sections.sections or ([((), sections.headings)] if sections.headings else [])
    chunks: list[Chunk] = []
    for path, units in found:
        for group in _pack(units, chunk_chars):
            pages = [unit.page for unit in group if unit.page is not None]
            chunks.append(
                Chunk(
                    chunk_id=f"{doc_id}:{len(chunks):04d}",
                    doc_id=doc_id,
                    text="\n".join(unit.text for unit in group),
                    heading_path=path,
                    page_start=min(pages) if pages else None,
                    page_end=max(pages) if pages else None,
                    position=len(chunks),
                )
            )
    return chunks
