"""HTML for one incident: what the alert says, and everything that happened to it, in order.

Times are shown in the operations centre's offset (``ui.utc_offset``): an officer reads
"09:28", not "01:28Z", and the zone is written once above the timeline; the alert's own sending
time also keeps its original offset. Alert text is escaped: it is data, never markup. A field
whose instruction-like text was withheld (an injection attempt) shows what was kept, a visible
mark, and the original text struck through in a closed box, so nobody takes it for a fact.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from html import escape
from typing import Any

from assistant.chain.facts import AlertFacts
from assistant.domain import ASSIGNED, Alert, Colour, IncidentStatus
from assistant.export.local_time import offset_label
from assistant.ui.facts_view import fact_rows
from assistant.ui.i18n import event_label, hazard_label, text

STATUS_LABELS = {
    "zh": {"new": "新", "acknowledged": "已确认", "handling": "处置中", "closed": "已关闭"},
    "en": {"new": "new", "acknowledged": "acknowledged", "handling": "handling", "closed": "closed"},
}
TREND_LABELS = {
    "zh": {"rising": "↑ 上升", "falling": "↓ 下降", "steady": "→ 平稳"},
    "en": {"rising": "↑ rising", "falling": "↓ falling", "steady": "→ steady"},
}
CHANGE_LABELS = {
    "zh": {"generated": "生成", "edited": "人工修改", "revised": "按要求修订", "stage_regenerated": "重新生成阶段"},
    "en": {
        "generated": "generated",
        "edited": "edited",
        "revised": "revised",
        "stage_regenerated": "stage regenerated",
    },
}
FIELD_LABELS = {
    "zh": {
        "event": "事件",
        "hazard": "灾种",
        "colour": "预警颜色",
        "status": "状态",
        "assignee": "负责人",
        "count": "告警次数",
        "trend": "趋势",
        "value": "最新监测值",
        "peak": "峰值",
        "place": "地点",
        "district": "区域",
        "near": "附近敏感点",
        "owner": "产权/运营单位",
        "sender": "发送方",
        "sent": "发布时间",
        "headline": "标题",
        "description": "描述",
        "instruction": "防御指引",
        "alert": "告警",
        "status_change": "状态变更",
        "assigned": "指派给",
        "draft": "方案",
    },
    "en": {
        "event": "Event",
        "hazard": "Hazard",
        "colour": "Warning colour",
        "status": "Status",
        "assignee": "Officer",
        "count": "Alerts",
        "trend": "Trend",
        "value": "Latest reading",
        "peak": "Peak",
        "place": "Place",
        "district": "District",
        "near": "Near",
        "owner": "Owner",
        "sender": "Sender",
        "sent": "Sent",
        "headline": "Headline",
        "description": "Description",
        "instruction": "Instruction",
        "alert": "alert",
        "status_change": "status",
        "assigned": "assigned to",
        "draft": "plan",
    },
}


WITHHELD_MARK = {
    "zh": ("⚠ 疑似指令文字，已隔离（不作为事实，未写入方案）", "原文（仅供核查）"),
    "en": ("⚠ instruction-like text withheld (not a fact, kept out of the plan)", "original text (for checking only)"),
}


def withheld_cell(kept: str, original: str, lang: str) -> str:
    """What survived withholding, the mark, and the original struck through in a closed box."""
    mark, label = WITHHELD_MARK["en" if lang == "en" else "zh"]
    return (
        f"{escape(kept)} "
        f'<span class="withheld-mark" style="color:#721c24;background:#f8d7da;padding:0 4px;border-radius:3px;'
        f'font-weight:600">{mark}</span>'
        f'<details class="withheld"><summary>{label}</summary><del>{escape(original)}</del></details>'
    )


def zone_of(offset: str) -> timezone:
    try:
        sign = -1 if offset.startswith("-") else 1
        hours, minutes = offset.lstrip("+-").split(":")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    except (ValueError, AttributeError):
        return UTC


def local(moment: datetime | str, zone: timezone) -> str:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime("%m-%d %H:%M:%S")


def colour_chip(colour: Colour | None, lang: str) -> str:
    if colour is None:
        return '<span class="chip chip-none">—</span>'
    name = colour.value if lang == "en" else colour.zh
    return f'<span class="chip chip-{colour.value}">{name}</span>'


def details_html(entry: Any, alert: Alert | None, lang: str, facts: AlertFacts | None = None) -> str:
    """Key facts of the incident and its latest alert (reading vs thresholds, trend and its rate, people,
    casualties, nearby sites, jurisdiction), as a two-column table."""
    f = FIELD_LABELS["en" if lang == "en" else "zh"]
    incident = entry.incident
    zone = zone_of(alert.sent_offset) if alert else UTC
    reading = f"{entry.latest_value:g} {entry.unit or ''}" if entry.latest_value is not None else ""
    peak = f"{incident.peak_value:g} {entry.unit or ''}" if incident.peak_value is not None else ""
    if incident.peak_exceedance:
        peak += f"（×{incident.peak_exceedance:.2f}）"
    near = (
        f"{entry.near_site} {entry.near_site_km:.2f} km" if entry.near_site and entry.near_site_km is not None else ""
    )
    withheld = set(facts.withheld) if facts is not None else set()

    def field(name: str, raw: str) -> str:
        """The alert's own text, or — when it was withheld — what was kept, marked, with the original boxed."""
        if facts is None or name not in withheld:
            return escape(raw)
        return withheld_cell(str(getattr(facts, name)), raw, lang)

    headline_title = alert is not None and incident.title == alert.headline
    title = field("headline", incident.title) if headline_title else escape(incident.title)
    rows: list[tuple[str, str]] = [
        (f["event"], title),
        (f["hazard"], escape(hazard_label(incident.hazard, lang) or "—")),
        (f["colour"], colour_chip(incident.colour, lang)),
        (f["status"], STATUS_LABELS["en" if lang == "en" else "zh"][incident.status.value]),
        (f["assignee"], escape(incident.assignee or "—")),
        (f["count"], str(incident.count)),
        (f["trend"], TREND_LABELS["en" if lang == "en" else "zh"].get(incident.trend, incident.trend)),
        (f["value"], escape(reading)),
        (f["peak"], escape(peak)),
        (f["district"], escape(incident.district or "")),
        (f["near"], escape(near)),
    ]
    if facts is not None:
        rows += fact_rows(facts)
    if alert is not None:
        rows += [
            (
                f["place"],
                field("place", alert.area.address or alert.area.description or ""),
            ),
            (f["sent"], local(alert.sent, zone) + f"（UTC{alert.sent_offset}）"),
            (f["headline"], field("headline", alert.headline)),
            (f["description"], field("description", alert.description)),
            (f["instruction"], field("instruction", alert.instruction)),
        ]
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows if v)
    return f'<table class="facts">{body}</table>'


