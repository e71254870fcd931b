"""Editing a draft in the workspace table: stage summaries and actions, saved as a new recorded version."""

from __future__ import annotations

import pytest

from assistant.errors import AssistantError
from assistant.services import Services
from assistant.ui.plan_edit import SUMMARY_MARK, action_rows, apply_edits
from assistant.ui.plan_view import UNCHECKED, stages_html
from tests.chain.alerts import gas_alert


def test_a_stage_summary_and_an_action_edited_become_a_new_version(shipped: Services) -> None:
    draft = shipped.draft(gas_alert(), officer="王值班").draft
    rows = action_rows(draft)
    summary_rows = [row for row in rows if row[1] == SUMMARY_MARK["zh"]]
    assert [row[2] for row in summary_rows] == [stage.summary for stage in draft.stages]

    rows[0][2] = "燃气风险：已由值班长复核，重点盯防5号楼地下车库。"
    rows[1][3] = "街道办事处"
    edited = apply_edits(draft, rows)
    assert edited is not None
    assert edited.stages[0].summary == rows[0][2] and edited.stages[0].actions[0].unit == "街道办事处"
    assert edited.check_for(f"{draft.stages[0].stage.value}.summary") is None  # the old verdict is dropped
    assert edited.check_for(f"{draft.stages[1].stage.value}.summary") is not None

    version = shipped.save_edit(edited, officer="王值班")
    stored = shipped.records.latest_draft(draft.draft_id)
    assert version == 2 and stored.version == 2 and stored.draft.stages[0].summary == rows[0][2]
    assert UNCHECKED["zh"] in stages_html(stored.draft).split("</section>")[0]


def test_unchanged_rows_save_nothing_and_a_blank_summary_is_refused(shipped: Services) -> None:
    draft = shipped.draft(gas_alert(), officer="王值班").draft
    rows = action_rows(draft)
    assert apply_edits(draft, rows) is None
    rows[0][2] = "  "
    with pytest.raises(AssistantError, match="摘要不能为空"):
        apply_edits(draft, rows)
    with pytest.raises(AssistantError, match="do not add or remove rows"):
        apply_edits(draft, action_rows(draft)[1:])
