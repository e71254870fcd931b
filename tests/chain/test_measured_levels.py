"""Levels proposed from the quantities plans grade by beyond casualties, over the shipped library (zh and en).

Each case is an alert as a CAP message: the level, the clause it rests on and what is left to confirm
come from the real plans' grading, matched to what the alert's text states.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest

from assistant.alerts.intake import parse_payload
from assistant.chain.facts import facts_from_alert
from assistant.chain.levels import LevelProposal, propose_level
from assistant.domain import Level
from assistant.services import Services


def cap(event: str, description: str, area: str, language: str = "zh-CN", category: str = "Safety") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>T-1</identifier><sender>ops@example.cn</sender><sent>2026-09-18T14:30:00+08:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>{language}</language><category>{category}</category><event>{escape(event)}</event>
    <urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <headline>{escape(event)}</headline><description>{escape(description)}</description>
    <area><areaDesc>{escape(area)}</areaDesc></area></info>
</alert>"""


def propose(shipped: Services, event: str, description: str, area: str = "示例市示例区", **kw: str) -> LevelProposal:
    (alert,) = parse_payload(cap(event, description, area, **kw), "t", suffix=".xml").alerts
    return propose_level(facts_from_alert(alert), shipped.knowledge.retriever)


@pytest.mark.parametrize(
    ("description", "level", "clause"),
    [
        ("食堂午餐后，35名学生陆续出现呕吐、腹痛等症状，暂无死亡病例。", Level.IV, "一次食物中毒人数30至99人"),
        ("某工地食堂发生食物中毒，发病120人，其中1人死亡。", Level.II, "一次食物中毒人数超过100人并出现死亡病例"),
        ("婚宴后发生食物中毒，中毒人数120人。", Level.III, "一次食物中毒人数超过100人"),
    ],
)
def test_a_food_poisoning_is_graded_by_the_people_ill_and_any_death(
    shipped: Services, description: str, level: Level, clause: str
) -> None:
    proposal = propose(shipped, "学校食物中毒", description)
    assert proposal.level is level and proposal.plan_title.startswith("国家突发公共卫生事件应急预案")
    assert proposal.criterion.startswith(clause) and clause in proposal.basis


def test_people_ill_without_a_word_on_deaths_or_on_food_stay_to_confirm(shipped: Services) -> None:
    proposal = propose(shipped, "学校食物中毒", "35名学生出现呕吐、腹泻症状，已送医。")
    assert proposal.level is None  # 30至99人 needs 未出现死亡病例: not yet known
    assert "待研判" in proposal.basis and "未出现死亡病例" in proposal.basis


def test_an_english_food_poisoning_is_level_iv_with_its_clause(shipped: Services) -> None:
    proposal = propose(
        shipped,
        "Food poisoning",
        "After lunch at the factory canteen, 42 people fell ill with vomiting; no deaths so far.",
        "Riverside District, Sample City",
        language="en-US",
        category="Health",
    )
    assert proposal.level is Level.IV
    assert "42" in proposal.basis and "with no deaths" in proposal.basis


@pytest.mark.parametrize(
    ("description", "language", "level"),
    [
        ("油漆厂储罐破裂，溶剂流入河道，已疏散周边群众约1200人。", "zh-CN", Level.IV),
        ("化工厂泄漏污染河流，已紧急疏散、转移群众6000人。", "zh-CN", Level.III),
        ("Solvent is flowing into the canal; 1,200 residents have been evacuated.", "en-US", Level.IV),
    ],
)
def test_a_pollution_incident_is_graded_by_the_people_evacuated(
    shipped: Services, description: str, language: str, level: Level
) -> None:
    proposal = propose(shipped, "突发水污染事件", description, language=language, category="Env")
    assert proposal.level is level and proposal.plan_title.startswith("国家突发环境事件应急预案")
    assert "疏散、转移人员" in proposal.criterion


