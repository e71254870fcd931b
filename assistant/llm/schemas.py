"""The JSON a model must return, as pydantic models that map onto the domain types.

Validation is lenient about spelling a model cannot be relied on to get right
(\"Ⅲ级\", \"较大\", \"3\" all mean grade III; \"小循环\" means the small loop) and strict
about what the officer needs: every action has a text, a unit, a time limit, a
loop and at least one citation. ``response_format_for`` gives the json_schema
request body for endpoints that support constrained output.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field, field_validator

from assistant.domain import Action, Colour, Level, Loop, Stage, StageResult

ALERT_CITATION = "alert"

_LEVEL_WORDS: dict[str, Level] = {
    "I": Level.I, "Ⅰ": Level.I, "1": Level.I, "一": Level.I, "特别重大": Level.I,
    "II": Level.II, "Ⅱ": Level.II, "2": Level.II, "二": Level.II, "重大": Level.II,
    "III": Level.III, "Ⅲ": Level.III, "3": Level.III, "三": Level.III, "较大": Level.III,
    "IV": Level.IV, "Ⅳ": Level.IV, "4": Level.IV, "四": Level.IV, "一般": Level.IV,
}  # fmt: skip
_COLOUR_WORDS: dict[str, Colour] = {c.zh: c for c in Colour} | {c.zh[0]: c for c in Colour}
_LOOP_WORDS: dict[str, Loop] = {"小": Loop.SMALL, "中": Loop.MEDIUM, "大": Loop.LARGE}


def _normalise_level(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    word = re.split(r"[（(]", value)[0].strip().upper().removeprefix("LEVEL").strip()
    for suffix in ("级响应", "响应", "级"):
        word = word.removesuffix(suffix)
    word = word.strip()
    if word in ("", "NULL", "NONE", "UNKNOWN", "未知", "待定"):
        return None
    return _LEVEL_WORDS.get(word, value)


def _normalise_colour(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    word = value.strip().lower().removesuffix("预警").strip()
    if word in ("", "null", "none", "无"):
        return None
    return _COLOUR_WORDS.get(word, word)


class ActionReply(BaseModel):
    text: str = Field(min_length=1, description="What must be done, one concrete action.")
    unit: str = Field(description="The responsible unit (责任单位); '待明确' when the sources do not name one.")
    time_limit: str = Field(description="By when, e.g. '接警后20分钟内' / 'within 20 minutes of the alarm'.")
    loop: Loop = Field(description="small: street/town within 4 h; medium: cross-department; large: district-wide.")
    resources: list[str] = Field(default_factory=list, description="Teams, equipment, supplies needed.")
    citations: list[str] = Field(min_length=1, description="Chunk ids like 'C3', or 'alert' for the alert itself.")
    lessons: list[str] = Field(default_factory=list, description="Lessons from similar cases, each citing its chunk.")

    @field_validator("loop", mode="before")
    @classmethod
    def _loop_words(cls, value: Any) -> Any:
        if isinstance(value, str):
            word = value.strip().lower()
            return _LOOP_WORDS.get(word[:1], word.removesuffix(" loop"))
        return value

    @field_validator("citations", mode="before")
    @classmethod
    def _strip_brackets(cls, value: Any) -> Any:
        """Models often copy the inline form '[C3]' into the list."""
        if isinstance(value, list):
            return [v.strip().strip("[]【】").strip() if isinstance(v, str) else v for v in value]
        return value

    def to_action(self, alert_id: str | None = None) -> Action:
        """The domain action; the bare 'alert' citation becomes 'alert:<id>' when the id is known."""
        citations = tuple(
            f"{ALERT_CITATION}:{alert_id}" if c.lower() == ALERT_CITATION and alert_id else c for c in self.citations
        )
        return Action(
            text=self.text,
            unit=self.unit,
            time_limit=self.time_limit,
            loop=self.loop,
            citations=citations,
            resources=tuple(self.resources),
            lessons=tuple(self.lessons),
        )


class StageReply(BaseModel):
    summary: str = Field(description="Two or three sentences on this stage, with citations.")
    actions: list[ActionReply]
    open_questions: list[str] = Field(default_factory=list, description="What the officer must find out or decide.")

    def to_stage_result(self, stage: Stage, alert_id: str | None = None) -> StageResult:
        return StageResult(
            stage=stage,
            summary=self.summary,
            actions=tuple(a.to_action(alert_id) for a in self.actions),
            open_questions=tuple(self.open_questions),
        )


class Cited(BaseModel):
    text: str = Field(min_length=1)
    citations: list[str] = Field(default_factory=list)


class CaseLesson(BaseModel):
    case: str = Field(description="Which historical case, as named in the source.")
    lesson: str
    citations: list[str] = Field(min_length=1)


class LevelProposal(BaseModel):
    level: Level | None = Field(description="Proposed response level I-IV, or null when no grading condition is met.")
    criterion: str | None = Field(default=None, description="Id of the grading condition relied on, e.g. 'R3'.")
    basis: list[str] = Field(default_factory=list, description="Chunk ids of the grading clause(s) used.")
    reason: str = Field(description="Why this level, quoting the criterion; or what is missing.")
    missing: list[str] = Field(default_factory=list, description="Information needed to decide the level.")

    @field_validator("level", mode="before")
    @classmethod
    def _level_words(cls, value: Any) -> Any:
        return _normalise_level(value)


class AnalysisReply(BaseModel):
    """Situation analysis (分析研判) of one alert or incident."""

    summary: str
    hazard: str
    colour: Colour | None = None
    alert_level: Level | None = None
    value_vs_threshold: str = Field(description="Measured value against its threshold, or 'not given'.")
    place: str
    owner: str = Field(description="Who owns or manages the asset/place; '待明确' when unknown.")
    sensitive_sites: list[Cited] = Field(default_factory=list)
    applicable_plans: list[Cited] = Field(default_factory=list)
    proposed_level: LevelProposal
    secondary_risks: list[Cited] = Field(default_factory=list)
    similar_cases: list[CaseLesson] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list)

    @field_validator("colour", mode="before")
    @classmethod
    def _colour_words(cls, value: Any) -> Any:
        return _normalise_colour(value)

    @field_validator("alert_level", mode="before")
    @classmethod
    def _level_words(cls, value: Any) -> Any:
        return _normalise_level(value)


class RevisionReply(BaseModel):
    """A revised draft text, what changed, and what the sources do not support."""

    text: str = Field(min_length=1, description="The revised text, Markdown, keeping the [C#] citations.")
    changes: list[str] = Field(default_factory=list)
    unverified: list[str] = Field(default_factory=list, description="New statements no source supports.")


def response_format_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The ``response_format`` body asking the endpoint to constrain output to ``schema``."""
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema(), "strict": False},
    }
