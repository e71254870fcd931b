"""PlanDraft <-> plain JSON, so drafts can be stored, versioned, diffed and sent on.

The format is our own and stable: enums as their values, datetimes as ISO 8601.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from assistant.domain import (
    Action,
    Citation,
    DocKind,
    EvidenceCheck,
    EvidenceStatus,
    Level,
    Loop,
    PlanDraft,
    Stage,
    StageResult,
)

FORMAT_VERSION = 1


def _action_to_dict(action: Action) -> dict[str, Any]:
    return {
        "text": action.text,
        "unit": action.unit,
        "time_limit": action.time_limit,
        "loop": action.loop.value,
        "citations": list(action.citations),
        "resources": list(action.resources),
        "lessons": list(action.lessons),
        "origin": action.origin,
    }


def _citation_to_dict(citation: Citation) -> dict[str, Any]:
    return {
        "chunk_id": citation.chunk_id,
        "doc_id": citation.doc_id,
        "title": citation.title,
        "heading": citation.heading,
        "page": citation.page,
        "kind": citation.kind.value,
        "score": citation.score,
        "text": citation.text,
    }


def draft_to_dict(draft: PlanDraft) -> dict[str, Any]:
    """A JSON-ready dict of the whole draft, stage order preserved."""
    return {
        "format_version": FORMAT_VERSION,
        "draft_id": draft.draft_id,
        "title": draft.title,
        "lang": draft.lang,
        "alert_id": draft.alert_id,
        "incident_id": draft.incident_id,
        "engine": draft.engine,
        "prompt_version": draft.prompt_version,
        "created": draft.created.isoformat(),
        "summary": draft.summary,
        "proposed_level": draft.proposed_level.value if draft.proposed_level else None,
        "level_basis": draft.level_basis,
        "stages": [
            {
                "stage": stage.stage.value,
                "summary": stage.summary,
                "actions": [_action_to_dict(a) for a in stage.actions],
                "open_questions": list(stage.open_questions),
            }
            for stage in draft.stages
        ],
        "citations": [_citation_to_dict(c) for c in draft.citations],
        "notices": list(draft.notices),
        "level_citations": list(draft.level_citations),
        "warning_line": draft.warning_line,
        "to_confirm": list(draft.to_confirm),
        "escalation": list(draft.escalation),
        "checks": [
            {"location": c.location, "status": c.status.value, "problems": list(c.problems)} for c in draft.checks
        ],
    }


def draft_from_dict(data: dict[str, Any]) -> PlanDraft:
    """Inverse of :func:`draft_to_dict`; raises KeyError/ValueError on a malformed record."""
    return PlanDraft(
        draft_id=data["draft_id"],
        title=data["title"],
        lang=data["lang"],
        alert_id=data.get("alert_id"),
        incident_id=data.get("incident_id"),
        engine=data["engine"],
        prompt_version=data["prompt_version"],
        created=datetime.fromisoformat(data["created"]),
        summary=data["summary"],
        proposed_level=Level(data["proposed_level"]) if data.get("proposed_level") else None,
        level_basis=data.get("level_basis", ""),
        stages=tuple(
            StageResult(
                stage=Stage(s["stage"]),
                summary=s["summary"],
                actions=tuple(
                    Action(
                        text=a["text"],
                        unit=a["unit"],
                        time_limit=a["time_limit"],
                        loop=Loop(a["loop"]),
                        citations=tuple(a["citations"]),
                        resources=tuple(a.get("resources", ())),
                        lessons=tuple(a.get("lessons", ())),
                        origin=a.get("origin", ""),
                    )
                    for a in s["actions"]
                ),
                open_questions=tuple(s.get("open_questions", ())),
            )
            for s in data["stages"]
        ),
        citations=tuple(
            Citation(
                chunk_id=c["chunk_id"],
                doc_id=c["doc_id"],
                title=c["title"],
                heading=c["heading"],
                page=c.get("page"),
                kind=DocKind(c["kind"]),
                score=float(c["score"]),
                text=c["text"],
            )
            for c in data["citations"]
        ),
        notices=tuple(data.get("notices", ())),
        level_citations=tuple(data.get("level_citations", ())),
        warning_line=data.get("warning_line", ""),
        to_confirm=tuple(data.get("to_confirm", ())),
        escalation=tuple(data.get("escalation", ())),
        checks=tuple(
            EvidenceCheck(location=c["location"], status=EvidenceStatus(c["status"]), problems=tuple(c["problems"]))
            for c in data.get("checks", ())
        ),
    )


def draft_to_json(draft: PlanDraft) -> str:
    return json.dumps(draft_to_dict(draft), ensure_ascii=False, indent=2)


def draft_from_json(text: str) -> PlanDraft:
    return draft_from_dict(json.loads(text))
