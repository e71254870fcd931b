"""Which of a river's named levels (警戒水位, 保证水位) an alert says its gauge has passed or is near.

Provincial flood plans grade by them: Henan's 四级 starts when "主要防洪河道主要控制站水位超过警戒水位",
its 二级 when that station's level "接近保证水位". A reading over the guaranteed level is past the warning
level and certainly near the guaranteed one. The alert says so in words ("超过保证水位") or in numbers
(a reading of 73.45 m against "保证水位73.20米"); nothing else counts, and a level it does not name stays
unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.chain.numbers import NUMBER, parse_number

ORDER = ("警戒", "保证")  # lowest first: passing the guaranteed level passes the warning level too
_NOT = r"(?<![未没不])(?<!尚未)(?<!没有)"
_PASSED = {
    "警戒": re.compile(
        rf"{_NOT}(?:超过|超出|高于|突破|达到)了?警戒水位|{_NOT}超警戒|above (?:the )?warning (?:level|stage)", re.I
    ),
    "保证": re.compile(
        rf"{_NOT}(?:超过|超出|高于|突破|达到)了?保证水位|{_NOT}超保证|above (?:the )?guarantee(?:d)? (?:water )?level",
        re.I,
    ),
}
_NEAR = {
    "保证": re.compile(
        r"(?:接近|逼近|临近)保证水位|(?:approaching|near) (?:the )?guarantee(?:d)? (?:water )?level", re.I
    )
}
_NAMED = re.compile(rf"(警戒|保证)水位\s*(?:为|是|:|：)?\s*({NUMBER})\s*(?:米|m\b)")
_STATION = re.compile(r"控制站|控制断面|control (?:station|gauge)", re.I)
_RIVER_LEVEL = re.compile(r"水位|water level|river level|gauge", re.I)


@dataclass(frozen=True)
class LevelState:
    about_river: bool  # the alert speaks of a river's level at all
    passed: frozenset[str]  # named levels the gauge is at or above
    near: frozenset[str]  # named levels it is said to approach
    stated: frozenset[str]  # named levels whose value the alert gives (so not passing them is known)
    main_station: bool  # the gauge is said to be a (main) control station


def level_state(text: str, value: float | None, unit: str) -> LevelState:
    """What ``text`` (and the reading ``value`` in ``unit``) say about the named levels."""
    passed = {name for name, pattern in _PASSED.items() if pattern.search(text)}
    stated: set[str] = set()
    for m in _NAMED.finditer(text):
        level = parse_number(m.group(2))
        if level is None:
            continue
        prefix = text[max(0, m.start() - 2) : m.start()]
        if re.search(r"超过|超出|高于|多出$", prefix) and value is not None and level < value * 0.5:
            continue  # "超过警戒水位0.8米": an amount above it, not its value
        stated.add(m.group(1))
        if value is not None and unit in ("m", "米") and value >= level:
            passed.add(m.group(1))
    for i, name in enumerate(ORDER):  # past the guaranteed level is past the warning level
        if name in passed:
            passed.update(ORDER[:i])
    near = {name for name, pattern in _NEAR.items() if pattern.search(text)}
    return LevelState(
        about_river=bool(_RIVER_LEVEL.search(text)) or (value is not None and unit in ("m", "米")),
        passed=frozenset(passed),
        near=frozenset(near),
        stated=frozenset(stated),
        main_station=bool(_STATION.search(text)),
    )
