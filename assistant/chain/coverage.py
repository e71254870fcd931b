"""Does the knowledge base answer a question? Decided from the answering clause, before anything is written.

An answer made of passages that merely share words with the question would be confidently
wrong: "本区应急管理局局长的手机号码" is not answered by a national hotline number, nor
"广州的积水断路标准" by Beijing's 27 cm. So the question is "not covered" when
- it wants what plans never state (a person's phone number or name, a forecast) and no
  clause about its subject states one;
- a place or incident it names is not the answering document's (national rules may
  stand in for a Chinese locality without its own plan, never another locality's plan);
- too few of the question's concepts appear in the answering clause (with its heading and
  title) and its passage: the confidence is below the threshold calibrated on the ask
  goldens (``assistant.evaluation.refusal`` reports the trade-off).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.chain.lead_choice import Candidate, LeadChoice, Unit
from assistant.chain.question import Ask

# Calibrated on the 144 ask goldens (2026-12-07): answerable questions' confidence ≥ 0.500,
# unanswerable ones (those no hard rule refuses) ≤ 0.429; 0.46 sits between. The eval report's
# trade-off table (assistant/evaluation/refusal.py) shows what other values would cost.
MIN_CONFIDENCE = 0.46
MIN_SUBJECT_OVERLAP = 0.5  # a phone number or name must sit in a clause about the asked subject
_MISSING_KINDS = (Ask.CONTACT, Ask.PERSON, Ask.FORECAST)


@dataclass(frozen=True)
class Coverage:
    covered: bool
    confidence: float  # share of the question's concepts in the answering clause; -inf when a hard rule refuses
    missing: tuple[str, ...]  # what was not found (question words, or the kind of value wanted)
    reason: str = ""


def confidence(choice: LeadChoice) -> float:
    """One number per question for the refusal threshold (and its precision/recall sweep)."""
    best = choice.best
    if best is None:
        return float("-inf")
    return 0.7 * best.overlap + 0.3 * best.passage_overlap


def decide(choices: list[LeadChoice], units: list[Unit], threshold: float = MIN_CONFIDENCE) -> Coverage:
    """Covered or not, with what is missing; hard rules first, then the calibrated threshold."""
    if not choices:
        return Coverage(False, float("-inf"), tuple(u.label for u in units), "no passages")
    for choice in choices:
        if choice.ask in _MISSING_KINDS:
            best = choice.best
            if best is None or not best.slot or best.overlap < MIN_SUBJECT_OVERLAP:
                return Coverage(False, float("-inf"), (choice.ask.value,), f"no clause states the {choice.ask.value}")
    main = choices[0]
    best = main.best
    if best is None or not (best.keys_ok or main.elsewhere is not None or main.above is not None):
        keys = tuple(u.label for u in units if u.key)
        return Coverage(False, float("-inf"), keys or tuple(u.label for u in units), "named place or incident absent")
    value = confidence(main)
    passage = _passage(best)
    missing = tuple(u.label for u in units if not u.found_in(passage, passage.lower()))
    if value < threshold:
        return Coverage(False, value, missing, "below the confidence threshold")
    return Coverage(True, value, missing)


def _passage(candidate: Candidate) -> str:
    citation = candidate.clause.citation
    return f"{citation.title} {citation.heading} {citation.text}"
