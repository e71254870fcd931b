"""A draft's actions numbered once across all stages, and an officer's choice of them ("1,3,5-7").

The same numbers are used by ``assistant tasks actions`` (which lists them), ``tasks issue --actions``
and the workspace's checklist, so an officer can say "issue 3 and 7" and mean the same actions everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain import Action, PlanDraft, Stage
from assistant.errors import AssistantError


@dataclass(frozen=True)
class NumberedAction:
    number: int
    stage: Stage
    action: Action


def numbered_actions(draft: PlanDraft) -> list[NumberedAction]:
    numbered: list[NumberedAction] = []
    for stage in draft.stages:
        for action in stage.actions:
            numbered.append(NumberedAction(len(numbered) + 1, stage.stage, action))
    return numbered


def parse_selection(text: str, count: int) -> list[int]:
    """'1,3,5-7' (also '1，3' and spaces) as sorted action numbers; empty means every action."""
    if not text.strip():
        return list(range(1, count + 1))
    chosen: set[int] = set()
    for part in re.split(r"[,，、\s]+", text.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(?:\s*[-–~]\s*(\d+))?", part)
        if match is None:
            raise AssistantError(
                f"无法识别措施编号 {part!r}：请写成 1,3,5-7 / cannot read action number {part!r}: write e.g. 1,3,5-7"
            )
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if first < 1 or last > count or first > last:
            raise AssistantError(
                f"措施编号 {part} 超出范围 1–{count} / action number {part} is outside 1–{count} "
                "(see `assistant tasks actions DRAFT_ID`)"
            )
        chosen.update(range(first, last + 1))
    return sorted(chosen)
