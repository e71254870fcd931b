"""The responsible unit a plan's duty sentence names: the drafter's unit column and the chat's "who" answers."""

from __future__ import annotations

import pytest

from assistant.chain.sentences import unit_in


@pytest.mark.parametrize(
    ("sentence", "unit"),
    [
        ("桥梁出现险情时，产权人（管理人）是第一责任主体，须立即组织处置并报告主管部门", "产权人（管理人）"),
        ("由市应急管理局会同有关部门组织调查", "市应急管理局"),
        ("一般事件由区级指挥机构负责", "区级指挥机构"),
        ("负责调查的国务院有关部门", "国务院有关部门"),
        ("燃气企业接到报警后立即派员到场并报告行业主管部门和属地政府", "燃气企业"),
        ("须立即组织处置并报告主管部门", "主管部门"),  # never the duty itself
        ("现场情况较为复杂", None),
        ("这些决定了隔离范围和需要通知的部门", None),  # a bare 部门 names no one
    ],
)
def test_the_unit_is_who_answers_for_the_duty(sentence: str, unit: str | None) -> None:
    assert unit_in(sentence) == unit
