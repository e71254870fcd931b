"""The zh ↔ en glossary and the English form of figures: what cross-lingual answers are made of."""

from assistant.chain.glossary import load_glossary
from assistant.chain.quantities import deadlines_in, english_deadlines, quantities_in


def test_equivalents_expand_a_question_into_the_other_language() -> None:
    glossary = load_glossary()
    assert {"燃气泄漏", "报告"} <= set(glossary.equivalents("How soon must a gas leak be reported?"))
    assert {"Beirut", "explosion"} <= set(glossary.equivalents("贝鲁特港口大爆炸是什么物质引起的？"))
    assert "触发条件" in glossary.alternatives("福建省台风Ⅰ级应急响应的启动条件是什么？")


def test_longest_wording_wins_and_single_characters_do_not_expand() -> None:
    glossary = load_glossary()
    found = [m.text for m in glossary.find("市防汛办主任或执行副主任批准", "zh")]
    assert found[:3] == ["市防汛办主任", "执行副主任", "批准"]
    assert "days" not in glossary.equivalents("多少日内批复", "zh")


def test_roles_render_in_english_or_not_at_all() -> None:
    glossary = load_glossary()
    assert glossary.render_en("市防指总指挥") == "commander-in-chief of the municipal flood control headquarters"
    assert (
        glossary.render_en("省防指副总指挥")
        == "the deputy commander-in-chief of the provincial flood control headquarters"
    )
    assert glossary.render_en("党中央、国务院") == "Party Central Committee, State Council"
    assert glossary.render_en("本区某某") is None  # never half-translated


def test_figures_keep_their_bounds_in_english() -> None:
    assert [q.english() for q in quantities_in("死亡10人以上、不足30人")] == [
        "10 or more people",
        "fewer than 30 people",
    ]
    assert [q.english() for q in quantities_in("红色：3小时内降雨量将达100毫米以上")] == [
        "within 3 hours",
        "100 mm or more",
    ]
    assert [q.english() for q in quantities_in("氧含量正常范围为19.5%至23.5%")] == ["19.5% to 23.5%"]
    assert [q.english() for q in quantities_in("直接经济损失5000万元以上")] == ["50 million or more yuan"]
    assert [q.english() for q in quantities_in("平均风力达12级以上")] == ["force 12 or more"]


def test_deadlines_prefer_stated_limits_to_immediately() -> None:
    assert deadlines_in("单位负责人接报后须在1小时内报告") == ["1小时内"]
    assert deadlines_in("每一级上报的时间不得超过2小时") == ["不得超过2小时"]
    assert deadlines_in("现场人员应立即报告") == ["立即"]
    assert english_deadlines("承办者应在活动举办日20日前提出申请") == ["20 days before"]
    assert english_deadlines("现场人员应立即报告") == ["immediately"]
