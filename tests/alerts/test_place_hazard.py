"""A message's toxic-gas words make it a confined-space alert only where the place is a confined space."""

from __future__ import annotations

import pytest

from assistant.alerts.intake import parse_payload
from assistant.alerts.routing import place_hazard

CAP = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>T-1</identifier><sender>ops@sample.example.cn</sender><sent>2026-09-14T17:50:00+08:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>{lang}</language><category>Safety</category><event>{event}</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Observed</certainty><senderName>示例市城运中心</senderName>
    <headline>{headline}</headline><description>{description}</description>
    <area><areaDesc>示例市临港区</areaDesc></area></info>
</alert>"""


@pytest.mark.parametrize(
    ("lang", "event", "headline", "description", "hazard"),
    [
        ("zh-CN", "硫化氢泄漏", "示例化工有限公司硫化氢泄漏", "脱硫装置管线泄漏，2人中毒。", "危化品"),
        (
            "en-US",
            "H2S leak",
            "Hydrogen sulphide leak at a chemical plant",
            "A line on the desulphurisation unit failed.",
            "危化品",
        ),
        ("zh-CN", "硫化氢中毒", "化工园区污水处理站调节池硫化氢中毒", "1名工人下池清淤时中毒。", "有限空间"),
        ("zh-CN", "液氨泄漏", "一辆液氨槽罐车在示例国道侧翻", "罐体阀门处氨气泄漏。", "危化品"),  # a tanker on a road
        ("zh-CN", "瓦斯爆炸", "示例煤矿发生瓦斯爆炸", "井下发生瓦斯爆炸，5人死亡。", "生产安全"),  # firedamp in a mine
        ("zh-CN", "有限空间中毒", "示例化工有限公司储罐内清洗作业2人中毒", "2人进入储罐内清洗时中毒。", "有限空间"),
        ("zh-CN", "化粪池中毒窒息", "示例小区化粪池清掏作业中毒", "1人下井后昏倒。", "有限空间"),
        (
            "en-US",
            "H2S alarm",
            "Hydrogen sulfide alarm in a sewer",
            "A manhole on Riverside Road reads 35 ppm.",
            "有限空间",
        ),
    ],
)
def test_toxic_gas_at_a_chemical_plant_is_hazardous_chemicals_in_a_sewer_or_tank_confined_space(
    lang: str, event: str, headline: str, description: str, hazard: str
) -> None:
    xml = CAP.format(lang=lang, event=event, headline=headline, description=description)
    (alert,) = parse_payload(xml, "t", suffix=".xml").alerts
    assert alert.hazard == hazard


def test_other_hazards_pass_through() -> None:
    assert place_hazard("燃气", ["示例化工有限公司燃气管道泄漏"]) == "燃气"
    assert place_hazard("燃气", ["示例小区5号楼燃气泄漏"]) == "燃气"  # a gas leak at home stays a gas leak
    assert place_hazard(None, ["示例化工有限公司"]) is None
    assert place_hazard("有限空间", ["硫化氢报警"]) == "有限空间"  # no place named: kept


@pytest.mark.parametrize(
    ("event", "headline"),
    [
        ("Chlorine gas leak", "Chlorine leak at the water treatment works"),
        ("Ammonia gas release", "Ammonia gas escaping from the cold store"),
    ],
)
def test_a_toxic_gas_named_by_its_substance_is_a_chemical_leak_not_a_fuel_gas_one(event: str, headline: str) -> None:
    xml = CAP.format(lang="en-GB", event=event, headline=headline, description="Two workers taken to hospital.")
    (alert,) = parse_payload(xml, "t", suffix=".xml").alerts
    assert alert.hazard == "危化品"  # "gas leak" is as long as "chlorine": the substance must win


def test_a_crack_gauge_may_be_sent_as_crack() -> None:
    from assistant.alerts.thresholds import sensor_type

    assert sensor_type("crack").name == "crack_width"


@pytest.mark.parametrize(
    "name",
    [
        "示例石化有限公司硫磺回收装置区硫化氢检测仪",  # a petrochemical plant's process unit
        "示例炼化公司常减压装置硫化氢检测仪",
        "Sample refinery sulphur recovery unit H2S detector",
    ],
)
def test_toxic_gas_sensor_at_a_refinery_or_process_unit_is_hazardous_chemicals(name: str) -> None:
    from assistant.alerts.routing import sensor_hazard

    assert sensor_hazard("h2s", "有限空间", [name]) == "危化品"
    assert sensor_hazard("h2s", "有限空间", [name, "装置区污水井"]) == "有限空间"  # a sewer on site stays one


def test_a_mine_is_its_own_kind_of_place() -> None:
    from assistant.alerts.routing import space_of

    assert space_of(["山西省长治市示例煤业有限公司井下+410水平工作面透水"]) == "mine"
    assert space_of(["示例小区窨井下方管道"]) == "sewer"  # a manhole is a sewer space, whatever follows


def test_a_fertiliser_plant_holding_liquid_ammonia_is_a_chemical_plant_not_a_cold_store() -> None:
    from assistant.alerts.routing import space_of

    assert space_of(["示例化肥有限公司合成氨车间", "液氨储罐区阀门泄漏"]) == "chemical_plant"
    assert space_of(["示例冷链物流园2号冷库氨制冷机房", "液氨泄漏"]) == "cold_store"


def test_a_road_tanker_is_on_the_road_even_when_it_carries_hazardous_chemicals() -> None:
    from assistant.alerts.routing import space_of

    assert space_of(["危化品槽罐车在示例国道侧翻泄漏"]) == "road"
    assert space_of(["Hazardous chemical road tanker crash on the G60 expressway"]) == "road"
    assert space_of(["示例化工有限公司储罐区泄漏"]) == "chemical_plant"
