"""What a report up the chain (信息报送) says: kind, the seven official sections, each line with its source.

Every line carries where it came from (``alert:<id>``, ``event``, ``task:<id>``, ``draft:<id>``,
``officer``, ``settings``, ``unknown``), and the report keeps the source texts its figures were taken
from, so :mod:`assistant.reports.trace` can show that every number is traceable. The reporting rule
is stored as a snapshot of the clause it cites, so an old report still says what it was held to.
"""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from assistant.domain import Level

SECTION_KEYS = ("time", "place", "overview", "casualties", "measures", "next_steps", "contact")
SECTION_LABELS = {
    "zh": ("时间", "地点", "事件概况", "伤亡和影响", "已采取措施", "下一步工作", "报告单位和联系人"),
    "en": ("Time", "Place", "What happened", "Casualties and impact", "Measures taken", "Next steps", "Reporting unit and contact"),
}  # fmt: skip
UNKNOWN = {"zh": "「待核实」", "en": "[to be confirmed]"}
TO_FILL = {"zh": "「待填写」", "en": "[to be filled in]"}


def section_label(key: str, lang: str) -> str:
    return SECTION_LABELS["en" if lang == "en" else "zh"][SECTION_KEYS.index(key)]


class ReportKind(enum.StrEnum):
    INITIAL = "initial"  # 首报
    FOLLOWUP = "followup"  # 续报
    FINAL = "final"  # 终报

    def label(self, lang: str) -> str:
        zh, en = {
            "initial": ("首报", "initial report"),
            "followup": ("续报", "follow-up report"),
            "final": ("终报", "final report"),
        }[self.value]
        return en if lang == "en" else zh


@dataclass(frozen=True)
class Line:
    text: str
    source: str  # alert:<id> | incident | event | task:<id> | draft:<id> | officer | edited | settings | unknown


@dataclass(frozen=True)
class ReportSection:
    key: str
    lines: tuple[Line, ...]

    def text(self, lang: str = "zh") -> str:
        """The section as one paragraph (Chinese lines run on; English ones are spaced)."""
        return (" " if lang == "en" else "").join(line.text for line in self.lines)


@dataclass(frozen=True)
class RuleRef:
    """The clause a report's deadline comes from, as it read when the report was drafted."""

    rule_id: str
    title: str
    section: str
    phrase: str
    chunk_id: str
    mode: str  # within | every | at_once
    minutes: int | None
    why: str  # which condition holds (or what must be confirmed, for a pending rule)

    def source(self, lang: str = "zh") -> str:
        section = f" {self.section}" if self.section else ""
        if lang == "en":
            return f"“{self.title}”{section}: “{self.phrase}”"
        return f"《{self.title}》{section}：“{self.phrase}”"


@dataclass(frozen=True)
class Report:
    report_id: str
    incident_id: str
    kind: ReportKind
    seq: int  # 1 for the first report of its kind (续报 are numbered)
    lang: str
    title: str
    created: datetime  # UTC
    first_alert: datetime  # UTC: the deadline counts from here
    sections: tuple[ReportSection, ...]
    officer: str = ""
    rule: RuleRef | None = None
    no_rule: str = ""  # why no rule applies (when ``rule`` is None)
    pending: tuple[RuleRef, ...] = ()  # stricter rules that apply once their condition is confirmed
    level: Level | None = None
    level_source: str = ""  # where the level came from: "draft:<id> v<n>", "proposal", "alert"
    notices: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=(), repr=False)  # texts the figures were taken from

    def section(self, key: str) -> ReportSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def text(self) -> str:
        """Title and every line, as the trace check and the goldens read it."""
        return "\n".join([self.title, *(line.text for s in self.sections for line in s.lines)])


def _rule_from(data: dict[str, Any] | None) -> RuleRef | None:
    return RuleRef(**data) if data else None


def report_to_json(report: Report) -> str:
    data = asdict(report)
    data["created"] = report.created.isoformat()
    data["first_alert"] = report.first_alert.isoformat()
    return json.dumps(data, ensure_ascii=False)


def report_from_json(body: str) -> Report:
    data = json.loads(body)
    return Report(
        report_id=data["report_id"],
        incident_id=data["incident_id"],
        kind=ReportKind(data["kind"]),
        seq=int(data["seq"]),
        lang=data["lang"],
        title=data["title"],
        created=datetime.fromisoformat(data["created"]),
        first_alert=datetime.fromisoformat(data["first_alert"]),
        sections=tuple(ReportSection(s["key"], tuple(Line(**line) for line in s["lines"])) for s in data["sections"]),
        officer=data.get("officer", ""),
        rule=_rule_from(data.get("rule")),
        no_rule=data.get("no_rule", ""),
        pending=tuple(RuleRef(**p) for p in data.get("pending", [])),
        level=Level(data["level"]) if data.get("level") else None,
        level_source=data.get("level_source", ""),
        notices=tuple(data.get("notices", [])),
        sources=tuple(data.get("sources", [])),
    )
