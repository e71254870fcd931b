from dataclasses import replace

from assistant.chain.drafter import Drafter
from assistant.chain.facts import AlertFacts, facts_from_alert
from assistant.chain.signal_guidance import find_signal_guidance, guidance_text, is_other_signals_guide, signal_of
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


FOG = (
    "十一、霜冻、大雾、道路结冰预警信号 > （二）大雾",
    "橙色：6小时内可能出现能见度小于200米的雾。\n防御要点：机场、高速公路、轮渡码头加强调度，必要时封闭高速公路、停航。",
)
ROAD_ICE = (
    "十一、霜冻、大雾、道路结冰预警信号 > （三）道路结冰",
    "橙色：6小时内可能出现对交通有较大影响的道路结冰。\n防御要点：交通、公安部门做好道路结冰应对，撒融雪剂；驾驶人减速慢行。",
)


def _road_ice(language: str = "zh", event: str = "道路结冰") -> AlertFacts:
    alert = replace(gas_alert(colour=Colour.ORANGE, language=language), event=event, hazard="寒潮冰冻", sensor=None)
    return replace(facts_from_alert(alert), kind="warning")


def _searcher_with(*sections: tuple[str, str]) -> MemorySearcher:
    searcher = _searcher()
    for number, (heading, text) in enumerate(sections, start=len(SECTIONS)):
        searcher.citations.append((_section(heading, text, number), ("寒潮冰冻",)))
    return searcher


def test_a_road_ice_warning_never_gets_the_fog_guide_whose_parent_heading_names_road_ice() -> None:
    assert find_signal_guidance(_searcher_with(FOG), _road_ice()) is None  # rather no guide than another's
    found = find_signal_guidance(_searcher_with(FOG, ROAD_ICE), _road_ice())
    assert found is not None and found[0].heading.endswith("（三）道路结冰") and "停航" not in found[1]
    english = find_signal_guidance(_searcher_with(FOG, ROAD_ICE), _road_ice("en", "Road Icing"))
    assert english is not None and english[0].heading.endswith("（三）道路结冰")


def test_another_signals_guide_is_no_evidence_for_a_warning() -> None:
    fog, ice = _section(*FOG), _section(*ROAD_ICE)
    general = _section("一、适用范围与工作原则 > （二）信号种类", "台风、暴雨、大雾、道路结冰等14类。")
    facts = _road_ice()
    assert signal_of(facts) == "道路结冰" and signal_of(_road_ice("en", "Road Icing")) == "道路结冰"
    assert is_other_signals_guide(fog, facts) and not is_other_signals_guide(ice, facts)
    assert not is_other_signals_guide(general, facts)
    assert not is_other_signals_guide(fog, replace(facts, kind="sensor"))  # only a signal has a signal of its own
    draft = (
        Drafter(_searcher_with(FOG, ROAD_ICE))
        .draft(
            replace(
                gas_alert(colour=Colour.ORANGE),
                event="道路结冰",
                hazard="寒潮冰冻",
                sensor=None,
                source_format="cn_warning",
            )
        )
        .draft
    )
    texts = "\n".join(a.text for s in draft.stages for a in s.actions)
    assert "停航" not in texts and "封闭高速公路" not in texts
    assert all(c.heading != FOG[0] for c in draft.citations)
