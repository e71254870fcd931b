"""The response level comes from the applicable plans' grading criteria and the alert's facts, never the colour."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.alerts.intake import parse_file, parse_payload
from assistant.chain.facts import facts_from_alert
from assistant.chain.levels import level_check, propose_level
from assistant.domain import Alert, EvidenceStatus, Level
from assistant.services import Services
from assistant.settings import PROJECT_ROOT

ALERTS = PROJECT_ROOT / "evals" / "alerts"


def signal(sender: str, title: str, colour: str, kind: str = "暴雨", text: str = "") -> Alert:
    payload = [
        {
            "id": "1",
            "sender": sender,
            "pubTime": "2026-07-30T16:10+08:00",
            "title": title,
            "severityColor": colour,
            "typeName": kind,
            "text": text,
        }
    ]
    (alert,) = parse_payload(json.dumps(payload, ensure_ascii=False), "t", suffix=".json").alerts
    return alert


def sensor(description: str, address: str, hazard_type: str = "combustible_gas") -> Alert:
    reading = {
        "point_id": "P1",
        "sensor_type": hazard_type,
        "value": 32,
        "unit": "%LEL",
        "time": "2026-07-18T21:42:00+08:00",
        "location": {"address": address},
        "description": description,
    }
    (alert,) = parse_payload(json.dumps(reading, ensure_ascii=False), "t", suffix=".json").alerts
    return alert


def test_orange_gas_alarm_without_casualties_is_below_the_grading_thresholds(shipped: Services) -> None:
    (alert,) = parse_file(ALERTS / "cap_gas_garage_rising_zh.xml").alerts
    facts = facts_from_alert(alert)
    proposal = propose_level(facts, shipped.knowledge.retriever)
    assert proposal.level is None
    assert proposal.basis.startswith("先期处置，尚未达到分级标准")
    assert "死亡和失踪人数" in proposal.needs
    assert any("3人以上" in t and "Ⅲ级" in t for t in proposal.escalation)
    assert any(t.startswith("出现死亡或失踪即达Ⅳ级") for t in proposal.escalation)  # any death starts the lowest grade
    assert proposal.warning_line.startswith("告警颜色：橙色") and "不等于响应级别" in proposal.warning_line
    assert level_check(proposal, "zh").status is EvidenceStatus.TO_CONFIRM


def test_beijing_red_rainstorm_warning_is_level_one_by_the_beijing_plan_approved_by_its_commander(
    shipped: Services,
) -> None:
    (alert,) = parse_file(ALERTS / "cap_rainstorm_red_beijing_zh.xml").alerts
    proposal = propose_level(facts_from_alert(alert), shipped.knowledge.retriever)
    assert proposal.level is Level.I
    assert "北京市防汛应急预案" in proposal.plan_title
    assert "暴雨红色预警" in proposal.criterion and proposal.approver == "市防指总指挥"
    assert "Ⅰ级应急响应" in proposal.basis and "市防指总指挥" in proposal.basis
    assert all("北京市防汛" in c.title for c in proposal.sources)
    assert level_check(proposal, "zh").status is EvidenceStatus.SUPPORTED


def test_another_provinces_plan_is_never_the_basis(shipped: Services) -> None:
    alert = signal("广州市气象台", "广州市气象台发布暴雨红色预警信号（示例）", "Red")
    proposal = propose_level(facts_from_alert(alert), shipped.knowledge.retriever)
    assert proposal.level is None
    assert "北京" not in proposal.plan_title and all("北京" not in c.title for c in proposal.sources)
    assert "仅作参考" in proposal.basis  # the Beijing clause is shown as a reference, labelled so


def test_fujian_typhoon_grade_follows_the_fujian_plan(shipped: Services) -> None:
    alert = signal("福建省气象台", "福建省气象台发布台风Ⅱ级预警（示例）", "Orange", kind="台风")
    proposal = propose_level(facts_from_alert(alert), shipped.knowledge.retriever)
    assert proposal.level is Level.II and "福建省防汛抗旱防台风应急预案" in proposal.plan_title
    orange_only = signal("福建省气象台", "福建省气象台发布台风橙色预警信号（示例）", "Orange", kind="台风")
    assert propose_level(facts_from_alert(orange_only), shipped.knowledge.retriever).level is None


def test_deaths_decide_the_level_in_the_alerts_own_jurisdiction(shipped: Services) -> None:
    alert = sensor("燃气爆炸已造成5人死亡、12人受伤。", "北京市朝阳区望京街道某小区")
    proposal = propose_level(facts_from_alert(alert), shipped.knowledge.retriever)
    assert proposal.level is Level.III
    assert "5人" in proposal.basis and "北京" in proposal.plan_title  # the Beijing gas plan applies in Beijing


def test_a_declared_level_stands_and_a_higher_criterion_is_pointed_out(shipped: Services) -> None:
    alert = signal("北京市防汛抗旱指挥部", "北京市启动防汛Ⅳ级应急响应（示例）", "Red", text="")
    facts = facts_from_alert(alert)
    proposal = propose_level(facts, shipped.knowledge.retriever)
    assert proposal.declared and proposal.level is Level.IV
    assert level_check(proposal, "zh").status is EvidenceStatus.SUPPORTED


def test_a_bridge_alarm_is_never_graded_by_a_rainstorm_clause(shipped: Services) -> None:
    reading = {
        "point_id": "BR-1",
        "sensor_type": "displacement",
        "value": 18,
        "unit": "mm",
        "thresholds": {"yellow": 10, "orange": 15, "red": 25},
        "time": "2026-07-18T10:00:00+08:00",
        "location": {"address": "示例市滨江区滨江大桥3号墩（示例）"},
    }
    (alert,) = parse_payload(json.dumps(reading, ensure_ascii=False), "t", suffix=".json").alerts
    proposal = propose_level(facts_from_alert(alert), shipped.knowledge.retriever)
    assert proposal.level is None
    assert "暴雨" not in proposal.basis and all("防汛" not in c.title for c in proposal.sources)


def test_english_alerts_get_an_english_proposal(shipped: Services) -> None:
    (alert,) = parse_file(ALERTS / "cap_gas_garage_rising_zh.xml").alerts
    proposal = propose_level(facts_from_alert(alert, lang="en"), shipped.knowledge.retriever)
    assert proposal.basis.startswith("Initial response, below the grading thresholds")
    assert "not a response level" in proposal.warning_line or "not the response" in proposal.warning_line


def test_fixture_file() -> None:
    assert Path(ALERTS / "cap_rainstorm_red_beijing_zh.xml").exists()


def test_grading_bounds_include_the_lower_number(shipped: Services) -> None:
    library = shipped.knowledge.retriever
    three = sensor("燃气爆炸已造成3人死亡。", "北京市朝阳区望京街道某小区")
    ten = sensor("燃气爆炸已造成10人死亡。", "北京市朝阳区望京街道某小区")
    two = sensor("燃气爆炸已造成2人死亡。", "北京市朝阳区望京街道某小区")
    assert propose_level(facts_from_alert(three), library).level is Level.III  # "3人以上" includes 3
    assert propose_level(facts_from_alert(ten), library).level is Level.II
    assert propose_level(facts_from_alert(two), library).level is Level.IV  # an accident with deaths under 3


def test_a_clause_that_grades_by_another_regulation_is_cited_with_it(shipped: Services) -> None:
    (alert,) = parse_file(ALERTS / "cards_a_septic_poisoning_zh.xml").alerts  # 1 dead, 2 trapped
    proposal = propose_level(facts_from_alert(alert), shipped.knowledge.retriever)
    assert proposal.level is Level.IV
    assert "按493号令" in proposal.criterion
    titles = [c.title for c in proposal.sources]
    assert any("国家安全生产事故灾难应急预案" in t for t in titles)
    assert any("生产安全事故报告和调查处理条例" in t for t in titles)  # the grading "按493号令" points to
    assert "该条所引的分级标准见《生产安全事故报告和调查处理条例" in proposal.basis


def test_people_trapped_are_lives_endangered_and_grade_the_accident(shipped: Services) -> None:
    """A flooded mine with 14 trapped and nobody dead yet: 危及10人以上、30人以下生命安全 → Ⅱ (the higher of the two
    rows that word it); 3 trapped leave the clause open, never met by a guess."""
    trapped = sensor("井下透水，当班86人中72人已升井，14人被困，暂无死亡报告。", "山西省长治市示例煤矿")
    proposal = propose_level(facts_from_alert(trapped), shipped.knowledge.retriever)
    assert proposal.level is Level.II
    assert "危及10人以上、30人以下生命安全" in proposal.basis and "14人" in proposal.basis
    few = sensor("井下透水，3人被困，暂无死亡报告。", "山西省长治市示例煤矿")
    assert propose_level(facts_from_alert(few), shipped.knowledge.retriever).level is None


def _gauge(description: str, area: str = "河南省新乡市卫辉市卫河示例水文站") -> Alert:
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>W-1</identifier><sender>swj@example.cn</sender>
<sent>2026-07-22T06:10:00+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><language>zh-CN</language><category>Met</category><event>河道洪水</event><urgency>Immediate</urgency>
<severity>Severe</severity><certainty>Observed</certainty><headline>水位超警</headline>
<description>{description}</description><area><areaDesc>{area}</areaDesc></area></info></alert>"""
    (alert,) = parse_payload(xml, "t", suffix=".xml").alerts
    return alert


