"""A city's plan library for benchmarks, generated at run time from the structure of real documents.

Sources are the shipped knowledge (``knowledge/plans``, ``knowledge/cases``) and, when the shared
folder is present, the real documents in ``../shared/realdata`` (plans and cases; read here, never
copied into the repository). Each source is loaded and chunked by our own pipeline, which gives its
outline: the heading path and the sentences of every section. A generated document follows one
source's outline heading by heading and keeps each section's length; each sentence is the source's
own or, half the time, one from a section with the same topic (总则, 应急响应, 事故经过 ...) of another
source; place names become those of the fictional city and district it is written for. A city holds
three kinds: 专项应急预案 (whole plan outlines), 现场处置方案 (a plan's response and disposal sections
only) and 调查评估报告 (case outlines). The library goes to a temporary folder given by the caller.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from assistant.domain import DocKind
from assistant.knowledge.chunking import chunk_document
from assistant.knowledge.loaders import load_document
from assistant.knowledge.metadata import build_metadata
from assistant.settings import PROJECT_ROOT

REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"
CITY = "江城市"  # fictional: generated text must not be mistaken for a real city's plan
DISTRICTS = ["东湖区", "西陵区", "南岸区", "北塘区", "江口区", "新港区", "高新区", "临江县", "青山县", "白沙县"]
_PLACES = re.compile(
    r"(北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|海南|"
    r"重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|郑州|十堰|深圳|杭州|武汉|长沙|大连|天津港)"
    r"(维吾尔自治区|回族自治区|壮族自治区|自治区|省|市)?"
)
_NUMBERING = re.compile(r"^[\s\d.．、，,()（）一二三四五六七八九十百零〇第章节条款部分]+")
_SENTENCE_END = re.compile(r"(?<=[。！？；])")
_RESPONSE_TOPIC = re.compile(r"响应|处置|救援|措施|预警|报告|指挥|保障")
_TITLE_NOISE = re.compile(r"（[^）]*）|\([^)]*\)|要点|摘要|框架|简本|节选")


@dataclass(frozen=True)
class Section:
    headings: tuple[str, ...]
    sentences: tuple[str, ...]

    @property
    def topic(self) -> str:
        """What the section is about, without its numbering: '4.2 先期处置' -> '先期处置'."""
        last = self.headings[-1] if self.headings else ""
        return _NUMBERING.sub("", last)[:8]


@dataclass(frozen=True)
class Outline:
    """One source document as our chunker sees it."""

    title: str
    kind: DocKind
    sections: tuple[Section, ...]


def source_files(include_realdata: bool = True) -> list[Path]:
    folders = [PROJECT_ROOT / "knowledge" / "plans", PROJECT_ROOT / "knowledge" / "cases"]
    if include_realdata and REALDATA.is_dir():
        folders += [REALDATA / "plans", REALDATA / "cases"]
    files = []
    for folder in folders:
        files += sorted(
            p for p in folder.rglob("*") if p.suffix in {".md", ".txt"} and "_cjk_pdf_parser_smoke" not in p.parts
        )
    return files


def read_outline(path: Path) -> Outline | None:
    document = load_document(path)
    meta = build_metadata(document, source_path=str(path))
    sections: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for chunk in chunk_document(document, meta.doc_id, chunk_chars=500):
        sentences = [s.strip() for s in _SENTENCE_END.split(chunk.text.replace("\n", "")) if len(s.strip()) > 4]
        sections[chunk.heading_path] += sentences
    kept = tuple(Section(h, tuple(s)) for h, s in sections.items() if s)
    title = _TITLE_NOISE.sub("", _PLACES.sub("", meta.title)).strip("-_ 0123456789")
    return Outline(title, meta.kind, kept) if kept else None


class LibraryWriter:
    """Writes generated documents; ``pools`` holds every source sentence by section topic."""

    def __init__(self, outlines: list[Outline], seed: int = 20) -> None:
        self.outlines = outlines
        self.rng = random.Random(seed)
        self.pools: dict[str, list[str]] = defaultdict(list)
        for outline in outlines:
            for section in outline.sections:
                self.pools[section.topic] += section.sentences

    def _sentences(self, section: Section, district: str) -> list[str]:
        """The section's sentences, half of them swapped for other sources' sentences on the same topic."""
        pool, chosen = self.pools[section.topic], []
        for own in section.sentences:
            other = self.rng.choice(pool)
            for text in (other, own) if self.rng.random() < 0.5 else (own,):
                if text not in chosen:
                    chosen.append(text)
                    break
        return [_PLACES.sub(CITY if self.rng.random() < 0.5 else CITY + district, t) for t in chosen]

    def render(self, title: str, sections: tuple[Section, ...], district: str) -> str:
        lines, previous = [title], ()
        for section in sections:
            shared = 0
            while shared < min(len(previous), len(section.headings)) and previous[shared] == section.headings[shared]:
                shared += 1
            lines += [_PLACES.sub(CITY, h) for h in section.headings[shared:]]
            body = self._sentences(section, district)
            lines += ["".join(body[i : i + 4]) for i in range(0, len(body), 4)]
            previous = section.headings
        return "\n".join(lines) + "\n"

    def documents(self, number: int) -> tuple[str, str, str]:
        """(file stem, kind label, text) of the ``number``-th document of the library."""
        outline = self.outlines[number % len(self.outlines)]
        district = DISTRICTS[number % len(DISTRICTS)]
        response = tuple(s for s in outline.sections if _RESPONSE_TOPIC.search(" ".join(s.headings)))
        if outline.kind == DocKind.CASE:
            kind, title = "调查评估报告", f"{CITY}{district}{outline.title}调查评估报告"
            sections = outline.sections
        elif number % 3 == 2 and len(response) >= 3:
            kind, title = "现场处置方案", f"{CITY}{district}{outline.title}现场处置方案"
            sections = response
        else:
            kind, title = "专项应急预案", f"{CITY}{district}{outline.title}（{2018 + number % 8}年修订）"
            sections = outline.sections
        return f"{number:04d}-{kind}", kind, self.render(title, sections, district)


def write_library(folder: Path, min_chunks: int, include_realdata: bool = True) -> dict[str, int]:
    """Write documents until they make ``min_chunks`` chunks (counted by our chunker); returns counts."""
    outlines = [o for o in map(read_outline, source_files(include_realdata)) if o]
    writer = LibraryWriter(outlines)
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = defaultdict(int)
    chunks, number = 0, 0
    while chunks < min_chunks:
        stem, kind, text = writer.documents(number)
        path = folder / f"{stem}.txt"
        path.write_text(text, encoding="utf-8")
        chunks += len(chunk_document(load_document(path), stem, chunk_chars=500))
        counts[kind] += 1
        number += 1
    return {"sources": len(outlines), "documents": number, "chunks": chunks, **counts}
