"""CAP index feeds (Atom and RSS 2.0): each entry becomes an alert, or says why not.

Feeds carry alerts three ways, and all three occur in real feeds:
1. a whole CAP ``<alert>`` inside the entry (Canadian NAAD, many Atom CAP feeds);
2. an index entry with ``cap:`` elements (event, severity, areaDesc, polygon, geocode), as
   the US National Weather Service publishes — enough to normalise without fetching;
3. a plain entry (title, summary, maybe a georss point) with a link to the CAP message.
The poller may follow the CAP link of the third kind; a file on disk never makes us
fetch anything. One bad entry does not sink the feed: it is reported on its own.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, tostring

from assistant.alerts.areas import area_centre, merge_areas, parse_circle, parse_point, parse_polygon, value_pairs
from assistant.alerts.cap import SEVERITIES, URGENCIES, parse_cap_alert
from assistant.alerts.identity import message_id
from assistant.alerts.normalise import declared_level, detect_hazard, detect_language, resolve_colour
from assistant.alerts.times import TimeFormatError, parse_rfc822, parse_time
from assistant.alerts.xmlsafe import child, child_text, children, local_name, namespace, text_of
from assistant.domain import Alert, AlertArea
from assistant.errors import AlertFormatError

GEORSS_NS = "http://www.georss.org/georss"
CAP_MIME = ("application/cap+xml", "application/common-alerting-protocol+xml")


@dataclass(frozen=True)
class FeedItem:
    """One entry: its alert, or the reason it was refused; ``cap_link`` is where the full CAP lives."""

    key: str
    alert: Alert | None = None
    error: AlertFormatError | None = None
    cap_link: str | None = None


def _strip_html(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text))).strip()


def _embedded_cap(entry: Element) -> Element | None:
    for element in entry.iter():
        if element is not entry and local_name(element.tag) == "alert":
            return element
    return None


def _index_area(entry: Element, where: str) -> AlertArea:
    """Areas from cap:areaDesc/polygon/geocode, cap:area blocks and georss shapes."""
    areas: list[AlertArea] = []
    for node in children(entry, "area"):
        found = tuple(parse_circle(text_of(c), where) for c in children(node, "circle") if text_of(c))
        lat, lon = area_centre((), found)
        areas.append(AlertArea(description=child_text(node, "areaDesc"), circles=found, lat=lat, lon=lon))
    polygons: list[tuple[tuple[float, float], ...]] = []
    for shape in children(entry, "polygon"):
        text = text_of(shape)
        if text and namespace(shape.tag) == GEORSS_NS:
            numbers = text.split()
            text = " ".join(f"{a},{b}" for a, b in zip(numbers[0::2], numbers[1::2], strict=False))
        if text:
            polygons.append(parse_polygon(text, where))
    circles: list[tuple[float, float, float]] = []
    point = child(entry, "point")
    if point is not None and len(text_of(point).split()) == 2:
        circles.append((*parse_point(",".join(text_of(point).split()), where), 0.0))
    geocodes: list[tuple[str, str]] = []
    for node in children(entry, "geocode"):
        geocodes.extend((name, code) for name, value in value_pairs(node) for code in value.split())
    lat, lon = area_centre(tuple(polygons), tuple(circles))
    areas.append(
        AlertArea(
            description=child_text(entry, "areaDesc"),
            polygons=tuple(polygons),
            circles=tuple(circles),
            geocodes=tuple(geocodes),
            lat=lat,
            lon=lon,
        )
    )
    return merge_areas([a for a in areas if a.description or a.polygons or a.circles or a.geocodes])


def _entry_alert(
    entry: Element, identifier: str, title: str, sender: str, when: str, summary: str, kind: str, where: str
) -> Alert:
    sent, offset = parse_rfc822(when, "pubDate") if kind == "rss" else parse_time(when, "<updated>")
    event = child_text(entry, "event") or title
    severity = child_text(entry, "severity")
    urgency = child_text(entry, "urgency")
    expires_text = child_text(entry, "expires")
    colour = resolve_colour(None, [title, event, summary], severity)
    return Alert(
        alert_id=message_id(sender, identifier),
        source_format=kind,
        sender=sender,
        sent=sent,
        sent_offset=offset,
        event=event,
        hazard=detect_hazard([event, title, summary]),
        colour=colour,
        level=declared_level([title, event]),
        headline=title,
        description=summary,
        status=child_text(entry, "status") or "Actual",
        msg_type=child_text(entry, "msgType") or "Alert",
        urgency=urgency if urgency in URGENCIES else None,
        severity=severity if severity in SEVERITIES else None,
        certainty=child_text(entry, "certainty") or None,
        language=detect_language(title + summary),
        area=_index_area(entry, where),
        expires=parse_time(expires_text, "cap:expires")[0] if expires_text else None,
    )


def _cap_link(entry: Element) -> str | None:
    links = [link for link in children(entry, "link") if link.get("href")]
    for link in links:
        if (link.get("type") or "").lower() in CAP_MIME:
            return link.get("href")
    return None


def _atom_entry(entry: Element, number: int, feed_sender: str, source: str) -> FeedItem:
    where = f"entry {number}: "
    identifier = child_text(entry, "id")
    key = identifier or f"#{number}"
    embedded = _embedded_cap(entry)
    try:
        if embedded is not None:
            raw = tostring(embedded, encoding="unicode")
            return FeedItem(key, alert=parse_cap_alert(embedded, f"{source} (entry {number})", raw))
        title = child_text(entry, "title")
        if not identifier:
            raise ValueError(f"{where}缺少 <id> / the entry has no <id>")
        if not title:
            raise ValueError(f"{where}缺少 <title> / the entry has no <title>")
        content = child(entry, "content")
        if content is None and not any(
            (link.get("rel") or "alternate") == "alternate" for link in children(entry, "link")
        ):
            raise ValueError(
                f"{where}既无 <content> 也无链接 / the entry has neither <content> nor an alternate <link>"
            )
        author = child(entry, "author")
        sender = (child_text(author, "name") if author is not None else "") or feed_sender
        when = child_text(entry, "published") or child_text(entry, "updated")
        if not when:
            raise ValueError(f"{where}缺少 <updated> / the entry has no <updated> time")
        summary = _strip_html(child_text(entry, "summary") or text_of(content))
        alert = _entry_alert(entry, identifier, title, sender, when, summary, "atom", where)
        return FeedItem(key, alert=alert, cap_link=_cap_link(entry))
    except AlertFormatError as err:
        return FeedItem(key, error=err)
    except TimeFormatError as err:
        return FeedItem(key, error=AlertFormatError(source, f"{where}{err}"))
    except ValueError as err:
        return FeedItem(key, error=AlertFormatError(source, str(err)))


def parse_atom(root: Element, source: str) -> list[FeedItem]:
    author = child(root, "author")
    feed_sender = (child_text(author, "name") if author is not None else "") or child_text(root, "id") or source
    return [_atom_entry(e, n, feed_sender, source) for n, e in enumerate(children(root, "entry"), start=1)]


def parse_rss(root: Element, source: str) -> list[FeedItem]:
    channel = child(root, "channel")
    if channel is None:
        return [FeedItem("#0", error=AlertFormatError(source, "RSS 缺少 <channel> / the RSS feed has no <channel>"))]
    feed_sender = child_text(channel, "link") or child_text(channel, "title") or source
    channel_date = child_text(channel, "pubDate") or child_text(channel, "lastBuildDate")
    items = []
    for number, item in enumerate(children(channel, "item"), start=1):
        where = f"item {number}: "
        title, summary = child_text(item, "title"), _strip_html(child_text(item, "description"))
        identifier = child_text(item, "guid") or child_text(item, "link")
        try:
            if not (title or summary):
                raise ValueError(
                    f"{where}既无 <title> 也无 <description> / the item has neither <title> nor <description>"
                )
            if not identifier:
                raise ValueError(f"{where}既无 <guid> 也无 <link> / the item has neither <guid> nor <link>")
            when = child_text(item, "pubDate") or channel_date
            if not when:
                raise ValueError(f"{where}缺少 <pubDate> / the item has no <pubDate>")
            alert = _entry_alert(item, identifier, title or summary[:80], feed_sender, when, summary, "rss", where)
            link = child_text(item, "link")
            items.append(FeedItem(identifier, alert=alert, cap_link=link if link.lower().endswith(".cap") else None))
        except TimeFormatError as err:
            items.append(FeedItem(identifier or f"#{number}", error=AlertFormatError(source, f"{where}{err}")))
        except ValueError as err:
            items.append(FeedItem(identifier or f"#{number}", error=AlertFormatError(source, str(err))))
    return items
