"""Finding and validating the JSON object in a model's reply, whatever the model wrapped it in.

Weak and mid-size models put prose before the object, wrap it in ```json fences or
prefix a <think> block; none of that should cost a retry. What is left wrong is
described briefly, in terms a model can act on in one repair attempt.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from assistant.llm.base import T

_THINK = re.compile(r"<think>.*?(</think>|$)", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n?(.*?)```", re.DOTALL)
_MAX_ERRORS = 8


class ReplyFormatError(ValueError):
    """The reply holds no usable JSON object, or the object does not fit the schema."""


def extract_json_object(text: str) -> dict[str, Any]:
    """The first JSON object in ``text``: inside a ```json fence if there is one, else anywhere."""
    cleaned = _THINK.sub("", text).strip()
    if not cleaned:
        raise ReplyFormatError("回复为空 / the reply is empty")
    for block in _FENCE.findall(cleaned):
        found = _first_object(block)
        if found is not None:
            return found
    found = _first_object(cleaned)
    if found is None:
        raise ReplyFormatError(f"回复中没有 JSON 对象 / no JSON object found in the reply: {_preview(cleaned)}")
    return found


def parse_reply(text: str, schema: type[T]) -> T:
    """The reply validated as ``schema``; ``ReplyFormatError`` says what to fix."""
    data = extract_json_object(text)
    try:
        return schema.model_validate(data)
    except ValidationError as err:
        raise ReplyFormatError(describe_validation_error(err)) from err


def describe_validation_error(err: ValidationError) -> str:
    """One line per problem, with the JSON path, capped so a repair prompt stays short."""
    lines = []
    for problem in err.errors()[:_MAX_ERRORS]:
        path = ".".join(str(p) for p in problem["loc"]) or "(root)"
        lines.append(f"- {path}: {problem['msg']}")
    hidden = err.error_count() - _MAX_ERRORS
    if hidden > 0:
        lines.append(f"- … {hidden} more")
    return "JSON 不符合要求 / the JSON does not match the schema:\n" + "\n".join(lines)


def schema_text(schema: type[BaseModel]) -> str:
    """The JSON Schema of ``schema`` as compact text for prompts."""
    return json.dumps(schema.model_json_schema(), ensure_ascii=False, separators=(",", ":"))


def _first_object(text: str) -> dict[str, Any] | None:
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, dict):
            return value
        start = text.find("{", start + 1)
    return None


def _preview(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"
