"""Can the evaluation tell a gas plan from a flood plan? Each draft against other hazards' key points.

A key point that every draft meets ("疏散", "报告") cannot steer anything. For every draft golden
we score its decided actions against the key points of the goldens of *other* hazards in the same
language; a draft "discriminates" a pair when it misses that golden's per-case mark. The share of
pairs discriminated is ``draft.discrimination`` (gated: a suite that cannot fail steers nothing).
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.evaluation.cases import CaseResult
from assistant.evaluation.goldens import Golden
from assistant.evaluation.metrics import CASE_THRESHOLDS, Score, key_point_coverage


def _points(golden: Golden) -> list[list[str]]:
    return [*golden.expect.get("key_points", []), *golden.expect.get("action_points", [])]


def add_discrimination(results: Sequence[CaseResult], goldens: Sequence[Golden]) -> None:
    """Append a ``discrimination`` score to every draft result that has other-hazard goldens to compare with."""
    by_id = {g.id: g for g in goldens}
    drafts = [g for g in goldens if g.task == "draft" and _points(g) and g.expect.get("hazards")]
    mark = CASE_THRESHOLDS["key_points"]
    for result in results:
        golden = by_id.get(result.golden_id)
        if golden is None or golden.task != "draft" or result.error or not result.scored_text:
            continue
        own = set(golden.expect.get("hazards") or ())
        others = [g for g in drafts if g.lang == golden.lang and own and not own & set(g.expect["hazards"])]
        if not others:
            continue
        passed = [g for g in others if key_point_coverage(result.scored_text, _points(g)).value >= mark]
        value = 1 - len(passed) / len(others)
        reason = (
            "tells itself from every other hazard"
            if not passed
            else "also passes: " + ", ".join(g.id for g in passed[:5])
        )
        result.scores.append(Score("discrimination", value, reason, threshold=1.0))
