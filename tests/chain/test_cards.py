"""Action cards: the shipped decks pass their validator; conditions, slots and the validator itself work."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.alerts.intake import parse_payload
from assistant.chain.card_check import check_folder
from assistant.chain.card_slots import fill
from assistant.chain.cards import load_decks
from assistant.chain.conditions import ConditionError, Context, holds
from assistant.chain.facts import Site, facts_from_alert
from assistant.domain import HAZARD_NAMES, STAGES, Alert, AlertArea, Level, PlanDraft
from assistant.services import Services
from assistant.settings import PROJECT_ROOT
from tests.chain.alerts import gas_alert

CARDS = PROJECT_ROOT / "knowledge" / "cards"
LIBRARY = [PROJECT_ROOT / "knowledge" / "plans", PROJECT_ROOT / "knowledge" / "cases"]


def test_the_shipped_cards_pass_the_validator() -> None:
    problems = check_folder(CARDS, LIBRARY)
    assert problems == [], "\n".join(map(str, problems))


def test_every_hazard_has_cards_for_all_six_stages() -> None:
    decks = load_decks(CARDS)
    for hazard in HAZARD_NAMES - {"综合"}:
        stages = {card.stage for card in decks[hazard].cards}
        assert stages == set(STAGES), hazard


def _broken_deck(folder: Path, card: str) -> Path:
    folder.mkdir()
    (folder / "broken.yaml").write_text("hazard: 燃气\ncards:\n" + card, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("card", "problem"),
    [
        (
            "  - {id: a, stage: response, text: '关阀{nonsense}', unit: 企业, time_limit: 立即, cite: [{doc: plan-city-gas-emergency, section: （二）切断气源, phrase: 优先关闭泄漏点上游阀门}]}\n",
            "unknown slot",
        ),
        (
            "  - {id: a, stage: response, text: 关阀, unit: 企业, time_limit: 15分钟内, cite: [{doc: plan-city-gas-emergency, section: （二）切断气源, phrase: 优先关闭泄漏点上游阀门}]}\n",
            "number 15",
        ),
        (
            "  - {id: a, stage: response, text: 关阀, unit: 企业, time_limit: 立即, cite: [{doc: plan-city-gas-emergency, section: （二）切断气源, phrase: 不存在的话}]}\n",
            "phrase not in that clause",
        ),
        (
            "  - {id: a, stage: response, text: 关阀, unit: 企业, time_limit: 立即, when: ['wind > 3'], cite: [{doc: plan-city-gas-emergency, section: （二）切断气源, phrase: 优先关闭泄漏点上游阀门}]}\n",
            "unknown fact",
        ),
        (
            "  - {id: a, stage: response, text: 关阀, unit: 企业, time_limit: 立即, lessons: [{case: case-shiyan-613-gas-explosion-2021, text: {zh: 十堰事故造成99人死亡, en: x}}], cite: [{doc: plan-city-gas-emergency, section: （二）切断气源, phrase: 优先关闭泄漏点上游阀门}]}\n",
            "lesson number 99",
        ),
        (
            "  - {id: a, stage: response, text: 关阀, unit: 企业, time_limit: {zh: 到场后立即, en: on arrival, until the end}, cite: [{doc: plan-city-gas-emergency, section: （二）切断气源, phrase: 优先关闭泄漏点上游阀门}]}\n",
            "quote text that contains a comma",
        ),
    ],
)
def test_the_validator_catches_broken_cards(tmp_path: Path, card: str, problem: str) -> None:
    problems = check_folder(_broken_deck(tmp_path / "cards", card), LIBRARY)
    assert any(problem in str(p) for p in problems), problems


def _ctx(**changes: object) -> Context:
    facts = replace(facts_from_alert(gas_alert()), **changes)
    return Context(facts, Level.III, 7)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("value >= threshold1", True),
        ("value >= threshold2", False),
        ("households >= 100", False),  # unknown never holds
        ("unknown(households)", True),
        ("level >= III", True),
        ("level >= II", False),
        ("colour in [red, orange]", False),
        ("colour in [yellow]", True),
        ("month in [6, 7, 8]", True),
        ("sensor", True),
        ("warning", False),
        ("above_threshold", True),
    ],
)
def test_conditions(condition: str, expected: bool) -> None:
    assert holds(condition, _ctx()) is expected


def test_site_conditions_and_assumed_flags() -> None:
    ctx = _ctx(sites=(Site("school", "区实验小学", 150),))
    assert holds("site:school <= 300", ctx) and not holds("site:school <= 100", ctx)
    assert not holds("site:hospital <= 1000", ctx)
    assert holds("night", replace(ctx, assume=frozenset({"night"})))
    with pytest.raises(ConditionError):
        holds("wind > 3", ctx)


def test_slots_fill_known_facts_drop_optional_parts_and_mark_gaps() -> None:
    facts = replace(facts_from_alert(gas_alert()), households=260, sites=(Site("school", "区实验小学", 150),))
    filled = fill("疏散{place}[约{households}户]居民，通知{school}", facts)
    assert filled.text == "疏散滨江路88号地下一层约260户居民，通知区实验小学（约150米）" and not filled.gaps
    unknown = replace(facts, households=None)
    assert fill("疏散{place}[约{households}户]居民", unknown).text == "疏散滨江路88号地下一层居民"
    gap = fill("约{households}户", unknown)
    assert gap.text == "约〔户数待核实〕户" and gap.gaps == ("户数",)


def test_the_space_condition_tells_a_car_park_from_a_sewer() -> None:
    garage = _ctx(place="示例市滨江区万象城地下车库B2（示例）", headline="地下车库一氧化碳 40 ppm")
    sewer = _ctx(place="示例市滨江区解放路污水井（示例）", headline="污水井硫化氢 20 ppm")
    unnamed = _ctx(place="", headline="H2S-0001 硫化氢 20 ppm", event="硫化氢监测")
    assert holds("space == garage", garage) and not holds("space == sewer", garage)
    assert holds("space == sewer", sewer) and holds("space != garage", sewer)
    assert holds("space != garage", unnamed) and not holds("space == sewer", unnamed)  # "other": no sewer cards


def _action_text(draft: PlanDraft) -> str:
    return "\n".join(f"{a.text}｜{a.unit}" for s in draft.stages for a in s.actions)


def _sensor(shipped: Services, reading: dict[str, object]) -> PlanDraft:
    base = {"point_id": "P-1", "unit": "ppm", "time": "2026-11-22T09:30:00+08:00"}
    (alert,) = parse_payload(json.dumps({**base, **reading}, ensure_ascii=False), "inline").alerts
    return shipped.drafter.draft(alert).draft


def test_a_car_park_co_alarm_gets_the_car_park_cards_and_none_of_the_sewer_ones(shipped: Services) -> None:
    draft = _sensor(
        shipped,
        {
            "sensor_type": "co",
            "value": 40,
            "name": "地下车库一氧化碳（示例）",
            "location": {"address": "示例市滨江区万象城地下车库B2（示例）"},
        },
    )
    actions = _action_text(draft)
    assert "疏散车库内人员" in actions and "禁止车辆驶入" in actions and "机械通风" in actions
    assert not [w for w in ("化粪池", "臭鸡蛋", "井口", "下井", "排放污水") if w in actions]


def test_a_sewer_h2s_alarm_keeps_the_sewer_cards(shipped: Services) -> None:
    draft = _sensor(
        shipped,
        {
            "sensor_type": "h2s",
            "value": 20,
            "name": "小区化粪池硫化氢（示例）",
            "location": {"address": "示例市幸福里小区化粪池（示例）"},
        },
    )
    actions = _action_text(draft)
    assert "化粪池" in actions and "下井" in actions and "车库" not in actions


def test_a_heritage_temperature_alarm_gets_the_heritage_fire_cards(shipped: Services) -> None:
    draft = _sensor(
        shipped,
        {
            "sensor_type": "temperature",
            "value": 41,
            "unit": "°C",
            "thresholds": {"yellow": 35, "orange": 38, "red": 40},
            "name": "城隍庙大殿木构温度（示例）",
            "location": {"address": "示例市城隍庙古建筑群大殿（示例）"},
        },
    )
    actions = _action_text(draft)
    assert "电气线路" in actions and "微型消防站" in actions and "文物主管部门" in actions
    assert "对游客开放" in actions  # red: the alarming part is closed while the check is under way
    assert "除湿" not in actions and "临时支顶" not in actions  # the damp and the structure cards stay out


def test_a_cold_store_ammonia_alarm_gets_the_chemical_leak_cards(shipped: Services) -> None:
    draft = _sensor(
        shipped,
        {
            "sensor_type": "nh3",
            "value": 60,
            "name": "冷库氨制冷机房氨气（示例）",
            "location": {"address": "示例市冷链物流园2号冷库（示例）"},
        },
    )
    actions = _action_text(draft)
    assert "侧风方向" in actions and "氨制冷系统泄漏" in actions and "洗消" in actions
    assert "化粪池" not in actions and "下井" not in actions


def _signal(shipped: Services, colour: str, text: str) -> PlanDraft:
    payload = [
        {
            "id": "1",
            "sender": "示例市气象台",
            "pubTime": "2026-07-30T16:00+08:00",
            "title": f"示例市气象台发布暴雨{ {'Orange': '橙', 'Yellow': '黄'}[colour] }色预警信号",
            "severityColor": colour,
            "typeName": "暴雨",
            "text": text,
        }
    ]
    (alert,) = parse_payload(json.dumps(payload, ensure_ascii=False), "t", suffix=".json").alerts
    return shipped.drafter.draft(alert).draft


def test_a_rain_warning_naming_mountain_torrents_moves_the_people_in_the_gullies_first(shipped: Services) -> None:
    torrents = _action_text(_signal(shipped, "Orange", "西部山区累计雨量150毫米以上，山洪、泥石流风险高。"))
    assert "山洪沟道、泥石流和滑坡隐患点" in torrents and "关闭涉山涉水景区" in torrents
    city = _action_text(_signal(shipped, "Orange", "城区低洼地区积水内涝风险高。"))
    assert "山洪沟道、泥石流和滑坡隐患点" not in city  # a city waterlogging warning does not get it
    yellow = _action_text(_signal(shipped, "Yellow", "山区山洪风险较高。"))
    assert "山洪沟道、泥石流和滑坡隐患点" not in yellow


def _safety_alert(sent: str, event: str, severity: str, headline: str, description: str, area: str) -> Alert:
    """An observed, immediate CAP safety alert, parsed through the real intake."""
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>T-{sent}</identifier><sender>ops@example.cn</sender>
<sent>{sent}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><language>zh-CN</language><category>Safety</category><event>{event}</event><urgency>Immediate</urgency>
<severity>{severity}</severity><certainty>Observed</certainty><headline>{headline}</headline>
<description>{description}</description>
<area><areaDesc>{area}</areaDesc></area></info></alert>"""
    (alert,) = parse_payload(xml, "t", suffix=".xml").alerts
    return alert


