"""The small condition language of action cards: "value >= threshold2", "site:school <= 300", "night".

Cards are data a domain expert reviews, so their conditions are plain comparisons over the
facts vocabulary, evaluated here without ``eval``. An unknown fact never satisfies a
condition (except ``unknown(x)``): a card that needs "a school within 300 m" is not used
when the alert names no school.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.alerts.routing import space_of
from assistant.chain.facts import AlertFacts
from assistant.domain import Level

LEVEL_RANK = {Level.IV: 1, Level.III: 2, Level.II: 3, Level.I: 4}
_ROMAN = {"IV": Level.IV, "III": Level.III, "II": Level.II, "I": Level.I}
_COMPARISON = re.compile(r"^\s*(?P<left>[a-z_:0-9]+)\s*(?P<op>>=|<=|==|!=|>|<|\bin\b)\s*(?P<right>.+?)\s*$")
_CALL = re.compile(r"^\s*(?P<fn>known|unknown|not)\s*\(\s*(?P<arg>[a-z_:0-9]+)\s*\)\s*$")
_FLAG = re.compile(r"^\s*(?P<flag>[a-z_]+)\s*$")
_OR = re.compile(r"\s+or\s+")


@dataclass(frozen=True)
class Context:
    """The facts a condition may read, plus the proposed response level and the month."""

    facts: AlertFacts
    level: Level | None
    month: int | None
    assume: frozenset[str] = frozenset()  # flags the officer asserts true ("night" when asked for night-time cards)


def _threshold(facts: AlertFacts, n: int) -> float | None:
    return facts.thresholds[n - 1] if len(facts.thresholds) >= n else None


def _nearest(facts: AlertFacts, kind: str) -> float | None:
    distances = [s.distance_m for s in facts.sites if s.kind == kind and s.distance_m is not None]
    if distances:
        return min(distances)
    return None


FACTS: dict[str, Callable[[Context], object]] = {
    "value": lambda c: c.facts.value,
    "threshold1": lambda c: _threshold(c.facts, 1),
    "threshold2": lambda c: _threshold(c.facts, 2),
    "threshold3": lambda c: _threshold(c.facts, 3),
    "households": lambda c: c.facts.households,
    "people": lambda c: c.facts.people,
    "floors": lambda c: c.facts.floors,
    "deaths": lambda c: c.facts.deaths,
    "injured": lambda c: c.facts.injured,
    "trapped": lambda c: c.facts.trapped,
    "missing": lambda c: c.facts.missing,
    "casualties": lambda c: c.facts.casualties,
    "colour": lambda c: c.facts.colour.value if c.facts.colour else None,
    "trend": lambda c: c.facts.trend,
    "kind": lambda c: c.facts.kind,
    "unit": lambda c: c.facts.unit or None,
    "level": lambda c: c.level,
    "month": lambda c: c.month,
    "hour": lambda c: c.facts.local_hour,
    "rate": lambda c: c.facts.rate_per_min,
    "event": lambda c: f"{c.facts.event} {c.facts.headline}",
    "text": lambda c: f"{c.facts.event} {c.facts.headline} {c.facts.description}",  # "液化石油气钢瓶" in the report
    "hazard": lambda c: c.facts.hazard,
    "similar": lambda c: len(c.facts.similar_assets) or None,
    "sites": lambda c: len(c.facts.sites) or None,
    # the kind of place (sewer, garage, cold_store, chemical_plant, heritage; "other" when none is named), so a
    # car-park CO alarm gets car-park cards and never the septic-tank ones
    "space": lambda c: space_of((c.facts.place, c.facts.headline, c.facts.event, c.facts.description)) or "other",
}
FLAGS: dict[str, Callable[[Context], bool | None]] = {
    "night": lambda c: c.facts.night,
    "day": lambda c: None if c.facts.night is None else not c.facts.night,
    "fast": lambda c: c.facts.fast,
    "warning": lambda c: c.facts.kind == "warning",
    "sensor": lambda c: c.facts.kind == "sensor",
    "above_threshold": lambda c: bool(c.facts.crossed_thresholds) or (c.facts.exceedance or 0) >= 1,
    # the alert reports the event itself (a caller, a patrol, the operator), not a reading or a forecast signal:
    # for a gas leak the report is the trigger that a sensor's threshold is for a reading
    "reported": lambda c: c.facts.kind == "report",
}
SITE_PREFIX = "site:"


class ConditionError(ValueError):
    """A card condition that does not parse or names a fact outside the vocabulary."""


def _value(name: str, ctx: Context) -> object:
    if name.startswith(SITE_PREFIX):
        return _nearest(ctx.facts, name[len(SITE_PREFIX) :])
    if name in FACTS:
        return FACTS[name](ctx)
    raise ConditionError(f"未知事实 / unknown fact {name!r}")


def _literal(text: str, ctx: Context) -> object:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return [_literal(part, ctx) for part in text[1:-1].split(",") if part.strip()]
    if text in _ROMAN:
        return _ROMAN[text]
    try:
        return float(text)
    except ValueError:
        pass
    if text in FACTS or text.startswith(SITE_PREFIX):
        return _value(text, ctx)
    return text.strip("'\"")


def _compare(left: object, op: str, right: object) -> bool:
    if left is None or right is None:
        return False
    if op == "in":  # "event in ship" holds for "Ship collision": words are matched regardless of case
        return left in right if isinstance(right, list) else str(right).lower() in str(left).lower()
    if isinstance(left, Level) and isinstance(right, Level):
        left, right = LEVEL_RANK[left], LEVEL_RANK[right]
    if op in ("==", "!="):
        equal = str(left) == str(right) if not isinstance(left, float) else left == right
        return equal if op == "==" else not equal
    try:
        a, b = float(left), float(right)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return {">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b}[op]


def _alternatives(condition: str) -> list[str]:
    """ "above_threshold or reported": either part is enough (a card's ``when`` list is all-of)."""
    return [part for part in _OR.split(condition) if part.strip()]


def holds(condition: str, ctx: Context) -> bool:
    """Whether one condition holds for these facts; unknown facts make it false."""
    if len(parts := _alternatives(condition)) > 1:
        return any(holds(part, ctx) for part in parts)
    if m := _CALL.match(condition):
        value = _value(m.group("arg"), ctx) if m.group("arg") not in FLAGS else FLAGS[m.group("arg")](ctx)
        if m.group("fn") == "known":
            return value is not None
        if m.group("fn") == "unknown":
            return value is None
        return value is False
    if m := _FLAG.match(condition):
        if m.group("flag") not in FLAGS:
            raise ConditionError(f"未知条件 / unknown flag {condition!r}")
        return m.group("flag") in ctx.assume or bool(FLAGS[m.group("flag")](ctx))
    if m := _COMPARISON.match(condition):
        return _compare(_value(m.group("left"), ctx), m.group("op"), _literal(m.group("right"), ctx))
    raise ConditionError(f"无法解析的条件 / cannot parse condition {condition!r}")


def all_hold(conditions: tuple[str, ...], ctx: Context) -> bool:
    return all(holds(c, ctx) for c in conditions)


def check_syntax(condition: str) -> str | None:
    """A reason the condition is malformed, or None (used by the card validator)."""
    if len(parts := _alternatives(condition)) > 1:
        return next((reason for part in parts if (reason := check_syntax(part))), None)
    if m := _CALL.match(condition):
        name = m.group("arg")
        return None if name in FACTS or name in FLAGS or name.startswith(SITE_PREFIX) else f"unknown fact {name!r}"
    if m := _FLAG.match(condition):
        return None if m.group("flag") in FLAGS else f"unknown flag {condition!r}"
    if m := _COMPARISON.match(condition):
        left = m.group("left")
        return None if left in FACTS or left.startswith(SITE_PREFIX) else f"unknown fact {left!r}"
    return f"cannot parse {condition!r}"
