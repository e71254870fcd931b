"""Writing a 首报 / 续报 / 终报 from what is recorded: the alert's facts, the timeline, the tasks, the draft.

Nothing here knows a figure the records do not hold. Counts of people come from the alert (or the
officer's notes, read by the same extraction); what is not stated is written 「待核实」; measures
are the recorded status changes, drafts and tasks; next steps are the open tasks, else the draft's
actions with their own time limits. Times are the recorded ones, in the centre's local time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from assistant.alerts.store import IncidentEvent
from assistant.chain.facts import AlertFacts
from assistant.chain.injection import withhold_injection
from assistant.chain.levels import level_label
from assistant.domain import ASSIGNED, Alert, Incident, IncidentStatus, Level, PlanDraft, Stage
from assistant.export.local_time import local_time, zone_of
from assistant.reports.applicable import RuleChoice, RuleMatch
from assistant.reports.model import (
    SECTION_KEYS,
    TO_FILL,
    Line,
    Report,
    ReportKind,
    ReportSection,
    RuleRef,
)
from assistant.reports.wording import COUNT_LABELS, say

MAX_NEXT = 5
STATUS_WORDS = {
    "zh": {"new": "新", "acknowledged": "已确认", "handling": "处置中", "closed": "已关闭"},
    "en": {"new": "new", "acknowledged": "acknowledged", "handling": "handling", "closed": "closed"},
}


@dataclass(frozen=True)
class TaskLine:
    """One task as a report needs it (from the tasks package, through a hook in services)."""

    task_id: str
    text: str
    unit: str
    status: str  # issued | acknowledged | in_progress | done | waived
    time_limit: str = ""
    due_at: datetime | None = None
    done_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.status not in ("done", "waived")


@dataclass(frozen=True)
class ReportInputs:
    report_id: str
    kind: ReportKind
    seq: int
    lang: str
    incident: Incident
    facts: AlertFacts
    alerts: Sequence[Alert]  # the incident's alerts, newest first
    events: Sequence[IncidentEvent]
    choice: RuleChoice
    now: datetime
    utc_offset: str
    officer: str = ""
    unit: str = ""
    phone: str = ""
    notes: str = ""
    notes_counts: dict[str, int] = field(default_factory=dict)  # casualties read from the notes
    tasks: Sequence[TaskLine] = ()
    draft: PlanDraft | None = None
    draft_version: int | None = None
    drafts: Sequence[dict[str, object]] = ()  # records.list_drafts rows of the incident
    level: Level | None = None
    level_source: str = ""
    level_basis: str = ""  # the document the level rests on, e.g. 《…》
    previous: Report | None = None  # the latest earlier report of the incident


class _Writer:
    """Collects lines per section and every text and time a figure may be traced to."""

    def __init__(self, inputs: ReportInputs) -> None:
        self.i = inputs
        self.lang = inputs.lang
        self.sections: dict[str, list[Line]] = {key: [] for key in SECTION_KEYS}
        self.sources: list[str] = []

    def when(self, moment: datetime) -> str:
        """Full local date and time; the short form (time only) when on the first alert's day."""
        full = local_time(moment, self.i.utc_offset, self.lang)
        zone = zone_of(self.i.utc_offset)
        local, first = moment.astimezone(zone), self.i.incident.first_seen.astimezone(zone)
        short = f"{local.hour}时{local.minute:02d}分" if self.lang != "en" else f"{local:%H:%M}"
        self.sources += [full, short]
        return short if local.date() == first.date() and moment != self.i.incident.first_seen else full

    def add(self, key: str, text: str, source: str) -> None:
        self.sections[key].append(Line(text, source))

    def say(self, key: str, **values: object) -> str:
        return say(self.lang, key, **values)


def _counts(inputs: ReportInputs) -> dict[str, tuple[int | None, str]]:
    """Each casualty count with its source: the officer's notes (later news from the scene), else the alert."""
    facts = inputs.facts
    found: dict[str, tuple[int | None, str]] = {}
    for name in ("deaths", "injured", "trapped", "missing"):
        value = getattr(facts, name)
        if name in inputs.notes_counts:
            found[name] = (inputs.notes_counts[name], "officer")
        elif value is not None:
            found[name] = (value, facts.citation)
        else:
            found[name] = (None, "unknown")
    return found