def test_a_flooded_mine_is_evacuated_at_the_shaft_and_drained_not_handled_like_a_collapse(shipped: Services) -> None:
    alert = _safety_alert(
        "2026-04-08T03:30:00+08:00",
        "煤矿透水事故",
        "Extreme",
        "示例煤矿井下透水，5人被困",
        "井下工作面发生透水，当班井下作业人员共40人，已升井35人，5人被困。",
        "山西省长治市示例煤业有限公司",
    )
    actions = _action_text(shipped.drafter.draft(alert).draft)
    assert "入井记录逐一清点升井人数" in actions and "大功率排水设备" in actions and "被困人员5人" in actions
    assert "二次坍塌" not in actions and "同一厂房" not in actions


def test_a_road_tanker_gets_the_carrier_and_tanker_cards_not_the_plant_ones(shipped: Services) -> None:
    alert = _safety_alert(
        "2026-09-16T14:25:00+08:00",
        "危化品罐车泄漏",
        "Severe",
        "一辆装载液氯的槽罐车侧翻泄漏",
        "14时10分，一辆装载约20吨液氯的槽罐车在示例国道侧翻泄漏，驾驶员受伤。",
        "湖南省湘潭市雨湖区示例国道",
    )
    actions = _action_text(shipped.drafter.draft(alert).draft)
    assert "危险货物运输许可" in actions and "紧急切断阀" in actions and "倒罐转输" in actions
    assert "重大危险源登记" not in actions and "能停车的装置按工艺安全停车" not in actions


