from pathlib import Path

from docx import Document

from assistant.domain import STAGES
from assistant.export.json_codec import draft_from_json, draft_to_json
from assistant.export.markdown import render_markdown
from assistant.export.word import write_docx
from tests.factories import make_draft


def test_json_round_trip_keeps_every_field() -> None:
    draft = make_draft()
    assert draft_from_json(draft_to_json(draft)) == draft


def test_markdown_has_six_stages_tables_and_sources() -> None:
    text = render_markdown(make_draft())
    for stage in STAGES:
        assert stage.zh in text
    assert "| 序号 | 措施 | 责任单位 | 时限 | 闭环 | 依据 | 核验 |" in text
    assert "[1] 预警信息" in text
    assert "附件：资料来源" in text and "十堰" in text
    assert "离线检索生成" in text


def test_english_markdown_uses_english_labels() -> None:
    text = render_markdown(make_draft(lang="en"))
    assert "Measures by stage" in text and "Emergency response" in text and "Responsible unit" in text


def test_word_document_opens_and_looks_official(tmp_path: Path) -> None:
    path = write_docx(make_draft(), tmp_path / "plan.docx", issuer="滨江区城运中心")
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "关于滨江路燃气泄漏报警的应急处置方案（草案）"
    assert any("滨江区城运中心" in t for t in texts)
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    for stage in STAGES:
        assert any(stage.zh in h for h in headings), stage
    action_table = doc.tables[0]
    assert [c.text for c in action_table.rows[0].cells] == ["序号", "措施", "责任单位", "时限", "闭环", "依据", "核验"]
    assert action_table.rows[1].cells[2].text == "燃气企业抢修队"
    assert action_table.rows[1].cells[3].text == "接警后20分钟内"
    sources = doc.tables[-1]
    assert sources.rows[1].cells[1].text == "城镇燃气突发事件应急预案（要点）"
    assert "draft_id=d-test" in doc.core_properties.comments
