"""Which clause answers the question: scored by shared concepts, meaning, the asked slot, level and jurisdiction.

For each thing the question asks (level, approver, deadline …) the clause must state that
kind of value; among those, the one whose heading matches the asked level, whose plan is
the jurisdiction named in the question (else national), and whose words and meaning are
closest to the question wins. A level found for the first ask ("几级响应") becomes the
asked level of the next ("由谁批准").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.chain.clauses import Clause, clauses_of, post_holder_in
from assistant.chain.gazetteer import load_gazetteer
from assistant.chain.glossary import Glossary, Term, english_pattern
from assistant.chain.lead_adjust import adjustment
from assistant.chain.meaning import ClauseMeaning
from assistant.chain.premise import (
    MeasureCheck,
    check_measure,
    fits,
    stated_counts,
    stated_measures,
    stated_window,
    yes_no,
)
from assistant.chain.question import Ask, Question, levels_in
from assistant.chain.slots import COUNTED, has_slot, place_figures, slot_value
from assistant.chain.terms import content_terms
from assistant.domain import Citation, Level

MEANING_CANDIDATES = 4  # clauses embedded per question (the latency budget)
RIVAL_GAP = 0.3  # another plan's clause this close to the best is shown when it disagrees
SLOT_OVERLAP_GAP = 0.3  # a clause with the asked kind of value may share this much less of the question
_COMPARABLE = (Ask.LEVEL, Ask.APPROVER, Ask.DEADLINE, Ask.THRESHOLD)
_NATIONAL_ASKS = (Ask.DEADLINE, Ask.THRESHOLD, Ask.ACTIONS, Ask.PERMISSION)
_RULE_ASKS = (Ask.LEVEL, Ask.APPROVER, Ask.DEADLINE, Ask.THRESHOLD)  # what plans and regulations state
_OPEN = (Ask.GENERAL, Ask.CAUSE, Ask.ACTIONS)  # any clause may answer: no slot bonus
_SOFT_SLOT = _OPEN  # ... and no clause is excluded for lacking a duty verb
_GRADING_ASKS = (Ask.LEVEL, Ask.GENERAL, Ask.THRESHOLD)  # "死亡5人属于几级 / 算重大吗": the counts decide
_QUALIFIED = (Ask.APPROVER, Ask.LEADER, Ask.DEADLINE)  # values that differ by level ("一级由…批准")
_YEAR = re.compile(r"(?:19|20)\d\d")
_CAUSE_SECTION = re.compile(r"原因|\bcauses?\b", re.IGNORECASE)
_DIRECT_CAUSE = re.compile(r"直接原因|\bdirect cause\b", re.IGNORECASE)
# Weights of the clause score, set on the ask goldens (see evals/README.md, "ask.lead").
W_OVERLAP, W_SLOT, W_LEVEL, W_SINGLE_LEVEL, W_COLOUR, W_MEANING, W_RANK = 2.0, 1.5, 1.2, 0.4, 0.8, 0.6, 0.08
W_SAME_PLACE, W_OTHER_PLACE = 0.8, -3.0
W_HEADING, W_CONTINUATION, W_LEVEL_TEXT, W_CAUSE, W_POST = 0.8, 0.1, 0.6, 0.4, 1.0
W_EXTRA_CONDITION = 0.5
W_DIRECT_CAUSE, W_CHAIN_ORDER, W_BARE_HEAD, W_ACTOR = 0.8, 0.3, 1.0, 2.5
_CONJUNCTION = re.compile(r"并且|(?<![而并])且")
_LABEL = re.compile(r"^[^：:。；;，,]{1,12}[：:]")


@dataclass(frozen=True)
class Unit:
    """One thing the question names, in all its wordings; ``key`` units are named places or incidents."""

    label: str
    zh: tuple[str, ...]
    en: tuple[re.Pattern[str], ...]
    key: bool = False
    term: Term | None = None
    parts: tuple[str, ...] = ()  # a compound wording's words ("燃气泄漏": 燃气, 泄漏), each enough together

    def found_in(self, text: str, lowered: str) -> bool:
        if any(w in text for w in self.zh) or any(p.search(lowered) for p in self.en):
            return True
        return bool(self.parts) and all(p in text for p in self.parts)


def question_units(question: Question, glossary: Glossary) -> list[Unit]:
    """The question's content words, each with its glossary equivalents in the other language."""
    units: list[Unit] = []
    matches = glossary.find(question.text, question.lang)
    for match in matches:
        term = match.term
        if term.kind == "level" and match.text in ("响应", "response", "级别", "level"):
            continue
        units.append(
            Unit(
                match.text,
                tuple(w for w in term.zh if len(w) >= 2 or question.lang == "zh" or term.kind == "measure"),
                tuple(english_pattern(w) for w in term.en),
                key=term.kind in ("place", "incident"),
                term=term,
                parts=_parts(match.text) if question.lang == "zh" else (),
            )
        )
    covered = "".join(m.text.lower() for m in matches)
    # "12人死亡，属于较大事故吗": a count stated for grading is a premise, not a word the source must hold
    grading = any(a in _GRADING_ASKS for a in question.asks)
    stated = {f"{c.value:g}" for c in stated_counts(question.text)} if grading else set()
    if grading and yes_no(question.text):  # "是不是38℃就发布": the value is checked, not looked for
        stated |= {q.value for q in stated_measures(question.text)}
    for word in question.terms:
        if word in covered or any(word in m.text.lower() for m in matches) or word in stated:
            continue
        english = question.lang == "en" and word.isascii()
        year = bool(_YEAR.fullmatch(word))  # "深圳2023年…": a year names the event as much as a place does
        units.append(Unit(word, () if english else (word,), (english_pattern(word),) if english else (), key=year))
    return units


