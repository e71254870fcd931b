"""Sensor types, their units, default thresholds and how a reading is graded.

A reading's colour is the highest warning level whose threshold it crossed, and its
exceedance is value / that threshold (for oxygen, where low is the danger, threshold /
value). Defaults apply only when a reading carries no thresholds of its own; each
default names its source in :data:`SENSOR_TYPES` and docs/alerts.md. Where no standard
gives a general number (water level, structural movement, crowd density...), there is
no default and the reading must bring its own thresholds.
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass, field

from assistant.domain import Colour

# Molar volume at 25 °C and 101.325 kPa, the reference GBZ 2.1 uses for mg/m³ limits.
MOLAR_VOLUME_L = 24.45
METHANE_LEL_VOL = 4.4  # %VOL at 100 %LEL, IEC 60079-20-1 (GB/T 3836.11); ISO 10156 gives 5.0


def _ppm(mg_per_m3: float, molar_mass: float) -> float:
    return round(mg_per_m3 * MOLAR_VOLUME_L / molar_mass, 2)


@dataclass(frozen=True)
class SensorType:
    name: str
    label_zh: str
    label_en: str
    unit: str  # canonical unit; values and thresholds are converted to it
    hazard: str | None
    units: dict[str, float] = field(default_factory=dict)  # accepted unit -> factor to the canonical unit
    below: bool = False  # True when a LOW value is the danger (oxygen)
    defaults: dict[Colour, float] = field(default_factory=dict)
    source: str = ""


_GAS_LEL = {Colour.YELLOW: 20.0, Colour.ORANGE: 50.0}
_GAS_SOURCE = (
    "GB/T 50493-2019: first-level alarm ≤ 25 %LEL (we use 20), second-level ≤ 50 %LEL; "
    "first level → yellow, second level → orange"
)


def _toxic(
    name: str,
    zh: str,
    en: str,
    molar_mass: float,
    oel_mg: float,
    idlh_ppm: float,
    oel: str,
    hazard: str = "有限空间",
) -> SensorType:
    return SensorType(
        name,
        zh,
        en,
        "ppm",
        hazard,
        units={"ppm": 1.0, "mg/m3": MOLAR_VOLUME_L / molar_mass},
        defaults={
            Colour.YELLOW: _ppm(oel_mg, molar_mass),
            Colour.ORANGE: _ppm(2 * oel_mg, molar_mass),
            Colour.RED: idlh_ppm,
        },
        source=(
            f"GB/T 50493-2019: first-level alarm ≤ 100 % OEL, second-level ≤ 200 % OEL; OEL = GBZ 2.1-2019 {oel} "
            f"{oel_mg:g} mg/m³ (= {_ppm(oel_mg, molar_mass)} ppm at 25 °C); red = NIOSH IDLH {idlh_ppm:g} ppm"
        ),
    )


_MM_PER_H = {
    Colour.BLUE: round(50 / 12, 1),
    Colour.YELLOW: round(50 / 6, 1),
    Colour.ORANGE: round(50 / 3, 1),
    Colour.RED: round(100 / 3, 1),
}

SENSOR_TYPES: dict[str, SensorType] = {
    t.name: t
    for t in (
        SensorType(
            "combustible_gas",
            "可燃气体",
            "combustible gas",
            "%LEL",
            "燃气",
            {"%lel": 1.0},
            defaults=_GAS_LEL,
            source=_GAS_SOURCE,
        ),
        SensorType(
            "ch4",
            "甲烷",
            "methane",
            "%LEL",
            "燃气",
            {"%lel": 1.0, "%vol": 100 / METHANE_LEL_VOL},
            defaults=_GAS_LEL,
            source=_GAS_SOURCE + f"; %VOL converted with LEL = {METHANE_LEL_VOL} %VOL (IEC 60079-20-1)",
        ),
        _toxic("h2s", "硫化氢", "hydrogen sulphide", 34.08, 10.0, 100.0, "MAC"),
        _toxic("nh3", "氨气", "ammonia", 17.03, 20.0, 300.0, "PC-TWA"),
        _toxic("co", "一氧化碳", "carbon monoxide", 28.01, 20.0, 1200.0, "PC-TWA"),
        # chlorine is stored and dosed (water works, chemical plants): a leak is a hazardous-chemicals incident
        _toxic("cl2", "氯气", "chlorine", 70.90, 1.0, 10.0, "MAC", hazard="危化品"),
        SensorType(
            "o2",
            "氧气",
            "oxygen",
            "%VOL",
            "有限空间",
            {"%vol": 1.0},
            below=True,
            defaults={Colour.YELLOW: 19.5},
            source="GB 8958-2006: air with less than 19.5 %VOL oxygen is oxygen-deficient (缺氧)",
        ),
        SensorType("water_level", "水位", "water level", "m", "洪涝", {"m": 1.0, "cm": 0.01}),
        # a road or underpass ponding gauge: urban waterlogging from rain, not a river in flood
        SensorType("ponding_depth", "积水深度", "ponding depth", "m", "暴雨内涝", {"m": 1.0, "cm": 0.01, "mm": 0.001}),
        SensorType(
            "rainfall",
            "雨量",
            "rainfall",
            "mm/h",
            "暴雨内涝",
            {"mm/h": 1.0},
            defaults=_MM_PER_H,
            source=(
                "CMA rainstorm warning signals (中国气象局令第16号, 2007): blue 50 mm in 12 h, yellow 50 mm in 6 h, "
                "orange 50 mm in 3 h, red 100 mm in 3 h, expressed as the average hourly rate"
            ),
        ),
        SensorType("displacement", "位移", "displacement", "mm", "桥梁隧道", {"mm": 1.0, "cm": 10.0}),
        SensorType("tilt", "倾角", "tilt", "°", "桥梁隧道", {"°": 1.0, "deg": 1.0, "degree": 1.0}),
        SensorType("crack_width", "裂缝宽度", "crack width", "mm", "桥梁隧道", {"mm": 1.0}),
        SensorType("vibration", "振动速度", "vibration velocity", "mm/s", "桥梁隧道", {"mm/s": 1.0, "cm/s": 10.0}),
        SensorType("temperature", "温度", "temperature", "°C", None, {"°c": 1.0, "c": 1.0, "℃": 1.0}),
        SensorType("humidity", "相对湿度", "relative humidity", "%RH", None, {"%rh": 1.0, "%": 1.0}),
        SensorType(
            "crowd_density",
            "人群密度",
            "crowd density",
            "persons/m²",
            "大客流",
            {"persons/m²": 1.0, "persons/m2": 1.0, "人/m²": 1.0, "人/m2": 1.0, "人/平方米": 1.0, "p/m2": 1.0},
        ),
    )
}

ALIASES = {
    "gas": "combustible_gas",
    "可燃气体": "combustible_gas",
    "methane": "ch4",
    "甲烷": "ch4",
    "硫化氢": "h2s",
    "氨气": "nh3",
    "ammonia": "nh3",
    "一氧化碳": "co",
    "氯气": "cl2",
    "chlorine": "cl2",
    "氧气": "o2",
    "oxygen": "o2",
    "水位": "water_level",
    "积水": "ponding_depth",
    "积水深度": "ponding_depth",
    "路面积水": "ponding_depth",
    "waterlogging": "ponding_depth",
    "ponding": "ponding_depth",
    "雨量": "rainfall",
    "降雨": "rainfall",
    "降雨量": "rainfall",
    "位移": "displacement",
    "沉降": "displacement",
    "倾角": "tilt",
    "裂缝": "crack_width",
    "crack": "crack_width",
    "振动": "vibration",
    "温度": "temperature",
    "湿度": "humidity",
    "人群密度": "crowd_density",
}


def sensor_type(name: str) -> SensorType:
    key = str(name).strip()
    found = SENSOR_TYPES.get(key.lower()) or SENSOR_TYPES.get(ALIASES.get(key.lower(), ALIASES.get(key, "")))
    if found is None:
        raise ValueError(f"未知的传感器类型 / unknown sensor_type {name!r}; known: {', '.join(SENSOR_TYPES)}")
    return found


def _unit_key(unit: str) -> str:
    """One spelling per unit: NFKC folds ㎡, m², ℃ and full-width letters into m2, °C and ASCII."""
    return unicodedata.normalize("NFKC", unit).strip().replace(" ", "").lower().replace("³", "3")


_UNIT_FACTORS = {name: {_unit_key(k): v for k, v in t.units.items()} for name, t in SENSOR_TYPES.items()}


def unit_factor(spec: SensorType, unit: str) -> float:
    """Factor that turns a value in ``unit`` into the canonical unit, or ValueError."""
    factors = _UNIT_FACTORS[spec.name]
    key = _unit_key(unit)
    if key not in factors:
        raise ValueError(
            f"{spec.name} 的单位 {unit!r} 不受支持 / unit {unit!r} is not accepted for {spec.name}; "
            f"use {', '.join(spec.units)}"
        )
    return factors[key]


def check_thresholds(spec: SensorType, thresholds: dict[Colour, float]) -> None:
    """Thresholds must rise with severity (fall, for oxygen), or the grading is meaningless."""
    ordered = [thresholds[c] for c in (Colour.BLUE, Colour.YELLOW, Colour.ORANGE, Colour.RED) if c in thresholds]
    pairs = list(itertools.pairwise(ordered))
    bad = any(b > a for a, b in pairs) if spec.below else any(b < a for a, b in pairs)
    if bad:
        direction = "递减 / decrease" if spec.below else "递增 / increase"
        shown = ", ".join(f"{c.value}={v:g}" for c, v in thresholds.items())
        raise ValueError(f"thresholds 应随等级{direction} from blue to red: {shown}")


def grade(spec: SensorType, value: float, thresholds: dict[Colour, float]) -> tuple[Colour, float | None]:
    """(colour, exceedance): the highest crossed level, or green with the ratio to the lowest threshold."""
    if not thresholds:
        return Colour.GREEN, None
    crossed = [
        (colour, limit) for colour, limit in thresholds.items() if (value <= limit if spec.below else value >= limit)
    ]
    if crossed:
        colour, limit = min(crossed, key=lambda item: item[0].rank)
    else:
        colour = Colour.GREEN
        limit = max(thresholds.values()) if spec.below else min(thresholds.values())
    ratio = limit / max(value, 0.01) if spec.below else (value / limit if limit else 0.0)
    return colour, round(ratio, 4)
