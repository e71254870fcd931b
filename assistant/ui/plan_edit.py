"""An officer's in-place edits: each stage's summary and actions as table rows, and the rows back into a
new draft.

An edited action or summary loses its evidence verdict (it is shown as "edited, not re-checked"):
the old verdict judged the machine's sentence, not the officer's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assistant.domain import PlanDraft, StageResult
from assistant.errors import AssistantError

EDITABLE = 3  # action text, unit, time limit (after the stage and number columns)
SUMMARY_MARK = {"zh": "摘要", "en": "summary"}  # the number cell of a stage's summary row


def action_rows(draft: PlanDraft) -> list[list[Any]]:
    """Per stage, its summary row then one row per action: stage, number, text, unit, time limit (the first
    two are not editable; a summary row leaves unit and time limit empty)."""
    rows: list[list[Any]] = []
    for stage in draft.stages:
        rows.append([stage.stage.label(draft.lang), SUMMARY_MARK.get(draft.lang, "summary"), stage.summary, "", ""])
        rows += [
            [stage.stage.label(draft.lang), number, action.text, action.unit, action.time_limit]
            for number, action in enumerate(stage.actions, start=1)
        ]
    return rows


def apply_edits(draft: PlanDraft, rows: list[list[Any]]) -> PlanDraft | None:
    """The draft with the edited cells applied, or None when nothing changed."""
    expected = sum(1 + len(stage.actions) for stage in draft.stages)
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if len(rows) != expected:
        raise AssistantError(
            f"表格应有 {expected} 行（各阶段摘要和措施），现有 {len(rows)} 行：请只修改单元格，不要增删行 / "
            f"the table must keep its {expected} rows (stage summaries and actions, found {len(rows)}): "
            "edit cells, do not add or remove rows"
        )
    edited: set[str] = set()
    stages: list[StageResult] = []
    cells = iter(rows)
    for stage in draft.stages:
        summary = str(next(cells)[2]).strip()
        if not summary:
            raise AssistantError(f"{stage.stage.zh}的摘要不能为空 / the summary of {stage.stage.en} must not be empty")
        if summary != stage.summary:
            edited.add(f"{stage.stage.value}.summary")
        actions = []
        for index, action in enumerate(stage.actions):
            text, unit, limit = (str(cell).strip() for cell in next(cells)[2 : 2 + EDITABLE])
            if not text:
                raise AssistantError(
                    f"{stage.stage.zh}第{index + 1}条措施不能为空 / action {index + 1} of {stage.stage.en} must not be empty"
                )
            if (text, unit, limit) != (action.text, action.unit, action.time_limit):
                edited.add(f"{stage.stage.value}.{index}")
                action = replace(action, text=text, unit=unit, time_limit=limit)
            actions.append(action)
        stages.append(replace(stage, summary=summary, actions=tuple(actions)))
    if not edited:
        return None
    checks = tuple(c for c in draft.checks if c.location not in edited)
    return replace(draft, stages=tuple(stages), checks=checks)
