"""属地管理: the alert's place, the plan's scope, and which plans may be a basis."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.chain.gazetteer import load_gazetteer
from assistant.chain.jurisdiction import Relation, place_of_alert, place_of_document, relation
from assistant.domain import Alert, AlertArea, DocKind, DocumentMeta


def _alert(sender: str = "", area: str = "", headline: str = "", geocodes: tuple = (), sender_name: str = "") -> Alert:
    return Alert(
        "a", "cap", sender, datetime.now(UTC), "+08:00", "e", None, None, None,
        headline=headline, area=AlertArea(description=area, geocodes=geocodes), sender_name=sender_name,
    )  # fmt: skip


def _plan(title: str, region: str | None = None, issuer: str | None = None) -> DocumentMeta:
    return DocumentMeta("d", title, DocKind.PLAN, (), "d.md", region=region, issuer=issuer)


@pytest.mark.parametrize(
    ("alert", "path"),
    [
        (_alert(sender_name="北京市气象台", headline="北京市气象台发布暴雨红色预警信号"), "北京市"),
        (_alert(area="广东省广州市天河区"), "广东省/广州市/天河区"),
        (_alert(area="福州市鼓楼区"), "福建省/福州市/鼓楼区"),
        (_alert(area="朝阳区望京街道"), "北京市/朝阳区"),
        (_alert(geocodes=(("GB/T 2260", "410105"),)), "河南省"),
        (_alert(area="Fuzhou, Fujian"), "福建省"),
        (_alert(sender="district-gas-monitor", area="示例市滨江区中山路12号"), "示例市/滨江区"),
        (_alert(area="幸福里小区5号楼"), ""),
        (_alert(area="河西区 示例市河西区清河桥"), "示例市/河西区"),  # not Tianjin's 河西区
        (_alert(area="长春市朝阳区"), "吉林省/长春市/朝阳区"),  # not Beijing's 朝阳区
        (_alert(area="河西区清河桥"), "天津市/河西区"),  # no other city named: the district's own province
        (_alert(area="郑州金水区某小区"), "河南省/郑州市/金水区"),  # a city written without 市 before its district
        (_alert(area="厦门思明区"), "福建省/厦门市/思明区"),
        (_alert(area="北京朝阳区"), "北京市/朝阳区"),
        (_alert(area="长沙路社区"), ""),  # a street's neighbourhood, not 长沙市
        (_alert(area="大连中山区人民路"), "辽宁省/大连市/中山区"),  # 中山区 ends like 山区 but is a district
        (_alert(area="大连市西部山区"), "辽宁省/大连市"),  # a mountain area is not a district
        (_alert(area="长沙路小区"), ""),
        (_alert(area="江苏盐城响水县化工园区"), "江苏省/盐城市/响水县"),  # a city written after its province
        (_alert(area="盐城市大丰区"), "江苏省/盐城市/大丰区"),  # 盐城市 ends like "城市" but is a city
        (_alert(area="云南大理州宾川县"), "云南省/大理白族自治州/宾川县"),  # an autonomous prefecture as stem + 州
        (_alert(area="城市内涝点"), ""),
    ],
)
def test_place_of_alert(alert: Alert, path: str) -> None:
    assert place_of_alert(alert).path == path


def test_a_street_name_is_not_a_city_and_a_province_named_in_passing_does_not_move_the_alert() -> None:
    assert place_of_alert(_alert(area="示例市老城区中山路12号")).path == "示例市/老城区"
    moved = _alert(area="厦门市思明区", headline="受福建沿海台风影响，广东省发布提示")
    assert place_of_alert(moved).province == "福建省"


@pytest.mark.parametrize(
    ("area", "path"),
    [
        ("Tianhe District, Guangzhou", "广东省/广州市"),
        ("Zhengzhou, Henan Province", "河南省/郑州市"),
        ("Flooded underpass in Zhengzhou", "河南省/郑州市"),  # the city alone names its province
        ("Xi'an, Shaanxi", "陕西省/西安市"),
        ("Beijing Road, Yuexiu District, Guangzhou", "广东省/广州市"),  # a street named after a city
        ("Nanjing Road, Huangpu District, Shanghai", "上海市"),
        ("Fuzhou City", ""),  # 福州 or 抚州: left unknown rather than guessed
        ("Sample City", ""),
    ],
)
def test_english_city_names_place_an_english_alert(area: str, path: str) -> None:
    assert place_of_alert(_alert(area=area)).path == path


def test_an_english_city_name_must_name_a_listed_city(tmp_path: Path) -> None:
    bad = tmp_path / "divisions.yaml"
    bad.write_text(
        'provinces:\n  - {name: 广东省, code: "44", en: Guangdong, cities: [广州市], cities_en: {Shenzhen: 深圳市}}\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="cities_en"):
        load_gazetteer(bad)


def test_home_region_fills_an_alert_that_names_no_place() -> None:
    assert place_of_alert(_alert(area="幸福里小区5号楼"), home="北京市").path == "北京市"
    assert place_of_alert(_alert(area="广州市天河区"), home="北京市").province == "广东省"


@pytest.mark.parametrize(
    ("plan", "alert_area", "expected"),
    [
        (_plan("北京市防汛应急预案", "北京市"), "北京市朝阳区", Relation.UPPER),
        (_plan("北京市防汛应急预案", "北京市"), "北京市", Relation.OWN),
        (_plan("北京市防汛应急预案", "北京市"), "广州市天河区", Relation.OTHER),
        (_plan("福建省防汛抗旱防台风应急预案", "福建省"), "北京市", Relation.OTHER),
        (_plan("国家防汛抗旱应急预案", "全国"), "广州市", Relation.NATIONAL),
        (_plan("北京市防汛应急预案", "北京市"), "示例市滨江区", Relation.UNKNOWN),
        (_plan("示例市滨江区燃气应急预案"), "示例市滨江区幸福里", Relation.OWN),
        (_plan("某酒店生产安全事故应急预案"), "北京市", Relation.UNKNOWN),
    ],
)
def test_relation(plan: DocumentMeta, alert_area: str, expected: Relation) -> None:
    found = relation(place_of_document(plan), place_of_alert(_alert(area=alert_area)))
    assert found is expected
    assert found.applies == (expected in (Relation.OWN, Relation.UPPER, Relation.NATIONAL))


def test_an_english_label_names_provinces_and_cities_in_english() -> None:
    place = place_of_alert(_alert(area="广东省广州市天河区"))
    assert place.label("en") == "Guangdong / Guangzhou / 天河区"  # no English name for a district: kept as written
    assert place.label("zh") == "广东省广州市天河区"
    assert place_of_alert(_alert(area="幸福里小区5号楼")).label("en") == "jurisdiction unknown"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("园区外1.5公里为示例镇居民区", []),  # a residential area, not a district
        ("相邻罐区储有甲苯约200吨", []),  # a tank farm
        ("江苏省示例化工园区储罐区起火", [("江苏省", "province")]),
    ],
)
def test_places_inside_a_site_are_not_districts(text: str, names: list[tuple[str, str]]) -> None:
    from assistant.chain.gazetteer import find_names

    assert [(h.name, h.level) for h in find_names(text)] == names


def test_a_metro_section_between_stations_is_no_district() -> None:
    from assistant.alerts.areas import district_of

    assert district_of("河南省郑州市示例线东站—西站区间（示例）") == "郑州市"  # not "西站区"
    assert district_of("示例市滨江区中山路12号") == "滨江区"


def test_a_place_outside_china_is_under_no_plan_of_the_library_not_even_a_national_one() -> None:
    uk = place_of_alert(_alert(area="Esholt Water Treatment Works, Bradford, West Yorkshire, UK (sample)"))
    assert uk.path == "境外/UK" and uk.label("en") == "outside China (UK)"
    national = place_of_document(_plan("国家安全生产事故灾难应急预案", region="全国"))
    assert relation(national, uk) is Relation.OTHER
    assert place_of_alert(_alert(area="Riverside Water Treatment Plant, Sample City")).path == ""  # no country named
    assert place_of_alert(_alert(area="广东省广州市天河区 (UK-funded plant)")).path == "广东省/广州市/天河区"


@pytest.mark.parametrize(
    ("area", "path"),
    [
        ("G60 Shanghai-Kunming Expressway, Yuhu District, Xiangtan, Hunan (sample)", "湖南省/湘潭市"),
        ("京港澳高速湖南省长沙市雨花区段", "湖南省/长沙市/雨花区"),
        ("上海至昆明高速公路湖南湘潭段", "湖南省/湘潭市"),
    ],
)
def test_the_end_points_a_route_is_named_after_are_not_the_place(area: str, path: str) -> None:
    assert place_of_alert(_alert(area=area)).path == path


@pytest.mark.parametrize(
    ("area", "path"),
    [
        (
            "四川省凉山彝族自治州西昌市示例乡",
            "四川省/凉山彝族自治州/西昌市",
        ),  # a county-level city under its prefecture
        ("河南省新乡市卫辉市卫河示例水文站", "河南省/新乡市/卫辉市"),
        ("河南省新乡市示例市场", "河南省/新乡市"),  # a market, not a city
    ],
)
def test_a_county_level_city_after_its_prefecture_is_the_level_below_it(area: str, path: str) -> None:
    assert place_of_alert(_alert(area=area)).path == path
