"""A river gauge against its named levels, and the Henan plan's grading by them."""

from __future__ import annotations

import pytest

from assistant.chain.water_levels import level_state


@pytest.mark.parametrize(
    ("text", "value", "passed", "near", "stated"),
    [
        ("水位73.45米，超过保证水位73.20米（警戒水位72.00米）", 73.45, {"警戒", "保证"}, set(), {"警戒", "保证"}),
        ("警戒水位为25.5米，保证水位27.0米", 25.8, {"警戒"}, set(), {"警戒", "保证"}),
        ("水位6.5米，超过警戒水位0.8米", 6.5, {"警戒"}, set(), set()),  # 0.8 is an amount, not the level
        ("主要控制站水位接近保证水位", None, set(), {"保证"}, set()),
        ("水位尚未超过警戒水位", None, set(), set(), set()),
        ("The gauge is above the guaranteed level", None, {"警戒", "保证"}, set(), set()),
    ],
)
def test_named_levels_passed_near_and_stated(
    text: str, value: float | None, passed: set[str], near: set[str], stated: set[str]
) -> None:
    state = level_state(text, value, "m")
    assert (set(state.passed), set(state.near), set(state.stated)) == (passed, near, stated)
