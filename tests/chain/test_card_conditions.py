"""Card conditions that say "either": a gas leak someone reports is itself the trigger for evacuation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.alerts.intake import parse_file
from assistant.chain.card_slots import fill
from assistant.chain.cards import load_decks
from assistant.chain.conditions import Context, all_hold, check_syntax, holds
from assistant.chain.facts import facts_from_alert
from assistant.domain import Level
from assistant.settings import PROJECT_ROOT
from tests.chain.alerts import gas_alert

ALERTS = PROJECT_ROOT / "evals" / "alerts"


def _ctx(alert_file: str | None = None, **changes: object) -> Context:
    alert = parse_file(ALERTS / alert_file).alerts[0] if alert_file else gas_alert()
    return Context(replace(facts_from_alert(alert), **changes), Level.III, 7)


def test_either_part_of_an_or_condition_is_enough() -> None:
    report = _ctx("cap_gas_leak_severe_zh.xml")  # a leak smelled on site: no reading at all
    above = _ctx()  # a sensor over its first threshold
    below = _ctx(value=5.0, exceedance=0.25)  # a sensor under every threshold
    assert report.facts.kind == "report" and report.facts.value is None
    assert holds("reported", report) and not holds("above_threshold", report)
    assert holds("above_threshold or reported", report)
    assert holds("above_threshold or reported", above)
    assert not holds("above_threshold or reported", below)


def test_an_or_condition_is_checked_part_by_part() -> None:
    assert check_syntax("above_threshold or reported") is None
    assert check_syntax("above_threshold or wind > 3") == "unknown fact 'wind'"


@pytest.mark.parametrize(
    "alert_file",
    ["cap_gas_leak_severe_zh.xml", "cap_injection_gas_instruction_zh.xml", "cap_injection_fake_plan_en.xml"],
)
def test_a_reported_gas_leak_without_a_reading_gets_evacuation_and_resettlement(alert_file: str) -> None:
    deck = load_decks()["燃气"]
    ctx = _ctx(alert_file)
    chosen = {card.id for card in deck.cards if all_hold(card.when, ctx)}
    assert {"gas-response-cordon", "gas-response-evacuate", "gas-recovery-resettle"} <= chosen
    below = _ctx(value=5.0, exceedance=0.25)  # a reading under its thresholds is no trigger for evacuation
    assert "gas-response-evacuate" not in {card.id for card in deck.cards if all_hold(card.when, below)}


def _water_level(name: str, address: str) -> Context:
    import json

    from assistant.alerts.intake import parse_payload

    reading = {
        "point_id": "WL-K01",
        "sensor_type": "水位",
        "value": 102.3,
        "unit": "m",
        "time": "2026-11-22T09:30:00+08:00",
        "name": name,
        "location": {"district": "山区县", "address": address},
        "thresholds": {"yellow": 102.0, "orange": 103.5, "red": 104.8},
    }
    (alert,) = parse_payload(json.dumps(reading, ensure_ascii=False), "t", suffix=".json").alerts
    return Context(facts_from_alert(alert), None, 7)


def test_a_reservoir_over_its_yellow_line_gets_the_reservoir_cards_and_a_river_gauge_does_not() -> None:
    deck = load_decks()["洪涝"]
    reservoir = _water_level("青山水库坝前水位（示例）", "示例市青山水库（示例）")
    assert reservoir.facts.colour is not None and reservoir.facts.colour.value == "yellow"
    chosen = {card.id for card in deck.cards if all_hold(card.when, reservoir)}
    assert "flood-response-reservoir-release" in chosen
    river = _water_level("滨江水位站（示例）", "示例市滨江水文站（示例）")
    chosen = {card.id for card in deck.cards if all_hold(card.when, river)}
    assert "flood-response-reservoir-release" not in chosen


def test_words_in_a_condition_match_regardless_of_case() -> None:
    ship = _ctx(event="Ship collision", headline="Ferry and cargo ship collision on the river (sample)")
    assert holds("event in ship", ship) and holds("event in SHIP", ship) and not holds("event in metro", ship)


@pytest.mark.parametrize(
    ("alert_file", "mode_cards"),
    [
        ("cards_a_pileup_zh.xml", {"transport-risk-weather-road", "transport-analysis-secondary-road"}),
        ("cards_a_metro_stranded_zh.xml", {"transport-analysis-secondary-rail"}),
        ("cards_a_bus_collision_en.xml", {"transport-risk-weather-road", "transport-monitor-followup"}),
    ],
)
def test_a_road_or_metro_accident_gets_no_vessel_cards(alert_file: str, mode_cards: set[str]) -> None:
    deck = load_decks()["交通运输"]
    chosen = [card for card in deck.cards if all_hold(card.when, _ctx(alert_file))]
    assert mode_cards <= {card.id for card in chosen}
    for card in chosen:
        assert "船" not in card.text["zh"] and "ship" not in card.text["en"] and "vessel" not in card.text["en"], (
            card.id
        )


def test_a_ship_collision_gets_the_water_cards_and_not_the_road_ones() -> None:
    deck = load_decks()["交通运输"]
    chosen = {card.id for card in deck.cards if all_hold(card.when, _ctx("cards_a_ship_collision_en.xml"))}
    assert {"transport-risk-weather-water", "transport-analysis-secondary-water"} <= chosen
    assert not chosen & {
        "transport-risk-weather-road",
        "transport-analysis-secondary-road",
        "transport-monitor-followup",
    }


def test_a_rising_river_over_its_yellow_line_with_people_below_gets_them_ready_to_leave() -> None:
    deck = load_decks()["洪涝"]
    river = _water_level("滨江水位站（示例）", "示例市滨江水文站（示例）")

    def chosen(**changes: object) -> set[str]:
        ctx = Context(replace(river.facts, **changes), None, 7)
        return {card.id for card in deck.cards if all_hold(card.when, ctx)}

    assert "flood-response-evacuate-prepare" in chosen(trend="rising", households=120)
    assert "flood-response-evacuate-prepare" not in chosen(trend="falling", households=120)
    assert "flood-response-evacuate-prepare" not in chosen(trend="rising")  # nobody named below: nothing to fill


def test_actions_name_the_place_as_people_on_the_ground_do() -> None:
    facts = _ctx("cap_gas_garage_rising_zh.xml").facts
    assert facts.place.startswith("示例市")
    filled = fill("疏散{place}居民", facts)
    assert filled.text.startswith("疏散幸福里小区5号楼") and "示例市" not in filled.text
    city_only = replace(facts, place="示例市")  # nothing left once the city is taken off: the city it is
    assert fill("转移{place}危旧房屋人员", city_only).text == "转移示例市危旧房屋人员"


def test_a_basement_carbon_monoxide_alarm_gets_the_basement_cards_never_the_manhole_ones() -> None:
    deck = load_decks()["有限空间"]
    ctx = _ctx("unseen_co_basement_harbin_zh.json")
    chosen = {card.id for card in deck.cards if all_hold(card.when, ctx)}
    assert {"confined-space-basement-evacuate", "confined-space-basement-source"} <= chosen
    assert "confined-space-basement-kindergarten" in chosen  # 示例幼儿园 about 80 m away
    assert not {"confined-space-response-no-blind-rescue", "confined-space-response-cut-source"} & chosen
    assert ctx.facts.people == 3  # "地下室有3名租住人员"


def test_a_train_stopped_in_a_flooding_tunnel_gets_stop_and_evacuate_first() -> None:
    deck = load_decks()["交通运输"]
    ctx = _ctx("unseen_metro_water_zhengzhou_zh.xml")
    response = sorted(
        (card for card in deck.cards if card.stage.value == "response" and all_hold(card.when, ctx)),
        key=lambda card: card.order,
    )
    assert response[0].id == "transport-response-metro"
    filled = fill(response[0].text["zh"], ctx.facts).text
    assert "约500名乘客" in filled and "停运" in filled


def test_a_bottled_gas_explosion_gets_the_cylinder_card_and_a_piped_gas_alarm_does_not() -> None:
    deck = load_decks()["燃气"]
    cylinder = next(card for card in deck.cards if card.id == "gas-response-cylinder")
    restaurant = _ctx(description="后厨液化石油气钢瓶爆炸，另有一只钢瓶仍在厨房内")
    assert all_hold(cylinder.when, restaurant)
    assert not all_hold(cylinder.when, _ctx("cap_gas_garage_rising_zh.xml"))


def test_an_accident_next_to_a_kindergarten_gets_it_told_and_a_distant_one_does_not() -> None:
    card = next(c for c in load_decks()["生产安全"].cards if c.id == "work-safety-response-sites")
    near = _ctx("unseen_scaffold_collapse_changsha_zh.xml")
    assert all_hold(card.when, near)
    assert "幼儿园（约30米）" in fill(card.text["zh"], near.facts).text
    far = replace(near.facts, sites=tuple(replace(s, distance_m=2000) for s in near.facts.sites))
    assert not all_hold(card.when, Context(far, Level.IV, 12))
