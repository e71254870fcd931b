"""Clause sentences that state standing duties, definitions, grading or penalties are not actions for an alert."""

from __future__ import annotations

import pytest

from assistant.chain.relevance import why_not_applicable
from assistant.domain import Level


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        # standing supervisory duties, rights, yearly tasks, approvals the law requires (seen in real drafts)
        ("县级以上地方政府城镇排水主管部门负责本行政区域的城镇排水与污水处理监督管理", "standing duty"),
        ("燃气管理部门和有关部门对燃气经营、使用的安全状况进行监督检查，发现隐患通知经营者和用户消除", "standing duty"),
        ("燃气管理部门会同有关部门对燃气供求状况进行监测、预测和预警", "standing duty"),
        ("县级以上地方文物行政部门应当加强对不可移动文物保护的监督检查，及时发现问题隐患", "standing duty"),
        ("管理使用单位修缮文物保护单位前，应当按文物保护单位的级别报相应的文物行政部门批准", "standing duty"),
        ("企业事业单位落实环境安全主体责任，定期排查隐患", "standing duty"),
        ("任何单位和个人有权报告事故隐患和违法行为", "standing duty"),
        ("县级防指每年汛前排查受暴雨洪涝台风威胁的人群，对需转移对象建档立卡、建立清单和转移台账", "standing duty"),
        ("城镇排水设施维护运营单位负责设施的日常运行维护", "standing duty"),
        ("燃气经营者应建立燃气安全评估和风险管理体系，发现隐患及时消除", "standing duty"),
        ("居委会、村委会发现辖区单位存在隐患或违法行为，应向当地政府或有关部门报告", "standing duty"),
        ("按“县级自查、市级核查、省级抽查”开展汛前检查", "standing duty"),
        ("责任报告单位包括县级以上卫生行政部门指定的监测机构、各级各类医疗卫生机构", "definition"),
        ("执行职务的医疗卫生人员和个体开业医生是责任报告人", "definition"),
        ("经调查确定为责任事故的，查明原因、明确责任并依法追究", "penalty"),
        # how a plan grades belongs to the level proposal
        (
            "预案不单列“灾害等级表”，而是按洪涝、干旱、台风等灾害的严重程度和影响范围，直接规定一级至四级应急响应的启动情形，一级最高",
            "grading",
        ),
        ("用户擅自操作公用阀门的，由燃气管理部门责令限期改正", "penalty"),
    ],
)
def test_standing_duties_definitions_grading_and_penalties_are_not_actions(sentence: str, reason: str) -> None:
    assert why_not_applicable(sentence, 7, None) == reason


@pytest.mark.parametrize(
    "sentence",
    [
        "负有安全生产监督管理职责的部门接到报告后立即赶赴现场，组织抢救",
        "燃气经营者应立即启动本单位预案，组织抢险、抢修",
        "撤离前须经现场指挥批准，清点人数后报告",
        "对被困群众及时组织救援",
        "事发地政府组织制订补助、补偿、抚慰、抚恤、安置和环境恢复等善后方案并实施",
        "涉事企业事业单位是环境安全的第一责任人，须立即采取措施控制污染",
        "群测群防员负责隐患点日常观测（裂缝、渗水、异响、地面变形等前兆），发现异常立即报告并组织附近群众撤离",
        "属于燃气生产安全事故的，依照有关生产安全事故报告和调查处理的法律、行政法规报告和调查处理"
        "（如《生产安全事故报告和调查处理条例》）",
    ],
)
def test_actions_for_the_alert_stay(sentence: str) -> None:
    assert why_not_applicable(sentence, 7, Level.III) is None
