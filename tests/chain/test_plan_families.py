"""Which plans grade which hazards: a command grades its own family, accidents are graded by the work-safety
grading, and a natural hazard's reported secondary hazard by that hazard's own plan."""

from __future__ import annotations

import pytest

from assistant.domain import ACCIDENT_HAZARDS, graded_together, secondary_graded


@pytest.mark.parametrize(
    ("plan", "event", "graded"),
    [
        ("洪涝", "暴雨内涝", True),  # the flood-control headquarters grade rain, floods, typhoons and drought
        ("暴雨内涝", "台风", True),
        ("干旱", "洪涝", True),
        ("地质灾害", "暴雨内涝", False),  # the geological plan lists rain as a cause; it does not grade rain
        ("森林火灾", "高温", False),
        ("生产安全", "桥梁隧道", True),  # the work-safety grading covers every accident hazard
        ("生产安全", "交通运输", True),
        ("生产安全", "燃气", True),
        ("生产安全", "暴雨内涝", False),  # a natural disaster is not a work-safety accident
        ("公共卫生", "危化品", False),
    ],
)
def test_a_plan_grades_its_own_family_of_hazards(plan: str, event: str, graded: bool) -> None:
    assert graded_together(plan, event) is graded


def test_every_accident_hazard_is_in_the_work_safety_family() -> None:
    for hazard in ("燃气", "危化品", "有限空间", "建筑火灾", "桥梁隧道", "交通运输", "生产安全"):
        assert hazard in ACCIDENT_HAZARDS


def test_a_reported_landslide_brings_in_the_geological_plan_for_natural_hazards_only() -> None:
    assert secondary_graded("暴雨内涝", ["暴雨内涝", "地质灾害"]) == {"地质灾害"}
    assert secondary_graded("台风", ["地质灾害"]) == {"地质灾害"}
    assert secondary_graded("暴雨内涝", ["暴雨内涝", "桥梁隧道"]) == frozenset()  # a flooded underpass is rain
    assert secondary_graded("燃气", ["地质灾害"]) == frozenset()
    assert secondary_graded(None, ["地质灾害"]) == frozenset()
