"""The only door through which alert XML enters: defusedxml with DTDs forbidden.

Alert XML comes from outside (feeds, HTTP posts, files). A document type declaration
is how external entities (``file:///etc/passwd``), remote DTDs and entity-expansion
bombs get in, and CAP never needs one, so any DTD is refused before anything is
resolved. XInclude is never processed; a document that asks for it is refused too,
so the sender learns their message was not read as they meant.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from assistant.errors import AlertFormatError

XINCLUDE_NS = "http://www.w3.org/2001/XInclude"


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def parse_xml(data: bytes | str, source: str) -> Element:
    """Parse untrusted XML; every refusal is an AlertFormatError naming ``source``."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data.strip():
        raise AlertFormatError(source, "内容为空 / the document is empty")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise AlertFormatError(
            source,
            "拒绝解析：文档含 DTD（可能是外部实体/XXE 攻击） / refused: the document declares a DTD "
            "(external entities and entity expansion are not allowed in alerts)",
        ) from None
    except (EntitiesForbidden, ExternalReferenceForbidden, DefusedXmlException) as err:
        raise AlertFormatError(
            source,
            f"拒绝解析：文档含实体声明或外部引用 / refused: entities or external references ({type(err).__name__})",
        ) from None
    except ParseError as err:
        line, column = getattr(err, "position", (0, 0))
        _explain_encoding(data, source)
        raise AlertFormatError(
            source, f"XML 格式错误（第{line}行第{column}列） / malformed XML at line {line}, column {column}: {err}"
        ) from None
    for element in root.iter():
        if namespace(element.tag) == XINCLUDE_NS:
            raise AlertFormatError(source, "拒绝解析：文档使用 XInclude / refused: the document uses XInclude")
    return root


def _explain_encoding(data: bytes, source: str) -> None:
    """Mis-declared encodings are the commonest real cause of 'invalid token': say so precisely."""
    declared = re.search(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.-]+)""", data)
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding.replace("-", "") not in ("utf8", ""):
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise AlertFormatError(
            source,
            f"编码错误：声明为 UTF-8，但第{err.start}字节不是 UTF-8（可能是 Latin-1/GBK） / "
            f"encoding error: declared UTF-8 but byte {err.start} is not UTF-8 (probably Latin-1 or GBK); "
            "re-encode the file or declare its real encoding",
        ) from None


def text_of(element: Element | None) -> str:
    """Stripped text of an element (with its descendants' text), '' when absent."""
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def children(element: Element, name: str) -> list[Element]:
    """Direct children with this local name, whatever their namespace prefix."""
    return [child for child in element if local_name(child.tag) == name]


def child(element: Element, name: str) -> Element | None:
    for item in element:
        if local_name(item.tag) == name:
            return item
    return None


def child_text(element: Element, name: str) -> str:
    return text_of(child(element, name))
