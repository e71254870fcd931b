"""Retrieval metrics over the search goldens: recall@k, MRR and nDCG, per mode.

``assistant eval retrieval`` runs the same questions through dense-only, BM25-only and
fused retrieval so the default configuration can be shown to be the best of them.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.domain import Citation
from assistant.evaluation.goldens import Golden, Relevant

MODES = ("dense", "lexical", "hybrid")


class ModeSearcher(Protocol):
    def search(self, query: str, k: int | None = None, mode: str | None = None) -> list[Citation]: ...


def is_relevant(citation: Citation, relevant: Sequence[Relevant]) -> bool:
    """A hit counts when its title contains the expected title and its heading or text the section."""
    for item in relevant:
        if item.title in citation.title and (
            not item.section or item.section in f"{citation.heading}\n{citation.text}"
        ):
            return True
    return False


@dataclass(frozen=True)
class CaseResult:
    golden_id: str
    rank: int | None  # 1-based rank of the first relevant hit within k, None when missed
    latency_ms: float
    top: tuple[str, ...]


@dataclass(frozen=True)
class ModeReport:
    mode: str
    cases: tuple[CaseResult, ...]

    def recall_at(self, k: int) -> float:
        return sum(1 for c in self.cases if c.rank is not None and c.rank <= k) / max(1, len(self.cases))

    @property
    def mrr(self) -> float:
        return sum(1 / c.rank for c in self.cases if c.rank) / max(1, len(self.cases))

    @property
    def ndcg(self) -> float:
        """Binary-relevance nDCG with the first relevant hit (one ideal hit per question)."""
        return sum(1 / math.log2(c.rank + 1) for c in self.cases if c.rank) / max(1, len(self.cases))

    def latency_p(self, q: float) -> float:
        values = sorted(c.latency_ms for c in self.cases)
        if not values:
            return 0.0
        return values[min(len(values) - 1, int(q * len(values)))] if len(values) > 1 else values[0]

    @property
    def latency_p50(self) -> float:
        return statistics.median(c.latency_ms for c in self.cases) if self.cases else 0.0


def evaluate_mode(searcher: ModeSearcher, goldens: Sequence[Golden], mode: str, k: int = 10) -> ModeReport:
    results = []
    for golden in goldens:
        started = time.perf_counter()
        hits = searcher.search(golden.question, k, mode=mode)
        elapsed = (time.perf_counter() - started) * 1000
        rank = next((i for i, hit in enumerate(hits, start=1) if is_relevant(hit, golden.relevant)), None)
        results.append(CaseResult(golden.id, rank, elapsed, tuple(f"{h.title} · {h.heading}" for h in hits[:3])))
    return ModeReport(mode, tuple(results))


def format_table(reports: Sequence[ModeReport]) -> str:
    lines = ["| mode | recall@1 | recall@5 | MRR | nDCG | p50 ms | p95 ms |", "|---|---|---|---|---|---|---|"]
    for r in reports:
        lines.append(
            f"| {r.mode} | {r.recall_at(1):.3f} | {r.recall_at(5):.3f} | {r.mrr:.3f} | {r.ndcg:.3f} "
            f"| {r.latency_p50:.1f} | {r.latency_p(0.95):.1f} |"
        )
    return "\n".join(lines)
