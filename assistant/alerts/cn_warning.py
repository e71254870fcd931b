"""Chinese meteorological warning signals (预警信号) as JSON, in the QWeather shapes.

Two shapes are in use: the v7 ``warning`` list (id, sender, pubTime, title, typeName,
severityColor, text, related) and the newer ``alerts`` list (id, senderName, issuedTime,
eventType or event, color.code, messageType or msgType, supersedes/relatedAlertIds).
Both become CAP-like alerts: an update or cancellation references the earlier signal by
the same sender, so the store can supersede or close it exactly as for CAP.
"""

from __future__ import annotations

import json
import re
from typing import Any

from assistant.alerts.identity import message_id
from assistant.alerts.normalise import colour_word, declared_level, detect_hazard, detect_language, resolve_colour
from assistant.alerts.times import TimeFormatError, parse_time
from assistant.domain import Alert, AlertArea
from assistant.errors import AlertFormatError

_MSG_TYPES = {"active": "Alert", "alert": "Alert", "update": "Update", "cancel": "Cancel"}
_OFFICE_SUFFIX = re.compile(r"(中心)?(气象台|气象局|预警信息发布中心)$")
_WARNING_KEYS = ("typeName", "eventType", "severityColor", "pubTime", "issuedTime")


def _looks_like_warning(item: Any) -> bool:
    return isinstance(item, dict) and "point_id" not in item and any(key in item for key in _WARNING_KEYS)


def is_cn_warning_document(document: Any) -> bool:
    """A QWeather-shaped document: a ``warning``/``alerts`` list, one warning, or a list of warnings."""
    if isinstance(document, list):
        return bool(document) and all(_looks_like_warning(item) for item in document)
    if isinstance(document, dict):
        if isinstance(document.get("warning"), list):
            return True
        if isinstance(document.get("alerts"), list) and ("metadata" in document or not document["alerts"]):
            return True
        return _looks_like_warning(document)
    return False


def warnings_in(document: dict[str, Any] | list[Any]) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document.get("warning"), list):
        return list(document["warning"])
    if isinstance(document.get("alerts"), list):
        return list(document["alerts"])
    return [document]


def _text(item: dict[str, Any], *names: str) -> str:
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _event(item: dict[str, Any]) -> str:
    event_type = item.get("eventType")
    if isinstance(event_type, dict) and event_type.get("name"):
        return str(event_type["name"]).strip()
    return _text(item, "typeName", "event")


def _message(item: dict[str, Any]) -> tuple[str, list[str]]:
    """(CAP msgType, ids of the signals this one replaces)."""
    kind = item.get("messageType")
    if isinstance(kind, dict):
        return _MSG_TYPES.get(str(kind.get("code", "")).lower(), "Alert"), [
            str(i) for i in kind.get("supersedes") or []
        ]
    related = item.get("relatedAlertIds") or ([item["related"]] if item.get("related") else [])
    msg_type = _text(item, "msgType") or _MSG_TYPES.get(_text(item, "status").lower(), "Alert")
    if msg_type == "Alert" and related:
        msg_type = "Update"
    return msg_type.capitalize(), [str(i) for i in related]


def _explicit_colour(item: dict[str, Any]) -> str:
    colour = item.get("color")
    if isinstance(colour, dict):
        return str(colour.get("code") or "")
    return _text(item, "severityColor", "level")


def warning_to_alert(item: Any, raw: str | None = None) -> Alert:
    if not isinstance(item, dict):
        raise ValueError(f"预警应为 JSON 对象 / a warning must be a JSON object, got {type(item).__name__}")
    identifier = _text(item, "id")
    sender = _text(item, "sender", "senderName")
    event = _event(item)
    headline = _text(item, "title", "headline")
    for name, value in (("id", identifier), ("sender/senderName", sender), ("typeName/eventType", event or headline)):
        if not value:
            raise ValueError(f"缺少 {name} / {name} is missing")
    when = _text(item, "pubTime", "issuedTime", "startTime", "effectiveTime")
    sent, offset = parse_time(when or None, "pubTime/issuedTime")
    msg_type, replaced = _message(item)
    description = _text(item, "text", "description")
    severity = _text(item, "severity").capitalize() or None
    # The body is the sender's free text and may carry injected instructions: it colours (and, below,
    # grades) a warning only when neither a colour field, the title nor the severity does.
    explicit = colour_word(_explicit_colour(item))
    colour = resolve_colour(explicit, [headline], severity) or resolve_colour(None, [description], None)
    expires = _text(item, "endTime", "expireTime")
    office = _OFFICE_SUFFIX.sub("", sender) or sender
    return Alert(
        alert_id=message_id(sender, identifier),
        source_format="cn_warning",
        sender=sender,
        sent=sent,
        sent_offset=offset,
        event=event or headline,
        hazard=detect_hazard([event, headline, description]),
        colour=colour,
        level=declared_level([headline]),
        headline=headline or event,
        description=description,
        instruction=_text(item, "instruction"),
        msg_type=msg_type,
        references=tuple(f"{sender},{rid}," for rid in replaced),
        urgency=_text(item, "urgency").capitalize() or None,
        severity=severity,
        certainty=_text(item, "certainty").capitalize() or None,
        language=detect_language(headline + description),
        area=AlertArea(description=office, district=office),
        expires=parse_time(expires, "endTime")[0] if expires else None,
        raw=raw if raw is not None else json.dumps(item, ensure_ascii=False, sort_keys=True),
        sender_name=sender,
    )


def parse_warnings(document: dict[str, Any] | list[Any], source: str) -> tuple[list[Alert], list[AlertFormatError]]:
    alerts: list[Alert] = []
    errors: list[AlertFormatError] = []
    items = warnings_in(document)
    for number, item in enumerate(items, start=1):
        where = f"warning {number}" if len(items) > 1 else "warning"
        try:
            alerts.append(warning_to_alert(item))
        except (ValueError, TimeFormatError) as err:
            errors.append(AlertFormatError(source, f"{where}: {err}"))
    return alerts, errors
