"""Does a retrieved plan sentence apply to this alert, here and now? A citation is not a reason.

Plans and laws mix what the duty officer must do in the next hours with penalties, standing
duties of legislators, regulators and planners (who supervises what, yearly tasks, approvals),
definitions, grading rules, other seasons' measures and duties of governments far above the
incident. The offline drafter keeps a sentence only when none of these rules it out.
"""

from __future__ import annotations

import re

from assistant.domain import Level

_PENALTY = re.compile(
    r"罚款|处罚|责令|吊销|拘留|追究[^，。；]{0,8}责任|依法追究|处分|刑事责任|没收|违法所得|法律责任|penalt|fine[sd]? "
)
_STANDING_DUTY = re.compile(
    r"应当建立|建立健全|建立[^，。；]{0,10}制度|制定[^，。；]{0,12}(?:规划|办法|规定|标准|预案)|编制[^，。；]{0,8}(?:规划|预案)"
    r"|纳入[^，。；]{0,10}规划|储备制度|财政|经费|资金保障|宣传教育|培训|演练|科普|立法|考核|奖励|许可|审批|备案|资质"
    # who supervises what, whose responsibility it is, who has a right: the law's standing order, not a task now
    # ("负有安全生产监督管理职责的部门立即赶赴现场" names a department and stays)
    r"|监督管理(?!部门|局|机构|职责)|监督检查|指导监督|负责(?:本行政区域|全国)|主体责任|有权|违法行为|供求"
    r"|应建立|建立[^，。；]{0,12}体系|每年|日常|汛前"  # routine and yearly work, systems to build
    r"|应当[^。；]{0,30}报[^。；]{0,20}批准"  # a procedure the law requires ("修缮…前，应当按…报…批准")
)
# "…负责日常观测，发现异常立即报告并组织撤离": what to do the moment something is found is an action
_IMMEDIATE_TRIGGER = re.compile(r"发现[^。；]{0,12}立即")
# "责任报告单位包括…", "本预案所称…是指…": a definition, not a task
_DEFINITION = re.compile(
    r"^[^，。；]{2,12}(?:包括|是指|系指)|所称[^，。；]{0,16}是指|^[^，。；]+是[^，。；]*(?:责任人|报告人|责任主体|责任单位)$"
)
# grading text belongs to the level proposal (criteria, response levels, how the plan grades), never to an action
_GRADING = re.compile(
    r"[ⅠⅡⅢⅣ]级|[一二三四]级(?:应急)?响应|[一二三四]级至[一二三四]级|启动条件|启动情形|时启动|等级表|分级标准"
    r"|特别重大|较大事故|一般事故"
)
_SEASONS: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = (
    (re.compile(r"冬季|供暖期|采暖期|冬春|寒冷季节|winter"), frozenset({11, 12, 1, 2, 3})),
    (re.compile(r"夏季|高温季节|summer"), frozenset({6, 7, 8, 9})),
    (re.compile(r"汛期|汛前|主汛期|雨季|flood season"), frozenset({5, 6, 7, 8, 9})),
)
_NATIONAL = re.compile(
    r"国务院|党中央|国家防总|国家[\u4e00-\u9fff]{0,8}(?:指挥部|局|部|委员会|中心|总队)|中央|应急管理部|国家安全生产"
)
_PROVINCIAL = re.compile(r"省级人民政府|省人民政府|省政府|省委|省防指|省级[^，。；]{0,6}(?:部门|指挥)|事发地省级")


def why_not_applicable(sentence: str, month: int | None, level: Level | None) -> str | None:
    """The reason a duty sentence does not belong in this draft, or None when it may."""
    if _GRADING.search(sentence):
        return "grading"
    if _PENALTY.search(sentence):
        return "penalty"
    if _STANDING_DUTY.search(sentence) and not _IMMEDIATE_TRIGGER.search(sentence):
        return "standing duty"
    if _DEFINITION.search(sentence):
        return "definition"
    if month is not None:
        for pattern, months in _SEASONS:
            if pattern.search(sentence) and month not in months:
                return "other season"
    if _NATIONAL.search(sentence) and level is not Level.I:
        return "national duty"
    if _PROVINCIAL.search(sentence) and level not in (Level.I, Level.II):
        return "provincial duty"
    return None
