"""Weighted reciprocal-rank fusion of ranked lists.

RRF uses ranks, not scores, because BM25 scores and cosine similarities live on
unrelated scales. A small ``k`` lets the top of each list dominate; the weights let
the (usually stronger) dense ranking lead while BM25 still rescues exact terms.
"""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank_fusion(rankings: Sequence[tuple[Sequence[str], float]], k: int) -> list[tuple[str, float]]:
    """Fuse ``(ranked ids, weight)`` lists into ids with fused scores, best first (ties keep first-seen order)."""
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        if weight <= 0:
            continue
        for rank, item in enumerate(ids, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])
