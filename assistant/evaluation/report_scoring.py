"""Scoring of ``task: report`` goldens: a report up the chain drafted from an alert (and tasks, notes).

- ``sections``: the seven official sections, in order, none empty;
- ``grounded``: every time and figure of the report is in a source this scorer rebuilds itself from
  the alert, the recorded timeline and drafts, the golden's tasks and notes, and the titles of the
  library's documents (a cited document is named by its title) — the report's own list of sources is
  not trusted (1.00 is gated);
- ``deadline``: the rule's document and limit equal the golden's, the cited clause in the library
  holds the quoted phrase, and the phrase states exactly that limit; or, where the golden expects no
  rule, none is claimed;
- ``figures``: the casualty counts the golden lists are written as such;
- ``unknowns``: what the golden says the alert leaves open is written 「待核实」, not guessed;
- ``pending``: the stricter rules the golden expects are named as "would apply if …".
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from assistant.chain.injection import withhold_injection
from assistant.domain import Alert
from assistant.evaluation.cases import CaseResult, RunOptions
from assistant.evaluation.draft_scoring import load_alert
from assistant.evaluation.goldens import Golden
from assistant.evaluation.metrics import Score
from assistant.export.local_time import local_time, zone_of
from assistant.reports.compose import TaskLine
from assistant.reports.limits import read_limit
from assistant.reports.model import SECTION_KEYS, TO_FILL, UNKNOWN, Report, ReportKind
from assistant.reports.store import ReportRecord
from assistant.reports.trace import untraced
from assistant.reports.wording import COUNT_LABELS, say
from assistant.services import Services

OFFICER = "评测值班员"
UNKNOWN_SECTIONS = {
    "casualties": "casualties",
    "deaths": "casualties",
    "injured": "casualties",
    "trapped": "casualties",
    "missing": "casualties",
    "affected": "casualties",
    "place": "place",
    "measures": "measures",
    "next_steps": "next_steps",
    "phone": "contact",
}


def golden_tasks(golden: Golden, alert: Alert) -> list[TaskLine]:
    """The golden's tasks, their times given in minutes after the alert was sent."""
    tasks = []
    for number, item in enumerate((golden.report or {}).get("tasks", []), start=1):

        def at(key: str, entry: dict[str, Any] = item) -> datetime | None:
            return alert.sent + timedelta(minutes=float(entry[key])) if key in entry else None

        tasks.append(
            TaskLine(
                f"T{number}",
                item["text"],
                item["unit"],
                item.get("status", "issued"),
                item.get("time_limit", ""),
                at("due_min"),
                at("done_min"),
            )
        )
    return tasks


def _stamps(moments: list[datetime], lang: str, offset: str) -> list[str]:
    zone = zone_of(offset)
    found = []
    for moment in moments:
        local = moment.astimezone(zone)
        found += [local_time(moment, offset, lang), f"{local.hour}时{local.minute:02d}分", f"{local:%H:%M}"]
    return found


def rebuilt_sources(
    services: Services, golden: Golden, alert: Alert, record: ReportRecord, tasks: list[TaskLine]
) -> list[str]:
    """What a report on this case may draw its figures from, gathered here and not from the report."""
    report = record.report
    lang, offset = report.lang, services.settings.ui.utc_offset
    incident = services.alerts.incident(report.incident_id)
    alerts = services.alerts.alerts_of(report.incident_id)
    events = services.alerts.events(report.incident_id)
    drafts = services.records.list_drafts(incident_id=report.incident_id)
    spec = golden.report or {}
    texts = [services.alert_facts(a, lang=lang).text() for a in alerts]
    texts += [withhold_injection(a.headline, lang) for a in alerts]
    texts += [spec.get("notes", ""), spec.get("phone", ""), OFFICER, services.settings.export.issuing_unit]
    texts += [f"{t.text} {t.unit} {t.time_limit}" for t in tasks]
    texts += [str(incident.count)] + [str(d["version"]) for d in drafts]
    for row in drafts[:1]:
        draft = services.records.latest_draft(str(row["draft_id"])).draft
        texts += [f"{a.text} {a.unit} {a.time_limit}" for s in draft.stages for a in s.actions]
        texts += [c.title for c in draft.citations]
    texts += [m.title for m in services.knowledge.retriever.documents()]  # a cited document is named by its title
    moments = [incident.first_seen, incident.last_seen, report.created, *(a.sent for a in alerts)]
    moments += [e.at for e in events] + [datetime.fromisoformat(str(d["created_at"])) for d in drafts]
    moments += [m for t in tasks for m in (t.due_at, t.done_at) if m is not None]
    return texts + _stamps(moments, lang, offset)


