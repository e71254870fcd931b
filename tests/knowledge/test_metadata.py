"""Document metadata: declared values win and are validated, the rest is inferred from title and text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.domain import HAZARD_NAMES, DocKind
from assistant.errors import DocumentError
from assistant.knowledge.loaders import Block, LoadedDocument, load_document
from assistant.knowledge.metadata import build_metadata, detect_lang, infer_hazards, infer_region
from assistant.knowledge.normalise import normalise_text
from tests.knowledge import make_fixtures as fx


def _doc(text: str, name: str = "doc.txt", front_matter: dict | None = None, **properties: str) -> LoadedDocument:
    blocks = tuple(Block(line, None, "paragraph") for line in text.splitlines() if line)
    return LoadedDocument(Path(name), blocks, front_matter or {}, None, (), "ab" * 32, dict(properties))


def test_front_matter_fields_are_used_and_source_mapping_kept(tmp_path: Path) -> None:
    doc = load_document(fx.write_markdown(tmp_path / "crowd.md"))
    meta = build_metadata(doc, source_path="knowledge/plans/crowd.md")
    assert meta.doc_id == doc.content_hash[:16] and len(meta.doc_id) == 16
    assert (meta.title, meta.kind, meta.hazards, meta.region, meta.year) == (
        "地铁大客流应急处置方案",
        DocKind.PLAN,
        ("大客流",),
        "上海市",
        2024,
    )
    assert meta.source == "示例市交通委, 2024-05-01, https://example.org/plan"
    assert meta.extra["source"] == {"name": "示例市交通委", "issued": "2024-05-01", "url": "https://example.org/plan"}
    json.dumps(meta.extra)  # stays serialisable for the index
    assert meta.source_path == "knowledge/plans/crowd.md"
    assert meta.lang == "zh"


def test_doc_id_is_stable_and_follows_content(tmp_path: Path) -> None:
    first = build_metadata(load_document(fx.write_text(tmp_path / "a.txt")))
    again = build_metadata(load_document(fx.write_text(tmp_path / "copy.txt")))
    changed = build_metadata(load_document(fx.write_text(tmp_path / "b.txt", fx.PLAIN_PLAN + "补充一句。\n")))
    assert first.doc_id == again.doc_id != changed.doc_id


def test_unknown_declared_hazard_is_an_error_naming_it(tmp_path: Path) -> None:
    path = fx.write_markdown(tmp_path / "bad.md", "---\nhazards: [燃气, 外星人入侵]\n---\n正文。\n")
    with pytest.raises(DocumentError, match="外星人入侵"):
        build_metadata(load_document(path))


def test_declared_hazards_accept_english_labels_and_strings() -> None:
    meta = build_metadata(_doc("正文。", front_matter={"hazards": "gas, 暴雨内涝"}))
    assert meta.hazards == ("燃气", "暴雨内涝")


def test_invalid_declared_kind_and_year_are_errors() -> None:
    with pytest.raises(DocumentError, match="kind"):
        build_metadata(_doc("正文。", front_matter={"kind": "novel"}))
    with pytest.raises(DocumentError, match="year"):
        build_metadata(_doc("正文。", front_matter={"year": "去年"}))
    assert build_metadata(_doc("正文。", front_matter={"kind": "案例"})).kind == DocKind.CASE


def test_sidecar_overrides_inference_for_text_files(tmp_path: Path) -> None:
    path = fx.write_text(tmp_path / "plan.txt")
    assert build_metadata(load_document(path)).hazards == ("洪涝",)
    (tmp_path / "plan.txt.meta.yaml").write_text(
        "title: 某区防汛预案\nhazards: [台风]\nissuer: 某区应急管理局\n", encoding="utf-8"
    )
    meta = build_metadata(load_document(path))
    assert (meta.title, meta.hazards, meta.issuer) == ("某区防汛预案", ("台风",), "某区应急管理局")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("北京市防汛应急预案", DocKind.PLAN),
        ("西安新兴紫楹台酒店有限公司生产安全事故应急预案", DocKind.PLAN),
        ("十堰市张湾区燃气爆炸事故调查报告", DocKind.CASE),
        ("典型案例汇编", DocKind.CASE),
        ("城镇燃气管理条例", DocKind.REGULATION),
        ("生产安全事故应急预案管理办法", DocKind.PLAN),
        ("Marine transportation safety investigation report M21A0041", DocKind.CASE),
        ("会议纪要", DocKind.OTHER),
    ],
)
def test_kind_is_inferred_from_the_title(title: str, kind: DocKind) -> None:
    assert build_metadata(_doc(f"{title}\n正文。")).kind == kind


def test_kind_falls_back_to_the_folder_name() -> None:
    assert build_metadata(_doc("国家防总启动防汛Ⅳ级应急响应\n正文。"), "realdata/cases/x.txt").kind == DocKind.CASE
    assert build_metadata(_doc("某文件\n正文。"), "library/plans/x.txt").kind == DocKind.PLAN


def test_title_sources_in_order() -> None:
    assert build_metadata(_doc("正文第一行", title="核心属性标题")).title == "核心属性标题"
    assert build_metadata(_doc("正文", title="Microsoft Word - 04-121.v4.doc")).title == "正文"
    assert (
        build_metadata(_doc("正文", cover_title="某公司 生产安全事故应急预案")).title == "某公司 生产安全事故应急预案"
    )
    assert build_metadata(_doc("03-北京市防汛应急预案-2025年修订\n正文。")).title == "北京市防汛应急预案-2025年修订"
    assert build_metadata(_doc("应急预案编号：YA-001\n某酒店应急预案\n正文。")).title == "某酒店应急预案"
    long_line = "这是一段很长的正文，" * 10
    assert build_metadata(_doc(long_line, name="12-河南省防汛应急预案.txt")).title == "河南省防汛应急预案"
    headed = LoadedDocument(
        Path("x.md"), (Block("2.2 水上交通事故专项应急预案", None, "heading", 2),), {}, None, (), "0" * 64
    )
    assert build_metadata(headed).title == "水上交通事故专项应急预案"  # its section number is not part of a title


def test_infer_hazards_ranks_and_weights_the_title() -> None:
    body = "发生燃气泄漏后立即关阀。天然气浓度超标时疏散群众。燃气企业20分钟内到场。" + "注意暴雨天气。"
    assert infer_hazards(body) == ("燃气",)
    assert infer_hazards(body, title="暴雨期间燃气管线巡查方案")[:2] == ("燃气", "暴雨内涝")
    assert infer_hazards("本文与灾害无关。") == ()
    assert infer_hazards("hydrogen sulphide (H2S) in a confined space; H2S alarm") == ("有限空间",)
    many = "燃气燃气燃气 暴雨暴雨暴雨 台风台风台风 地震地震地震 桥梁桥梁桥梁"
    assert len(infer_hazards(many)) == 3
    assert set(infer_hazards(many)) <= HAZARD_NAMES


def test_english_keywords_match_whole_words_only() -> None:
    assert infer_hazards("The gasket and snowball fight.") == ()
    assert "寒潮冰冻" in infer_hazards("Heavy snow closed the road; snow ploughs were sent.")


@pytest.mark.parametrize(
    ("title", "region"),
    [
        ("北京市防汛应急预案-2025年修订", "北京市"),
        ("广西防汛抗旱应急预案", "广西壮族自治区"),
        ("湖北省武汉市城市防洪预案", "湖北省武汉市"),
        ("十堰市张湾区燃气爆炸事故", "十堰市张湾区"),
        ("西安新兴紫楹台酒店有限公司 生产安全事故应急预案", "西安市"),
        ("国家自然灾害救助应急预案", "全国"),
        ("2023年全国自然灾害基本情况", "全国"),
        ("城市排水防涝预案", None),
    ],
)
def test_region_from_the_title(title: str, region: str | None) -> None:
    assert infer_region(title, "", "") == region


def test_issuer_year_and_language_are_inferred() -> None:
    notice = (
        "国务院办公厅关于印发国家自然灾害救助应急预案的通知\n国办函〔2016〕25号\n国务院办公厅 2016年3月10日\n正文。"
    )
    meta = build_metadata(_doc(notice))
    assert (meta.issuer, meta.year, meta.region, meta.lang) == ("国务院办公厅", 2016, "全国", "zh")
    plan = "北京市防汛应急预案\n正文。\n8.2.1预案制定 本预案由北京市人民政府制定，由市防汛办负责解释。"
    assert build_metadata(_doc(plan)).issuer == "北京市人民政府"
    cover = build_metadata(_doc("某酒店有限公司\n二〇二四年四月\n正文。"))
    assert cover.year == 2024 and cover.issuer == "某酒店有限公司"
    english = build_metadata(
        _doc(
            "Collision with infrastructure on 17 September 2021\nThe Australian Transport Safety Bureau (ATSB) investigated."
        )
    )
    assert (english.lang, english.year, english.issuer, english.region) == (
        "en",
        2021,
        "Australian Transport Safety Bureau",
        "Australia",
    )


def test_detect_lang() -> None:
    assert detect_lang("防汛应急预案 2025 Flood plan") == "zh"
    assert detect_lang("Flood response plan for the city of Brisbane, 防汛") == "en"


def test_normalise_text_maps_radical_look_alikes_and_keeps_chinese_punctuation() -> None:
    assert normalise_text("⽓象⻔户⻛险⻝品⻋辆⻆落⼾籍") == "气象门户风险食品车辆角落户籍"
    assert normalise_text("（一）Ⅰ级响应：启动，报告！") == "（一）Ⅰ级响应：启动，报告！"
    assert normalise_text("１２３ＡＢＣ\u3000全角\u00a0空格\u200b") == "123ABC 全角 空格"
    assert normalise_text("第一段\r\n\r\n\r\n\r\n第二段  有   空格\n第三行\t") == "第一段\n\n第二段 有 空格\n第三行"
