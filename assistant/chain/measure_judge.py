"""Judging the grading conditions measured by more than a casualty count (knowledge/grading_measures).

A food-poisoning count holds only for a food poisoning, a power-outage share only for the row of the
city's kind, a return period only for the river class the row names, an interrupted intake only for
the water source's level. Where the alert does not say the kind, class or level, the condition is
"unknown" or "conditional" with what to confirm — never met by a default.
"""

from __future__ import annotations

import enum
import re
from string import Template

from assistant.chain.facts import AlertFacts
from assistant.chain.level_wording import templates, wording
from assistant.chain.water_levels import level_state
from assistant.knowledge.grading import Criterion

_WATER_SOURCE = re.compile(r"水源|取水|水厂|饮用水|自来水|drinking water|water (?:intake|works|plant|supply)", re.I)
MEASURED = (
    "food_poisoned",
    "food_deaths",
    "intake_cut",
    "power_out_share",
    "load_shed_share",
    "burned_area",
    "return_period",
    "magnitude",
    "water_level",
)
_GRID_ROWS = ("power_out_share", "load_shed_share")
_GRASSLAND = re.compile(r"草原|草场|grassland|prairie|steppe", re.I)
_FOREST = re.compile(r"森林|林地|林场|林班|山林|林区|forest|woodland", re.I)
# A fact's kind fits a row's scope: a city named only "设区的市" may be the capital or not.
_CITY_FITS = {"设区的市": ("其他设区的市", "省会城市")}
_RIVER_FITS = {"干流": ("干流",), "支流": ("主要支流", "其他溪河")}


class Verdict(enum.StrEnum):
    MET = "met"
    CONDITIONAL = "conditional"  # the facts meet it, but the clause adds a condition to confirm
    UNKNOWN = "unknown"  # the alert does not give the fact
    NOT_MET = "not_met"


def words(lang: str, key: str, **values: object) -> str:
    """A template of the ``measure_words`` section of the level wording, its slots filled."""
    text = templates()["measure_words"][lang][key]
    return Template(text).safe_substitute({k: str(v) for k, v in values.items()})


def _label(lang: str, key: str) -> str:
    return str(templates()["measure_labels"][lang][key])


def _in_range(criterion: Criterion, value: float) -> bool:
    low, high = criterion.low, criterion.high
    return (value > 0 if low is None else value >= low) and (high is None or value < high)


def _value_text(lang: str, metric: str, value: float) -> str:
    return f"{value:g}{templates()['measure_units'][lang][metric]}"


def fits(criterion: Criterion, facts: AlertFacts) -> bool:
    """False for a row about another kind of city or river than the alert's (kept while the kind is unknown)."""
    if criterion.metric in _GRID_ROWS and facts.city_kind and criterion.scope:
        return criterion.scope in (facts.city_kind, *_CITY_FITS.get(facts.city_kind, ()))
    if criterion.metric == "return_period" and facts.river_class and criterion.scope:
        return criterion.scope in _RIVER_FITS.get(facts.river_class, ())
    return True


def judge_measure(criterion: Criterion, facts: AlertFacts) -> tuple[Verdict, str]:
    lang, metric = facts.lang, criterion.metric
    if metric == "intake_cut":
        return _judge_intake(criterion, facts)
    if metric == "water_level":
        return _judge_water_level(criterion, facts)
    if metric in ("food_poisoned", "food_deaths") and (
        facts.poisoning not in (None, "food") or (facts.poisoning is None and facts.poisoned is None)
    ):
        return Verdict.NOT_MET, words(lang, "why_not_food")  # nothing says anyone was poisoned by food
    value = {
        "food_poisoned": facts.poisoned,
        "food_deaths": facts.deaths,
        "power_out_share": facts.power_out_pct,
        "load_shed_share": facts.load_shed_pct,
        "burned_area": facts.burned_ha,
        "return_period": facts.return_period,
        "magnitude": facts.magnitude,
    }[metric]
    if value is None:
        return Verdict.UNKNOWN, wording(lang, "why_unknown", label=_label(lang, metric))
    said = f"{facts.description} {facts.place}"  # what burned, not the platform's hazard name ("森林火灾")
    if metric == "burned_area" and _GRASSLAND.search(said) and not _FOREST.search(said):
        return Verdict.UNKNOWN, words(lang, "why_grassland")  # a grassland's area is not a forest's
    why = words(lang, "why_measure", label=_label(lang, metric), value=_value_text(lang, metric, value))
    met = value >= criterion.low if metric == "food_deaths" and criterion.low else _in_range(criterion, value)
    if not met:
        return Verdict.NOT_MET, why
    if metric in ("food_poisoned", "food_deaths"):
        return _judge_food(criterion, facts, why)
    if metric in _GRID_ROWS:
        return _judge_scoped(criterion, facts.city_kind, why, lang, "city_kind")
    if metric == "return_period":
        return _judge_scoped(criterion, facts.river_class, why, lang, "river_class")
    if metric == "magnitude":  # 初判: the row is for one density of population, which the alert must state
        return _judge_scoped(criterion, facts.population_density, why, lang, "population_density")
    if metric == "burned_area" and lang == "zh":
        return Verdict.MET, why + words(lang, "why_burned_note")
    return Verdict.MET, why