def sections_score(report: Report) -> Score:
    keys = [s.key for s in report.sections if any(line.text.strip() for line in s.lines)]
    ok = keys == list(SECTION_KEYS)
    return Score("sections", 1.0 if ok else 0.0, "all seven, in order" if ok else f"sections: {keys}")


def deadline_score(services: Services, report: Report, expect: dict[str, Any]) -> Score:
    wanted = expect.get("rule")
    rule = report.rule
    if wanted is None:
        ok = rule is None and bool(report.no_rule)
        return Score("deadline", 1.0 if ok else 0.0, "no rule claimed" if ok else f"claims {rule and rule.title}")
    if rule is None:
        return Score("deadline", 0.0, f"no rule found; want “{wanted}”")
    problems = []
    if wanted not in rule.title:
        problems.append(f"cites “{rule.title}”, want “{wanted}”")
    limit = expect.get("limit", {})
    if (rule.mode, rule.minutes) != (limit.get("mode"), limit.get("minutes")):
        problems.append(f"limit {rule.mode}/{rule.minutes}, want {limit.get('mode')}/{limit.get('minutes')}")
    clause = services.knowledge.retriever.cite([rule.chunk_id]).get(rule.chunk_id)
    if clause is None or rule.phrase not in clause.text:
        problems.append("the cited clause does not hold the quoted phrase")
    stated = read_limit(rule.phrase)
    if (stated.mode.value, stated.minutes) != (rule.mode, rule.minutes):
        problems.append(f"the phrase states {stated.mode.value}/{stated.minutes}")
    reason = "; ".join(problems) or f"{rule.title} · {rule.mode} {rule.minutes}"
    return Score("deadline", 0.0 if problems else 1.0, reason)


def figures_score(report: Report, figures: dict[str, int]) -> Score:
    section = report.section("casualties")
    text = section.text(report.lang) if section else ""
    missed = [f"{k}={v}" for k, v in figures.items() if say(report.lang, k, n=v) not in text]
    return Score("figures", 1.0 - len(missed) / len(figures), "all written" if not missed else f"missing {missed}")


def unknowns_score(report: Report, keys: list[str]) -> Score:
    lang = "en" if report.lang == "en" else "zh"
    missed = []
    for key in keys:
        section = report.section(UNKNOWN_SECTIONS.get(key, key))
        lines = [line.text for line in section.lines] if section else []
        marker = TO_FILL[lang] if key == "phone" else UNKNOWN[lang]
        label = COUNT_LABELS[lang].get(key)
        if not any(marker in line and (label is None or label in line) for line in lines):
            missed.append(key)
    return Score("unknowns", 1.0 - len(missed) / len(keys), "all marked" if not missed else f"not marked: {missed}")


def pending_score(report: Report, titles: list[str]) -> Score:
    named = [p.title for p in report.pending]
    missed = [t for t in titles if not any(t in n for n in named)]
    return Score("pending", 1.0 - len(missed) / len(titles), "all named" if not missed else f"not named: {missed}")


def score_report(services: Services, golden: Golden, result: CaseResult, options: RunOptions) -> None:
    alert = load_alert(golden)
    spec, expect = golden.report or {}, golden.expect
    incident = services.alerts.ingest(alert).incident_id
    if incident is None:
        raise ValueError("告警未形成事件 / the alert opened no incident")
    if spec.get("with_draft"):
        services.draft(alert, services.alerts.incident(incident), lang=golden.lang, officer=OFFICER)
    kind = ReportKind(spec.get("kind", "initial"))
    first_sent = any(r.kind is ReportKind.INITIAL for r, _ in services.reports.store.sent_reports(incident))
    if kind is not ReportKind.INITIAL and not first_sent:  # a follow-up or final report comes after a first one
        first = services.reports.draft(incident, ReportKind.INITIAL, golden.lang, OFFICER)
        services.reports.send(first.report.report_id, "上级值班室", OFFICER)
    tasks = golden_tasks(golden, alert)
    started = time.perf_counter()
    record = services.reports.draft(
        incident, kind, golden.lang, OFFICER, spec.get("notes", ""), spec.get("phone", ""), tasks=tasks
    )
    result.latency_s = time.perf_counter() - started
    report = record.report
    result.scored_text = report.text()
    missing = untraced(report, rebuilt_sources(services, golden, alert, record, tasks))
    result.scores += [
        sections_score(report),
        Score(
            "grounded",
            0.0 if missing else 1.0,
            "every figure traced"
            if not missing
            else "untraced: " + "; ".join(f"{u.section}:{u.figure}" for u in missing),
        ),
        deadline_score(services, report, expect),
    ]
    if expect.get("figures"):
        result.scores.append(figures_score(report, expect["figures"]))
    if expect.get("to_confirm"):
        result.scores.append(unknowns_score(report, expect["to_confirm"]))
    if expect.get("pending"):
        result.scores.append(pending_score(report, expect["pending"]))
