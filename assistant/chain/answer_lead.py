"""The first sentence of an offline answer: what was asked, stated from the clause that says it, cited.

Chinese answers state the clause itself, framed only where the value sits outside it (the
level in the heading "（五）一级响应"; yes/no for "能不能"). English answers over Chinese
clauses cannot translate the clause, so they state its value — level, approver, deadline,
figures — in English from the glossary and quote the clause beneath (answers.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.chain.answer_spec import AnswerSpec
from assistant.chain.clauses import Clause, allows, approver_in, leader_in, list_items, prohibits
from assistant.chain.clock_times import moments_en
from assistant.chain.english_gist import chain_of, substance_en
from assistant.chain.figure_labels import figure_spans, labelled_figures
from assistant.chain.glossary import Glossary, Term
from assistant.chain.lead_choice import LeadChoice
from assistant.chain.premise import MeasureCheck
from assistant.chain.quantities import deadlines_in, english_deadlines, quantities_in
from assistant.chain.question import Ask
from assistant.chain.sentences import unit_in
from assistant.chain.slots import place_figures
from assistant.domain import Citation, Level

Numbering = Callable[[Citation], int]
_HEADING_LEVEL = re.compile(r"((?:一|二|三|四|Ⅰ|Ⅱ|Ⅲ|Ⅳ)级(?:应急)?响应)")
_CONDITION_PREFIX = re.compile(r"^(?:启动条件|启动情形|条件)[：:]")
_LEVEL_EN = {Level.I: "Level I", Level.II: "Level II", Level.III: "Level III", Level.IV: "Level IV"}
MAX_FIGURES = 4
_BOUND_JOIN = re.compile(r"[、，,]?(?:不足|不到|少于|低于|至|到|~|-|—)?")
COUNT_WORD_GAP = 2  # characters allowed between a head count and the word it counts ("死亡失踪398人")
MAX_GIST = 5
DEADLINE_GAP = 1.5
MAX_LEAD_SENTENCE = 180  # a list item ("红色：…；…；…") is led whole when it is at most this long
MAX_LEADER_SENTENCE = 90
_WHOLE_SENTENCE = (Ask.ACTIONS, Ask.THRESHOLD, Ask.GENERAL, Ask.CAUSE)
_ACTOR_SUFFIX = re.compile(r"(?:接报后|接到报告后|接到|接报|应当|应|须|必须|要|在|于|均)+$")


def lead_clauses(choices: list[LeadChoice]) -> list[tuple[LeadChoice, Clause]]:
    """The distinct clauses the lead is built from, one per answered ask.

    A deadline answered only by "立即" gains the closest clause with a stated limit
    ("燃气企业…立即报告" and "单位负责人1小时内报…"): both bind the officer.
    """
    picked: list[tuple[LeadChoice, Clause]] = []
    for choice in choices:
        best = choice.best
        if best is None or not best.slot or best.ask in (Ask.PERSON, Ask.FORECAST):
            continue
        if all(best.clause.text != c.text for _, c in picked):
            picked.append((choice, best.clause))
        if choice.ask is Ask.DEADLINE and not _stated_limit(best.clause.text):
            limit = next(
                (c for c in choice.support if _stated_limit(c.clause.text) and c.score >= best.score - DEADLINE_GAP),
                None,
            )
            if limit is not None:
                picked.append((choice, limit.clause))
    if not picked and choices and choices[0].best is not None:
        picked.append((choices[0], choices[0].best.clause))
    return picked


def _stated_limit(text: str) -> bool:
    return any(q.is_deadline for q in quantities_in(text))


def write_lead(
    picked: list[tuple[LeadChoice, Clause]], lang: str, number: Numbering, glossary: Glossary, spec: AnswerSpec
) -> str:
    """One sentence: each ask's part, joined; every part carries its source number."""
    parts: list[str] = []
    for index, (choice, clause) in enumerate(picked):
        cite = f"[{number(clause.citation)}]" if lang == "zh" else f" [{number(clause.citation)}]"
        if lang == "zh":
            part = _zh_part(choice, clause, cite, spec)
        else:
            part = _en_part(choice, clause, cite, glossary, spec, first=index == 0)
        if choice.measure is not None:  # "是不是38℃就发布": yes or no, and what the value does reach
            part = _measured(choice.measure, part, lang, number, glossary, spec)
        if choice.above is not None:  # no plan of the named city: its province's rule, said to be the province's
            words = choice.above.zh if lang == "zh" else choice.above.en or choice.above.zh
            title = clause.citation.title
            part = spec.text("lead", lang, "above", place=words[0], title=title) + part
        if choice.elsewhere is not None:  # the document's figure is another place's: say whose
            words = choice.elsewhere.zh if lang == "zh" else choice.elsewhere.en or choice.elsewhere.zh
            part = spec.text("lead", lang, "elsewhere", place=words[0]) + part
        parts.append(part)
    joined = spec.text("lead", lang, "join").join(p for p in parts if p)
    joined = joined.rstrip("。.；;，, ")
    if lang == "en":
        joined = joined[:1].upper() + joined[1:]
    return joined + spec.text("lead", lang, "end")