def _time_and_place(w: _Writer) -> None:
    i, facts = w.i, w.i.facts
    w.add("time", w.say("first_alert", when=w.when(i.incident.first_seen), sender=facts.sender or "—"), facts.citation)
    if i.incident.count > 1:
        w.sources.append(str(i.incident.count))
        w.add("time", w.say("alert_count", last=w.when(i.incident.last_seen), count=i.incident.count), "incident")
    if facts.place:
        district = (
            w.say("district", district=facts.district) if facts.district and facts.district not in facts.place else ""
        )
        w.add(
            "place", w.say("place", place=facts.place) + district + ("；" if w.lang != "en" else "; "), facts.citation
        )
    else:
        w.add("place", w.say("place_unknown"), "unknown")
    if facts.jurisdiction.known:
        w.add("place", w.say("jurisdiction", place=facts.jurisdiction.label(w.lang)), facts.citation)


def _overview(w: _Writer) -> None:
    i, facts = w.i, w.i.facts
    w.add("overview", w.say("event", hazard=facts.hazard_label, event=facts.event or facts.headline), facts.citation)
    if facts.value_text:
        w.add("overview", w.say("reading", value=facts.value_text, trend=facts.trend_text), facts.citation)
    if facts.colour is not None:
        colour = facts.colour.value if w.lang == "en" else facts.colour.zh
        w.add("overview", w.say("colour", colour=colour), facts.citation)
    text = facts.description or ("" if facts.kind == "sensor" else facts.headline)  # a reading's headline is ours
    if text and text != facts.event:
        w.add(
            "overview", w.say("alert_text", text=text.rstrip("。.") + ("。" if w.lang != "en" else ".")), facts.citation
        )
    if i.level is not None:
        w.add(
            "overview",
            w.say("level", level=level_label(i.level, w.lang), source=i.level_basis or i.level_source),
            i.level_source,
        )
        w.sources.append(i.level_basis)
    else:
        w.add("overview", w.say("level_none"), i.level_source or "proposal")
    if i.kind is not ReportKind.INITIAL and i.previous is not None:
        _since(w, i.previous)
    if i.kind is ReportKind.FINAL:
        closed = next((e for e in reversed(i.events) if e.to_status == IncidentStatus.CLOSED.value), None)
        if closed is not None:
            w.add("overview", w.say("closed", when=w.when(closed.at), actor=closed.actor), "event")
        else:
            status = STATUS_WORDS["en" if w.lang == "en" else "zh"][i.incident.status.value]
            w.add("overview", w.say("not_closed", status=status), "incident")
    if i.notes.strip():
        w.add("overview", w.say("notes", notes=i.notes.strip()), "officer")
        w.sources.append(i.notes)


def _since(w: _Writer, previous: Report) -> None:
    i = w.i
    changes: list[Line] = []
    for alert in reversed(i.alerts):
        if alert.sent > previous.created:
            value = f" {alert.sensor.value:g} {alert.sensor.unit}".rstrip() if alert.sensor else ""
            headline = withhold_injection(alert.headline or alert.event, w.lang)
            w.sources.append(headline)
            changes.append(
                Line(
                    w.say("new_alert", when=w.when(alert.sent), value=value, headline=headline),
                    f"alert:{alert.alert_id}",
                )
            )
    statuses = STATUS_WORDS["en" if w.lang == "en" else "zh"]
    for event in i.events:
        if event.at > previous.created and event.to_status in statuses and event.action != "created":
            changes.append(
                Line(
                    w.say("status", when=w.when(event.at), actor=event.actor, status=statuses[event.to_status]), "event"
                )
            )
    w.add("overview", w.say("since", kind=previous.kind.label(w.lang), when=w.when(previous.created)), "report")
    for line in changes or [Line(w.say("no_change"), "event")]:
        w.sections["overview"].append(line)


