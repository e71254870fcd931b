"""Each fact of a plan's level section and sources annex printed once, and stamped times made local."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO

from docx import Document

from assistant.domain import Citation, DocKind
from assistant.export.local_time import local_times_in
from assistant.export.markdown import render_markdown
from assistant.export.plan_lines import basis_after_level, grouped_escalation, source_entry
from assistant.export.word import render_docx
from tests.factories import make_draft

GAS_BASIS = "先期处置，尚未达到分级标准：对照《国家安全生产事故灾难应急预案（2006年）要点》，现有告警信息未满足任何一级的分级条件。"
TRIGGERS = (
    "按493号令，死亡不足3人 → Ⅳ级应急响应",
    "重伤不足10人 → Ⅳ级应急响应",
    "造成3人以上、10人以下死亡（含失踪） → Ⅲ级应急响应",
)


def test_a_basis_that_restates_the_initial_response_is_printed_after_the_level_once() -> None:
    draft = replace(make_draft(), proposed_level=None, level_basis=GAS_BASIS, to_confirm=("死亡人数",))
    assert basis_after_level(draft).startswith("对照《国家安全生产事故灾难应急预案")
    texts = [p.text for p in Document(BytesIO(render_docx(draft))).paragraphs]
    level = next(t for t in texts if t.startswith("建议响应级别"))
    assert level == f"建议响应级别：先期处置（尚未达到分级标准）。依据：{GAS_BASIS.split('：', 1)[1]}"
    assert not any(t.startswith("依据：先期处置") for t in texts)
    english = replace(draft, lang="en", level_basis="Initial response, below the grading thresholds: against X.")
    assert basis_after_level(english) == "against X."
    shorter = replace(draft, level_basis="先期处置：知识库中没有适用于本告警的分级标准。")  # the level's first words
    assert basis_after_level(shorter) == "知识库中没有适用于本告警的分级标准。"
    other = replace(draft, level_basis="注意：按《预案》已达到Ⅲ级条件。")  # a label of its own, not the level
    assert basis_after_level(other) == other.level_basis


def test_escalation_triggers_are_grouped_under_the_level_they_lead_to() -> None:
    draft = replace(make_draft(), escalation=TRIGGERS)
    assert grouped_escalation(draft) == (
        "Ⅳ级应急响应：按493号令，死亡不足3人；重伤不足10人。Ⅲ级应急响应：造成3人以上、10人以下死亡（含失踪）"
    )
    written_otherwise = replace(draft, escalation=("水位超过警戒水位",))
    assert grouped_escalation(written_otherwise) == "水位超过警戒水位"


def test_a_source_is_listed_by_its_clause_and_own_heading() -> None:
    def cited(heading: str, page: int | None = None) -> Citation:
        return Citation("d:1", "d", "北京市防汛应急预案（2025年修订）要点", heading, page, DocKind.PLAN, 1.0, "…")

    assert source_entry(cited("六、应急响应 > （四）二级响应"), 13, "zh") == "[13] 六（四）二级响应"
    assert source_entry(cited("4 Response > 4.4 Orange"), 2, "en") == "[2] 4.4 Orange"
    assert source_entry(cited("经验教训", 3), 5, "zh") == "[5] 经验教训（页码 3）"
    assert source_entry(cited("六、经验教训"), 38, "zh") == "[38] 六、经验教训"


def test_stamped_times_in_text_are_written_in_local_time() -> None:
    text = "2026-11-22 09:28（UTC+08:00），示例市老城区中山路12号地下室可燃气体监测。"
    assert local_times_in(text, "+08:00", "zh").startswith("2026年11月22日 9时28分，示例市")
    moment = datetime(2026, 11, 22, 1, 28, tzinfo=UTC)
    assert local_times_in(f"at {moment:%Y-%m-%dT%H:%M} (UTC+00:00)", "+08:00", "en") == "at 22 Nov 2026 09:28 (UTC+8)"
    assert local_times_in("无时间的文字", "+08:00", "zh") == "无时间的文字"
    stage = replace(make_draft().stages[1], summary="2026-11-22 09:28（UTC+08:00），燃气报警。")
    draft = replace(make_draft(), stages=(make_draft().stages[0], stage, *make_draft().stages[2:]))
    table = Document(BytesIO(render_docx(draft))).tables[0]
    assert any("2026年11月22日 9时28分，燃气报警。" in row.cells[0].text for row in table.rows)
    assert "2026年11月22日 9时28分，燃气报警。" in render_markdown(draft)  # the Markdown copy says the same
