from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from docx import Document

from assistant.domain import STAGES, EvidenceCheck, EvidenceStatus
from assistant.export.document import Approval
from assistant.export.json_codec import draft_from_json, draft_to_json
from assistant.export.layout import (
    ExportContext,
    basis_text,
    brief_basis,
    cited_lessons,
    clause_ref,
    labelled,
    level_text,
    section_path,
    short_source,
    short_title,
)
from assistant.export.markdown import render_markdown
from assistant.export.word import write_docx
from tests.factories import make_citation, make_draft


def test_json_round_trip_keeps_every_field() -> None:
    draft = make_draft()
    assert draft_from_json(draft_to_json(draft)) == draft


def test_markdown_has_six_stages_tables_and_sources() -> None:
    text = render_markdown(make_draft())
    for stage in STAGES:
        assert stage.zh in text
    assert "| 序号 | 措施 | 责任单位 | 时限 | 闭环 | 依据 | 核验 |" in text
    assert "[1]《城镇燃气突发事件应急预案》六（三） 预警信息" in text
    assert "附件：资料来源" in text and "十堰" in text
    assert "离线检索生成" in text


def test_markdown_prints_local_time_and_the_approval() -> None:
    draft = make_draft()  # created 2026-11-22 09:30 UTC
    text = render_markdown(draft, ExportContext(utc_offset="+08:00", issuing_unit="滨江区城运中心"))
    assert "生成时间：2026年11月22日 17时30分" in text and "T09:30" not in text
    assert "草案，须经值班领导审核后使用" in text and "滨江区城运中心" in text
    approved = ExportContext(approval=Approval("王五", datetime(2026, 11, 22, 10, 0, tzinfo=UTC)))
    text = render_markdown(draft, approved)
    assert "审核：王五（2026年11月22日 18时00分）" in text and "须经值班领导审核" not in text
    assert text.startswith("# 关于滨江路燃气泄漏报警的应急处置方案\n")


def test_english_markdown_uses_english_labels_and_time() -> None:
    text = render_markdown(make_draft(lang="en"))
    assert "Measures by stage" in text and "Emergency response" in text and "Responsible unit" in text
    assert "22 Nov 2026 17:30 (UTC+8)" in text


def test_new_draft_fields_and_statuses_are_printed() -> None:
    draft = replace(
        make_draft(),
        warning_line="橙色预警（示例市气象台）",
        to_confirm=("伤亡人数",),
        escalation=("死亡3人以上 → Ⅲ级（较大）",),
        checks=(EvidenceCheck("response.0", EvidenceStatus.TO_CONFIRM),),
    )
    text = render_markdown(draft)
    assert "预警级别：橙色预警（示例市气象台）" in text and "待核实事项：伤亡人数" in text
    assert "升级条件：死亡3人以上" in text and "| 待核实 |" in text


def test_level_line_says_response_level_initial_response_or_undetermined() -> None:
    draft = make_draft()
    assert level_text(draft) == "Ⅳ级应急响应" and level_text(make_draft(lang="en")) == "Level IV response"
    unknown = replace(draft, proposed_level=None)
    assert level_text(unknown) == "暂无法判定"
    assert level_text(replace(unknown, to_confirm=("伤亡人数",))) == "先期处置（尚未达到分级标准）"
    assert "建议响应级别：Ⅳ级应急响应" in render_markdown(draft)


def test_short_source_names_the_document_and_clause() -> None:
    assert short_title("北京市防汛应急预案（2025年修订）要点") == "北京市防汛应急预案"
    assert short_title("北京“23·7”特大暴雨洪涝灾害（受台风“杜苏芮”残余环流影响）（案例摘要）") == (
        "北京“23·7”特大暴雨洪涝灾害"
    )
    assert short_title("（要点）") == "（要点）"  # nothing left: keep the title as it is
    assert short_source(make_citation(1)) == "《城镇燃气突发事件应急预案》六（三）"
    dotted = replace(make_citation(1), heading="Plan > 4 Response > 4.4 Level I")
    assert clause_ref(dotted) == "4.4"
    articles = replace(make_citation(1), heading="第三章 风险管控 > 第十二条")
    assert clause_ref(articles) == "第三章第十二条"
    unnumbered = replace(make_citation(1), heading="经验教训", page=7)
    assert clause_ref(unnumbered) == "p.7"
    repeated = replace(
        make_citation(1), title="城市内涝治理要点（条例、国办发）", heading="城市内涝治理要点 > 九、调查评估"
    )
    assert section_path(repeated) == "九、调查评估"
    english = replace(
        make_citation(1), title="NSW Flood Plan (2024)", heading="NSW Flood Plan > 5 Response > 5.2 Evacuation"
    )
    assert short_source(english) == "“NSW Flood Plan” 5.2"