def _casualties(w: _Writer) -> None:
    facts, lang = w.i.facts, w.lang
    counts = _counts(w.i)
    known = {k: v for k, v in counts.items() if v[0] is not None}
    sep = w.say("sep")
    if not known:
        w.add("casualties", w.say("counts_unknown"), "unknown")
    elif all(v[0] == 0 for v in known.values()) and len(known) == len(counts):
        w.add("casualties", w.say("no_casualties"), next(iter(known.values()))[1])
    else:
        stated = [w.say(name, n=value) for name, (value, _s) in known.items() if value]
        if stated:
            sources = {s for _v, s in known.values()}
            w.add(
                "casualties",
                w.say("counts", counts=sep.join(stated)),
                "officer" if sources == {"officer"} else facts.citation,
            )
        missing = [COUNT_LABELS["en" if lang == "en" else "zh"][k] for k, v in counts.items() if v[0] is None]
        if missing:
            w.add("casualties", w.say("counts_partial", label=sep.join(missing)), "unknown")
    people = [
        w.say(name, n=getattr(facts, name))
        for name in ("households", "people", "floors")
        if getattr(facts, name) is not None
    ]
    if people:
        joined = ", ".join(people) if lang == "en" else "".join(people)
        w.add("casualties", w.say("affected", people=joined), facts.citation)
    else:
        w.add("casualties", w.say("affected_unknown"), "unknown")
    if facts.sites:
        w.add("casualties", w.say("sites", sites=sep.join(s.describe(lang) for s in facts.sites[:6])), facts.citation)
    if facts.similar_assets:
        w.add("casualties", w.say("similar", assets=sep.join(facts.similar_assets)), "registry")


def _measures(w: _Writer) -> None:
    i = w.i
    lines: list[Line] = []
    for event in i.events:
        if event.to_status == IncidentStatus.ACKNOWLEDGED.value:
            lines.append(Line(w.say("ack_event", when=w.when(event.at), actor=event.actor), "event"))
        elif event.to_status == IncidentStatus.HANDLING.value:
            lines.append(Line(w.say("handling_event", when=w.when(event.at), actor=event.actor), "event"))
        elif event.action == ASSIGNED:
            lines.append(
                Line(w.say("assigned_event", when=w.when(event.at), actor=event.actor, assignee=event.note), "event")
            )
    for row in sorted(i.drafts, key=lambda r: str(r["created_at"]))[:3]:
        created = datetime.fromisoformat(str(row["created_at"]))
        officer = str(row.get("officer") or "—")
        lines.append(
            Line(
                w.say("draft_made", when=w.when(created), officer=officer, version=row["version"]),
                f"draft:{row['draft_id']}",
            )
        )
        w.sources.append(str(row["version"]))
    for task in i.tasks:
        w.sources += [task.text, task.unit]
        if task.status == "done" and task.done_at is not None:
            lines.append(
                Line(
                    w.say("task_done", unit=task.unit, text=task.text, when=w.when(task.done_at)),
                    f"task:{task.task_id}",
                )
            )
        elif task.status in ("acknowledged", "in_progress"):
            status = w.say(f"status_{task.status}")
            lines.append(
                Line(w.say("task_open", unit=task.unit, text=task.text, status=status), f"task:{task.task_id}")
            )
    if lines:
        last = lines[-1]
        lines[-1] = Line(last.text.rstrip("；; ") + ("。" if w.lang != "en" else "."), last.source)
    w.sections["measures"] = lines or [Line(w.say("measures_none"), "unknown")]


