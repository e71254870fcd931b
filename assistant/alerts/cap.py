"""CAP 1.0/1.1/1.2 ``<alert>`` elements into normalised :class:`Alert` records.

A message is validated against what CAP requires before anything is stored, so a
rejected message comes back with the exact element at fault. Several ``<info>``
blocks are usually the same warning in several languages: the officer's language
(Chinese, then English, then the first) is chosen, and the areas and colours of all
blocks in that language are merged. Signatures (XML-DSig) are carried along in the raw
text but not verified here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from assistant.alerts.areas import area_centre, merge_areas, parse_circle, parse_polygon, value_pairs
from assistant.alerts.identity import message_id
from assistant.alerts.normalise import (
    colour_from_parameters,
    declared_level,
    detect_hazard,
    detect_language,
    resolve_colour,
)
from assistant.alerts.routing import place_hazard
from assistant.alerts.times import TimeFormatError, parse_time
from assistant.alerts.xmlsafe import child, child_text, children, local_name, namespace, text_of
from assistant.domain import Alert, AlertArea, Colour
from assistant.errors import AlertFormatError

CAP_NAMESPACES = {
    "urn:oasis:names:tc:emergency:cap:1.2": "1.2",
    "urn:oasis:names:tc:emergency:cap:1.1": "1.1",
    "http://www.incident.com/cap/1.0": "1.0",
}
STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = (
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
)
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown", "Very Likely")
LANGUAGE_PREFERENCE = ("zh", "en")
_RESTRICTED = re.compile(r"[\s,<&]")


@dataclass
class _Info:
    language: str
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str
    description: str
    instruction: str
    sender_name: str
    expires: str
    parameters: list[tuple[str, str]] = field(default_factory=list)
    areas: list[AlertArea] = field(default_factory=list)


def is_cap_alert(element: Element) -> bool:
    return local_name(element.tag) == "alert" and namespace(element.tag) in CAP_NAMESPACES


def _enum(value: str, allowed: tuple[str, ...], where: str, name: str) -> str:
    if value not in allowed:
        shown = value or "（空 / empty）"
        raise ValueError(f"{where}<{name}> 取值无效 / invalid <{name}> {shown!r}; expected one of {', '.join(allowed)}")
    return value


def _required_enum(element: Element, name: str, allowed: tuple[str, ...], where: str = "") -> str:
    return _enum(_required(element, name, where), allowed, where, name)


def _required(element: Element, name: str, where: str = "") -> str:
    value = child_text(element, name)
    if not value:
        zh, en = ("为空", "is empty") if child(element, name) is not None else ("缺失", "is missing")
        raise ValueError(f"{where}必填元素 <{name}> {zh} / required <{name}> {en}")
    return value


def _area(element: Element, where: str) -> AlertArea:
    description = " ".join(_required(element, "areaDesc", where).split())
    # Empty <polygon/> and <circle/> elements are common in NWS messages and carry nothing: skip them.
    polygons = tuple(parse_polygon(text_of(p), where) for p in children(element, "polygon") if text_of(p))
    circles = tuple(parse_circle(text_of(c), where) for c in children(element, "circle") if text_of(c))
    geocodes = tuple(pair for g in children(element, "geocode") for pair in value_pairs(g))
    lat, lon = area_centre(polygons, circles)
    return AlertArea(description=description, polygons=polygons, circles=circles, geocodes=geocodes, lat=lat, lon=lon)


def _info(element: Element, where: str) -> _Info:
    categories = [text_of(c) for c in children(element, "category")]
    if not categories:
        raise ValueError(f"{where}必填元素 <category> 缺失 / required <category> is missing")
    for category in categories:
        _enum(category, CATEGORIES, where, "category")
    info = _Info(
        language=child_text(element, "language") or "en-US",
        event=_required(element, "event", where),
        urgency=_required_enum(element, "urgency", URGENCIES, where),
        severity=_required_enum(element, "severity", SEVERITIES, where),
        certainty=_required_enum(element, "certainty", CERTAINTIES, where),
        headline=" ".join(child_text(element, "headline").split()),
        description=child_text(element, "description"),
        instruction=child_text(element, "instruction"),
        sender_name=child_text(element, "senderName"),
        expires=child_text(element, "expires"),
        parameters=[pair for p in children(element, "parameter") for pair in value_pairs(p)],
    )
    for number, area in enumerate(children(element, "area"), start=1):
        info.areas.append(_area(area, f"{where}area {number}: "))
    return info


_OWNER_PARAMETER = re.compile(r"owner|operator|责任单位|产权单位|管理单位|运营单位|权属单位", re.I)


def _owner(parameters: list[tuple[str, str]]) -> str | None:
    """The asset's owner or operator when a parameter names one; the sender is the alert's source, not its owner."""
    return next((value for name, value in parameters if _OWNER_PARAMETER.search(name or "") and value), None)


def _choose(infos: list[_Info]) -> list[_Info]:
    """The infos in the officer's language: Chinese, else English, else the first block's language."""
    for wanted in LANGUAGE_PREFERENCE:
        chosen = [i for i in infos if i.language.lower().startswith(wanted)]
        if chosen:
            return chosen
    return [i for i in infos if i.language == infos[0].language]


def _colour(info: _Info) -> Colour | None:
    return resolve_colour(
        colour_from_parameters(info.parameters), [info.headline, info.event, info.description], info.severity
    )


def _check_token(value: str, name: str) -> str:
    if _RESTRICTED.search(value):
        raise ValueError(
            f"<{name}> 含空格、逗号或 < & / <{name}> must not contain spaces, commas, '<' or '&': {value!r}"
        )
    return value


def _references(element: Element, msg_type: str) -> tuple[str, ...]:
    node = child(element, "references")
    text = text_of(node)
    if msg_type in ("Update", "Cancel", "Ack", "Error") and not text:
        state = "为空" if node is not None else "缺失"
        raise ValueError(f"{msg_type} 消息的 <references> {state} / a {msg_type} message needs <references>")
    triples = tuple(text.split())
    for triple in triples:
        parts = triple.split(",")
        if len(parts) != 3 or not all(parts):
            raise ValueError(
                f"<references> 项应为“sender,identifier,sent” / reference {triple!r} is not 'sender,identifier,sent'"
            )
        parse_time(parts[2], "references sent")
    return triples


def parse_cap_alert(element: Element, source: str, raw: str = "") -> Alert:
    """One CAP ``<alert>`` element as an Alert; AlertFormatError names the element at fault."""
    if local_name(element.tag) != "alert":
        raise AlertFormatError(
            source, f"不是 CAP <alert> 元素 / not a CAP <alert> element: <{local_name(element.tag)}>"
        )
    if namespace(element.tag) not in CAP_NAMESPACES:
        raise AlertFormatError(
            source,
            f"未知的 CAP 命名空间 / unknown CAP namespace {namespace(element.tag)!r} "
            "(expected urn:oasis:names:tc:emergency:cap:1.2 or 1.1)",
        )
    try:
        return _build(element, raw)
    except TimeFormatError as err:
        raise AlertFormatError(source, str(err)) from None
    except ValueError as err:
        raise AlertFormatError(source, str(err)) from None


def _build(element: Element, raw: str) -> Alert:
    identifier = _check_token(_required(element, "identifier"), "identifier")
    sender = _check_token(_required(element, "sender"), "sender")
    sent, offset = parse_time(_required(element, "sent"), "<sent>")
    status = _required_enum(element, "status", STATUSES)
    msg_type = _required_enum(element, "msgType", MSG_TYPES)
    _required_enum(element, "scope", SCOPES)
    references = _references(element, msg_type)
    infos = [_info(node, f"info {n}: ") for n, node in enumerate(children(element, "info"), start=1)]
    if not infos:
        note = child_text(element, "note")
        return Alert(
            alert_id=message_id(sender, identifier),
            source_format="cap",
            sender=sender,
            sent=sent,
            sent_offset=offset,
            event="",
            hazard=None,
            colour=None,
            level=None,
            headline=note,
            status=status,
            msg_type=msg_type,
            references=references,
            language=detect_language(note),
            raw=raw,
        )
    chosen = _choose(infos)
    main = chosen[0]
    colours = [c for c in (_colour(i) for i in chosen) if c is not None]
    colour = min(colours, key=lambda c: c.rank) if colours else None
    parameter_text = " ".join(value for _, value in main.parameters)
    expires = parse_time(main.expires, "<expires>")[0] if main.expires else None
    texts = [main.event, main.headline, main.description]
    return Alert(
        alert_id=message_id(sender, identifier),
        source_format="cap",
        sender=sender,
        sent=sent,
        sent_offset=offset,
        event=main.event,
        hazard=place_hazard(detect_hazard(texts), texts),
        colour=colour,
        level=declared_level([main.headline, main.event, parameter_text, main.description, main.instruction]),
        headline=main.headline or main.event,
        description=main.description,
        instruction=main.instruction,
        status=status,
        msg_type=msg_type,
        references=references,
        urgency=main.urgency,
        severity=main.severity,
        certainty=main.certainty,
        language=detect_language(main.headline, main.language),
        area=merge_areas([a for i in chosen for a in i.areas]),
        owner=_owner(main.parameters),
        expires=expires,
        raw=raw,
        sender_name=main.sender_name,
    )