def _judge_food(criterion: Criterion, facts: AlertFacts, why: str) -> tuple[Verdict, str]:
    lang = facts.lang
    condition = criterion.condition
    if condition:
        wants_none = condition.startswith(("未", "无"))
        if facts.deaths is None:
            return Verdict.CONDITIONAL, wording(lang, "why_condition", why=why, condition=condition)
        if wants_none != (facts.deaths == 0):
            return Verdict.NOT_MET, why
        why = words(lang, "why_with", why=why, also=_deaths_text(lang, facts.deaths))
    if facts.poisoning is None:
        return Verdict.CONDITIONAL, words(lang, "why_food_unconfirmed", why=why)
    return Verdict.MET, why


def _deaths_text(lang: str, deaths: int) -> str:
    return words(lang, "why_no_deaths") if deaths == 0 else words(lang, "why_deaths", value=deaths)


def _judge_scoped(criterion: Criterion, kind: str | None, why: str, lang: str, what: str) -> tuple[Verdict, str]:
    """A share or return period in range: the row must be for the alert's kind of city or river."""
    if criterion.scope:
        if kind is None:
            return Verdict.CONDITIONAL, words(lang, "why_scope_unknown", why=why, what=_label(lang, what))
        if kind != criterion.scope:
            fits = _CITY_FITS.get(kind, ()) + _RIVER_FITS.get(kind, ())
            if criterion.scope not in fits or kind == "干流":
                return Verdict.NOT_MET, words(lang, "why_scope_other", why=why, scope=criterion.scope)
            return Verdict.CONDITIONAL, words(lang, "why_scope_confirm", why=why, scope=criterion.scope)
        why = words(lang, "why_in_scope", why=why, scope=criterion.scope)
    if criterion.condition:
        return Verdict.CONDITIONAL, wording(lang, "why_condition", why=why, condition=criterion.condition)
    return Verdict.MET, why


def _judge_intake(criterion: Criterion, facts: AlertFacts) -> tuple[Verdict, str]:
    lang = facts.lang
    if facts.intake_cut is None and not (facts.hazard == "突发环境" or _WATER_SOURCE.search(facts.text())):
        return Verdict.NOT_MET, words(lang, "why_no_water_source")  # no drinking water in the alert to ask about
    if facts.intake_cut is None:
        return Verdict.UNKNOWN, wording(lang, "why_unknown", label=_label(lang, "intake_cut"))
    if not facts.intake_cut:
        return Verdict.UNKNOWN, words(lang, "why_intake_whose")
    why = words(lang, "why_intake", source=_label(lang, f"intake_{facts.intake_cut}"))
    return (Verdict.MET if facts.intake_cut == criterion.scope else Verdict.NOT_MET), why


def _judge_water_level(criterion: Criterion, facts: AlertFacts) -> tuple[Verdict, str]:
    """ "主要控制站水位超过警戒水位 / 接近保证水位": the named level the gauge has passed (or is said to approach), at
    the kind of gauge the clause names — a main control station, which the alert must say it is."""
    lang = facts.lang
    state = level_state(f"{facts.headline} {facts.description}", facts.value, facts.unit)
    how, level = criterion.scope[:2], criterion.scope[2:]
    name = str(templates()["measure_words"][lang]["level_names"].get(level, level))
    if not state.about_river:
        return Verdict.NOT_MET, words(lang, "why_not_river")
    if level in state.passed:
        why = words(lang, "why_level_passed", level=name)
    elif how == "接近" and level in state.near:
        why = words(lang, "why_level_near", level=name)
    elif level in state.stated:
        return Verdict.NOT_MET, words(lang, "why_level_below", level=name)
    else:
        return Verdict.UNKNOWN, wording(lang, "why_unknown", label=_label(lang, "water_level"))
    if "多个" in criterion.condition or not state.main_station:
        return Verdict.CONDITIONAL, wording(lang, "why_condition", why=why, condition=criterion.condition)
    return Verdict.MET, why