def test_a_mine_explosion_gets_the_underground_rescue_but_no_pumping(shipped: Services) -> None:
    alert = _safety_alert(
        "2026-03-02T10:30:00+08:00",
        "煤矿瓦斯爆炸事故",
        "Extreme",
        "示例煤矿发生瓦斯爆炸",
        "井下发生瓦斯爆炸，造成5人死亡、3人受伤，另有2人被困。",
        "贵州省六盘水市盘州市示例煤矿",
    )
    assert alert.hazard == "生产安全"  # firedamp in a mine, not a city gas leak
    actions = _action_text(shipped.drafter.draft(alert).draft)
    assert "入井记录逐一清点升井人数" in actions and "检测瓦斯、一氧化碳" in actions
    assert "大功率排水设备" not in actions and "关闭泄漏点上游阀门" not in actions


@pytest.mark.parametrize(
    ("address", "district", "place"),
    [
        ("广东省深圳市南山区示例花园5号楼", "南山区", "示例花园5号楼"),
        ("广东省深圳市南山区、宝安区", "南山区", "南山区、宝安区"),  # the districts are the place
    ],
)
def test_the_place_drops_the_jurisdiction_the_title_already_gives(address: str, district: str, place: str) -> None:
    alert = replace(gas_alert(), area=AlertArea(address=address, district=district))
    assert fill("{place}", facts_from_alert(alert)).text == place


def test_an_orange_rain_warning_suspends_large_events_and_a_red_cold_wave_outdoor_work(shipped: Services) -> None:
    rain = _action_text(_signal(shipped, "Orange", "城区低洼地区积水内涝风险高。"))
    assert "暂停大型群众性活动和有组织的户外活动" in rain
    payload = [
        {
            "id": "1",
            "sender": "示例市气象台",
            "pubTime": "2026-12-20T10:00+08:00",
            "title": "示例市气象台发布寒潮红色预警信号",
            "severityColor": "Red",
            "typeName": "寒潮",
            "text": "预计24小时内气温下降16℃以上。",
        }
    ]
    (alert,) = parse_payload(json.dumps(payload, ensure_ascii=False), "t", suffix=".json").alerts
    assert "停止或减少户外作业和高空作业" in _action_text(shipped.drafter.draft(alert).draft)
