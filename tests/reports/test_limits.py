"""A reporting clause's own words decide its deadline; a phrase without one is refused."""

from __future__ import annotations

import pytest

from assistant.errors import AssistantError
from assistant.reports.limits import Limit, LimitMode, read_limit


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("单位负责人接报后须在1小时内，向事故发生地县级以上人民政府安全生产监督管理部门", Limit(LimitMode.WITHIN, 60)),
        ("发生突发重大险情灾情时，在险情灾情发生后半小时内报告省防指", Limit(LimitMode.WITHIN, 30)),
        ("接到中型、小型地质灾害报告后，应在12小时内速报县级政府", Limit(LimitMode.WITHIN, 720)),
        ("县级民政部门在2小时内向本级政府报告", Limit(LimitMode.WITHIN, 120)),
        ("启动三级及以上响应：落实“零报告”与“一小时一报”", Limit(LimitMode.EVERY, 60)),
        ("强降雨开始或启动四级响应：落实“零报告”与“两小时一报”", Limit(LimitMode.EVERY, 120)),
        ("气象部门雨情“半小时一报”", Limit(LimitMode.EVERY, 30)),
        ("应在30分钟内电话报告", Limit(LimitMode.WITHIN, 30)),
        ("重要信息立即上报", Limit(LimitMode.AT_ONCE)),
    ],
)
def test_the_limit_is_read_from_the_phrase(phrase: str, expected: Limit) -> None:
    assert read_limit(phrase) == expected


def test_a_phrase_without_a_limit_is_refused_not_guessed() -> None:
    with pytest.raises(AssistantError, match="未写明时限"):
        read_limit("按规定时限、程序向上级主管部门和同级政府报告")


def test_limits_are_described_in_both_languages() -> None:
    assert Limit(LimitMode.WITHIN, 60).describe("zh") == "1小时内"
    assert Limit(LimitMode.EVERY, 120).describe("zh") == "每2小时一报"
    assert Limit(LimitMode.WITHIN, 30).describe("en") == "within 30 minutes"
    assert "未规定分钟数" in Limit(LimitMode.AT_ONCE).describe("zh")
    assert "no number of minutes" in Limit(LimitMode.AT_ONCE).describe("en")
