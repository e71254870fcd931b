"""Grading criteria read from the plans' grading and response sections, stored with the index."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.domain import Level
from assistant.knowledge.catalogue import Catalogue, StoredChunk
from assistant.knowledge.chunking import chunk_document
from assistant.knowledge.grading import EXTRACTOR_VERSION, Criterion, Grading, extract_grading
from assistant.knowledge.loaders import load_document
from assistant.knowledge.metadata import build_metadata
from assistant.settings import PROJECT_ROOT

PLANS = PROJECT_ROOT / "knowledge" / "plans"


def grading_of(path: Path) -> Grading:
    return extract_grading(chunk_document(load_document(path), "d", 500))


def _find(grading: Grading, level: Level, metric: str) -> list[Criterion]:
    return [c for c in grading.criteria if c.level is level and c.metric == metric]


def test_beijing_flood_plan_maps_each_rainstorm_colour_to_a_response_level_and_names_its_approver() -> None:
    grading = grading_of(PLANS / "plan-beijing-flood-2025.md")
    signals = {(c.level, c.colour, c.hazard, c.issuer) for c in grading.criteria if c.metric == "signal"}
    assert signals == {
        (Level.IV, "blue", "暴雨", "市气象局"),
        (Level.III, "yellow", "暴雨", "市气象局"),
        (Level.II, "orange", "暴雨", "市气象局"),
        (Level.I, "red", "暴雨", "市气象局"),
    }
    approvers = {a.level: a.who for a in grading.approvers}
    assert approvers[Level.I] == "市防指总指挥" and approvers[Level.IV] == "市防汛办主任或执行副主任"


def test_henan_red_warning_alone_is_level_two_and_level_one_needs_the_ongoing_heavy_rain() -> None:
    grading = grading_of(PLANS / "plan-henan-flood-2023.md")
    signals = {(c.level, c.colour, c.issuer, c.condition) for c in grading.criteria if c.metric == "signal"}
    heavy_rain = "正在发生大范围强降雨过程"
    assert signals == {
        (Level.IV, "yellow", "省气象局", ""),
        (Level.III, "orange", "省气象局", ""),
        (Level.III, "yellow", "省气象局", heavy_rain),
        (Level.II, "red", "省气象局", ""),
        (Level.II, "orange", "省气象局", heavy_rain),
        (Level.I, "red", "省气象局", heavy_rain),
    }
    approvers = {a.level: a.who for a in grading.approvers}  # "由……签发启动"
    assert approvers == {
        Level.I: "省防指指挥长",
        Level.II: "省防指常务副指挥长",
        Level.III: "省防指副指挥长、省防办主任",
        Level.IV: "省防办常务副主任",
    }


def test_accident_grading_ranges_include_the_lower_and_exclude_the_upper_bound() -> None:
    grading = grading_of(PLANS / "reg-accident-reporting-493.md")
    (deaths_iii,) = _find(grading, Level.III, "deaths")
    assert (deaths_iii.low, deaths_iii.high) == (3, 10)
    (loss_ii,) = _find(grading, Level.II, "loss")
    assert (loss_ii.low, loss_ii.high, loss_ii.unit) == (5000, 10000, "万元")
    (deaths_iv,) = _find(grading, Level.IV, "deaths")
    assert (deaths_iv.low, deaths_iv.high) == (None, 3)
    for criterion in grading.criteria:
        assert criterion.phrase in (PLANS / "reg-accident-reporting-493.md").read_text(encoding="utf-8")


def test_several_levels_on_one_line_and_ten_thousands() -> None:
    gas = grading_of(PLANS / "plan-city-gas-emergency.md")
    (ii,) = _find(gas, Level.II, "deaths")
    assert (ii.low, ii.high) == (10, 30)  # "10至29人死亡"
    assert {c.metric for c in _find(gas, Level.IV, "poisoned") + _find(gas, Level.IV, "loss")} == {"poisoned", "loss"}
    env = grading_of(PLANS / "plan-national-environmental.md")
    (evac,) = _find(env, Level.III, "evacuated")
    assert (evac.low, evac.high, evac.scope) == (5000, 10000, "")  # "5000人以上、1万人以下" moved
    geological = grading_of(PLANS / "plan-national-geological.md")
    assert {c.scope for c in geological.criteria if c.metric == "evacuated"} == {"需转移"}  # who need moving
    assert not [c for c in env.criteria if c.metric == "deaths" and "放射" in c.phrase]  # radiation only: not generic


def test_fujian_grades_are_signal_grades_not_colours() -> None:
    grading = grading_of(PLANS / "plan-fujian-typhoon.md")
    typhoon = {(c.level, c.grade) for c in grading.criteria if c.metric == "signal" and c.hazard == "台风"}
    assert typhoon == {(Level.I, "Ⅰ"), (Level.II, "Ⅱ"), (Level.III, "Ⅲ"), (Level.IV, "Ⅳ")}
    assert all(not c.colour for c in grading.criteria if c.metric == "signal")


def test_a_plan_without_measurable_grading_is_reported_as_not_parsed() -> None:
    assert not grading_of(PLANS / "plan-national-flood-drought.md").parsed
    assert grading_of(PLANS / "plan-national-earthquake.md").parsed


@pytest.mark.realdata
def test_a_real_provincial_plan_gives_its_signal_triggers_with_their_extra_conditions(realdata: Path) -> None:
    henan = grading_of(realdata / "plans" / "cn_provincial_flood_relief_txt" / "16-河南省防汛应急预案.txt")
    plain = {(c.level, c.colour) for c in henan.criteria if c.metric == "signal" and not c.condition}
    assert (Level.IV, "yellow") in plain and (Level.II, "red") in plain
    conditional = [c for c in henan.criteria if c.metric == "signal" and c.level is Level.I]
    assert conditional and all("强降雨" in c.condition for c in conditional)


def test_criteria_are_stored_with_the_index_and_follow_re_ingest(shipped) -> None:  # type: ignore[no-untyped-def]
    retriever = shipped.knowledge.retriever
    beijing = next(m for m in retriever.documents() if m.extra.get("id") == "plan-beijing-flood-2025")
    stored = retriever.grading([beijing.doc_id])[beijing.doc_id]
    assert any(c.metric == "signal" and c.level is Level.I for c in stored.criteria)
    passages = retriever.cite([c.chunk_id for c in stored.criteria])
    assert all(c.phrase in passages[c.chunk_id].text for c in stored.criteria)


def test_criteria_read_by_an_older_extractor_are_re_read_when_the_catalogue_opens(tmp_path: Path) -> None:
    doc = load_document(PLANS / "plan-henan-flood-2023.md")
    meta = build_metadata(doc)
    chunks = chunk_document(doc, meta.doc_id, 500)
    catalogue = Catalogue(tmp_path / "catalogue.db")
    stale = Grading(tuple(replace(c, condition="") for c in extract_grading(chunks).criteria), ())
    stored = [StoredChunk(c, f"h{i}", [], False) for i, c in enumerate(chunks)]
    catalogue.replace_document(meta, "sha", stored, grading=stale)
    catalogue.set_state("grading_extractor", "1")  # as written by the extractor that dropped conditions
    catalogue.close()

    reopened = Catalogue(tmp_path / "catalogue.db")
    stored_now = reopened.grading([meta.doc_id])[meta.doc_id].criteria
    level_one = [c for c in stored_now if c.level is Level.I and c.metric == "signal"]
    assert level_one and all(c.condition == "正在发生大范围强降雨过程" for c in level_one)
    assert reopened.grading([meta.doc_id])[meta.doc_id].approvers, "approvers are re-read too"
    assert reopened.get_state("grading_extractor") == EXTRACTOR_VERSION
    reopened.close()


def test_food_poisoning_grades_by_the_people_ill_with_whether_anyone_died() -> None:
    grading = grading_of(PLANS / "plan-national-public-health.md")
    (iv,) = _find(grading, Level.IV, "food_poisoned")
    assert (iv.low, iv.high, iv.condition) == (30, 100, "未出现死亡病例")  # "30至99人" includes 99
    (ii,) = _find(grading, Level.II, "food_poisoned")
    assert (ii.low, ii.condition) == (101, "出现死亡病例")  # "超过100人": 100 is not more than 100
    assert {(c.level, c.low) for c in grading.criteria if c.metric == "food_deaths"} == {(Level.III, 1), (Level.II, 10)}
    assert not [c for c in grading.criteria if c.metric in ("poisoned", "deaths")]  # occupational lines stay apart


def test_an_interrupted_drinking_water_intake_grades_by_whose_source_it_is() -> None:
    grading = grading_of(PLANS / "plan-national-environmental.md")
    intakes = {(c.level, c.scope) for c in grading.criteria if c.metric == "intake_cut"}
    assert intakes == {(Level.I, "city"), (Level.II, "county"), (Level.III, "town")}


def test_power_outage_shares_keep_the_row_of_their_kind_of_city_and_its_load() -> None:
    text = (PLANS / "plan-national-power-outage.md").read_text(encoding="utf-8")
    grading = grading_of(PLANS / "plan-national-power-outage.md")
    shares = {(c.level, c.scope, c.low, c.high, c.condition) for c in grading.criteria if c.metric == "power_out_share"}
    assert (Level.IV, "其他设区的市", 30, 50, "") in shares
    assert (Level.IV, "省会城市", 15, 30, "") in shares and (Level.II, "直辖市", 30, 60, "") in shares
    assert (Level.III, "其他设区的市", 50, None, "电网负荷600兆瓦以下") in shares
    assert (Level.I, "省会城市", 70, None, "电网负荷2000兆瓦以上") in shares
    (row,) = [c for c in _find(grading, Level.IV, "power_out_share") if c.scope == "其他设区的市"]
    assert row.phrase == "其他设区的市电网：减供负荷20%以上、40%以下，或30%以上、50%以下供电用户停电"
    assert all(c.phrase in text for c in grading.criteria)


def test_forest_fires_grade_by_the_area_burned_and_floods_by_return_period_and_reach() -> None:
    forest = grading_of(PLANS / "plan-national-forest-fire.md")
    areas = {(c.level, c.low, c.high, c.unit) for c in forest.criteria if c.metric == "burned_area"}
    assert areas == {
        (Level.I, 1000, None, "公顷"),
        (Level.II, 100, 1000, "公顷"),
        (Level.III, 1, 100, "公顷"),
        (Level.IV, None, 1, "公顷"),
    }
    fujian = grading_of(PLANS / "plan-fujian-typhoon.md")
    main_stem = {(c.level, c.low, c.high) for c in fujian.criteria if c.metric == "return_period" and c.scope == "干流"}
    assert main_stem == {
        (Level.I, 50, None),
        (Level.II, 20, 50),
        (Level.III, 5, 20),
        (Level.IV, 2, 5),
    }  # 20～50 excludes 50
    assert {c.scope for c in fujian.criteria if c.metric == "return_period"} == {"干流", "主要支流", "其他溪河"}


def test_a_catalogue_from_before_the_scope_column_gets_it_when_the_extractor_changes(tmp_path: Path) -> None:
    import sqlite3

    doc = load_document(PLANS / "plan-national-power-outage.md")
    meta = build_metadata(doc)
    chunks = chunk_document(doc, meta.doc_id, 500)
    catalogue = Catalogue(tmp_path / "catalogue.db")
    catalogue.replace_document(meta, "sha", [StoredChunk(c, f"h{i}", [], False) for i, c in enumerate(chunks)])
    catalogue.close()
    with sqlite3.connect(tmp_path / "catalogue.db") as db:  # as an extractor-3 catalogue was: no scope column
        db.execute("ALTER TABLE criteria DROP COLUMN scope")
        db.execute("UPDATE state SET value = '3' WHERE key = 'grading_extractor'")
    reopened = Catalogue(tmp_path / "catalogue.db")
    stored = reopened.grading([meta.doc_id])[meta.doc_id].criteria
    assert any(c.metric == "power_out_share" and c.scope == "其他设区的市" for c in stored)
    reopened.close()


def test_lives_endangered_is_a_measured_condition() -> None:
    grading = grading_of(PLANS / "plan-national-work-safety.md")
    (endangered_ii,) = _find(grading, Level.II, "endangered")
    assert (endangered_ii.low, endangered_ii.high) == (10, 30)
    assert "危及10人以上、30人以下生命安全" in endangered_ii.phrase


def test_a_gauge_against_its_named_levels_is_a_measured_condition() -> None:
    grading = grading_of(PLANS / "plan-henan-flood-2023.md")
    (warning_iv,) = _find(grading, Level.IV, "water_level")
    assert (warning_iv.scope, warning_iv.condition) == ("超过警戒", "该站为主要防洪河道的主要控制站")
    (many_iii,) = _find(grading, Level.III, "water_level")
    assert many_iii.condition == "主要防洪河道多个主要控制站均超过警戒水位"
    (guaranteed_ii,) = _find(grading, Level.II, "water_level")
    assert guaranteed_ii.scope == "接近保证" and "接近保证水位" in guaranteed_ii.phrase
