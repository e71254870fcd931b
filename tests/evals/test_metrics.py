"""Text metrics on small inputs: normalisation, synonyms, paraphrase threshold, negation, refusal."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.chain.advice import negated
from assistant.evaluation.metrics import (
    Score,
    equals,
    forbidden_advice,
    key_point_coverage,
    must_cite,
    normalise,
    refusal_correctness,
)
from tests.factories import make_citation


def test_normalise_folds_width_case_and_spaces() -> None:
    assert normalise("ＬＥＬ　２５ ％ ，Ｈ２Ｓ") == normalise("lel25%,h2s") == "lel25%,h2s"


def test_key_points_use_synonyms_and_normalisation() -> None:
    score = key_point_coverage("立即 关闭 阀门，疏散群众。", [["切断气源", "关闭阀门"], ["疏散", "撤离"], ["警戒"]])
    assert round(score.value, 2) == 0.67 and "警戒" in score.reason
    assert not score.success and score.threshold == 0.75  # three in four of what a plan must contain
    assert (
        key_point_coverage("EVACUATE the ＢＡＳＥＭＥＮＴ.", [["evacuate basement", "evacuate the basement"]]).value
        == 1
    )
    assert key_point_coverage("任何文字", []).value == 1.0


def test_a_paraphrase_counts_only_at_or_above_the_calibrated_threshold() -> None:
    asked: list[tuple[Sequence[str], Sequence[str]]] = []

    def similarity(phrases: Sequence[str], sentences: Sequence[str]) -> float:
        asked.append((phrases, sentences))
        return 0.91 if "警戒" in phrases else 0.5

    text = "迅速拉起隔离带，禁止无关人员进入。组织群众撤离。"
    groups = [["设置警戒区", "警戒"], ["疏散", "撤离"], ["切断气源"]]
    score = key_point_coverage(text, groups, similarity, threshold=0.9)
    assert round(score.value, 2) == 0.67
    assert "by meaning: 设置警戒区/警戒" in score.reason and "missed: 切断气源" in score.reason
    assert all("撤离" not in phrases for phrases, _ in asked), "a word-for-word match never asks the model"
    assert key_point_coverage(text, groups, similarity, threshold=0.95).value == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    "text",
    [
        "现场严禁使用明火，禁止开关电器。",
        "不得使用明火。",
        "切勿使用明火照明",
        "避免使用明火",
        "严禁吸烟、使用明火",  # a list under one negation
        "Do not use open flames.",
        "Never use open flames near the leak.",
        "Crews must not use open flames.",
        "ＤＯ ＮＯＴ use open flames",  # full width
    ],
)
def test_negated_advice_is_not_forbidden(text: str) -> None:
    assert forbidden_advice(text, ["使用明火", "use open flames"]).value == 1.0


@pytest.mark.parametrize(
    "text",
    [
        "可使用明火照明查找漏点。",
        "严禁靠近，使用明火照明查找漏点。",  # the negation belongs to the previous clause
        "Do not panic. Use open flames to find the leak.",  # a new English sentence
        "人手不足时不得不使用明火照明。",  # "have to" is not a prohibition
        "Use open flames to find the leak.",
    ],
)
def test_advice_outside_a_negation_is_forbidden(text: str) -> None:
    score = forbidden_advice(text, ["使用明火", "use open flames"])
    assert score.value == 0.0 and not score.success and "advises" in score.reason


def test_negation_is_looked_for_in_the_clause_before_the_phrase() -> None:
    text = "使用明火是禁止的"
    assert not negated(text, 0)
    assert negated("严禁在现场使用明火", 5)


def test_refusal_correctness_in_both_directions() -> None:
    assert refusal_correctness(covered=False, cited=0, answerable=False).value == 1.0
    wrong = refusal_correctness(covered=True, cited=2, answerable=False)
    assert wrong.value == 0.0 and "cannot answer" in wrong.reason
    assert refusal_correctness(covered=True, cited=2, answerable=True).value == 1.0
    assert refusal_correctness(covered=False, cited=3, answerable=True).reason == "wrongly refused"
    assert refusal_correctness(covered=True, cited=0, answerable=True).reason == "no citations"


def test_must_cite_matches_title_substrings() -> None:
    cited = [make_citation(1), make_citation(2, "十堰“6·13”燃气爆炸事故调查报告（要点）")]
    assert must_cite(cited, ["城镇燃气", "十堰"]).value == 1.0
    half = must_cite(cited, ["城镇燃气", "有限空间"])
    assert half.value == 0.5 and half.reason == "missing: 有限空间" and not half.success


def test_scores_carry_a_threshold_and_success() -> None:
    assert equals("level", "III", "III").success
    assert equals("level", "II", "III").reason == "'II' != expected 'III'"
    assert Score("key_points", 0.75, "").success and not Score("key_points", 0.74, "").success
    assert not Score("key_points", 0.8, "", threshold=0.9).success
