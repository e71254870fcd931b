from dataclasses import replace

from assistant.chain.drafter import Drafter
from assistant.chain.facts import facts_from_alert
from assistant.chain.signal_guidance import find_signal_guidance, guidance_text
from assistant.domain import Citation, Colour, DocKind, Stage
from tests.chain.alerts import gas_alert
from tests.chain.corpus import MemorySearcher

SIGNALS = "气象灾害预警信号标准（测试）"
TYPHOON_GUIDE = "\n".join(
    [
        "蓝色：做好防台风准备；海上作业人员回港避风；加固广告牌等搭建物。",
        "黄色：在蓝色措施基础上停止大型集会，船舶回港避风。",
        "橙色：停课、停业；回港船舶加固、人员上岸。",
        "红色：停止集会、停课、停业；人员留在防风安全的地方。",
    ]
)
SECTIONS = [
    ("三、台风预警信号 > （一）标准", "红色：6小时内平均风力达12级以上。\n橙色：12小时内平均风力达10级以上。"),
    ("三、台风预警信号 > （二）防御指南要点", TYPHOON_GUIDE),
    ("十、雷电、冰雹预警信号 > （一）雷电", "黄色：6小时内可能发生雷电。\n防御要点：人员留在室内，远离孤立高物。"),
    (
        "十、雷电、冰雹预警信号 > （二）冰雹",
        "橙色：6小时内可能出现冰雹。\n防御要点：人员避免外出，保护室外物品和车辆。",
    ),
    ("四、暴雪预警信号 > （二）防御指南要点", "做好道路清扫和融雪；驾驶人减速慢行；橙色以上必要时关闭道路。"),
]


def _section(heading: str, text: str, number: int = 0) -> Citation:
    return Citation(f"sig:{number:04d}", "sig", SIGNALS, heading, None, DocKind.REGULATION, 0.0, text)


def _searcher() -> MemorySearcher:
    searcher = MemorySearcher()
    for number, (heading, text) in enumerate(SECTIONS):
        searcher.citations.append((_section(heading, text, number), ("台风", "大风", "寒潮冰冻")))
    return searcher


def test_the_line_for_the_colour_is_chosen_and_a_lower_colour_it_builds_on_is_included() -> None:
    guide = _section("三、台风预警信号 > （二）防御指南要点", TYPHOON_GUIDE)
    assert guidance_text(guide, Colour.RED) == "停止集会、停课、停业；人员留在防风安全的地方。"
    yellow = guidance_text(guide, Colour.YELLOW) or ""
    assert yellow.startswith("做好防台风准备") and "停止大型集会" in yellow
    assert guidance_text(guide, Colour.GREEN) is None


def test_standards_are_not_guidance_but_defence_lines_and_single_paragraphs_are() -> None:
    assert guidance_text(_section(*SECTIONS[0]), Colour.RED) is None
    assert guidance_text(_section(*SECTIONS[3]), Colour.ORANGE) == "人员避免外出，保护室外物品和车辆。"
    assert guidance_text(_section(*SECTIONS[4]), Colour.RED) == SECTIONS[4][1]


def test_the_section_naming_the_signal_most_closely_wins() -> None:
    hail = replace(gas_alert(colour=Colour.ORANGE), event="冰雹", hazard="大风", sensor=None)
    found = find_signal_guidance(_searcher(), facts_from_alert(hail))
    assert found is not None and found[0].heading.endswith("（二）冰雹")
    gas = find_signal_guidance(_searcher(), facts_from_alert(gas_alert()))
    assert gas is None


def test_a_red_typhoon_draft_leads_its_response_with_the_red_measures_only() -> None:
    typhoon = replace(gas_alert(colour=Colour.RED), event="台风", hazard="台风", sensor=None)
    draft = Drafter(_searcher()).draft(typhoon).draft
    response = next(s for s in draft.stages if s.stage is Stage.RESPONSE)
    texts = [a.text for a in response.actions]
    assert "停止集会、停课、停业；人员留在防风安全的地方" in texts
    guide_action = response.actions[texts.index("停止集会、停课、停业；人员留在防风安全的地方")]
    assert guide_action.citations == ("sig:0001",)
    assert "人员上岸" not in guide_action.text  # the orange line is not a red measure
    assert guide_action.origin == "guide"
