"""Reading a question: what it asks (in order), the level, colour and places it names."""

import pytest

from assistant.chain.glossary import load_glossary
from assistant.chain.question import Ask, analyse, levels_in
from assistant.domain import Colour, Level


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("北京暴雨红色预警后启动几级响应？由谁批准？", [Ask.LEVEL, Ask.APPROVER]),
        ("燃气泄漏造成人员伤亡后，单位负责人多长时间内要报告？", [Ask.DEADLINE]),
        ("调查报告应在多少日内批复？", [Ask.DEADLINE]),  # "多少日内" is a time limit, not a count
        ("大型群众性活动多少人以上要安全许可？", [Ask.THRESHOLD]),
        ("郑州“7·20”暴雨中地铁5号线事件造成多少人死亡？", [Ask.COUNT]),
        ("燃气泄漏的房间里能不能开灯？", [Ask.PERMISSION]),
        ("本区应急管理局局长的手机号码是多少？", [Ask.CONTACT]),
        ("现任北京市市长叫什么名字？", [Ask.PERSON]),
        ("明天北京会下暴雨吗？", [Ask.FORECAST]),
        ("邦斯菲尔德油库爆炸的直接原因是什么？", [Ask.CAUSE]),
        ("How soon must a gas leak be reported?", [Ask.DEADLINE]),
        ("Who approves a Level IV flood response in Beijing?", [Ask.APPROVER]),
        ("What temperature triggers a red high-temperature warning signal?", [Ask.THRESHOLD]),
        ("What were the lessons of the Grenfell Tower fire?", [Ask.GENERAL]),
        # whether a duty applies is answered by the duty: "要…吗", "要不要", "must …?"
        ("红色预警时学校要不要停课？", [Ask.ACTIONS]),
        ("暴雨红色预警时地铁要停运吗？", [Ask.ACTIONS]),
        ("Must the metro stop in a red rainstorm warning?", [Ask.ACTIONS]),
        ("Who should be notified first when a hazardous chemical leak occurs?", [Ask.LEADER]),
    ],
)
def test_asks_in_the_order_asked(question: str, asks: list[Ask]) -> None:
    assert list(analyse(question, load_glossary()).asks) == asks


def test_level_colour_and_places() -> None:
    parsed = analyse("福建省台风Ⅰ级应急响应的启动条件是什么？", load_glossary())
    assert parsed.level is Level.I and [t.zh[0] for t in parsed.places] == ["福建"]
    red = analyse("北京暴雨红色预警后启动几级响应？", load_glossary())
    assert red.colour is Colour.RED and red.level is None
    english = analyse("What is the tsunami evacuation route for Waikiki in Honolulu?", load_glossary())
    assert [(t.en[0], t.scope) for t in english.places] == [("Honolulu", "foreign")]
    own = analyse("广州市防汛应急预案规定积水多深要断路？", load_glossary())
    assert own.own_document and own.asks == (Ask.THRESHOLD,)


def test_levels_named_in_lists_ranges_and_grades() -> None:
    assert levels_in("Ⅰ、Ⅱ级由省防指副总指挥审核、报总指挥批准") == {Level.I, Level.II}
    assert levels_in("二至四级由国家防减救灾委或其办公室的相应负责同志决定") == {Level.II, Level.III, Level.IV}
    assert levels_in("重大、较大、一般事故，负责调查的人民政府应在15日内批复") == {Level.II, Level.III, Level.IV}
    assert levels_in("省级应急响应分为Ⅰ、Ⅱ、Ⅲ、Ⅳ四级标准") == frozenset()  # a count of levels names none
    assert levels_in("重大生产安全事故") == {Level.II} and levels_in("重大意义") == frozenset()
    assert levels_in("Who approves a Level IV response?") == {Level.IV}


def test_questions_about_the_incident_are_recognised() -> None:
    assert analyse("现在应该启动几级响应？", load_glossary()).about_incident
    assert not analyse("北京暴雨红色预警后启动几级响应？", load_glossary()).about_incident