def _measured(
    check: MeasureCheck, part: str, lang: str, number: Numbering, glossary: Glossary, spec: AnswerSpec
) -> str:
    """The stated value's verdict before the clause, and the sibling threshold it reaches after it."""
    key = "measure_holds" if check.holds else "measure_short"
    said = check.said(lang)
    text = spec.text("lead", lang, key, value=said) + part
    reached = check.reached
    if reached is None:
        return text
    cite = f"[{number(reached.citation)}]" if lang == "zh" else f" [{number(reached.citation)}]"
    if lang == "zh":
        clause = _display(reached, Ask.THRESHOLD)
    else:
        names = [m.term.en[0] for m in glossary.find(reached.text, "zh") if m.term.kind == "colour"]
        figures = ", ".join(dict.fromkeys(q.english() for q in quantities_in(reached.text)))
        clause = f"{names[0]} ({figures})" if names else figures
    return text.rstrip("。.") + spec.text("lead", lang, "measure_reached", value=said, clause=clause, cite=cite)


def _display(clause: Clause, ask: Ask) -> str:
    """The clause, or its whole sentence for list-like asks ("采取哪些措施", "标准是什么") when short."""
    text = clause.text
    if ask in _WHOLE_SENTENCE and clause.lang == "zh" and clause.list_head:
        listed = list_items(clause, MAX_LEAD_SENTENCE)
        own = clause.sentence.rstrip("。；;，, ")
        text = listed if own in listed else f"{clause.list_head.rstrip('：:')}：{own}"
    elif ask in _WHOLE_SENTENCE and clause.lang == "zh" and len(clause.sentence) <= MAX_LEAD_SENTENCE:
        text = clause.sentence
    elif ask is Ask.LEADER and clause.sentence.count("；") <= 1 and len(clause.sentence) <= MAX_LEADER_SENTENCE:
        text = clause.sentence  # "省级指挥部领导本地工作；国务院指挥部统一领导全国": both leaders
    return _CONDITION_PREFIX.sub("", text).rstrip("。.；;，, ")


def actor_before(text: str, limit: str) -> str | None:
    """Who the time limit binds: the words just before it ("…：单位负责人1小时内报…" → 单位负责人)."""
    head = text[: text.find(limit)] if limit in text else ""
    segment = re.split(r"[，,：:；;、→]", head)[-1].strip()
    segment = _ACTOR_SUFFIX.sub("", segment).strip()
    return segment if len(segment) >= 2 else None


