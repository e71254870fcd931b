"""Reports up the chain for one incident: gather what is recorded, choose the rule, draft, edit, send.

The service reads the alert store (incident, alerts, timeline), the records (the latest draft and
its level proposal), the tasks (through a hook: see ``no_tasks``) and the library (the reporting
clauses); it writes only the report store and the audit trail. The clock is injected, so a test
can stand at any moment of a deadline without sleeping.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from assistant.alerts.store import AlertStore
from assistant.chain.criteria import Library
from assistant.chain.fact_extraction import read_text_facts
from assistant.chain.facts import AlertFacts
from assistant.chain.levels import propose_level
from assistant.domain import Alert, Level, PlanDraft
from assistant.errors import AssistantError, NotFoundError
from assistant.records import Records
from assistant.reports.applicable import RuleChoice, Situation, choose_rule
from assistant.reports.compose import ReportInputs, TaskLine, compose, rule_ref
from assistant.reports.deadline import Due, DueState, standing
from assistant.reports.model import SECTION_KEYS, Line, ReportKind, ReportSection
from assistant.reports.rules import ReportingRule, load_rules
from assistant.reports.store import ReportRecord, ReportStore, Sending
from assistant.reports.task_source import TaskSource
from assistant.reports.wording import say


def no_tasks(incident_id: str) -> list[TaskLine]:
    """The tasks hook when no task source is wired: reports then list recorded events and the draft only."""
    return []


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Standing:
    """What the workspace shows above the reports: the rule, the level it was judged at, the deadlines."""

    choice: RuleChoice
    level: Level | None
    level_basis: str
    first_alert: datetime
    initial: Due
    followup: Due
    reports: tuple[ReportRecord, ...]


@dataclass(frozen=True)
class DueReport:
    """A report that falls due (for the shift handover): which incident, which kind, when, under which clause."""

    incident_id: str
    kind: ReportKind
    due_at: datetime
    rule: str


@dataclass
class ReportService:
    store: ReportStore
    alerts: AlertStore
    records: Records
    library: Library
    facts_of: Callable[[Alert, str], AlertFacts]
    utc_offset: str = "+08:00"
    unit: str = ""
    tasks: TaskSource = no_tasks
    clock: Callable[[], datetime] = now_utc
    rules: tuple[ReportingRule, ...] = field(default_factory=load_rules)

    # ------------------------------------------------------------ reading

    def _latest_draft(self, incident_id: str) -> tuple[PlanDraft | None, int | None, list[dict[str, object]]]:
        rows = self.records.list_drafts(incident_id=incident_id)
        if not rows:
            return None, None, rows
        record = self.records.latest_draft(str(rows[0]["draft_id"]))
        return record.draft, record.version, rows

    def _level(self, facts: AlertFacts, draft: PlanDraft | None, version: int | None) -> tuple[Level | None, str, str]:
        """(level, where it came from, the document it rests on) — the draft's proposal, else a fresh one."""
        declared = "告警载明" if facts.lang != "en" else "declared in the alert"
        if draft is not None:
            titles = [f"《{c.title}》" for c in draft.citations if c.chunk_id in draft.level_citations]
            basis = "、".join(dict.fromkeys(titles)) or (declared if draft.proposed_level else "")
            return draft.proposed_level, f"draft:{draft.draft_id} v{version}", basis
        proposal = propose_level(facts, self.library)
        basis = declared if proposal.declared else (f"《{proposal.plan_title}》" if proposal.plan_title else "")
        return proposal.level, "proposal", basis

    def _situation(self, facts: AlertFacts, level: Level | None, notes: dict[str, int], lang: str) -> Situation:
        def count(name: str) -> int | None:  # the officer's notes are later news than the alert
            return notes[name] if name in notes else getattr(facts, name)

        return Situation(
            hazard=facts.hazard,
            jurisdiction=facts.jurisdiction,
            kind=facts.kind,
            deaths=count("deaths"),
            injured=count("injured"),
            trapped=count("trapped"),
            missing=count("missing"),
            level=level,
            lang=lang,
        )

    @staticmethod
    def notes_counts(notes: str) -> dict[str, int]:
        """Casualties the officer's notes state, read by the same extraction as alert text."""
        if not notes.strip():
            return {}
        found = read_text_facts([("notes", notes)])
        counts = {"deaths": found.deaths, "injured": found.injured, "trapped": found.trapped, "missing": found.missing}
        return {name: c.value for name, c in counts.items() if c is not None}

    def _facts(self, incident_id: str, lang: str) -> tuple[AlertFacts, list[Alert]]:
        alerts = self.alerts.alerts_of(incident_id, limit=200)
        if not alerts:
            raise NotFoundError(f"事件 {incident_id} 没有告警 / incident {incident_id} has no alert")
        return self.facts_of(alerts[0], lang), alerts

    def standing(self, incident_id: str, lang: str = "zh", notes: str = "") -> Standing:
        """The applicable rule and where the first report and the next follow-up stand now."""
        incident = self.alerts.incident(incident_id)
        facts, _alerts = self._facts(incident_id, lang)
        draft, version, _rows = self._latest_draft(incident_id)
        level, _source, basis = self._level(facts, draft, version)
        choice = choose_rule(self.rules, self._situation(facts, level, self.notes_counts(notes), lang), self.library)
        reports = tuple(self.store.of_incident(incident_id))
        sent = self.store.sent_reports(incident_id)
        first_sent = next((s.at for r, s in sent if r.kind is ReportKind.INITIAL), None)
        rule = rule_ref(choice.chosen) if choice.chosen else None
        now = self.clock()
        return Standing(
            choice=choice,
            level=level,
            level_basis=basis,
            first_alert=incident.first_seen,
            initial=standing(rule, ReportKind.INITIAL, incident.first_seen, now, sent_at=first_sent),
            followup=standing(rule, ReportKind.FOLLOWUP, incident.first_seen, now, last_sent=sent[-1][1].at)
            if sent
            else standing(None, ReportKind.FOLLOWUP, incident.first_seen, now),
            reports=reports,
        )

    def due(self, incident_ids: Sequence[str], until: datetime, lang: str = "zh") -> list[DueReport]:
        """The first reports and follow-ups of these incidents due by ``until`` (overdue ones included)."""
        found: list[DueReport] = []
        for incident_id in incident_ids:
            state = self.standing(incident_id, lang)
            chosen = state.choice.chosen
            if chosen is None:
                continue
            for kind, due in ((ReportKind.INITIAL, state.initial), (ReportKind.FOLLOWUP, state.followup)):
                waiting = due.state in (DueState.RUNNING, DueState.OVERDUE, DueState.AT_ONCE)
                if waiting and due.due_at is not None and due.due_at <= until:
                    found.append(DueReport(incident_id, kind, due.due_at, chosen.source(lang)))
        return found

    # ------------------------------------------------------------ writing

    def _target(self, incident_id: str, kind: ReportKind) -> tuple[str, int]:
        """The report id a new draft of ``kind`` belongs to: the unsent one of that kind, else a new one."""
        same = [r for r in self.store.of_incident(incident_id) if r.report.kind is kind]
        if same:
            latest = same[-1]
            versions = self.store.versions(latest.report.report_id)
            if not any(v.sent for v in versions):
                return latest.report.report_id, latest.report.seq
            if kind is not ReportKind.FOLLOWUP:
                raise AssistantError(
                    f"该事件的{kind.label('zh')}已报送；请起草续报 / the {kind.label('en')} of this incident was "
                    "already sent; draft a follow-up report"
                )
            return f"rep-{uuid.uuid4().hex[:12]}", latest.report.seq + 1
        return f"rep-{uuid.uuid4().hex[:12]}", 1

    def draft(
        self,
        incident_id: str,
        kind: ReportKind,
        lang: str = "zh",
        officer: str = "",
        notes: str = "",
        phone: str = "",
        tasks: Sequence[TaskLine] | None = None,
    ) -> ReportRecord:
        """Draft (or redraft, as a new version) the incident's report of ``kind`` and record it."""
        incident = self.alerts.incident(incident_id)
        facts, alerts = self._facts(incident_id, lang)
        draft, version, rows = self._latest_draft(incident_id)
        level, source, basis = self._level(facts, draft, version)
        counts = self.notes_counts(notes)
        choice = choose_rule(self.rules, self._situation(facts, level, counts, lang), self.library)
        report_id, seq = self._target(incident_id, kind)
        sent = self.store.sent_reports(incident_id)
        previous = sent[-1][0] if sent else None
        if previous is None and kind is not ReportKind.INITIAL:
            earlier = self.store.of_incident(incident_id)
            previous = earlier[-1].report if earlier else None
        now = self.clock()
        report = compose(
            ReportInputs(
                report_id=report_id,
                kind=kind,
                seq=seq,
                lang=lang,
                incident=incident,
                facts=facts,
                alerts=alerts,
                events=self.alerts.events(incident_id),
                choice=choice,
                now=now,
                utc_offset=self.utc_offset,
                officer=officer,
                unit=self.unit,
                phone=phone,
                notes=notes,
                notes_counts=counts,
                tasks=list(self.tasks(incident_id) if tasks is None else tasks),
                draft=draft,
                draft_version=version,
                drafts=rows,
                level=level,
                level_source=source,
                level_basis=basis,
                previous=previous if kind is not ReportKind.INITIAL else None,
            )
        )
        if kind is not ReportKind.INITIAL and not any(r.kind is ReportKind.INITIAL for r, _s in sent):
            report = replace(report, notices=(*report.notices, say(lang, "notice_no_initial")))
        record = self.store.save(report, "drafted", officer or None, now)
        self.records.log(
            "report.drafted",
            actor=officer or None,
            subject=incident_id,
            report=report_id,
            kind=kind.value,
            version=record.version,
        )
        return record

    def edit(self, report_id: str, texts: dict[str, str], officer: str) -> ReportRecord | None:
        """Replace the text of the sections the officer changed; None when nothing changed."""
        current = self.store.latest(report_id).report
        sections = []
        changed = False
        for section in current.sections:
            new = (texts.get(section.key) or "").strip()
            if new and new != section.text(current.lang).strip():
                sections.append(ReportSection(section.key, (Line(new, "edited"),)))
                changed = True
            else:
                sections.append(section)
        if not changed:
            return None
        unknown = sorted(set(texts) - set(SECTION_KEYS))
        if unknown:
            raise AssistantError(f"未知的报告章节 / unknown report sections: {unknown}")
        now = self.clock()
        record = self.store.save(replace(current, sections=tuple(sections), created=now), "edited", officer, now)
        self.records.log(
            "report.edited", actor=officer, subject=current.incident_id, report=report_id, version=record.version
        )
        return record

    def send(
        self, report_id: str, to: str, officer: str, at: datetime | None = None, version: int | None = None
    ) -> Sending:
        """Record that the report (its latest version unless given) was sent to ``to`` at ``at`` (default: now)."""
        return record_sending(self.store, self.records, report_id, to, officer, self.clock(), at, version)


def record_sending(
    store: ReportStore,
    records: Records,
    report_id: str,
    to: str,
    officer: str,
    now: datetime,
    at: datetime | None = None,
    version: int | None = None,
) -> Sending:
    """Mark a report version sent and put it in the audit trail (the CLI needs no library for this)."""
    latest = store.latest(report_id)
    number = version or latest.version
    sending = store.mark_sent(report_id, number, to, at or now, officer, now)
    records.log(
        "report.sent",
        actor=officer,
        subject=latest.report.incident_id,
        report=report_id,
        version=number,
        to=sending.to,
        at=sending.at.isoformat(),
    )
    return sending


__all__ = ["DueReport", "ReportService", "Standing", "TaskLine", "TaskSource", "no_tasks", "record_sending"]