def _parts(wording: str) -> tuple[str, ...]:
    pieces = tuple(p for p in content_terms(wording) if len(p) >= 2)
    return pieces if len(pieces) > 1 else ()


def _extra_condition(text: str, units: list[Unit]) -> bool:
    """Whether the clause joins a condition the question does not name to the one it does.

    "正在发生大范围强降雨过程且省气象局又发布暴雨橙色预警报告" (二级) needs more than the orange
    warning the officer reports; "省气象局发布暴雨橙色预警报告" (三级) is the clause that applies.
    """
    parts = _CONJUNCTION.split(_LABEL.sub("", text, count=1))  # "启动条件：" names no condition of its own
    if len(parts) < 2 or not units:
        return False
    return any(p.strip() and not any(u.found_in(p, p.lower()) for u in units) for p in parts)


def passage_places(citation: Citation, glossary: Glossary) -> list[Term]:
    """The localities a document belongs to, from the main part of its title (national: none)."""
    main = re.split(r"[（(]", citation.title, maxsplit=1)[0]
    return glossary.places(main)


@dataclass(frozen=True)
class Base:
    """What a clause shares with the question, before the ask is considered."""

    overlap: float  # share of the question's units named by the clause, its heading or title
    passage: float  # share named anywhere in the clause's passage
    specific: float  # the same share, each unit weighted by how few candidate clauses name it
    keys_ok: bool  # every named place / incident is the clause's (or an allowed national fallback)
    heading: float  # share of the topic words (those not in the title) named by the heading
    extra_condition: bool = False  # "A且B": a condition the question does not state is part of the clause


def _rarity(units: list[Unit], found: list[list[bool]]) -> list[float]:
    """Inverse document frequency of each unit over the candidate clauses."""
    total = len(found)
    return [math.log((total + 1) / (1 + sum(row[i] for row in found))) + 0.1 for i in range(len(units))]


@dataclass(frozen=True)
class Candidate:
    clause: Clause
    ask: Ask
    score: float
    overlap: float  # share of the question's units named by the clause, its heading or title
    passage_overlap: float  # share named anywhere in the clause's passage
    slot: bool
    keys_ok: bool  # every named place / incident is the clause's (or allowed national fallback)
    meaning: float | None = None  # cosine relative to the question's other embedded candidates
    cosine: float | None = None  # the raw cosine (E5 scores sit in a narrow band: calibrate before use)


@dataclass(frozen=True)
class LeadChoice:
    ask: Ask
    best: Candidate | None
    level: Level | None  # the level this ask was answered for (asked or found)
    rivals: tuple[Candidate, ...] = ()  # other documents that state a different value
    support: tuple[Candidate, ...] = ()  # the next best clauses, for the sentences after the lead
    counted: Term | None = None  # what a "how many" question counts (死亡, 受伤 …), when it names it
    also_counted: tuple[Term, ...] = ()  # "how many killed and how many injured": the other counts asked
    place: Term | None = None  # the named place whose own figure the best clause states ("其中郑州市380人")
    named_level: Level | None = None  # the grade the question named, when its stated counts decided the grade
    elsewhere: Term | None = None  # the named place the document gives no figure for; best is its other figure
    measure: MeasureCheck | None = None  # "是不是38℃就发布": the stated value against the clause's threshold
    above: Term | None = None  # the named city without a plan of its own; best is its province's rule


