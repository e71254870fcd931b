"""Hazard, colour and level normalisation rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.alerts.normalise import (
    SEVERITY_COLOUR,
    colour_from_parameters,
    colour_in_text,
    declared_level,
    detect_hazard,
    reported_hazards,
    resolve_colour,
)
from assistant.alerts.times import TimeFormatError, local_text, parse_rfc822, parse_time
from assistant.domain import HAZARD_NAMES, Colour, Level


def test_severity_mapping_is_explicit() -> None:
    assert SEVERITY_COLOUR == {
        "extreme": Colour.RED,
        "severe": Colour.ORANGE,
        "moderate": Colour.YELLOW,
        "minor": Colour.BLUE,
        "unknown": None,
    }
    assert resolve_colour(None, ["Storm"], "Severe") is Colour.ORANGE
    assert resolve_colour(None, ["Storm"], "Unknown") is None
    assert resolve_colour(None, ["Storm"], None) is None


@pytest.mark.parametrize(
    ("texts", "severity", "expected"),
    [
        (["北京市气象台发布暴雨黄色预警"], "Severe", Colour.YELLOW),
        (["Strong Wind Warning - Orange"], "Moderate", Colour.ORANGE),
        (["Homeland Security Sets Code ORANGE"], "Minor", Colour.ORANGE),
        (["惠东县气象台将暴雨橙色预警信号降级为黄色"], None, Colour.YELLOW),
        (["Red Flag Warning"], "Minor", Colour.BLUE),  # a fire-weather product, not a colour
        (["WEARING RED SHORTS, BLUE COLLAR"], "Severe", Colour.ORANGE),
        (["紅色警戒"], "Moderate", Colour.RED),  # traditional characters
    ],
)
def test_explicit_colour_in_text_wins_over_severity(texts: list[str], severity: str, expected: Colour) -> None:
    assert resolve_colour(None, texts, severity) is expected


def test_a_warning_graded_by_numeral_gets_no_colour_from_its_severity() -> None:
    # The Fujian plan says its provincial grades are not colours: Severe must not become orange here.
    assert resolve_colour(None, ["福建省气象台发布台风Ⅱ级预警"], "Severe") is None
    assert resolve_colour(None, ["Level II typhoon warning for the Fujian coast"], "Severe") is None
    assert resolve_colour(None, ["台风Ⅱ级预警，同时发布台风橙色预警信号"], "Severe") is Colour.ORANGE


def test_colour_parameters() -> None:
    assert colour_from_parameters([("awareness_level", "2; yellow; Moderate")]) is Colour.YELLOW
    assert colour_from_parameters([("alert_color", "紅色")]) is Colour.RED
    assert colour_from_parameters([("Color", "Yellow")]) is Colour.YELLOW
    assert colour_from_parameters([("semáforo", "red")]) is Colour.RED
    assert colour_from_parameters([("FuelType", "Forest"), ("Status", "Red hot")]) is None
    assert colour_from_parameters([("预警颜色", "橙色")]) is Colour.ORANGE
    assert colour_from_parameters([("告警级别", "红色")]) is Colour.RED
    assert colour_from_parameters([("预警级别", "Ⅱ级")]) is None  # a grade, not a colour
    assert colour_from_parameters([("泄漏物颜色", "黄色")]) is None  # what leaks is not a warning
    assert colour_in_text("nothing here") is None


@pytest.mark.parametrize(
    ("texts", "hazard"),
    [
        (["Flash Flood Watch"], "暴雨内涝"),
        (["Flood Warning"], "洪涝"),
        (["水庫洩洪"], "洪涝"),
        (["雷雨大风"], "大风"),
        (["Special Weather Statement", "", "Thunderstorms over the valley"], "大风"),
        (["Excessive Heat Warning"], "高温"),
        (["Rip Current Statement"], "海洋灾害"),
        (["Child Abduction", "AMBER ALERT"], None),
        (["城隍庙大殿文物建筑受损"], "文物古建"),
        (["城隍庙古建筑火灾"], "建筑火灾"),  # a fire in an ancient building is a fire first
        (["冷链物流园冷库液氨泄漏"], "危化品"),
    ],
)
def test_hazard_from_controlled_vocabulary(texts: list[str], hazard: str | None) -> None:
    found = detect_hazard(texts)
    assert found == hazard
    assert found is None or found in HAZARD_NAMES


def test_only_a_declared_response_level_counts_never_the_colour_or_a_warning_grade() -> None:
    assert declared_level(["区防指已启动防汛Ⅲ级应急响应"]) is Level.III
    assert declared_level(["市防指决定启动四级应急响应"]) is Level.IV
    assert declared_level(["响应级别：Ⅱ级"]) is Level.II
    assert declared_level(["The county activated a Level II emergency response"]) is Level.II
    # A warning grade is the warning scale, not a response level.
    assert declared_level(["上海中心气象台发布大风蓝色预警[Ⅳ级/一般]"]) is None
    assert declared_level(["a blue gale warning [Level IV/General]"]) is None
    assert declared_level(["一級警戒"]) is None
    assert declared_level(["预计6级阵风"]) is None
    assert declared_level(["no grade written"]) is None


def test_times_are_utc_with_the_original_offset() -> None:
    when, offset = parse_time("2025-07-01T14:20:00+08:00")
    assert when == datetime(2025, 7, 1, 6, 20, tzinfo=UTC) and offset == "+08:00"
    assert parse_time("2025-09-17T08:26Z")[1] == "Z"
    assert parse_time(1751350800000)[0] == datetime(2025, 7, 1, 6, 20, tzinfo=UTC)  # epoch milliseconds
    assert local_text(when, offset) == "2025-07-01 14:20 +08:00"
    rss_time, rss_offset = parse_rfc822("Wed, 11 Jun 2003 22:39:00 PDT")
    assert rss_time == datetime(2003, 6, 12, 5, 39, tzinfo=UTC) and rss_offset == "-07:00"
    with pytest.raises(TimeFormatError, match="no UTC offset"):
        parse_time("2025-07-01T14:20:00")
    with pytest.raises(TimeFormatError, match="not an ISO 8601 time"):
        parse_time("yesterday")


def test_a_colour_word_in_prose_is_not_a_warning_colour() -> None:
    assert colour_in_text("氯气泄漏，现场可见黄绿色气体扩散") is None
    assert colour_in_text("示例市气象台发布暴雨黄色预警信号") is Colour.YELLOW
    assert colour_in_text("台风橙色预警[Ⅱ级/严重]") is Colour.ORANGE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布暴雨红色预警", Colour.RED),
        ("高温橙色预警信号", Colour.ORANGE),
        ("黄色等级", Colour.YELLOW),
        ("蓝色报警", Colour.BLUE),
        ("预警级别为红色", Colour.RED),
        ("告警等级：橙色", Colour.ORANGE),
        ("暴雨红色[Ⅰ级/特别严重]预警", Colour.RED),
        ("将暴雨黄色预警信号升级为橙色", Colour.ORANGE),
        ("Orange warning for heavy rain", Colour.ORANGE),
        ("Met Office yellow weather warning", Colour.YELLOW),
        ("Amber warning for wind", Colour.ORANGE),  # the UK name of the middle grade
        ("the warning level is red", Colour.RED),
        ("深圳市气象台发布黄色暴雨预警", Colour.YELLOW),  # the signal's name between colour and warning
        ("地质灾害气象风险预警Ⅲ级（黄色）", Colour.YELLOW),
        ("暴雨预警（红色）", Colour.RED),
        ("Orange-level warning for the coast", Colour.ORANGE),
        ("the alert level was raised to orange", Colour.ORANGE),
        ("Amber Rainstorm Warning Signal", Colour.ORANGE),
    ],
)
def test_a_colour_that_qualifies_a_warning_signal_or_level_is_its_colour(text: str, expected: Colour) -> None:
    assert colour_in_text(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "现场冒出黄色烟雾",
        "厂区上空出现红色烟雾，暂未发布预警",
        "仓库内黄色粉末泄漏",
        "路口红色信号灯故障",
        "现场拉起红色警戒线",
        "设置黄色警示带",
        "泄漏的液体呈蓝色",
        "路口交通信号灯变更为红色",
        "罐体外壁颜色由白色变为黄色",
        "Yellow smoke seen over the plant",
        "a yellow gas cloud drifting east",
        "A red warning light flashed on the panel",
        "red hazard warning signs posted at the gate",
        "green signal light at the crossing",
        "residents reported an alert of yellow smoke from the stack",
        "红色烟雾报警",
        "液体呈黄色（疑似硫磺）",
        "路口信号灯（红色）常亮",
        "a red smoke alert from the detector",
        "AMBER ALERT issued for a missing child",  # a child-abduction product, not a colour
    ],
)
def test_the_colour_of_a_substance_smoke_light_or_sign_is_no_warning_colour(text: str) -> None:
    assert colour_in_text(text) is None


def test_a_gas_colour_in_the_description_leaves_the_severity_colour() -> None:
    description = "液氯储罐区管道阀门泄漏，现场可见黄绿色气体向东南方向扩散，2人受伤"
    assert resolve_colour(None, ["危险化学品泄漏", description], "Severe") is Colour.ORANGE
    smoke = "Tanker fire on the ring road; thick yellow smoke over the estate"
    assert resolve_colour(None, ["Hazardous chemical tanker fire", smoke], "Extreme") is Colour.RED
    assert resolve_colour(None, ["化工厂起火，冒出红色烟雾", "已发布黄色预警"], "Extreme") is Colour.YELLOW


@pytest.mark.parametrize(
    ("texts", "hazard"),
    [
        (["Food poisoning"], "公共卫生"),
        (["Suspected foodborne illness at a school canteen"], "公共卫生"),
        (["学校食物中毒"], "公共卫生"),
        (["突发事件", "某企业职工聚餐后多人出现呕吐、腹泻症状"], "公共卫生"),
        (["Illness cluster", "30 guests with vomiting and diarrhoea after a wedding banquet"], "公共卫生"),
        (["Chlorine leak at the water works"], "危化品"),
        (["液氯槽罐车泄漏"], "危化品"),
        (["Pollution incident: chemical spill into river"], "突发环境"),  # into a river: environmental first
        (["Chemical spill at a paint factory"], "危化品"),
        (["Solvent spilled into the river from a plant"], "突发环境"),
        (["Gas explosion in a restaurant"], "燃气"),
        (["居民楼液化气罐爆燃"], "燃气"),
        (["Hydrogen sulfide alarm in a manhole"], "有限空间"),
        (["Warehouse fire"], "建筑火灾"),
        (["小区住宅楼起火"], "建筑火灾"),
        (["山林起火"], "森林火灾"),
        (["Motor Vehicle Accident", "MVA on the highway"], "交通运输"),
        (["渔船翻沉，3人落水"], "交通运输"),
        (["Power failure in the northern districts"], "大面积停电"),
        (["Road icing warning"], "寒潮冰冻"),
        (["average wind speed at sea", "Kattegatt"], "大风"),
        (["M 5.3, Tonga"], "地震"),
        (["M25 closed after a lorry fire"], None),  # a motorway, not a magnitude
        (["Building collapse at a construction site"], "生产安全"),
        (["生产安全事故（厂房坍塌）"], "生产安全"),
        (["桥梁坍塌"], "桥梁隧道"),  # a bridge's collapse is the bridge's
        (["隧道塌方"], "桥梁隧道"),  # a tunnel's cave-in is an accident in the tunnel, not a landslide
        (["村后山体坍塌"], "地质灾害"),
        (["Fire"], None),  # bush brigades post bare "Fire" too: not guessed to be a building
        (["Child Abduction", "AMBER ALERT"], None),
    ],
)
def test_hazard_words_of_alerts_in_both_languages(texts: list[str], hazard: str | None) -> None:
    assert detect_hazard(texts) == hazard


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("白云区一处山坡发生山体滑坡，冲毁民房2间，3人死亡", ("地质灾害",)),
        ("A landslide buried two houses on the hillside.", ("地质灾害",)),
        ("The storm triggered a debris flow that cut the road", ("地质灾害",)),
        ("降雨仍将持续，请注意防范山洪、滑坡、泥石流等次生灾害", ()),  # a caution, not a report
        ("地质灾害气象风险预警", ()),
        ("Landslides are possible in steep terrain.", ()),
        ("Be alert for landslides and debris flows.", ()),
    ],
)
def test_a_hazard_is_reported_only_by_a_clause_that_says_it_happened(text: str, reported: tuple[str, ...]) -> None:
    assert tuple(h for h in reported_hazards(text) if h == "地质灾害") == reported


def test_a_forecast_or_caution_covers_the_rest_of_its_sentence() -> None:
    assert "地质灾害" not in reported_hazards("预计今天夜间，山区将有滑坡")
    assert "地质灾害" not in reported_hazards("THUNDERSTORMS COULD PRODUCE\nHEAVY RAIN\nDEBRIS FLOWS IN BURN AREAS...")
    assert "地质灾害" in reported_hazards("白云区一处山坡发生山体滑坡，造成3人死亡，请注意防范次生灾害。")


@pytest.mark.parametrize(
    ("text", "hazard"),
    [
        ("示例隧道施工突水突泥，3人被困", "生产安全"),  # a tunnel being dug: a construction accident
        ("煤矿透水事故", "生产安全"),
        ("Water inrush at a tunnel face under construction", "生产安全"),
        ("示例隧道衬砌裂缝监测报警", "桥梁隧道"),  # a tunnel in traffic stays one
    ],
)
def test_a_tunnel_under_construction_or_a_flooded_mine_is_a_work_safety_accident(text: str, hazard: str) -> None:
    from assistant.alerts.normalise import hazard_in

    assert hazard_in(text) == hazard
