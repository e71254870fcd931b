"""Calibration of the key-point similarity threshold: which pairs count as positives and negatives."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.evaluation.calibration import DraftSample, calibrate

GAS = DraftSample(
    "燃气",
    "立即切断气源，疏散周边群众。设置警戒区域。",
    (("切断气源", "关闭阀门"), ("疏散", "撤离"), ("警戒",)),
)
FLOOD = DraftSample("洪涝", "转移低洼地区群众。加强堤防巡查。", (("转移", "撤离"), ("巡堤查险", "巡查")))
SCRIPTED = {
    "关闭阀门": 0.88,
    "撤离": 0.87,
    "巡堤查险": 0.86,
    "转移": 0.80,
    "切断气源": 0.83,
    "疏散": 0.84,
    "警戒": 0.82,
}


def test_positives_are_missing_synonyms_negatives_other_hazards_points() -> None:
    asked: list[tuple[str, ...]] = []

    def similarity(phrases: Sequence[str], sentences: Sequence[str]) -> float:
        asked.append(tuple(phrases))
        assert sentences and all(len(s) >= 4 for s in sentences)
        return SCRIPTED[phrases[0]]

    result = calibrate([GAS, FLOOD], similarity)
    # gas: 关闭阀门 and 撤离 are synonyms it lacks; flood: 撤离 and 巡堤查险. 警戒 is fully present: no pair.
    assert sorted(result.positives) == [0.86, 0.87, 0.87, 0.88]
    # each draft against the other hazard's points it does not contain (警戒 only as flood's negative)
    assert sorted(result.negatives) == [0.80, 0.82, 0.83, 0.84, 0.86]
    assert asked.count(("警戒",)) == 1
    assert result.threshold == 0.865, "just above the highest negative"
    assert result.recall == 0.75
    assert "threshold=0.865" in result.describe() and "credits 75%" in result.describe()


def test_drafts_of_one_hazard_give_no_negatives() -> None:
    other_gas = DraftSample("燃气", "关闭阀门后通风。", (("通风",),))
    result = calibrate([GAS, other_gas], lambda phrases, sentences: 0.5)
    assert result.negatives == ()
