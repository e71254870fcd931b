"""Alerts for chain tests, built as the alert parsers would produce them."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.domain import Alert, AlertArea, Colour, Level, SensorReading


def gas_alert(colour: Colour | None = Colour.YELLOW, language: str = "zh", description: str = "") -> Alert:
    return Alert(
        alert_id="sensor:GAS-0012|2026-11-22T01:28:00Z",
        source_format="sensor",
        sender="燃气监测平台",
        sent=datetime(2026, 11, 22, 1, 28, tzinfo=UTC),
        sent_offset="+08:00",
        event="可燃气体浓度报警" if language == "zh" else "combustible gas alarm",
        hazard="燃气",
        colour=colour,
        level=None,
        description=description,
        language=language,
        area=AlertArea(address="滨江路88号地下一层", district="滨江区", lat=31.23, lon=121.47),
        sensor=SensorReading("GAS-0012", "combustible_gas", 25.0, "%LEL", {"yellow": 20.0, "red": 50.0}, 1.25),
        owner="示例燃气公司",
    )


def level_of(colour: Colour) -> Level:
    return {Colour.RED: Level.I, Colour.ORANGE: Level.II, Colour.YELLOW: Level.III, Colour.BLUE: Level.IV}[colour]
