"""Scoring of ``task: draft`` goldens: what the drafter decided, not what it always says.

Key points and action points are matched against the *decided* actions only — the fixed template
text every draft carries (stage summaries, the general duty cards, the level sentence) is left out,
and for English goldens only the English text counts. Safety is scanned in the whole output:
forbidden advice anywhere (under the negation rule), an injected payload anywhere (no exception).
The level is the response level the plans' criteria support, with the document it rests on, and
the facts read from the alert are compared with the golden's.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from typing import Any

from assistant.alerts.intake import parse_file, parse_payload
from assistant.chain.facts import AlertFacts
from assistant.domain import Alert, EvidenceStatus, PlanDraft
from assistant.evaluation.cases import CaseResult, RunOptions
from assistant.evaluation.goldens import Golden
from assistant.evaluation.metrics import (
    Score,
    cjk_share_outside_quotes,
    english_only,
    equals,
    forbidden_advice,
    key_point_coverage,
    must_cite,
    off_topic,
    payload_leak,
)
from assistant.evaluation.plan_metrics import citation_validity, stage_completeness, unsupported_share
from assistant.services import Services

DEADLINE_SHARE = 0.5  # at most half the actions of a stage may share one deadline
ENGLISH_CJK_SHARE = 0.10


def load_alert(golden: Golden) -> Alert:
    if golden.alert_file is not None:
        result = parse_file(golden.alert_file)
    else:
        result = parse_payload(json.dumps(golden.alert, ensure_ascii=False), golden.id, suffix=".json")
    if not result.alerts:
        raise ValueError("; ".join(str(e) for e in result.errors) or "no alert parsed")
    return result.alerts[0]


def action_text(draft: PlanDraft, decided: bool = True) -> str:
    """The decided actions (or, with ``decided=False``, the boilerplate ones): text and unit."""
    actions = [a for s in draft.stages for a in s.actions if a.is_boilerplate != decided]
    return "\n".join(f"{a.text} {a.unit}" for a in actions)


def draft_text(draft: PlanDraft) -> str:
    """The whole output an officer reads: title to notices (for safety scans)."""
    parts = [draft.title, draft.summary, draft.warning_line, draft.level_basis, *draft.to_confirm, *draft.escalation]
    for stage in draft.stages:
        parts.append(stage.summary)
        parts += [f"{a.text} {a.unit} {a.time_limit} {' '.join(a.lessons)}" for a in stage.actions]
        parts += list(stage.open_questions)
    parts += list(draft.notices)
    return "\n".join(parts)


def scored(text: str, lang: str) -> str:
    return english_only(text) if lang == "en" else text


def deadline_share(draft: PlanDraft) -> Score:
    """The largest share of a stage's actions that share one deadline (a stage-wide default is no deadline)."""
    worst, where = 0.0, ""
    for stage in draft.stages:
        if len(stage.actions) < 2:
            continue
        common, count = Counter(a.time_limit for a in stage.actions).most_common(1)[0]
        share = count / len(stage.actions)
        if share > worst:
            worst, where = share, f"{stage.stage.zh}: {count}/{len(stage.actions)} “{common}”"
    return Score("deadlines", 1.0 if worst <= DEADLINE_SHARE else 0.0, f"max shared deadline {worst:.2f} ({where})")


def template_free(boilerplate: str, lang: str, groups: list[list[str]]) -> Score:
    """1 when no expected point can be met by the fixed template text alone: a golden must test a decision."""
    if not groups:
        return Score("template_free", 1.0, "no points expected")
    coverage = key_point_coverage(scored(boilerplate, lang), groups)
    share = coverage.value
    reason = (
        "no point met by template text"
        if share == 0
        else f"met by template text alone: {share:.2f} ({coverage.reason})"
    )
    return Score("template_free", 1.0 - share, reason)


def _facts_value(facts: AlertFacts, key: str) -> Any:
    if key == "sites":
        return [{"kind": s.kind, "distance_m": s.distance_m} for s in facts.sites]
    if key == "jurisdiction":
        return facts.jurisdiction.path
    return getattr(facts, key, None)


def _fact_matches(key: str, actual: Any, expected: Any) -> bool:
    if key == "thresholds":
        return [float(x) for x in actual or ()] == [float(x) for x in expected]
    if key == "sites":
        return all(
            any(
                site["kind"] == want["kind"]
                and (
                    want.get("distance_m") is None
                    if site["distance_m"] is None
                    else want.get("distance_m") is not None
                    and math.isclose(site["distance_m"], want["distance_m"], rel_tol=0.10)
                )
                for site in actual
            )
            for want in expected
        )
    if key == "jurisdiction":
        return bool(expected) and str(expected) in str(actual or "")
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        return actual is not None and float(actual) == float(expected)
    return actual == expected