class LeadFinder:
    def __init__(self, glossary: Glossary, meaning: ClauseMeaning | None = None) -> None:
        self.glossary = glossary
        self.meaning = meaning
        self._places: dict[str, list[Term]] = {}  # by document title
        self._doc_text: dict[str, str] = {}  # the retrieved passages of each document, for the years they name

    def _own_places(self, citation: Citation) -> list[Term]:
        if citation.title not in self._places:
            self._places[citation.title] = passage_places(citation, self.glossary)
        return self._places[citation.title]

    def choose(self, question: Question, passages: list[Citation], query: str = "") -> list[LeadChoice]:
        """One choice per ask, in the order asked; ``query`` is the text meaning is measured against."""
        units = question_units(question, self.glossary)
        clauses = clauses_of(passages)
        if not clauses:
            return [LeadChoice(a, None, question.level) for a in question.asks]
        self._doc_text = _doc_texts(passages)
        found = {id(c): self._found(units, c) for c in clauses}
        rarity = _rarity(units, [found[id(c)] for c in clauses])
        base = {id(c): self._base(question, units, c, found[id(c)], rarity) for c in clauses}
        meanings = self._meanings(query or question.text, clauses, base)
        mean = sum(meanings.values()) / len(meanings) if meanings else 0.0
        choices: list[LeadChoice] = []
        grading = any(a in _GRADING_ASKS for a in question.asks)
        counts = stated_counts(question.text) if grading else []
        fit = {id(c): fits(c.text, counts) for c in clauses} if counts else {}
        # A stated count decides the grade: the named one is a claim to check, not the grade asked after.
        level = None if any(fit.values()) else question.level
        colour = _colour_term(self.glossary, question) if question.colour else None
        measures = stated_measures(question.text) if yes_no(question.text) else []
        counts_asked = list(dict.fromkeys(u.term for u in units if u.term is not None and u.term.zh[0] in COUNTED))
        counted = counts_asked[0] if counts_asked else None
        for ask in question.asks:
            scored = sorted(
                (
                    self._score(
                        question, ask, c, base[id(c)], meanings.get(id(c)), mean, level, colour, counted, fit.get(id(c))
                    )
                    for c in clauses
                ),
                key=lambda cand: -cand.score,
            )
            keyed = [c for c in scored if c.keys_ok]
            # A "what must be done" answer need not use a duty verb; other asks need their kind of value,
            # stated by a clause about the question (a number in an unrelated clause is not the answer).
            topical = max((c.overlap for c in keyed), default=0.0) - SLOT_OVERLAP_GAP
            slotted = [c for c in keyed if c.slot and c.overlap >= topical]
            eligible = keyed if ask in _SOFT_SLOT else slotted or keyed
            best = eligible[0] if eligible else None
            elsewhere = above = None
            if ask is Ask.COUNT and best is not None and not best.slot:
                best, elsewhere = _count_elsewhere(units, best, scored)
            if ask in (*_RULE_ASKS, Ask.LEADER) and (best is None or not best.slot):
                best, above = self._rule_above(question, best, scored)
            named = None
            if best is not None and fit.get(id(best.clause)) and len(best.clause.levels) == 1:
                level = next(iter(best.clause.levels))
                named = question.level
            elif ask is Ask.LEVEL and best is not None and len(best.clause.levels) == 1:
                level = next(iter(best.clause.levels))
            support = tuple(c for c in eligible[1:12] if c.keys_ok)
            measure = None
            if measures and best is not None and ask in _GRADING_ASKS:
                siblings = [c.clause for c in scored if c.clause.citation.chunk_id == best.clause.citation.chunk_id]
                measure = check_measure(measures, best.clause, siblings, stated_window(question.text))
            counted_term = counted if ask is Ask.COUNT else None
            place = _figure_place(question, best) if ask is Ask.COUNT else None
            rivals = self._rivals(best, eligible)
            also = tuple(counts_asked[1:]) if ask is Ask.COUNT else ()
            choices.append(
                LeadChoice(
                    ask,
                    best,
                    level,
                    rivals,
                    support,
                    counted=counted_term,
                    also_counted=also,
                    place=place,
                    named_level=named,
                    elsewhere=elsewhere,
                    above=above,
                    measure=measure,
                )
            )
        return choices

    @staticmethod
    def _found(units: list[Unit], clause: Clause) -> list[bool]:
        context = clause.context
        lowered = context.lower()
        return [u.found_in(context, lowered) for u in units]

    def _base(
        self, question: Question, units: list[Unit], clause: Clause, found: list[bool], rarity: list[float]
    ) -> Base:
        """How much of the question the clause (with its heading and title) and its passage name."""
        if not units:
            return Base(1.0, 1.0, 1.0, True, 0.0)
        passage = f"{clause.citation.title} {clause.citation.heading} {clause.citation.text}"
        passage_lower = passage.lower()
        weights = [2.0 if u.key else 1.0 for u in units]
        near = sum(w for w, hit in zip(weights, found, strict=True) if hit)
        far = sum(w for u, w in zip(units, weights, strict=True) if u.found_in(passage, passage_lower))
        specific = sum(r for r, hit in zip(rarity, found, strict=True) if hit) / (sum(rarity) or 1.0)
        # The heading's share of the topic words the title does not already carry ("教训" → 经验教训).
        section, title = clause.citation.section, clause.citation.title
        topical = [u for u in units if not u.found_in(title, title.lower())]
        heading = sum(1.0 for u in topical if u.found_in(section, section.lower())) / len(topical) if topical else 0.0
        keys_ok = self._keys_ok(question, units, clause, passage, passage_lower)
        extra = _extra_condition(clause.text, units)
        return Base(near / sum(weights), far / sum(weights), specific, keys_ok, heading, extra)

    def _keys_ok(self, question: Question, units: list[Unit], clause: Clause, passage: str, lowered: str) -> bool:
        """Named places and incidents: the document's own, or national rules for a Chinese locality."""
        own = self._own_places(clause.citation)
        for unit in units:
            if not unit.key or unit.found_in(passage, lowered):
                continue
            if _YEAR.fullmatch(unit.label) and unit.label in self._doc_text.get(clause.citation.doc_id, ""):
                continue  # "2023年…的直接原因": the case's date is in one passage of it, not in every one
            term = unit.term
            # National rules stand in for a locality's own only where they bind everyone (deadlines,
            # grading thresholds, duties); approvers, leaders, levels and facts are the locality's own.
            national_ok = (
                term is not None
                and term.kind == "place"
                and term.scope == "cn"
                and not own
                and not question.own_document
                and all(a in _NATIONAL_ASKS for a in question.asks)
                and clause.citation.kind.value != "case"
            )
            if not national_ok:
                return False
        return True

    def _rule_above(
        self, question: Question, best: Candidate | None, scored: list[Candidate]
    ) -> tuple[Candidate | None, Term | None]:
        """A named city with no plan in the library: its province's plan states the rule for the province.

        "郑州市防汛一级应急响应由谁签发" is not answered by a 7·20 sentence without a signer; the Henan
        plan's clause is shown as the province's rule, and the answer says the city's own is not held.
        """
        gazetteer = load_gazetteer()
        for place in (t for t in question.places if t.scope == "cn"):
            province = next((p for w in place.zh if (p := gazetteer.province_of_city(w)) is not None), None)
            if province is None:
                continue
            for cand in scored:
                own = self._own_places(cand.clause.citation)
                if (
                    cand.slot
                    and cand.clause.citation.kind.value != "case"
                    and any(province.name in t.zh or province.short in t.zh for t in own)
                ):
                    return cand, place
        return best, None

    def _meanings(self, query: str, clauses: list[Clause], base: dict[int, Base]) -> dict[int, float]:
        if self.meaning is None:
            return {}
        top = sorted(clauses, key=lambda c: -(base[id(c)].specific - 0.05 * c.rank))[:MEANING_CANDIDATES]
        sims = self.meaning.similarities(query, [c.text for c in top])
        return {id(c): s for c, s in zip(top, sims, strict=True)}

    def _score(
        self,
        question: Question,
        ask: Ask,
        clause: Clause,
        base: Base,
        cosine: float | None,
        mean: float,
        level: Level | None,
        colour: Term | None,
        counted: Term | None,
        fit: bool | None = None,
    ) -> Candidate:
        overlap, passage_overlap, keys_ok, heading = base.overlap, base.passage, base.keys_ok, base.heading
        slot = has_slot(ask, clause, counted)
        # Rare question words weigh more in the ranking ("教育部门" over "启动", which every clause here has).
        score = W_OVERLAP * (overlap + base.specific) / 2 + W_SLOT * (slot and ask not in _OPEN) - W_RANK * clause.rank
        score += (
            W_HEADING * heading
            - W_CONTINUATION * (clause.part > 0)
            - W_EXTRA_CONDITION * (base.extra_condition and ask is Ask.LEVEL)
        )
        if ask is Ask.LEADER and question.asks_post_holder and post_holder_in(clause.text):
            score += W_POST  # "who commands the headquarters": the clause naming who holds the post
        if ask is Ask.CAUSE and _CAUSE_SECTION.search(clause.citation.section):
            score += W_CAUSE
            if _DIRECT_CAUSE.search(clause.citation.section):
                # "原因是什么" is first the direct cause; it is a chain, whose first link leads
                score += W_DIRECT_CAUSE - W_CHAIN_ORDER * clause.position
        if ask is Ask.ACTIONS and question.actor and question.actor not in clause.context:
            score -= W_ACTOR  # "学校要怎么做": a clause about someone else's duties does not answer
        score += adjustment(question, ask, clause, slot, fit, self.glossary)
        if clause.text.endswith(("：", ":")):
            score -= W_BARE_HEAD  # "事故链条：" introduces the answer, it is not one
        levels = clause.levels
        if level is not None and levels:
            score += W_LEVEL if level in levels else -W_LEVEL
            score += W_SINGLE_LEVEL * (levels == {level})  # "重大事故（Ⅱ级）" beats "重大、较大、一般事故"
        if ask is Ask.LEVEL and len(levels) == 1:
            score += W_SINGLE_LEVEL
        if level is not None and ask in _QUALIFIED and level in levels_in(clause.text):
            score += W_LEVEL_TEXT  # "一级由市防指总指挥批准" names the level it rules on
        colour_open = ask is Ask.LEVEL or level is None  # once the level is found, the colour has done its work
        if colour_open and colour is not None and self.glossary.mentions(colour, clause.text):
            score += W_COLOUR
        own = self._own_places(clause.citation)
        named = [t for t in question.places if t.scope == "cn"]
        if named and own:
            same = any(t in named for t in own)
            # A case of the named city is not its rule: "郑州…多长时间内要报告" is answered by a clause, not by 7·20.
            if not (same and ask in _RULE_ASKS and clause.citation.kind.value == "case"):
                score += W_SAME_PLACE if same else W_OTHER_PLACE
        meaning = None if cosine is None else cosine - mean  # relative to the question's other candidates
        if meaning is not None:
            score += W_MEANING * meaning * 10  # cosines differ in the second decimal (narrow band)
        return Candidate(clause, ask, score, overlap, passage_overlap, slot, keys_ok, meaning, cosine)

    def _rivals(self, best: Candidate | None, eligible: list[Candidate]) -> tuple[Candidate, ...]:
        """A clause of another document that answers the same ask as well but states another value."""
        if best is None or not best.slot or best.ask not in _COMPARABLE:
            return ()
        mine = slot_value(best.ask, best.clause)
        for cand in eligible[1:6]:
            if (
                cand.clause.citation.doc_id != best.clause.citation.doc_id
                and cand.slot
                and cand.score >= best.score - RIVAL_GAP
                and cand.overlap >= best.overlap - 0.1
                and mine
                and slot_value(cand.ask, cand.clause) not in ("", mine)
            ):
                return (cand,)
        return ()


