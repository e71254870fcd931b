"""Which hazard a sensor reading belongs to when its type alone does not say, read from the place.

Most sensor types name their hazard (a rain gauge is rain, a combustible-gas detector is gas), but
some are used in very different places. Ammonia is measured in sewers and septic tanks, where it is a
confined-space danger, and in the machine rooms of ammonia-refrigerated cold stores, where an alarm
means liquid ammonia is leaking (a hazardous-chemical accident with its own grading and deck). A crack
gauge sits on bridges and on ancient temples; temperature and humidity sensors watch the timber and the
artefacts of heritage buildings. The reading's own words (point name, address, description, owner) name
the place, and the place decides. An explicit ``hazard`` field in the reading always wins.
The same holds for a CAP message whose only hazard words are a toxic gas (硫化氢泄漏 at a chemical plant).

The same vocabulary tells the action cards which kind of space an alert is about (``space`` in the
card conditions), so a car-park carbon-monoxide alarm never gets the septic-tank cards.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.alerts.normalise import fold

HERITAGE = "文物古建"  # the hazard of assistant.domain.HAZARDS for heritage buildings
CONFINED_SPACE = "有限空间"
HAZCHEM = "危化品"
GAS = "燃气"
WORK_SAFETY = "生产安全"

# Kinds of place, most specific first: a sump pit in a car park is a sewer space, not the car park.
SPACES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "sewer",
        (
            "化粪池",
            "窨井",
            "污水井",
            "检查井",
            "集水井",
            "污水管道",
            "污水管网",
            "排水管道",
            "排水管网",
            "下水道",
            "污水池",
            "调节池",
            "污水泵站",
            "污水处理",
            "沼气池",
            "sewer",
            "septic",
            "manhole",
            "wet well",
            "sewage",
        ),
    ),
    ("garage", ("地下车库", "车库", "停车场", "停车库", "car park", "carpark", "parking", "garage")),
    ("basement", ("地下室", "半地下室", "basement", "cellar")),
    # underground workings: a flooded mine or tunnel is evacuated and counted at the shaft, not like a building
    (
        "mine",
        ("煤矿", "矿井", "井下", "煤业", "金矿", "铁矿", "矿山", "透水", "突水", "coal mine", "colliery", "mine shaft"),
    ),
    # a tanker on the road: no plant, no storage, no process to shut down — the tank, the load and the carrier
    (
        "road",
        (
            "罐车",
            "槽罐车",
            "危化品运输车",
            "危险货物运输",
            "road tanker",
            "tanker truck",
            "tanker lorry",
            "chemical tanker",
        ),
    ),
    # a refinery's or petrochemical plant's process units (装置区) are open plant, not a confined space; before the
    # cold store, whose liquid ammonia a fertiliser plant also holds
    (
        "chemical_plant",
        (
            "化工",
            "危化品",
            "危险化学品",
            "石化",
            "炼化",
            "炼油",
            "装置区",
            "生产装置",
            "化肥",
            "合成氨",
            "焦化",
            "chemical plant",
            "chemical works",
            "petrochemical",
            "refinery",
            "process unit",
        ),
    ),
    ("cold_store", ("冷库", "冷链", "制冷", "液氨", "cold store", "cold storage", "refrigerat", "liquid ammonia")),
    (
        "heritage",
        (
            "文物",
            "古建",
            "古迹",
            "古塔",
            "寺",
            "庙",
            "祠",
            "大殿",
            "故居",
            "古城墙",
            "heritage",
            "historic",
            "temple",
            "pagoda",
            "ancestral hall",
        ),
    ),
)
_BRIDGE_WORDS = ("桥", "隧道", "高架", "bridge", "tunnel", "viaduct")
_TOXIC = frozenset({"nh3", "h2s", "co"})
_STRUCTURAL = frozenset({"crack_width", "tilt", "displacement", "vibration"})
_BUILDING_CLIMATE = frozenset({"temperature", "humidity"})


def spaces_in(texts: Iterable[str]) -> list[str]:
    """Every kind of place the texts name, most specific first."""
    text = fold(" ".join(t for t in texts if t))
    return [kind for kind, words in SPACES if any(word in text for word in words)]


def space_of(texts: Iterable[str]) -> str | None:
    """The kind of place the texts name: sewer, garage, basement, mine, road, chemical_plant, cold_store, heritage,
    or None."""
    return next(iter(spaces_in(texts)), None)


def sensor_hazard(sensor_type: str, default: str | None, texts: Iterable[str]) -> str | None:
    """The hazard of a reading of ``sensor_type`` whose name, address, description and owner are ``texts``.

    ``default`` is the type's own hazard, kept whenever the place does not clearly say otherwise.
    """
    words = [t for t in texts if t]
    spaces = spaces_in(words)
    if sensor_type in _TOXIC:
        space = spaces[0] if spaces else None
        if space in ("sewer", "garage"):
            return CONFINED_SPACE
        if space in ("road", "chemical_plant") or (sensor_type == "nh3" and space == "cold_store"):
            return HAZCHEM
        return default
    if "heritage" not in spaces:
        return default
    if sensor_type in _BUILDING_CLIMATE:
        return HERITAGE
    if sensor_type in _STRUCTURAL:
        # an ancient bridge still carries traffic: the bridge deck (closures, load limits) comes first
        text = fold(" ".join(words))
        return default if any(word in text for word in _BRIDGE_WORDS) else HERITAGE
    return default


# Words that name the confined space itself: an accident in a tank or sewer at a chemical plant stays one.
_CONFINED_WORDS = (
    "有限空间",
    "受限空间",
    "密闭空间",
    "储罐内",
    "罐内",
    "confined space",
    "inside the tank",
    "inside a tank",
)


def place_hazard(hazard: str | None, texts: Iterable[str]) -> str | None:
    """The hazard of a message by its place. Gas (瓦斯) in a coal mine is a mine accident. Toxic-gas words (硫化氢,
    氨, H2S) made it a confined-space alert: a leak at a chemical plant or from a road tanker, or of ammonia at a cold
    store, is a hazardous-chemical accident; sewers, car parks and a space the message names as confined stay
    confined-space alerts."""
    words = [t for t in texts if t]
    if hazard == GAS and space_of(words) == "mine":
        return WORK_SAFETY  # 瓦斯 in a coal mine is firedamp: a mine accident, not a city gas leak
    if hazard != CONFINED_SPACE:
        return hazard
    text = fold(" ".join(words))
    spaces = spaces_in(words)
    if not spaces or spaces[0] in ("sewer", "garage") or any(word in text for word in _CONFINED_WORDS):
        return hazard
    return HAZCHEM if spaces[0] in ("road", "chemical_plant", "cold_store") else hazard