def test_word_document_keeps_its_content(tmp_path: Path) -> None:
    context = ExportContext(issuing_unit="滨江区城运中心", drafted_by="张三")
    path = write_docx(make_draft(), tmp_path / "plan.docx", context)
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "关于滨江路燃气泄漏报警的\n应急处置方案（草案）"  # two balanced lines
    assert "编制单位：滨江区城运中心" in texts and "值班员：张三" in texts
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "措施", "责任单位", "时限", "闭环", "依据", "核验"]
    stage_rows = [row.cells[0].text for row in table.rows if len(row._tr.tc_lst) == 1]
    for stage in STAGES:
        assert any(text.startswith("（") and stage.zh in text for text in stage_rows), stage
    assert [c.text for c in table.rows[2].cells[2:5]] == ["燃气企业抢修队", "接警后20分钟内", "小循环"]
    assert len(doc.tables) == 1  # the sources annex is a list, one paragraph per document
    annex = texts[texts.index("附件1　资料来源") + 1 :]
    assert annex[0] == "《城镇燃气突发事件应急预案（要点）》：[1] 六（三）Ⅲ级响应（页码 1）"
    assert "draft_id=d-test" in doc.core_properties.comments


def test_basis_names_the_first_source_and_numbers_the_others() -> None:
    """A narrow 依据 cell: the main clause by name, further sources by their number in the annex."""
    citations = tuple(make_citation(n) for n in (1, 2, 3))
    action = replace(
        make_draft().stages[0].actions[0], citations=("doc01:0001", "doc02:0002", "doc03:0003", "alert:a1")
    )
    numbered = {c.chunk_id: (n, c) for n, c in enumerate(citations, start=1)}
    assert brief_basis(action, numbered, "zh") == "[1]《城镇燃气突发事件应急预案》六（三） [2][3] 预警信息"
    assert basis_text(action, numbered, "zh", named=True).count("《") == 3  # Markdown keeps every name
    officer = replace(action, citations=("officer:张三", "doc02:0002"))
    assert brief_basis(officer, numbered, "zh") == "值班员补充（张三） [2]《城镇燃气突发事件应急预案》六（三）"


def test_a_lesson_ends_with_the_number_of_the_case_it_cites() -> None:
    case = make_citation(2, "河南郑州“7·20”特大暴雨灾害（案例摘要）")
    draft = replace(make_draft(), citations=(make_citation(1), case))
    lessons = (
        "郑州“7·20”：地下空间溺亡39人（《河南郑州“7·20”特大暴雨灾害（案例摘要）》）",
        "另一起：未封闭隧道（《未引用的案例》）",
    )
    assert cited_lessons(lessons, draft) == ("郑州“7·20”：地下空间溺亡39人[2]", lessons[1])


def test_labels_are_added_only_where_the_text_has_none() -> None:
    assert labelled("预警级别", "橙色预警（示例市气象台）", "zh") == "预警级别：橙色预警（示例市气象台）"
    assert labelled("预警级别", "告警颜色：黄色（32.5 %LEL）。", "zh") == "告警颜色：黄色（32.5 %LEL）。"
    assert labelled("Warning level", "Warning level: orange.", "en") == "Warning level: orange."
    proposed = "Proposed response level: Level II response. Basis: the plan."
    assert labelled("Basis", proposed, "en") == proposed  # an English label of several words is one too
    assert labelled("Basis", "Initial response, below the grading: the plan.", "en").startswith("Basis: Initial")
    assert labelled("依据", "先期处置，尚未达到分级标准：对照《预案》。", "zh").startswith("依据：先期处置")
    text = render_markdown(replace(make_draft(), warning_line="预警级别：橙色。"))
    assert "- 预警级别：橙色。" in text and "预警级别：预警级别" not in text


def test_a_national_law_is_cited_by_its_short_name() -> None:
    assert short_title("中华人民共和国突发事件应对法（2024年修订）要点") == "突发事件应对法"
    law = make_citation(1, "中华人民共和国突发事件应对法（2024年修订）要点")
    assert section_path(replace(law, heading="中华人民共和国突发事件应对法 > 四、监测与预警")) == "四、监测与预警"
