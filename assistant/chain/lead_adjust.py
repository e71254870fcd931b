"""Adjustments to a clause's score from what the question asks of it, beyond shared words and the slot.

Each one is a way an unseen question was answered by the wrong clause of the right document:
a definition for "what must be done", a penalty clause for "how soon", a source list for "when",
a case's lesson before the plan's duty, the province's total for the city's figure, the named
grade's clause when the stated count falls in another. Weights were set on the ask goldens.
"""

from __future__ import annotations

import re

from assistant.chain.clauses import Clause
from assistant.chain.glossary import Glossary
from assistant.chain.question import Ask, Question
from assistant.chain.slots import place_figures
from assistant.domain import Level

W_DEFINITION = 0.6  # a definition answers "what is", not "what must be done"
W_LIABILITY = 0.8  # a penalty clause answers only a question about penalties
W_SOURCES = 1.0  # a document's list of its sources answers nothing the officer asks
W_RELAY = 0.3  # "多长时间内要上报": the first report's limit before the relay's "每级不超过2小时"
W_FAILURE = 1.2  # "没有果断采取停运等措施": what went wrong in a case is not what must be done
W_RULE_DUTY = 0.4  # an actions question naming no incident: plans and regulations bind, cases teach
W_HIGHER_GRADE = 0.3  # among clauses a stated count fits, each grade higher
W_FITS = 1.5  # "死亡5人…": the grading clause whose bounds hold 5 ("3人以上、不足10人"), not the named grade
W_FOCUS = 1.0  # "…是被什么点燃的": the clause naming 点燃
W_PLACE_FIGURE = 0.5  # "郑州市死亡失踪多少人": the clause with a figure written next to 郑州市
W_PLACE_IN_TEXT = 0.3  # a count whose own words name the asked place (titles name every clause's place)
_YEAR = re.compile(r"(?:19|20)\d\d")
_DEFINITION = re.compile(r"是指|\bmeans\b|\bis defined as\b")
_LIABILITY = re.compile(r"法律责任|罚则|\bpenalt|\bliabilit", re.IGNORECASE)
_LIABILITY_ASKED = re.compile(r"责任|处罚|罚款|追究|penalt|liabilit|punish|fine", re.IGNORECASE)
# A case's account of a failure: "没有果断采取…", "未能及时停运", "迟至20日下午才…", "不到位"
_FAILURE = re.compile(r"没有|未能|未及时|未按|未落实|迟至|不到位|failed to|did not|was not|were not", re.IGNORECASE)
_RELAY = re.compile(r"逐级|每一级|每级|each level")
_FIRST_REPORTER = re.compile(r"单位负责人|事故单位|现场(?:有关)?人员|head of the unit")
_SOURCES_SECTION = re.compile(r"资料来源|参考资料|参考文献|\b(?:Sources|References)\b")


def adjustment(question: Question, ask: Ask, clause: Clause, slot: bool, fit: bool | None, glossary: Glossary) -> float:
    """What the question's own shape adds to or takes from the clause's score."""
    score = 0.0
    section = clause.citation.section
    if ask is Ask.ACTIONS and clause.citation.kind.value != "case" and not names_incident(question, glossary):
        score += W_RULE_DUTY  # "燃气企业接到报警后要做什么": the plan's duty before one case's lesson
    if fit is not None:
        score += W_FITS if fit else -W_FITS
    if fit and len(clause.levels) == 1:  # the highest grade met decides ("按最高一项确定")
        score += W_HIGHER_GRADE * (len(Level) - 1 - list(Level).index(next(iter(clause.levels))))
    if any(word in clause.text for word in question.focus):
        score += W_FOCUS
    if ask is Ask.COUNT and slot and any(glossary.mentions(t, clause.text) for t in question.places):
        score += W_PLACE_IN_TEXT  # "河南…死亡失踪多少人": the count stated for 河南全省, not one about 郑州市
    if ask is Ask.COUNT and slot and any(place_figures(clause.text, t) for t in question.places if t.scope == "cn"):
        score += W_PLACE_FIGURE  # the named place's own figure, not its province's total
    if ask is Ask.ACTIONS and (_DEFINITION.search(clause.text) or "定义" in section):
        score -= W_DEFINITION  # "有限空间是指…" says what a thing is, not what to do before entering it
    if _LIABILITY.search(section) and not _LIABILITY_ASKED.search(question.text):
        score -= W_LIABILITY  # penalties for failing a duty do not state the duty
    if _SOURCES_SECTION.search(section):
        score -= W_SOURCES  # "通报会，2023年4月19日" dates a source, not the event
    if (
        ask is Ask.DEADLINE
        and not question.actor
        and _RELAY.search(clause.text)
        and not _RELAY.search(question.text)
        and not _FIRST_REPORTER.search(clause.text)
    ):
        score -= W_RELAY  # who reports first, and how soon, is what "多长时间内要上报" asks
    if ask is Ask.ACTIONS and clause.citation.kind.value == "case" and _FAILURE.search(clause.text):
        score -= W_FAILURE  # "暴雨红色预警时地铁要停运吗": the lesson "应果断…停运", not "没有果断采取…"
    return score


def names_incident(question: Question, glossary: Glossary) -> bool:
    """Whether the question names an incident (外滩, 7·20) or a year: then its case may answer first."""
    if any(_YEAR.fullmatch(t) for t in question.terms):
        return True
    return any(m.term.kind == "incident" for m in glossary.find(question.text, question.lang))
