"""Grounding checks: is every statement of a draft or answer backed by its sources?

An officer acts on numbers, phone numbers, dates and organisation names. Any of them
that appears in generated text but in none of the cited sources, the alert or our
own policy templates is flagged, as is an action with no citation, a missing stage,
and a response level that the alert or the cited clause contradicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.chain.levels import levels_mentioned
from assistant.domain import STAGES, EvidenceCheck, EvidenceStatus, Level, PlanDraft

_PHONE = re.compile(r"(?<![\d.])(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|400-?\d{3}-?\d{4}|\d{3,4}-\d{7,8})(?![\d.])")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}-\d{1,2}-\d{1,2}")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])|\d+(?:\.\d+)?(?=[\u4e00-\u9fa5%％])")
_ORG_ZH = re.compile(
    r"[\u4e00-\u9fa5]{2,16}?(?:局|委员会|办公室|指挥部|中心|公司|集团|大队|支队|总队|中队|医院|研究院|研究所|厅|署|管委会)"
)
_ORG_EN = re.compile(
    r"\b(?:[A-Z][\w&-]*\s){1,5}(?:Department|Agency|Authority|Company|Corporation|Council|Ministry|Bureau|Brigade|Hospital)\b"
)
_ORG_LEADING = re.compile(
    r"^(?:立即|迅速|及时|通知|由|会同|组织|协调|报告|上报|联系|请|向|及|和|与|派|调派|指派|要求|并|对|经|将|把|在|按|督促|指导|配合|负责)+"
)
LEVEL_ORDER = [Level.I, Level.II, Level.III, Level.IV]


@dataclass(frozen=True)
class GroundingResult:
    checks: tuple[EvidenceCheck, ...]
    problems: tuple[str, ...]

    @property
    def unsupported(self) -> list[EvidenceCheck]:
        return [c for c in self.checks if c.status is not EvidenceStatus.SUPPORTED]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("，", ",").lower()


def unsupported_claims(text: str, sources: Iterable[str]) -> list[str]:
    """Numbers, phone numbers, dates and organisation names in ``text`` found in no source."""
    corpus = _normalise("\n".join(sources))
    problems: list[str] = []
    seen: set[str] = set()

    def flag(kind: str, value: str) -> None:
        if value not in seen and _normalise(value) not in corpus:
            seen.add(value)
            problems.append(f"{kind}: {value}")

    for match in _PHONE.finditer(text):
        flag("电话 / phone", match.group())
    for match in _DATE.finditer(text):
        flag("日期 / date", match.group())
    covered = "".join(m.group() for m in (*_PHONE.finditer(text), *_DATE.finditer(text)))
    for match in _NUMBER.finditer(text):
        if match.group() not in covered:
            flag("数字 / number", match.group())
    for match in _ORG_ZH.finditer(text):
        name = _ORG_LEADING.sub("", match.group())
        if len(name) >= 3:
            flag("机构 / organisation", name)
    for match in _ORG_EN.finditer(text):
        flag("organisation", match.group())
    return problems


def level_problems(proposed: Level | None, alert_level: Level | None, clause_text: str) -> list[str]:
    """A proposed level two grades away from the alert, or one the cited clause does not speak of."""
    problems = []
    if proposed and alert_level and abs(LEVEL_ORDER.index(proposed) - LEVEL_ORDER.index(alert_level)) >= 2:
        problems.append(
            f"建议级别 {proposed.value} 与预警级别 {alert_level.value} 相差两级以上 / level conflicts with alert"
        )
    mentioned = levels_mentioned(clause_text)
    if proposed and mentioned and proposed not in mentioned:
        named = "、".join(sorted(level.value for level in mentioned))
        problems.append(f"所引条款针对 {named} 级，而建议为 {proposed.value} 级 / cited clause is about another level")
    return problems


def check_draft(
    draft: PlanDraft,
    alert_text: str,
    policy_text: str,
    alert_level: Level | None,
    level_citations: Sequence[str],
) -> GroundingResult:
    """Per-action and per-paragraph verdicts plus draft-level problems (missing stages ...)."""
    texts = {c.chunk_id: f"{c.title}\n{c.heading}\n{c.text}" for c in draft.citations}
    everything = [*texts.values(), alert_text, policy_text]
    checks: list[EvidenceCheck] = []
    problems: list[str] = []

    present = [s.stage for s in draft.stages]
    missing = [stage for stage in STAGES if stage not in present]
    if missing:
        problems.append("缺少阶段 / missing stages: " + "、".join(s.zh for s in missing))
    elif present != list(STAGES):
        problems.append("阶段顺序不符合全链条 / stages out of order")

    for stage in draft.stages:
        for index, action in enumerate(stage.actions):
            issues: list[str] = []
            if not action.citations:
                issues.append("无引用 / no citation")
            unknown = [c for c in action.citations if not c.startswith(("alert", "officer:")) and c not in texts]
            if unknown:
                issues.append("引用不存在 / unknown citation: " + ", ".join(unknown))
            if any(c.startswith("officer:") for c in action.citations):
                issues.append("值班员补充，待核实依据 / added by the officer, needs a source")
            sources = [texts[c] for c in action.citations if c in texts] + [alert_text, policy_text]
            issues += unsupported_claims(f"{action.text} {action.unit} {action.time_limit}", sources)
            status = EvidenceStatus.UNSUPPORTED if issues else EvidenceStatus.SUPPORTED
            checks.append(EvidenceCheck(f"{stage.stage.value}.{index}", status, tuple(issues)))
        summary_issues = unsupported_claims(stage.summary, everything)
        status = EvidenceStatus.UNSUPPORTED if summary_issues else EvidenceStatus.SUPPORTED
        checks.append(EvidenceCheck(f"{stage.stage.value}.summary", status, tuple(summary_issues)))

    summary_issues = unsupported_claims(draft.summary, everything)
    checks.append(
        EvidenceCheck(
            "summary",
            EvidenceStatus.UNSUPPORTED if summary_issues else EvidenceStatus.SUPPORTED,
            tuple(summary_issues),
        )
    )
    clause_text = "\n".join(texts[c] for c in level_citations if c in texts)
    conflicts = level_problems(draft.proposed_level, alert_level, clause_text)
    if conflicts:
        checks.append(EvidenceCheck("level", EvidenceStatus.CONFLICT, tuple(conflicts)))
    elif draft.proposed_level and not any(c in texts for c in level_citations):
        checks.append(EvidenceCheck("level", EvidenceStatus.UNSUPPORTED, ("未引用分级条款 / no grading clause cited",)))
    else:
        checks.append(EvidenceCheck("level", EvidenceStatus.SUPPORTED))
    problems += [f"{c.location}: {'; '.join(c.problems)}" for c in checks if c.status is EvidenceStatus.CONFLICT]
    return GroundingResult(tuple(checks), tuple(problems))