def timeline_html(alerts: list[Alert], events: list[Any], drafts: list[dict[str, Any]], lang: str, offset: str) -> str:
    """Alerts, status changes (with who made them) and drafts, newest first, in the given UTC offset."""
    f = FIELD_LABELS["en" if lang == "en" else "zh"]
    statuses = STATUS_LABELS["en" if lang == "en" else "zh"]
    zone = zone_of(offset)
    items: list[tuple[datetime, str]] = []
    for alert in alerts:
        value = f" {alert.sensor.value:g} {alert.sensor.unit}" if alert.sensor else ""
        colour = colour_chip(alert.colour, lang) if alert.colour else ""
        items.append((alert.sent, f"{f['alert']}{colour}{escape(value)} {escape(alert.headline or alert.event)}"))
    for event in events:
        if event.to_status and event.to_status in IncidentStatus._value2member_map_:
            change = f"{f['status_change']} → {statuses[event.to_status]}"
        elif event.action == ASSIGNED:
            change = f"{f['assigned']} {escape(event.note)}"
        else:
            change = escape(event_label(event.action, lang))
        note = f"（{escape(event.note)}）" if event.note and event.action != ASSIGNED else ""
        items.append((event.at, f"{change} · {escape(event.actor)}{note}"))
    for draft in drafts:
        created = datetime.fromisoformat(draft["created_at"])
        who = escape(draft["officer"] or "")
        change = CHANGE_LABELS["en" if lang == "en" else "zh"].get(draft["change"], escape(draft["change"]))
        items.append((created, f"{f['draft']} v{draft['version']} {change} · {who}"))
    items.sort(key=lambda item: item[0] if item[0].tzinfo else item[0].replace(tzinfo=UTC), reverse=True)
    lines = "".join(f"<li><time>{local(at, zone)}</time> {what}</li>" for at, what in items)
    caption = escape(text("times_in", lang, zone=offset_label(offset)))
    return f'<div class="timeline-zone">{caption}</div><ul class="timeline">{lines}</ul>'