def _zh_part(choice: LeadChoice, clause: Clause, cite: str, spec: AnswerSpec) -> str:
    text = _display(clause, choice.ask)
    if clause.lang == "en":
        return spec.text("lead", "zh", "english_source", clause=text, cite=cite)
    if choice.named_level is not None and choice.level is not None:  # "死亡5人就算重大事故了吧？"
        key = "grade_holds" if choice.named_level is choice.level else "grade_differs"
        value = _grade_heading(clause) or choice.level.zh
        return spec.text("lead", "zh", key, value=value, named=choice.named_level.zh, clause=text, cite=cite)
    if choice.ask is Ask.LEVEL and not _mentions_level(clause.text) and clause.heading_levels:
        match = _HEADING_LEVEL.search(clause.citation.section)
        value = match.group(1) if match else next(iter(clause.heading_levels)).zh
        return spec.text("lead", "zh", "level_from_heading", value=value, clause=text, cite=cite)
    if choice.ask is Ask.PERMISSION:
        key = "permission_no" if prohibits(text) else "permission_yes" if allows(text) else "default"
        return spec.text("lead", "zh", key, clause=text, cite=cite)
    return spec.text("lead", "zh", "default", clause=text, cite=cite)


def _grade_heading(clause: Clause) -> str:
    """The grade as the clause's own heading names it ("较大事故（Ⅲ级）", "大型（Ⅱ级）"), else ""."""
    last = clause.citation.section.split(" > ")[-1]
    match = re.search(r"[\u4e00-\u9fff]{1,8}（[ⅠⅡⅢⅣ]级）", last)
    return match.group(0) if match else ""


def _mentions_level(text: str) -> bool:
    return bool(re.search(r"[一二三四ⅠⅡⅢⅣ]级|I{1,3}级|IV级", text))


def _en_part(choice: LeadChoice, clause: Clause, cite: str, glossary: Glossary, spec: AnswerSpec, first: bool) -> str:
    text = _display(clause, choice.ask)
    if clause.lang == "en":
        return f"{text}{cite}"
    ask = choice.ask
    if choice.named_level is not None and choice.level is not None:
        key = "grade_holds" if choice.named_level is choice.level else "grade_differs"
        value, named = _LEVEL_EN[choice.level], _LEVEL_EN[choice.named_level]
        return spec.text("lead", "en", key, value=value, named=named, cite=cite)
    if ask is Ask.LEVEL and clause.levels:
        levels = sorted(clause.levels, key=list(Level).index)
        value = " or ".join(_LEVEL_EN[lv] for lv in levels)
        if "响应" in f"{clause.citation.section} {text}":
            value += " emergency response"
        return spec.text("lead", "en", "level", value=value, cite=cite)
    if ask is Ask.APPROVER:
        rendered = _render(glossary, approver_in(text))
        if rendered:
            return spec.text("lead", "en", "approver_first" if first else "approver", value=rendered, cite=cite)
    if ask is Ask.LEADER:
        parts = text.split("；") if text.count("；") == 1 else [text]  # "省级…领导本地；国务院…领导全国": both
        leaders = [r for r in (_render(glossary, leader_in(part)) for part in parts) if r]
        rendered = " and ".join(leaders) or _render(glossary, unit_in(text))
        if rendered:
            key = "leaders" if len(leaders) > 1 else "leader"
            return spec.text("lead", "en", key, value=rendered, cite=cite)
    if ask is Ask.DEADLINE:
        limits = english_deadlines(text)
        if limits:
            written = deadlines_in(text)
            subject = actor_before(text, written[0]) if written else None
            actor = _render(glossary, subject)
            if actor:
                return spec.text("lead", "en", "deadline_by", value=limits[0], actor=f"the {actor}", cite=cite)
            return spec.text("lead", "en", "deadline", value=limits[0], cite=cite)
    if ask is Ask.WHEN and moments_en(text):  # "when did it happen": the moment, in English
        return spec.text("lead", "en", "when", value="; ".join(moments_en(text)), cite=cite)
    if ask is Ask.PERMISSION:
        key = "permission_no" if prohibits(text) else "permission_yes" if allows(text) else ""
        if key:
            return spec.text("lead", "en", key, cite=cite)
    counted, also = _merged_counts(choice)
    if ask is Ask.COUNT and counted is not None and choice.place is not None:
        own = [q.english() for q in place_figures(text, choice.place)]
        if own:  # "其中郑州市380人": the city's figure, named with the city, not the province's total
            what = counted
            value = ", ".join(own[:MAX_FIGURES])
            place = choice.place.en[0] if choice.place.en else choice.place.zh[0]
            return spec.text(
                "lead", "en", "counted_place", what=what[:1].upper() + what[1:], place=place, value=value, cite=cite
            )
    if ask is Ask.COUNT and choice.counted is not None and counted is not None:
        tied = counted_figures(text, choice.counted)
        if tied:
            what = counted
            value = ", ".join(tied[:MAX_FIGURES])
            for other in also:  # "killed and injured": each count asked, with its word
                figures = counted_figures(text, other)
                value += f"; {other.en[0]}: {', '.join(figures[:MAX_FIGURES])}" if figures else ""
            return spec.text("lead", "en", "counted", what=what[:1].upper() + what[1:], value=value, cite=cite)
    figures = list(dict.fromkeys(q.english() for q in quantities_in(text)))[:MAX_FIGURES]
    if figures and ask in (Ask.THRESHOLD, Ask.COUNT, Ask.DEADLINE, Ask.GENERAL, Ask.LEVEL):
        value = labelled_figures(text, glossary, MAX_FIGURES) or ", ".join(figures)  # deaths apart from injuries
        return spec.text("lead", "en", "figures", value=value, cite=cite)
    if ask in (Ask.CAUSE, Ask.ACTIONS):  # "why" / "what should be done": what the clause says, first link first
        substance = substance_en(chain_of(choice, clause), glossary)
        if substance:
            return spec.text("lead", "en", ask.value, value=substance, cite=cite)
    gist = glossary.gist_en(text)[:MAX_GIST]
    if gist:
        return spec.text("lead", "en", "gist", value=", ".join(gist), cite=cite)
    return spec.text("lead", "en", "unrendered", cite=cite)


