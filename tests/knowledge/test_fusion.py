"""Weighted reciprocal-rank fusion."""

from __future__ import annotations

import pytest

from assistant.knowledge.fusion import reciprocal_rank_fusion


def test_fusion_adds_weighted_reciprocal_ranks() -> None:
    fused = dict(reciprocal_rank_fusion([(["a", "b"], 1.0), (["b", "c"], 0.5)], k=10))
    assert fused["a"] == pytest.approx(1 / 11)
    assert fused["b"] == pytest.approx(1 / 12 + 0.5 / 11)
    assert fused["c"] == pytest.approx(0.5 / 12)


def test_fusion_orders_best_first_and_weights_decide() -> None:
    dense_led = reciprocal_rank_fusion([(["a", "b"], 1.0), (["b", "a"], 0.5)], k=10)
    lexical_led = reciprocal_rank_fusion([(["a", "b"], 0.5), (["b", "a"], 1.0)], k=10)
    assert [i for i, _ in dense_led] == ["a", "b"]
    assert [i for i, _ in lexical_led] == ["b", "a"]


def test_zero_weight_and_empty_lists_are_ignored() -> None:
    assert reciprocal_rank_fusion([(["a"], 0.0), (["b"], 1.0)], k=10) == [("b", pytest.approx(1 / 11))]
    assert reciprocal_rank_fusion([([], 1.0)], k=10) == []