@pytest.mark.parametrize(
    ("description", "level", "needs"),
    [
        ("河面大面积死鱼；下游示例镇水厂已于7时20分停止取水。", Level.III, ""),
        ("河面大面积死鱼；示例县县城水厂已暂停取水。", Level.II, ""),
        ("河面大面积死鱼；下游取水口已停止取水。", None, "水源地所属城镇级别"),
    ],
)
def test_an_interrupted_intake_is_graded_by_whose_water_source_it_is(
    shipped: Services, description: str, level: Level | None, needs: str
) -> None:
    proposal = propose(shipped, "突发水污染事件", description, category="Env")
    assert proposal.level is level
    if level:
        assert "集中式饮用水水源地取水中断" in proposal.criterion
    assert not needs or any(needs in n for n in proposal.needs)


def test_missing_people_count_as_dead_only_where_the_plan_says_so(shipped: Services) -> None:
    ship = propose(shipped, "船舶碰撞", "客渡船与货船相撞，12名乘客获救，3人失踪。", category="Transport")
    assert ship.level is Level.III and "含失踪" in ship.criterion
    fire = propose(shipped, "森林火灾", "北山林场发生森林火灾，2名扑火队员失联，过火面积不详。", category="Fire")
    assert fire.level is None  # the forest-fire grading counts the dead only: 失联 is not yet a death
    assert any("受害森林面积" in n for n in fire.needs)


@pytest.mark.parametrize(
    ("description", "area", "level", "row"),
    [
        (
            "示例市（设区的市，非省会城市）城南变电站跳闸，约35%供电用户停电。",
            "示例市城南区",
            Level.IV,
            "其他设区的市电网",
        ),
        ("城区约35%供电用户停电。", "北京市朝阳区", Level.II, "直辖市电网"),
        ("省会城市电网故障，约20%供电用户停电。", "示例市", Level.IV, "省会城市电网"),
    ],
)
def test_a_power_outage_is_graded_by_the_row_of_the_citys_kind(
    shipped: Services, description: str, area: str, level: Level, row: str
) -> None:
    proposal = propose(shipped, "大面积停电", description, area, category="Infra")
    assert proposal.level is level and proposal.criterion.startswith(row)
    kinds = ("直辖市电网", "省会城市电网", "其他设区的市电网", "县级市电网")
    assert all(row in t for t in proposal.escalation if any(k in t for k in kinds))  # no other kind's row


def test_a_power_outage_in_a_city_of_unknown_kind_asks_for_the_kind(shipped: Services) -> None:
    proposal = propose(shipped, "大面积停电", "变电站故障，城区约35%供电用户停电。", "示例市", category="Infra")
    assert proposal.level is None
    assert any("城市类别" in n for n in proposal.needs)
    english = propose(
        shipped,
        "Power outage",
        "About 35% of customers are without power.",
        "Sample City",
        language="en-US",
        category="Infra",
    )
    assert english.level is None and any("the city's kind" in n for n in english.needs)


@pytest.mark.parametrize(
    ("description", "language", "level"),
    [
        ("北山林场发生森林火灾，过火面积约0.6公顷，暂无人员伤亡。", "zh-CN", Level.IV),
        ("北山林场发生森林火灾，过火面积约30亩，暂无人员伤亡。", "zh-CN", Level.III),  # 2 公顷
        ("A forest fire has burned about 150 hectares; no casualties.", "en-US", Level.II),
    ],
)
def test_a_forest_fire_is_graded_by_the_area_burned(
    shipped: Services, description: str, language: str, level: Level
) -> None:
    proposal = propose(shipped, "森林火灾", description, "示例市北山林场", language=language, category="Fire")
    assert proposal.level is level and "受害森林面积" in proposal.criterion


@pytest.mark.parametrize(
    ("description", "level", "clause"),
    [
        ("闽江干流竹岐水文站预计出现洪峰，洪水重现期约30年一遇。", Level.II, "干流20~50年一遇"),
        ("闽江干流预计发生10年一遇洪水。", Level.III, "干流5~20年一遇"),
        ("闽江干流预计发生60年一遇洪水。", Level.I, "干流控制站之一将发生50年一遇以上洪水"),
    ],
)
def test_a_fujian_river_flood_is_graded_by_its_return_period_on_the_main_stem(
    shipped: Services, description: str, level: Level, clause: str
) -> None:
    proposal = propose(shipped, "洪水", description, "福建省福州市闽侯县", category="Met")
    assert proposal.level is level and proposal.plan_title.startswith("福建省防汛抗旱防台风应急预案")
    assert clause in proposal.criterion.replace("～", "~")


