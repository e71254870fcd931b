"""Offline answers: the answering clause first, a few supporting sentences, the sources; or "not covered".

Used when no endpoint is configured and whenever the endpoint fails, so an officer's
question is never left without a sourced reply. The answer is produced as pieces (lead
sentence, each supporting line, the sources) so the chat can show them as they come.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from assistant.chain.answer_lead import lead_clauses, write_lead
from assistant.chain.answer_spec import AnswerSpec
from assistant.chain.clauses import Clause
from assistant.chain.coverage import Coverage
from assistant.chain.glossary import Glossary
from assistant.chain.lead_choice import LeadChoice, passage_places
from assistant.chain.question import Ask, Question
from assistant.chain.sentences import similarity
from assistant.domain import Citation, EvidenceCheck

MAX_SUPPORT = 3
SUPPORT_SCORE_GAP = 3.0  # supporting sentences score within this of the lead
SUPPORT_OVERLAP_GAP = 0.25  # ... and share nearly as many of the question's words
NOT_COVERED = {"zh": "知识库未覆盖", "en": "Not covered by the knowledge base"}


@dataclass(frozen=True)
class Answer:
    text: str
    covered: bool
    citations: tuple[Citation, ...]  # cited passages, or the nearest ones when not covered
    engine: str
    checks: tuple[EvidenceCheck, ...] = ()
    notices: tuple[str, ...] = ()
    confidence: float | None = None  # the coverage decision's confidence (-inf: a hard rule refused)


@dataclass
class SourceNumbers:
    """Sources numbered in the order the answer first cites them."""

    cited: list[Citation] = field(default_factory=list)

    def __call__(self, citation: Citation) -> int:
        ids = [c.chunk_id for c in self.cited]
        if citation.chunk_id not in ids:
            self.cited.append(citation)
            return len(self.cited)
        return ids.index(citation.chunk_id) + 1

    def block(self, heading: str) -> str:
        return heading + "\n" + "\n".join(f"[{n}] {c.label()}" for n, c in enumerate(self.cited, start=1))


def not_covered_text(coverage: Coverage, nearest: Sequence[Citation], lang: str, spec: AnswerSpec) -> str:
    kinds = spec.missing_kinds.get(lang, spec.missing_kinds["zh"])
    items = [kinds.get(m, m) for m in coverage.missing]
    joined = ("、" if lang == "zh" else ", ").join(items)
    missing = spec.text("not_covered", lang, "missing", items=joined) if items else ""
    lines = [spec.text("not_covered", lang, "head", missing=missing), spec.text("not_covered", lang, "advice")]
    lines += [f"{n}. {c.label()}" for n, c in enumerate(nearest, start=1)]
    return "\n".join(lines)


def compose(
    question: Question,
    choices: list[LeadChoice],
    lang: str,
    glossary: Glossary,
    spec: AnswerSpec,
    number: SourceNumbers,
) -> Iterator[str]:
    """The answer's pieces as each is written: the lead sentence first, then excerpts, notes, support, sources.

    ``number`` collects the cited passages in citation order (read it when the pieces are done).
    """
    picked = lead_clauses(choices)
    yield write_lead(picked, lang, number, glossary, spec) + "\n"
    shown = [clause for _, clause in picked]
    if lang == "en":
        yield from (_excerpt(clause, number, spec) for clause in shown if clause.lang == "zh")
    for choice, _clause in picked:
        for rival in choice.rivals:
            yield _disagreement(rival.clause, lang, number, glossary, spec)
            shown.append(rival.clause)
    note = _fallback_note(question, picked, glossary, lang, spec)
    if note:
        yield note + "\n"
    yield from _support(choices[0] if choices else None, shown, lang, number, spec)
    yield "\n" + number.block(spec.text("support", lang, "sources"))


def _excerpt(clause: Clause, number: SourceNumbers, spec: AnswerSpec) -> str:
    quote = f"“{clause.sentence.rstrip()}”"
    return spec.text("support", "en", "excerpt", quote=quote, cite=f"[{number(clause.citation)}]") + "\n"


def _disagreement(clause: Clause, lang: str, number: SourceNumbers, glossary: Glossary, spec: AnswerSpec) -> str:
    cite = f"[{number(clause.citation)}]"
    if lang == "zh":
        text = spec.text("support", "zh", "disagree", title=clause.citation.title, clause=clause.text, cite=cite)
        return text + "\n"
    line = spec.text("support", "en", "disagree", value=clause.citation.title, cite=cite)
    return line + "\n" + (_excerpt(clause, number, spec) if clause.lang == "zh" else "")


def _fallback_note(
    question: Question, picked: list[tuple[LeadChoice, Clause]], glossary: Glossary, lang: str, spec: AnswerSpec
) -> str:
    """Say so when a named Chinese locality is answered from national rules."""
    named = [t for t in question.places if t.scope == "cn"]
    if not named or not picked:
        return ""
    clause = picked[0][1]
    if passage_places(clause.citation, glossary):
        return ""
    if any(glossary.mentions(t, clause.citation.text) for t in named):
        return ""
    place = named[0].zh[0] if lang == "zh" else named[0].en[0]
    return spec.text("support", lang, "national_fallback", place=place)


def _support(
    main: LeadChoice | None, shown: list[Clause], lang: str, number: SourceNumbers, spec: AnswerSpec
) -> Iterator[str]:
    if main is None or main.best is None:
        return
    lines = 0
    taken = [c.sentence for c in shown]
    for candidate in main.support:
        if lines == MAX_SUPPORT or candidate.score < main.best.score - SUPPORT_SCORE_GAP:
            break
        if main.ask is Ask.LEVEL and _other_level(candidate.clause, main.best.clause):
            continue  # "四级：黄色预警…" under an answer of 三级 reads as a second answer
        same_passage = candidate.clause.citation.chunk_id == main.best.clause.citation.chunk_id
        if not same_passage and candidate.overlap < main.best.overlap - SUPPORT_OVERLAP_GAP:
            continue
        sentence = candidate.clause.sentence
        if any(similarity(sentence, t) >= 0.5 or sentence in t or t in sentence for t in taken):
            continue
        taken.append(sentence)
        cite = f"[{number(candidate.clause.citation)}]"
        lines += 1
        if lang == "en" and candidate.clause.lang == "zh":
            yield spec.text("support", "en", "excerpt", quote=f"“{sentence}”", cite=cite) + "\n"
        else:
            yield spec.text("support", lang, "bullet", sentence=sentence.rstrip(), cite=cite) + "\n"


def _other_level(clause: Clause, lead: Clause) -> bool:
    """A clause of one level only, not the level the lead answers with."""
    return len(clause.levels) == 1 and bool(lead.levels) and not clause.levels & lead.levels
