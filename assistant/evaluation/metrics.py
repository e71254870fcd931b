"""Per-case text metrics: each returns a Score in [0, 1] with a reason a reviewer can act on.

Text checks normalise first (NFKC, case, spaces, full/half width) so "切断 气源" and
"切断气源" match. Forbidden advice counts only when not negated in its own clause
("严禁使用明火" is good advice). Draft-structure metrics live in plan_metrics.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.chain.sentences import split_sentences
from assistant.domain import Citation

NEGATIONS = (
    "严禁",
    "禁止",
    "不得",
    "不要",
    "切勿",
    "避免",
    "勿",
    "不准",
    "不可",
    "杜绝",
    "do not",
    "don't",
    "never",
    "must not",
    "avoid",
    "no ",
)
NOT_NEGATIONS = ("不得不", "不可不", "不要紧")  # "have to", "must", "it does not matter": not a prohibition
CLAUSE_END = re.compile(r"[。；;！!？?\n，,]|\.(?=\s|$)")

# Per-case pass marks (deepeval's "threshold"); aggregates are gated by evals/thresholds.yaml,
# whose `case:` section may override these.
CASE_THRESHOLDS = {
    "key_points": 0.5,
    "citations": 0.9,
    "grounded": 0.9,
    "mrr": 0.2,  # first relevant hit within the top 5
    "ndcg": 0.38,  # ditto
    "faithfulness": 0.7,
    "relevance": 0.7,
}


@dataclass(frozen=True)
class Score:
    """One metric on one case: the value in [0, 1], why, and whether it reaches its threshold."""

    name: str
    value: float
    reason: str
    threshold: float = -1.0  # -1: the metric's default from CASE_THRESHOLDS (else 1.0)
    success: bool = field(init=False)

    def __post_init__(self) -> None:
        if self.threshold < 0:
            object.__setattr__(self, "threshold", CASE_THRESHOLDS.get(self.name, 1.0))
        object.__setattr__(self, "success", self.value >= self.threshold - 1e-9)


def normalise(text: str) -> str:
    """NFKC (full width to half width, compatibility forms), lower case, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


Similarity = Callable[[Sequence[str], Sequence[str]], float]  # (phrases, sentences) -> best cosine


def key_point_coverage(
    text: str, groups: Sequence[Sequence[str]], similarity: Similarity | None = None, threshold: float = 1.0
) -> Score:
    """Share of key points (synonym groups) the text makes.

    A group missing word for word still counts when ``similarity`` finds a sentence at least
    ``threshold`` close to one of its synonyms (a paraphrase such as "关断阀门" for "切断气源");
    the threshold is calibrated on the goldens (calibration.py), never guessed.
    """
    if not groups:
        return Score("key_points", 1.0, "no key points expected")
    body = normalise(text)
    missed = [group for group in groups if not any(normalise(word) in body for word in group)]
    paraphrased = []
    if missed and similarity is not None:
        sentences = [s for s in split_sentences(text) if len(s) >= 4]
        paraphrased = [g for g in missed if sentences and similarity(list(g), sentences) >= threshold]
        missed = [g for g in missed if g not in paraphrased]
    value = 1 - len(missed) / len(groups)
    reason = "all key points covered" if not missed else "missed: " + "; ".join("/".join(g) for g in missed)
    if paraphrased:
        reason += " (by meaning: " + "; ".join("/".join(g) for g in paraphrased) + ")"
    return Score("key_points", value, reason)


def negated(text: str, start: int) -> bool:
    """Whether a negation word precedes position ``start`` within the same clause of ``text``."""
    clause_start = max((m.end() for m in CLAUSE_END.finditer(text, 0, start)), default=0)
    clause = text[clause_start:start].lower()
    for word in NOT_NEGATIONS:
        clause = clause.replace(word, "")
    return any(word in clause for word in NEGATIONS)


def forbidden_advice(text: str, phrases: Sequence[str]) -> Score:
    """1 when no forbidden phrase is advised; a phrase under a negation in its clause is fine."""
    found = []
    body = unicodedata.normalize("NFKC", text).lower()
    for phrase in phrases:
        wanted = unicodedata.normalize("NFKC", phrase).lower()
        for match in re.finditer(re.escape(wanted), body):
            if not negated(body, match.start()):
                found.append(phrase)
                break
    return Score("forbidden", 0.0 if found else 1.0, "advises: " + ", ".join(found) if found else "none advised")


def refusal_correctness(covered: bool, cited: int, answerable: bool) -> Score:
    """An unanswerable question must be declared not covered; an answerable one answered with citations."""
    if not answerable:
        ok = not covered
        reason = "declared not covered" if ok else "answered a question the library cannot answer"
    else:
        ok = covered and cited > 0
        reason = f"answered with {cited} citations" if ok else ("no citations" if covered else "wrongly refused")
    return Score("refusal", 1.0 if ok else 0.0, reason)


def must_cite(citations: Sequence[Citation], titles: Sequence[str]) -> Score:
    """Share of required documents (title substrings) among the cited titles."""
    if not titles:
        return Score("must_cite", 1.0, "nothing required")
    cited = normalise(" ".join(c.title for c in citations))
    missing = [t for t in titles if normalise(t) not in cited]
    return Score(
        "must_cite", 1 - len(missing) / len(titles), "missing: " + ", ".join(missing) if missing else "all cited"
    )


def equals(name: str, actual: object, expected: object) -> Score:
    ok = actual == expected
    return Score(name, 1.0 if ok else 0.0, f"{actual!r}" + ("" if ok else f" != expected {expected!r}"))
