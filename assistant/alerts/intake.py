"""One entry point for every alert payload: detect the format, parse, collect the errors.

Used by the HTTP endpoint, the CLI, the replayer and the feed poller alike, so a file
and a POST of the same bytes give the same alerts and the same error messages. A
document-level problem (malformed XML, a DTD, invalid JSON) raises AlertFormatError;
a problem with one message inside a good document is collected in ``errors`` so the
other messages still go through.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, tostring

from assistant.alerts.cap import CAP_NAMESPACES, parse_cap_alert
from assistant.alerts.cn_warning import is_cn_warning_document, parse_warnings, warning_to_alert
from assistant.alerts.csv_replay import parse_csv
from assistant.alerts.feeds import FeedItem, parse_atom, parse_rss
from assistant.alerts.sensor_json import parse_readings, reading_to_alert
from assistant.alerts.times import TimeFormatError
from assistant.alerts.xmlsafe import local_name, namespace, parse_xml
from assistant.domain import Alert
from assistant.errors import AlertFormatError


@dataclass
class ParseResult:
    """What one payload held: the alerts, the per-message errors, and feed entries for the poller."""

    alerts: list[Alert] = field(default_factory=list)
    errors: list[AlertFormatError] = field(default_factory=list)
    items: list[FeedItem] = field(default_factory=list)
    kind: str = ""
    note: str = ""


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise AlertFormatError(
            source, f"不是 UTF-8 文本（第{err.start}字节） / not UTF-8 text (byte {err.start}); save it as UTF-8"
        ) from None


def _xml_raw(data: bytes, root: Element) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return tostring(root, encoding="unicode")


def _from_items(items: list[FeedItem], kind: str) -> ParseResult:
    result = ParseResult(items=items, kind=kind)
    result.alerts = [i.alert for i in items if i.alert is not None]
    result.errors = [i.error for i in items if i.error is not None]
    if not items:
        result.note = "订阅源中没有条目 / the feed has no entries"
    return result


def _embedded_alerts(elements: list[Element], source: str, kind: str) -> ParseResult:
    result = ParseResult(kind=kind)
    for number, element in enumerate(elements, start=1):
        try:
            raw = tostring(element, encoding="unicode")
            result.alerts.append(parse_cap_alert(element, f"{source} alert {number}", raw))
        except AlertFormatError as err:
            result.errors.append(err)
    if not elements:
        result.note = "未找到 CAP 消息 / no CAP message inside"
    return result


def parse_xml_payload(data: bytes, source: str) -> ParseResult:
    root = parse_xml(data, source)
    name = local_name(root.tag)
    if name == "alert":
        return ParseResult(alerts=[parse_cap_alert(root, source, _xml_raw(data, root))], kind="cap")
    if name == "alerts":
        return _embedded_alerts([c for c in root if local_name(c.tag) == "alert"], source, "cap")
    if name == "EDXLDistribution":
        alerts = [e for e in root.iter() if local_name(e.tag) == "alert" and namespace(e.tag) in CAP_NAMESPACES]
        return _embedded_alerts(alerts, source, "edxl")
    if name == "feed":
        return _from_items(parse_atom(root, source), "atom")
    if name == "rss":
        return _from_items(parse_rss(root, source), "rss")
    raise AlertFormatError(
        source,
        f"不认识的 XML 根元素 <{name}> / unknown XML root <{name}>: expected CAP <alert>, Atom <feed> or RSS <rss>",
    )


def _json_document(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise AlertFormatError(source, "JSON 嵌套过深 / the JSON is nested too deeply to be an alert") from None
    except json.JSONDecodeError as err:
        raise AlertFormatError(
            source,
            f"JSON 格式错误（第{err.lineno}行第{err.colno}列） / invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}",
        ) from None


def parse_json_payload(text: str, source: str) -> ParseResult:
    document = _json_document(text, source)
    if is_cn_warning_document(document):
        alerts, errors = parse_warnings(document, source)
        return ParseResult(alerts=alerts, errors=errors, kind="cn_warning")
    alerts, errors = parse_readings(document, source)
    return ParseResult(alerts=alerts, errors=errors, kind="sensor")


def json_line_to_alert(line: str) -> Alert:
    """One JSONL line: a sensor reading or a single warning signal (the simulator writes both)."""
    document = json.loads(line)
    if isinstance(document, dict) and is_cn_warning_document(document):
        return warning_to_alert(document, raw=line)
    return reading_to_alert(document, raw=line)


def parse_jsonl(text: str, source: str) -> ParseResult:
    result = ParseResult(kind="jsonl")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            result.alerts.append(json_line_to_alert(line))
        except RecursionError:
            result.errors.append(AlertFormatError(source, f"第{number}行 / line {number}: JSON nested too deeply"))
        except json.JSONDecodeError as err:
            result.errors.append(AlertFormatError(source, f"第{number}行 / line {number}: invalid JSON ({err.msg})"))
        except (ValueError, TimeFormatError) as err:
            result.errors.append(AlertFormatError(source, f"第{number}行 / line {number}: {err}"))
    return result


def parse_payload(data: bytes | str, source: str, content_type: str | None = None, suffix: str = "") -> ParseResult:
    """Parse any supported payload; the format comes from the suffix, content type or first character."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    content_type = (content_type or "").split(";")[0].strip().lower()
    suffix = suffix.lower()
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not head:
        raise AlertFormatError(source, "内容为空 / the payload is empty")
    if head == b"<":
        try:
            return parse_xml_payload(raw, source)
        except RecursionError:
            raise AlertFormatError(source, "XML 嵌套过深 / the XML is nested too deeply to be an alert") from None
    text = _decode(raw, source)
    if suffix == ".csv" or content_type == "text/csv":
        result = ParseResult(kind="csv")
        result.alerts, result.errors = parse_csv(text, source)
        return result
    if suffix in (".jsonl", ".ndjson") or content_type in ("application/x-ndjson", "application/jsonl"):
        return parse_jsonl(text, source)
    if head in (b"{", b"["):
        return parse_json_payload(text, source)
    if text.lstrip("\ufeff").startswith("point_id"):
        result = ParseResult(kind="csv")
        result.alerts, result.errors = parse_csv(text, source)
        return result
    raise AlertFormatError(
        source,
        "无法识别的格式：应为 CAP/Atom/RSS XML、JSON、JSONL 或 CSV / unrecognised format: expected CAP/Atom/RSS XML, JSON, JSONL or CSV",
    )


def parse_file(path: str | Path) -> ParseResult:
    """Parse a file on disk; errors name the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise AlertFormatError(str(path), f"无法读取文件 / cannot read the file: {err.strerror}") from None
    return parse_payload(data, str(path), suffix=path.suffix)
