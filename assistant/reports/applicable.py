"""Which reporting rule sets this incident's deadline: 属地管理 first, then the conditions of the clause.

The same order as the level proposal: the rules of the incident's own city or province, then the
level above, then national; another province's plan is never the basis. Within one jurisdiction
level the rules keep the order of the rules file. A rule whose condition the facts cannot decide
("发生突发重大险情灾情", a level not proposed yet, casualties not stated) is never chosen: it is
listed as "would apply if …", so the officer sees the stricter deadline that may be coming. When
no rule applies the choice says so and why; a deadline is never made up.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.chain.criteria import Library
from assistant.chain.jurisdiction import Place, Relation, place_of_document, relation
from assistant.chain.levels import level_label
from assistant.domain import Citation, DocumentMeta, Level
from assistant.reports.limits import Limit
from assistant.reports.rules import ReportingRule, When

LEVEL_ORDER = (Level.I, Level.II, Level.III, Level.IV)


@dataclass(frozen=True)
class Situation:
    """What the conditions are judged on: the alert's facts, the officer's notes and the proposed level."""

    hazard: str | None
    jurisdiction: Place
    kind: str  # sensor | warning | report (facts.kind)
    deaths: int | None = None
    injured: int | None = None
    trapped: int | None = None
    missing: int | None = None
    level: Level | None = None
    lang: str = "zh"

    @property
    def counts(self) -> tuple[int | None, ...]:
        return (self.deaths, self.injured, self.trapped, self.missing)


class Verdict(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RuleMatch:
    rule: ReportingRule
    clause: Citation  # the passage of the library that holds the phrase
    relation: Relation
    why: str  # which condition holds, or what would have to be confirmed

    @property
    def limit(self) -> Limit:
        return self.rule.limit

    def source(self, lang: str = "zh") -> str:
        """《title》section：“phrase” — what an officer looks up."""
        section = f" {self.clause.section}" if self.clause.section else ""
        if lang == "en":
            return f"“{self.clause.title}”{section}: “{self.rule.phrase}”"
        return f"《{self.clause.title}》{section}：“{self.rule.phrase}”"


@dataclass(frozen=True)
class RuleChoice:
    chosen: RuleMatch | None
    pending: tuple[RuleMatch, ...]  # stricter rules that would apply if their condition were confirmed
    reason: str  # why nothing applies (empty when a rule was chosen)


def _words(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def judge(when: When, s: Situation) -> tuple[Verdict, str]:
    """Every condition of ``when`` against the situation; the first that fails or is unknown decides."""
    lang = s.lang
    reasons: list[str] = []
    if when.confirm:
        return Verdict.UNKNOWN, _words(lang, f"需值班员确认：{when.confirm}", f"to be confirmed: {when.confirm}")
    if when.casualties or when.occurred:
        stated = [n for n in s.counts if n is not None]
        harmed = any(n > 0 for n in stated)
        if when.occurred and (s.kind == "report" or harmed):
            reasons.append(_words(lang, "告警报告的是已发生的事件", "the alert reports an event that has happened"))
        elif when.occurred:
            return Verdict.NOT_MET, _words(
                lang, "告警为监测读数或预警，尚无已发生的事件", "a reading or a forecast warning, not an event yet"
            )
        if when.casualties and harmed:
            reasons.append(_words(lang, "已载明人员伤亡", "casualties are stated"))
        elif when.casualties and stated and len(stated) == len(s.counts):
            return Verdict.NOT_MET, _words(lang, "无人员伤亡", "no casualties")
        elif when.casualties:
            return Verdict.UNKNOWN, _words(lang, "人员伤亡情况待核实", "casualties not stated yet")
    if when.deaths_at_least is not None:
        if s.deaths is None and s.missing is None:
            return Verdict.UNKNOWN, _words(lang, "死亡失踪人数待核实", "deaths and missing not stated")
        dead = (s.deaths or 0) + (s.missing or 0)
        if dead < when.deaths_at_least:
            return Verdict.NOT_MET, _words(lang, f"死亡失踪{dead}人", f"{dead} dead or missing")
        reasons.append(_words(lang, f"死亡失踪{dead}人", f"{dead} dead or missing"))
    if when.level_at_least is not None or when.level_in:
        if s.level is None:
            return Verdict.UNKNOWN, _words(lang, "响应级别尚未确定", "no response level proposed yet")
        held = (
            LEVEL_ORDER.index(s.level) <= LEVEL_ORDER.index(when.level_at_least)
            if when.level_at_least is not None
            else s.level in when.level_in
        )
        label = level_label(s.level, lang)
        if not held:
            return Verdict.NOT_MET, _words(lang, f"建议响应级别为{label}", f"proposed: {label}")
        reasons.append(_words(lang, f"建议响应级别为{label}（以实际启动为准）", f"proposed: {label} (as started)"))
    if not reasons:
        reasons.append(_words(lang, "适用于该灾种的所有事件", "applies to every incident of this hazard"))
    return Verdict.MET, "；".join(reasons) if lang != "en" else "; ".join(reasons)


def _document(metas: Sequence[DocumentMeta], ref: str) -> DocumentMeta | None:
    return next(
        (m for m in metas if m.extra.get("id") == ref or Path(m.source_path).stem == ref or m.doc_id == ref), None
    )


def find_clause(library: Library, meta: DocumentMeta, rule: ReportingRule) -> Citation | None:
    """The passage of ``meta`` under a heading naming ``rule.section`` that contains ``rule.phrase``."""
    return next((p for p in library.passages(meta.doc_id) if rule.section in p.heading and rule.phrase in p.text), None)


def choose_rule(rules: Sequence[ReportingRule], situation: Situation, library: Library) -> RuleChoice:
    """The rule that sets the deadline (see the module docstring), the stricter pending ones, or why none."""
    lang = situation.lang
    metas = list(library.documents())
    candidates: list[tuple[tuple[int, int, int], RuleMatch, Verdict]] = []
    for index, rule in enumerate(rules):
        if not rule.covers(situation.hazard):
            continue
        meta = _document(metas, rule.doc)
        if meta is None:
            continue  # the document is not in this library: its rule cannot be cited
        place = place_of_document(meta)
        related = relation(place, situation.jurisdiction)
        if not related.applies:
            continue
        clause = find_clause(library, meta, rule)
        if clause is None:
            continue
        verdict, why = judge(rule.when, situation)
        if verdict is Verdict.NOT_MET:
            continue
        candidates.append(((related.rank, -place.depth, index), RuleMatch(rule, clause, related, why), verdict))
    candidates.sort(key=lambda item: item[0])
    pending: list[RuleMatch] = []
    for _order, match, verdict in candidates:
        if verdict is Verdict.MET:  # pending rules worth naming are those that would change the deadline
            return RuleChoice(match, tuple(p for p in pending if p.limit != match.limit), "")
        pending.append(match)
    hazard = situation.hazard or _words(lang, "未识别灾种", "unidentified hazard")
    where = situation.jurisdiction.label(lang)
    reason = _words(
        lang,
        f"知识库中没有适用于{where}“{hazard}”事件的报送时限条款；按本单位信息报送制度报送，不自行设定时限。",
        f"No reporting clause in the library applies to a {hazard} incident in {where}; report under your unit's "
        "own reporting rules (no deadline is assumed).",
    )
    return RuleChoice(None, tuple(pending), reason)
