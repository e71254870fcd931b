"""Alarm thresholds a reading states only in its description ("超过红色报警值3.5厘米（黄色报警值1.5厘米）").

Structural sensors (displacement, tilt, crack) have no default thresholds: each asset has its own. A
platform that writes them in the description instead of the ``thresholds`` object still tells the
officer which alarm the reading crossed, so the reading is graded by them rather than refused. Only
a colour named next to its number counts; a number without its colour is never guessed into one.
"""

from __future__ import annotations

import re

from assistant.alerts.thresholds import SensorType, unit_factor
from assistant.domain import Colour

_COLOURS = {
    "红": Colour.RED,
    "橙": Colour.ORANGE,
    "黄": Colour.YELLOW,
    "蓝": Colour.BLUE,
    "red": Colour.RED,
    "orange": Colour.ORANGE,
    "yellow": Colour.YELLOW,
    "blue": Colour.BLUE,
}
_UNITS = {"毫米": "mm", "厘米": "cm", "米": "m", "度": "°", "ppm": "ppm"}
_ZH = re.compile(
    r"(?P<colour>[红橙黄蓝])色?(?:报警|预警|告警|警戒|阈)?(?:阈值|限值|值|线)\s*(?:为|是|:|：)?\s*"
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>毫米|厘米|mm|cm|°|度|‰|%|ppm)?"
)
_EN = re.compile(
    r"\b(?P<colour>red|orange|yellow|blue)\s+(?:alarm\s+|alert\s+|warning\s+)?(?:threshold|limit|level)\s*"
    r"(?:of|is|at|:)?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>mm|cm|°|‰|%|ppm)?",
    re.IGNORECASE,
)


def stated_thresholds(text: str, spec: SensorType, reading_unit: str) -> dict[Colour, float]:
    """Colour → threshold in ``spec``'s canonical unit, for every colour the text gives a number; a number
    without a unit is in ``reading_unit``. Empty when the text names none (or a unit ``spec`` does not take)."""
    found: dict[Colour, float] = {}
    for pattern in (_ZH, _EN):
        for m in pattern.finditer(text or ""):
            colour = _COLOURS[m.group("colour").lower()]
            unit = _UNITS.get(m.group("unit") or "", m.group("unit") or reading_unit)
            try:
                factor = unit_factor(spec, unit)
            except ValueError:
                continue
            found.setdefault(colour, float(m.group("value")) * factor)
    return found
