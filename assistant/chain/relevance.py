"""Does a retrieved plan sentence apply to this alert, here and now? A citation is not a reason.

Plans and laws mix what the duty officer must do in the next hours with penalties, standing
duties of legislators and planners, other seasons' measures and duties of governments far
above the incident. The offline drafter keeps a sentence only when none of these rules it out.
"""

from __future__ import annotations

import re

from assistant.domain import Level

_PENALTY = re.compile(
    r"罚款|处罚|责令|吊销|拘留|追究[^，。；]{0,8}责任|处分|刑事责任|没收|违法所得|法律责任|penalt|fine[sd]? "
)
_STANDING_DUTY = re.compile(
    r"应当建立|建立健全|建立[^，。；]{0,10}制度|制定[^，。；]{0,12}(?:规划|办法|规定|标准|预案)|编制[^，。；]{0,8}(?:规划|预案)"
    r"|纳入[^，。；]{0,10}规划|储备制度|财政|经费|资金保障|宣传教育|培训|演练|科普|立法|考核|奖励|许可|审批|备案|资质"
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
    if _PENALTY.search(sentence):
        return "penalty"
    if _STANDING_DUTY.search(sentence):
        return "standing duty"
    if month is not None:
        for pattern, months in _SEASONS:
            if pattern.search(sentence) and month not in months:
                return "other season"
    if _NATIONAL.search(sentence) and level is not Level.I:
        return "national duty"
    if _PROVINCIAL.search(sentence) and level not in (Level.I, Level.II):
        return "provincial duty"
    return None