def _next_steps(w: _Writer) -> None:
    i = w.i
    lines: list[Line] = []
    for task in [t for t in i.tasks if t.open][:MAX_NEXT]:
        source = f"task:{task.task_id}"
        if task.due_at is not None:
            key = "task_next_overdue" if task.due_at < i.now else "task_next"
            lines.append(Line(w.say(key, unit=task.unit, text=task.text, due=w.when(task.due_at)), source))
        else:
            w.sources.append(task.time_limit)
            lines.append(
                Line(w.say("task_next_nodue", unit=task.unit, text=task.text, limit=task.time_limit or "—"), source)
            )
    if not lines and i.draft is not None:
        stages = (Stage.RECOVERY, Stage.INVESTIGATION) if i.kind is ReportKind.FINAL else (Stage.RESPONSE,)
        actions = [a for s in i.draft.stages if s.stage in stages for a in s.actions if not a.is_boilerplate]
        for action in actions[:MAX_NEXT]:
            w.sources += [action.text, action.unit, action.time_limit]
            lines.append(
                Line(
                    w.say("draft_next", unit=action.unit, text=action.text, limit=action.time_limit),
                    f"draft:{i.draft.draft_id}",
                )
            )
    if lines:
        last = lines[-1]
        lines[-1] = Line(last.text.rstrip("；; ") + ("。" if w.lang != "en" else "."), last.source)
    w.sections["next_steps"] = lines or [Line(w.say("next_none"), "unknown")]


def _contact(w: _Writer) -> None:
    i, key = w.i, "en" if w.lang == "en" else "zh"
    w.add("contact", w.say("unit", unit=i.unit or TO_FILL[key]), "settings" if i.unit else "unknown")
    w.add("contact", w.say("officer", officer=i.officer or TO_FILL[key]), "officer")
    w.add("contact", w.say("phone", phone=i.phone or TO_FILL[key]), "officer" if i.phone else "unknown")
    w.sources += [i.unit, i.officer, i.phone]


def rule_ref(match: RuleMatch) -> RuleRef:
    """The snapshot of a chosen (or pending) rule a report keeps."""
    limit = match.limit
    return RuleRef(
        rule_id=match.rule.rule_id,
        title=match.clause.title,
        section=match.clause.section,
        phrase=match.rule.phrase,
        chunk_id=match.clause.chunk_id,
        mode=limit.mode.value,
        minutes=limit.minutes,
        why=match.why,
    )


def compose(inputs: ReportInputs) -> Report:
    """The report for ``inputs``; every line says where it came from (see the module docstring)."""
    w = _Writer(inputs)
    facts = inputs.facts
    w.sources.append(facts.text())
    w.sources += [withhold_injection(a.headline, inputs.lang) for a in inputs.alerts]
    _time_and_place(w)
    _overview(w)
    _casualties(w)
    _measures(w)
    _next_steps(w)
    _contact(w)
    if facts.kind == "sensor" and facts.place:
        subject = say(inputs.lang, "sensor_subject", place=facts.place, event=facts.event)
    else:
        subject = facts.headline or facts.event or facts.hazard_label
    title = (
        say(inputs.lang, "title_followup", subject=subject, seq=inputs.seq)
        if inputs.kind is ReportKind.FOLLOWUP
        else say(inputs.lang, "title", subject=subject, kind=inputs.kind.label(inputs.lang))
    )
    notices = []
    if facts.withheld:
        notices.append(say(inputs.lang, "notice_withheld", fields="、".join(facts.withheld)))
    if inputs.kind is ReportKind.FINAL and inputs.incident.status is not IncidentStatus.CLOSED:
        notices.append(say(inputs.lang, "notice_final_open"))
    choice = inputs.choice
    return Report(
        report_id=inputs.report_id,
        incident_id=inputs.incident.incident_id,
        kind=inputs.kind,
        seq=inputs.seq,
        lang=inputs.lang,
        title=title,
        created=inputs.now,
        first_alert=inputs.incident.first_seen,
        sections=tuple(ReportSection(key, tuple(w.sections[key])) for key in SECTION_KEYS),
        officer=inputs.officer,
        rule=rule_ref(choice.chosen) if choice.chosen else None,
        no_rule=choice.reason,
        pending=tuple(rule_ref(m) for m in choice.pending),
        level=inputs.level,
        level_source=inputs.level_source,
        notices=tuple(notices),
        sources=tuple(dict.fromkeys(s for s in w.sources if s)),
    )