def test_a_flood_whose_reach_is_not_stated_asks_for_it(shipped: Services) -> None:
    proposal = propose(shipped, "洪水", "闽江竹岐站预计出现30年一遇洪水。", "福建省福州市闽侯县", category="Met")
    assert proposal.level is None
    assert "待研判" in proposal.basis and "所在河段" in proposal.basis


def test_people_moved_so_far_are_no_upper_bound_of_those_who_need_moving(shipped: Services) -> None:
    proposal = propose(
        shipped, "山体滑坡", "后山发生山体滑坡，冲毁2间民房，已紧急转移群众15人，暂无人员伤亡。", category="Geo"
    )
    assert proposal.level is None  # "需搬迁转移100人以下" counts who need moving: 15 moved does not bound it
    assert "需紧急转移安置人数" in proposal.needs


def test_a_power_outage_is_graded_by_the_load_shed_of_the_citys_grid(shipped: Services) -> None:
    proposal = propose(
        shipped, "大面积停电", "示例市（地级市，非省会城市）电网故障，减供负荷约25%。", "示例市", category="Infra"
    )
    assert proposal.level is Level.IV and proposal.criterion == "其他设区的市电网：减供负荷20%以上、40%以下"
    assert not any("省级电网" in t or "区域性电网" in t for t in proposal.escalation)


def test_a_grassland_fire_is_not_graded_by_the_forest_area(shipped: Services) -> None:
    proposal = propose(shipped, "森林火灾", "北山草原发生火灾，过火面积约0.6公顷，暂无人员伤亡。", category="Fire")
    assert proposal.level is None and "受害森林面积" not in proposal.criterion


@pytest.mark.parametrize(
    ("description", "language", "level", "clause"),
    [
        (
            "示例县发生5.4级地震，震中位于人口较密集地区，伤亡正在核实。",
            "zh-CN",
            Level.III,
            "人口较密集地区发生5.0级以上",
        ),
        ("示例县发生5.4级地震，震中位于人口密集地区，伤亡正在核实。", "zh-CN", Level.II, "人口密集地区发生5.0级以上"),
        (
            "A magnitude 4.5 earthquake struck a densely populated district; casualties unknown.",
            "en-US",
            Level.III,
            "人口密集地区发生4.0级以上",
        ),
    ],
)
def test_an_earthquake_is_graded_first_by_its_magnitude_where_the_area_is_peopled(
    shipped: Services, description: str, language: str, level: Level, clause: str
) -> None:
    proposal = propose(shipped, "地震", description, "示例市示例县", language=language, category="Geo")
    assert proposal.level is level and clause in proposal.criterion


def test_an_earthquake_whose_area_is_not_described_asks_how_densely_it_is_peopled(shipped: Services) -> None:
    proposal = propose(shipped, "地震", "示例县发生5.6级地震，灾情正在核实。", "示例市示例县", category="Geo")
    assert proposal.level is None
    assert any("人口密集程度" in need for need in proposal.needs)


def test_a_sparsely_peopled_area_meets_no_initial_grading_row(shipped: Services) -> None:
    proposal = propose(shipped, "地震", "示例县人口稀少的山区发生5.6级地震。", "示例市示例县", category="Geo")
    assert proposal.level is None and "初判" not in proposal.criterion


def test_an_incident_abroad_gets_no_level_from_a_chinese_plan(shipped: Services) -> None:
    proposal = propose(
        shipped,
        "Chlorine gas leak",
        "Two workers were taken to hospital with breathing difficulties.",
        "Esholt Water Treatment Works, Bradford, West Yorkshire, UK",
        language="en-GB",
        category="CBRNE",
    )
    assert proposal.level is None and "outside China (UK)" in proposal.basis
