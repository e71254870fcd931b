"""A structural reading whose thresholds are written only in its description is graded by them, not refused."""

from __future__ import annotations

import json

from assistant.alerts.intake import parse_payload
from assistant.alerts.stated_thresholds import stated_thresholds
from assistant.alerts.thresholds import SENSOR_TYPES
from assistant.domain import Colour


def _reading(description: str, value: float = 3.8, unit: str = "cm") -> str:
    return json.dumps(
        {
            "point_id": "BR-1",
            "sensor_type": "位移",
            "value": value,
            "unit": unit,
            "time": "2026-11-05T17:50:00+08:00",
            "name": "示例高架桥5号墩支座位移",
            "description": description,
        },
        ensure_ascii=False,
    )


def test_colour_thresholds_in_the_description_grade_the_reading() -> None:
    (alert,) = parse_payload(_reading("超过红色报警值3.5厘米（黄色报警值1.5厘米），仍在增大"), "t").alerts
    assert alert.sensor is not None
    assert alert.sensor.thresholds == {"red": 35.0, "yellow": 15.0}  # canonical unit mm
    assert alert.colour is Colour.RED


def test_english_thresholds_and_the_reading_unit_when_none_is_written() -> None:
    spec = SENSOR_TYPES["displacement"]
    assert stated_thresholds("yellow threshold 15, red threshold of 35 mm", spec, "mm") == {
        Colour.YELLOW: 15.0,
        Colour.RED: 35.0,
    }


def test_a_number_without_its_colour_is_not_a_threshold() -> None:
    result = parse_payload(_reading("位移1小时内由2.2厘米增至3.8厘米"), "t")
    assert not result.alerts
    assert "no default thresholds" in result.errors[0].problem