def _merged_counts(choice: LeadChoice) -> tuple[str | None, tuple[Term, ...]]:
    """The English name of what is counted, and the other counts asked; "died or went missing" is one
    count ("死亡失踪398人"), named so — never a death toll that silently includes the missing."""
    if choice.counted is None:
        return None, choice.also_counted
    missing = [t for t in choice.also_counted if t.zh[0] == "失踪"]
    if missing and choice.counted.zh[0] == "死亡人数":
        return "dead or missing", tuple(t for t in choice.also_counted if t not in missing)
    return choice.counted.en[0], choice.also_counted


def counted_figures(text: str, counted: Term) -> list[str]:
    """The figures of what a "how many" question counts, in English: "26人死亡、138人受伤" → 26 people for 死亡.

    A case states several counts side by side; only the one written next to the counted word
    ("26人死亡", "重伤37人", "死亡失踪398人") answers, never the injured for the dead. A bound
    joined to it ("死亡10人以上、不足30人") belongs to the same count.
    """
    longest = max(len(w) for w in counted.zh)
    spans = figure_spans(text)
    tied = []
    for at, end, _ in spans:
        after = text[end : end + COUNT_WORD_GAP + longest]
        before = text[max(0, at - COUNT_WORD_GAP - longest) : at]
        tied.append(any(after.startswith(w) or _near_before(before, w) for w in counted.zh))
    for _ in range(2):  # spread along bounds, both ways
        for i in range(len(spans) - 1):
            if tied[i] != tied[i + 1] and _BOUND_JOIN.fullmatch(text[spans[i][1] : spans[i + 1][0]]):
                tied[i] = tied[i + 1] = True
    return [english for (_, _, english), hit in zip(spans, tied, strict=True) if hit]


def _near_before(before: str, word: str) -> bool:
    """The counted word a few characters before the figure, with no other figure between ("死亡失踪398人")."""
    at = before.rfind(word)
    return at >= 0 and not re.search(r"[\d、，,；;（(]", before[at + len(word) :])


def _render(glossary: Glossary, phrase: str | None) -> str | None:
    if not phrase:
        return None
    rendered = glossary.render_en(phrase)
    return rendered.removeprefix("the ") if rendered else None
