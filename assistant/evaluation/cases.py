"""A scored case (deepeval's test case after scoring) and the options a run scores with."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.evaluation.judge import Judge
from assistant.evaluation.metrics import Score, Similarity


@dataclass
class CaseResult:
    """A deepeval-style test case after scoring: which golden, its scores, how long the service took."""

    golden_id: str
    task: str
    lang: str
    hazard: str
    suite: str  # the aggregate it counts toward: the task, or "search_realdata" (absent on some machines)
    scores: list[Score] = field(default_factory=list)
    latency_s: float = 0.0
    error: str = ""
    scored_text: str = field(default="", repr=False)  # what key points were matched against (kept out of reports)

    def value(self, name: str) -> float | None:
        return next((s.value for s in self.scores if s.name == name), None)

    @property
    def passed(self) -> bool:
        return not self.error and all(s.success for s in self.scores)


@dataclass(frozen=True)
class RunOptions:
    """How cases are scored beyond the defaults: paraphrase matching, an LLM judge, per-case pass marks."""

    similarity: Similarity | None = None
    similarity_threshold: float = 1.0  # calibrated value: evals/thresholds.yaml similarity.key_points
    judge: Judge | None = None
    case_thresholds: dict[str, float] = field(default_factory=dict)