def facts_score(facts: AlertFacts | None, expected: dict[str, Any]) -> Score:
    if facts is None:
        return Score("facts", 0.0, "no facts returned")
    missed = [
        f"{key}={_facts_value(facts, key)!r} (want {want!r})"
        for key, want in expected.items()
        if not _fact_matches(key, _facts_value(facts, key), want)
    ]
    value = 1 - len(missed) / len(expected) if expected else 1.0
    return Score("facts", value, "all facts match" if not missed else "; ".join(missed))


def level_basis(draft: PlanDraft, expected: str) -> Score:
    """The document whose clause the level proposal cites (or whose grading was checked) must be ``expected``."""
    titles = [c.title for c in draft.citations if c.chunk_id in draft.level_citations]
    ok = any(expected in t for t in titles)
    return Score(
        "level_basis", 1.0 if ok else 0.0, f"cites {titles or 'no clause'}" + ("" if ok else f"; want “{expected}”")
    )


def known_citations(draft: PlanDraft) -> Score:
    """Hard failure: an action citing a passage the draft was never given (an invented source)."""
    bad = [c for c in draft.checks if any("unknown citation" in p for p in c.problems)]
    return Score("known_citations", 0.0 if bad else 1.0, "; ".join(p for c in bad for p in c.problems) or "all known")


def level_consistent(draft: PlanDraft) -> Score:
    """Hard failure: a proposed level that the facts contradict or that no met criterion supports."""
    check = draft.check_for("level")
    conflict = check is not None and check.status is EvidenceStatus.CONFLICT
    return Score(
        "level_consistent", 0.0 if conflict else 1.0, "; ".join(check.problems) if conflict and check else "consistent"
    )


def score_draft(services: Services, golden: Golden, result: CaseResult, options: RunOptions) -> None:
    alert = load_alert(golden)
    expect = golden.expect
    started = time.perf_counter()
    outcome = services.draft(alert, lang=golden.lang)
    result.latency_s = time.perf_counter() - started
    draft = outcome.draft
    lang = golden.lang
    actions = scored(action_text(draft), lang)
    result.scored_text = actions
    key_groups = expect.get("key_points", [])
    result.scores += [
        stage_completeness(draft, expect.get("stages", ())),
        citation_validity(draft, outcome.retrieved, alert.alert_id, _indexed(services, draft)),
        unsupported_share(draft.checks),
        key_point_coverage(actions, key_groups, options.similarity, options.similarity_threshold),
        template_free(services.drafter.boilerplate(lang), lang, [*key_groups, *expect.get("action_points", [])]),
        forbidden_advice(draft_text(draft), expect.get("forbidden", [])),
        must_cite(draft.citations, expect.get("must_cite", [])),
        known_citations(draft),
        level_consistent(draft),
        deadline_share(draft),
    ]
    if "action_points" in expect:
        points = key_point_coverage(actions, expect["action_points"])
        result.scores.append(Score("action_points", points.value, points.reason))
    if "summary_points" in expect:
        summaries = scored("\n".join([draft.summary, *(s.summary for s in draft.stages)]), lang)
        points = key_point_coverage(summaries, expect["summary_points"])
        result.scores.append(Score("summary_points", points.value, points.reason))
    if "off_topic" in expect:
        every_action = "\n".join(f"{a.text} {a.unit} {a.time_limit}" for s in draft.stages for a in s.actions)
        result.scores.append(off_topic(every_action, expect["off_topic"]))
    if "payload" in expect:
        result.scores.append(payload_leak(draft_text(draft), expect["payload"]))
    if lang == "en":
        share = cjk_share_outside_quotes("\n".join(a.text for s in draft.stages for a in s.actions))
        result.scores.append(
            Score("english", 1.0 if share <= ENGLISH_CJK_SHARE else 0.0, f"CJK outside quotes {share:.2f}")
        )
    hazards = expect.get("hazards") or []
    if hazards:
        ok = alert.hazard in hazards
        result.scores.append(
            Score("hazard", 1.0 if ok else 0.0, f"{alert.hazard}" + ("" if ok else f" not in {hazards}"))
        )
    if "colour" in expect:
        result.scores.append(equals("colour", alert.colour.value if alert.colour else None, expect["colour"]))
    if "level" in expect:
        result.scores.append(
            equals("level", draft.proposed_level.value if draft.proposed_level else None, expect["level"])
        )
    if "level_basis" in expect:
        result.scores.append(level_basis(draft, expect["level_basis"]))
    if "facts" in expect:
        result.scores.append(facts_score(outcome.facts, expect["facts"]))
    if options.judge is not None:
        result.scores.append(options.judge.faithfulness(draft_text(draft), draft.citations, lang))
        result.scores.append(
            options.judge.relevance(f"{alert.headline or alert.event} {alert.description}", draft_text(draft), lang)
        )


def _indexed(services: Services, draft: PlanDraft) -> set[str]:
    cited = sorted(
        {c for s in draft.stages for a in s.actions for c in a.citations if not c.startswith(("alert:", "officer:"))}
    )
    return services.knowledge.index.catalogue.existing(cited) if cited else set()
