"""The "not covered" trade-off: precision and recall of refusals as the confidence threshold moves.

Each ask case records, in its refusal score's reason, the confidence the chat's coverage
decision compared with its threshold (or that a hard rule refused: a phone number, a name,
a forecast, another place's figure). Re-deciding every case at other thresholds shows what
a stricter or looser gate would cost: refusals of answerable questions against answers to
unanswerable ones. Run ``python -m assistant.evaluation.refusal out/eval/report.json``.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.chain.answers import Answer
from assistant.chain.coverage import MIN_CONFIDENCE
from assistant.evaluation.metrics import Score, refusal_correctness

SWEEP = tuple(round(0.30 + 0.05 * i, 2) for i in range(11))  # 0.30 … 0.80
_NOTE = re.compile(r"· confidence (-?\d+(?:\.\d+)?|rule) · (answerable|unanswerable)$")


def refusal_score(answer: Answer, answerable: bool) -> Score:
    """The refusal metric, its reason carrying the coverage confidence for the trade-off table."""
    score = refusal_correctness(answer.covered, len(answer.citations), answerable)
    if answer.confidence is None:
        return score
    note = "rule" if math.isinf(answer.confidence) else f"{answer.confidence:.3f}"
    kind = "answerable" if answerable else "unanswerable"
    return Score(score.name, score.value, f"{score.reason} · confidence {note} · {kind}", score.threshold)


@dataclass(frozen=True)
class Sample:
    answerable: bool
    confidence: float  # -inf when a hard rule refused


@dataclass(frozen=True)
class Row:
    threshold: float
    refused: int
    precision: float  # refusals that were right (the question was unanswerable)
    recall: float  # unanswerable questions that were refused
    wrongly_refused: int  # answerable questions refused

    @property
    def current(self) -> bool:
        return abs(self.threshold - MIN_CONFIDENCE) < 1e-9


def samples(cases: Sequence[dict[str, Any]]) -> list[Sample]:
    """Ask cases of a report (``report["cases"]``) whose refusal reason carries a confidence."""
    found = []
    for case in cases:
        refusal = next((s for s in case.get("scores", []) if s["name"] == "refusal"), None)
        match = _NOTE.search(refusal["reason"]) if refusal else None
        if match:
            value = float("-inf") if match.group(1) == "rule" else float(match.group(1))
            found.append(Sample(match.group(2) == "answerable", value))
    return found


def sweep(found: Sequence[Sample], thresholds: Sequence[float] = SWEEP) -> list[Row]:
    """What each threshold would have refused, with the precision and recall of those refusals."""
    rows = []
    unanswerable = sum(1 for s in found if not s.answerable)
    for threshold in sorted({*thresholds, MIN_CONFIDENCE}):
        refused = [s for s in found if s.confidence < threshold]
        right = sum(1 for s in refused if not s.answerable)
        rows.append(
            Row(
                threshold,
                len(refused),
                right / len(refused) if refused else 1.0,
                right / unanswerable if unanswerable else 1.0,
                len(refused) - right,
            )
        )
    return rows


def markdown_lines(report: dict[str, Any]) -> list[str]:
    """The trade-off table for report.md (empty when the run had no ask cases with a recorded confidence)."""
    found = samples([c for c in report.get("cases", []) if c.get("task") == "ask"])
    if not found:
        return []
    rows = sweep(found)
    lines = [
        "",
        '## 拒答阈值权衡 / the "not covered" trade-off (ask)',
        "",
        f"按置信度阈值重新判定每个问答用例（硬规则拒答不受阈值影响）；当前阈值 {MIN_CONFIDENCE}。"
        f" / Every ask case re-decided at each confidence threshold (hard-rule refusals stay); current {MIN_CONFIDENCE}.",
        "",
        "| 阈值 / threshold | 拒答数 / refused | 精确率 / precision | 召回率 / recall | 误拒 / answerable refused |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        mark = " ←" if row.current else ""
        lines.append(
            f"| {row.threshold:.2f}{mark} | {row.refused} | {row.precision:.3f} | {row.recall:.3f} | {row.wrongly_refused} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("用法 / usage: python -m assistant.evaluation.refusal out/eval/report.json", file=sys.stderr)
        return 2
    report = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    print("\n".join(markdown_lines(report)).strip() or "no ask cases with a recorded confidence")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
