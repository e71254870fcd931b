"""Grounding checks: is every statement of a draft or answer backed by a source that applies?

An officer acts on numbers, phone numbers, dates and organisation names; any of them found in
none of the cited sources, the alert or our own templates makes the statement unsupported. A
citation alone is not enough: a clause from a plan of another jurisdiction is only a reference,
a unit that is really the alert's sender conflicts with the alert, and a statement that needed a
fact the alert does not give is marked "to confirm".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.domain import STAGES, Action, EvidenceCheck, EvidenceStatus, PlanDraft

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
GAP_MARKERS = ("待核实〕", ": to confirm]")
FAILING = (EvidenceStatus.UNSUPPORTED, EvidenceStatus.CONFLICT)


@dataclass(frozen=True)
class GroundingResult:
    checks: tuple[EvidenceCheck, ...]
    problems: tuple[str, ...]

    @property
    def unsupported(self) -> list[EvidenceCheck]:
        return [c for c in self.checks if c.status in FAILING]


@dataclass(frozen=True)
class GroundingContext:
    """What the check needs to know about this alert beyond the draft itself."""

    alert_text: str
    policy_text: str
    sender: str = ""  # the alert's source: never a responsible unit
    applicable: Mapping[str, bool] = field(default_factory=dict)  # chunk id → its document applies here
    level_check: EvidenceCheck | None = None  # decided from the level proposal (levels.py)
    alert_terms: tuple[str, ...] = ()  # place and site names quoted from the alert (facts, not claims to check)


@lru_cache(maxsize=256)
def _normalise(text: str) -> str:
    """Cached: the same policy text and passages are checked against every action of a draft."""
    return re.sub(r"\s+", "", text).replace("，", ",").lower()


def unsupported_claims(text: str, sources: Iterable[str]) -> list[str]:
    """Numbers, phone numbers, dates and organisation names in ``text`` found in no source."""
    corpus = "\n".join(_normalise(source) for source in sources)
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


def _is_sender(unit: str, sender: str) -> bool:
    unit, sender = unit.strip().lower(), sender.strip().lower()
    return bool(sender) and (unit == sender or (len(sender) >= 4 and sender in unit))


def check_action(
    action: Action, texts: Mapping[str, str], ctx: GroundingContext
) -> tuple[EvidenceStatus, tuple[str, ...]]:
    """The verdict on one action: unsupported, conflict, to confirm, reference only, or supported."""
    issues: list[str] = []
    if not action.citations:
        issues.append("无引用 / no citation")
    unknown = [c for c in action.citations if not c.startswith(("alert", "officer:")) and c not in texts]
    if unknown:
        issues.append("引用不存在 / unknown citation: " + ", ".join(unknown))
    if any(c.startswith("officer:") for c in action.citations):
        issues.append("值班员补充，待核实依据 / added by the officer, needs a source")
    sources = [texts[c] for c in action.citations if c in texts] + [ctx.alert_text, ctx.policy_text]
    written = f"{action.text} {action.unit} {action.time_limit}"
    for term in sorted(ctx.alert_terms, key=len, reverse=True):
        written = written.replace(term, "｜") if term else written  # "以{place}为中心" must not read as an organisation
    issues += unsupported_claims(written, sources)
    if issues:
        return EvidenceStatus.UNSUPPORTED, tuple(issues)
    if _is_sender(action.unit, ctx.sender):
        return EvidenceStatus.CONFLICT, (f"责任单位是告警发送方 / the unit is the alert's sender: {ctx.sender}",)
    if any(marker in f"{action.text}{action.unit}{action.time_limit}" for marker in GAP_MARKERS):
        return EvidenceStatus.TO_CONFIRM, ("依赖告警未给出的事实 / depends on facts the alert does not give",)
    clauses = [c for c in action.citations if c in texts]
    if clauses and not any(ctx.applicable.get(c, True) for c in clauses):
        return EvidenceStatus.REFERENCE, ("所引条款不适用于本告警的属地或灾种 / the cited clause does not apply here",)
    return EvidenceStatus.SUPPORTED, ()


def check_draft(draft: PlanDraft, ctx: GroundingContext) -> GroundingResult:
    """Per-action and per-paragraph verdicts plus draft-level problems (missing stages, conflicts)."""
    texts = {c.chunk_id: f"{c.title}\n{c.heading}\n{c.text}" for c in draft.citations}
    everything = [*texts.values(), ctx.alert_text, ctx.policy_text]
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
            status, issues = check_action(action, texts, ctx)
            checks.append(EvidenceCheck(f"{stage.stage.value}.{index}", status, issues))
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
    level = ctx.level_check or EvidenceCheck("level", EvidenceStatus.UNSUPPORTED, ("未核对级别 / level not checked",))
    checks.append(level)
    problems += [f"{c.location}: {'; '.join(c.problems)}" for c in checks if c.status is EvidenceStatus.CONFLICT]
    return GroundingResult(tuple(checks), tuple(problems))