def test_a_main_control_station_over_its_guaranteed_level_is_level_two_in_henan(shipped: Services) -> None:
    """Henan grades by its gauges: 主要控制站 over 保证水位 meets "接近保证水位" (二级); over 警戒水位 only, 四级; a
    gauge not said to be a main control station leaves it to confirm; another province's gauge is not graded by
    Henan's plan."""
    retriever = shipped.knowledge.retriever
    guaranteed = _gauge("卫河主要控制站水位73.45米，超过保证水位73.20米（警戒水位72.00米），仍在上涨。")
    proposal = propose_level(facts_from_alert(guaranteed), retriever)
    assert proposal.level is Level.II and "河南" in proposal.plan_title and "接近保证水位" in proposal.basis
    warning = _gauge("卫河主要控制站水位72.40米，超过警戒水位0.4米，保证水位73.20米。")
    assert propose_level(facts_from_alert(warning), retriever).level is Level.IV
    unsure = _gauge("示例河示例水文站水位73.45米，超过保证水位73.20米。")
    assert propose_level(facts_from_alert(unsure), retriever).level is None
    elsewhere = _gauge("主要控制站水位超过保证水位。", area="安徽省阜阳市示例水文站")
    assert propose_level(facts_from_alert(elsewhere), retriever).level is None


def test_people_trapped_in_a_burning_tower_are_only_conditionally_endangered(shipped: Services) -> None:
    """Thirty residents waiting on the upper floors of a tower fire may be safe where they are: the 危及30人以上
    clause is for a person to confirm, and the level follows the deaths (2 → Ⅳ), not a guess of Ⅰ."""
    fire = sensor("高层住宅火灾，2人死亡，上部楼层约30人被困等待救援。", "广西壮族自治区南宁市青秀区示例小区")
    proposal = propose_level(facts_from_alert(fire), shipped.knowledge.retriever)
    assert proposal.level is Level.IV
    assert "生命安全受威胁的人数" in proposal.needs  # to confirm, and an escalation trigger
    assert any("危及30人以上生命安全" in t for t in proposal.escalation)