def _count_elsewhere(units: list[Unit], best: Candidate, scored: list[Candidate]) -> tuple[Candidate, Term | None]:
    """A count the document gives for another place than the one asked ("新奥尔良死亡多少人" over
    "at least 1,100 people died in Louisiana"): the answer says whose figure it is, rather than
    leading with a sentence about the place that holds no figure, or refusing."""
    doc = best.clause.citation.doc_id
    for cand in scored:
        if cand.keys_ok or not cand.slot or cand.clause.citation.doc_id != doc:
            continue
        passage = f"{cand.clause.citation.title} {cand.clause.citation.heading} {cand.clause.citation.text}"
        absent = [u for u in units if u.key and not u.found_in(passage, passage.lower())]
        if absent and all(u.term is not None and u.term.kind == "place" for u in absent):
            return cand, absent[0].term
    return best, None


def _doc_texts(passages: list[Citation]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for citation in passages:
        texts[citation.doc_id] = texts.get(citation.doc_id, "") + " " + citation.text
    return texts


def _figure_place(question: Question, best: Candidate | None) -> Term | None:
    """The named Chinese place the best clause gives its own figure for (a city inside its province's total)."""
    if best is None:
        return None
    return next((t for t in question.places if t.scope == "cn" and place_figures(best.clause.text, t)), None)


def _colour_term(glossary: Glossary, question: Question) -> Term:
    colour_zh = question.colour.zh if question.colour else ""
    return next((t for t in glossary.terms if t.kind == "colour" and colour_zh in t.zh), Term("colour", (), ()))
