"""A shift's handover gathered from incidents, their events and tasks; written as Word and Markdown; acknowledged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from assistant.alerts.assets import load_assets
from assistant.alerts.notable import LEVEL_PROPOSED
from assistant.alerts.sensor_json import reading_to_alert
from assistant.alerts.store import AlertStore
from assistant.domain import Alert, IncidentStatus
from assistant.errors import AssistantError
from assistant.handover import (
    HandoverStore,
    Period,
    ReportDue,
    collect_handover,
    handover_docx,
    handover_markdown,
    shift_period,
)
from assistant.tasks import Clock, TaskStore
from tests.tasks.conftest import draft_for

ASSETS = Path(__file__).parent.parent / "alerts" / "fixtures" / "assets.yaml"


def reading(point: str, value: float, minute: int, asset: str | None = None) -> Alert:
    return reading_to_alert(
        {
            "point_id": point,
            "sensor_type": "combustible_gas",
            "value": value,
            "unit": "%LEL",
            "thresholds": {"yellow": 20, "orange": 35, "red": 50},
            "time": (datetime(2026, 11, 22, 1, 0, tzinfo=UTC) + timedelta(minutes=minute)).isoformat(),
            "location": {"lat": 31.2238, "lon": 121.4689, "district": "老城区"},
            "name": f"{point} 燃气管线监测点",
            **({"asset_id": asset} if asset else {}),
        }
    )


@pytest.fixture
def shift(tmp_path: Path) -> tuple[AlertStore, TaskStore, Clock, dict[str, str]]:
    """One incident that rose from yellow to orange on an old cast-iron pipe, with four tasks; one closed incident."""
    alerts = AlertStore(tmp_path / "alerts.db", assets=load_assets(ASSETS))
    clock = Clock()
    tasks = TaskStore(alerts, clock)
    pipe = alerts.ingest(reading("GAS-1", 25, 0, asset="TP-1")).incident_id or ""
    alerts.ingest(reading("GAS-1", 40, 3, asset="TP-1"))
    alerts.record_event(pipe, "张伟", LEVEL_PROPOSED, "Ⅳ级（一般）")
    at_once, _by_30, _after, _by_2h = tasks.issue(draft_for(pipe), 1, "张伟", numbers=[4, 5, 6, 7])[0]
    tasks.acknowledge(at_once.task_id, "李娜")
    other = alerts.ingest(reading("GAS-2", 22, 5)).incident_id or ""
    alerts.transition(other, IncidentStatus.CLOSED, "张伟", note="误报")
    yield alerts, tasks, clock, {"pipe": pipe, "other": other}
    alerts.close()


def test_the_handover_holds_what_the_next_shift_must_act_on(shift: tuple) -> None:
    alerts, tasks, clock, ids = shift
    started = clock.now() - timedelta(hours=1)
    clock.advance(timedelta(minutes=40))  # the 30-minute task is now overdue; the 2-hour one falls in the next shift
    period = Period(started, clock.now(), clock.now() + timedelta(hours=12))
    handover = collect_handover(alerts, tasks, period, "张伟")
    assert [e.incident.incident_id for e in handover.open_incidents] == [ids["pipe"]]
    assert [t.text for t in handover.overdue] == ["关闭泄漏点上游阀门切断气源"]
    assert [t.text for t in handover.due_next] == ["向区政府书面报告处置情况"]  # not the event-named one
    assert {i for i, _, _ in handover.opened} == {ids["pipe"], ids["other"]}
    assert [(i, by) for i, _, _, by in handover.closed] == [(ids["other"], "张伟")]
    changes = {(c.kind, c.detail.split(" → ")[0]) for c in handover.changes}
    assert changes == {("similar_assets", "TP-1"), ("colour_raised", "黄色→橙色"), ("level_proposed", "Ⅳ级（一般）")}
    assert "测试铸铁管二（TP-2）" in next(c.detail for c in handover.changes if c.kind == "similar_assets")
    assert handover.reports_due is None  # no reports module wired: said, not hidden

    text = handover_markdown(handover, "zh", "+08:00", unit="老城区城运中心")
    assert text.startswith("# 交接班记录（2026年")
    for heading in ("## 一、值守概况", "## 二、未关闭事件（按预警颜色）", "### （一）橙色（1）", "## 三、逾期任务"):
        assert heading in text
    assert "未关闭事件 1 起；逾期任务 1 项；下一班内到期任务 1 项；本班新增事件 2 起、关闭 1 起。" in text
    assert "| 0/4（逾期1） |" in text
    assert "信息报送模块未接入" in text and "预警颜色升级" in text and "黄色→橙色" in text
    assert "交班人：张伟" in text and "编制单位：老城区城运中心" in text

    word = Document(BytesIO(handover_docx(handover, "zh", "+08:00")))
    headings = [p.text for p in word.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert headings[:3] == ["一、值守概况", "二、未关闭事件（按预警颜色）", "（一）橙色（1）"]
    cells = {c.text for table in word.tables for row in table.rows for c in row.cells}
    assert "关闭泄漏点上游阀门切断气源" in "".join(cells) and "燃气企业抢修人员" in cells

    english = handover_markdown(handover, "en", "+08:00")
    assert "## 3. Overdue tasks" in english and "The reports module is not connected" in english


def test_reports_due_come_through_the_hook(shift: tuple) -> None:
    alerts, tasks, clock, ids = shift
    now = clock.now()
    asked: list[tuple[list[str], datetime, datetime]] = []

    def reports(incident_ids: list[str], end: datetime, next_end: datetime) -> list[ReportDue]:
        asked.append((list(incident_ids), end, next_end))
        return [ReportDue(ids["pipe"], "管线燃气泄漏", "续报", end + timedelta(hours=1), "《示例预案》第5.2条")]

    period = Period(now - timedelta(hours=2), now, now + timedelta(hours=8))
    handover = collect_handover(alerts, tasks, period, "张伟", reports_due=reports)  # type: ignore[arg-type]
    assert asked == [([ids["pipe"]], now, now + timedelta(hours=8))]
    text = handover_markdown(handover, "zh", "+08:00")
    assert "| 管线燃气泄漏 | 续报 |" in text and "《示例预案》第5.2条" in text and "已逾期" not in text


def test_the_incoming_officer_acknowledges_once(shift: tuple) -> None:
    alerts, _, clock, _ = shift
    heard: list[str] = []
    store = HandoverStore(alerts, clock, audit=lambda action, **detail: heard.append(f"{action}:{detail['actor']}"))
    now = clock.now()
    record = store.save(Period(now - timedelta(hours=12), now, now + timedelta(hours=12)), "张伟", "zh", "# 交接班记录")
    assert record.acknowledged_by is None and store.latest() == record
    with pytest.raises(AssistantError, match="交班人 张伟 不能确认"):
        store.acknowledge(record.handover_id, "张伟")
    taken = store.acknowledge(record.handover_id, "李娜")
    assert taken.acknowledged_by == "李娜" and taken.acknowledged_at is not None
    with pytest.raises(AssistantError, match="已由 李娜 确认"):
        store.acknowledge(record.handover_id, "王强")
    assert heard == ["handover.prepared:张伟", "handover.acknowledged:李娜"]


def test_periods_read_the_way_officers_write_them() -> None:
    now = datetime(2026, 11, 22, 12, 30, tzinfo=UTC)  # 20:30 in Beijing
    local = shift_period("08:00", None, 12, now, "+08:00")
    assert local.start == datetime(2026, 11, 22, 0, 0, tzinfo=UTC) and local.next_end == now + timedelta(hours=12)
    assert shift_period("21:00", None, 12, now, "+08:00").start == datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
    assert shift_period("12h", None, 8, now, "+08:00").start == now - timedelta(hours=12)
    assert shift_period("2026-11-22 08:00", "2026-11-22T20:00+08:00", 12, now, "+08:00").end == now - timedelta(
        minutes=30
    )
    last = now - timedelta(hours=3)
    assert shift_period(None, None, 12, now, "+08:00", last_end=last).start == last
    assert shift_period(None, None, 12, now, "+08:00").start == now - timedelta(hours=12)
    with pytest.raises(AssistantError, match="无法识别时间"):
        shift_period("yesterday", None, 12, now, "+08:00")
    with pytest.raises(AssistantError, match="开始须早于结束"):
        shift_period("2026-11-23 08:00", None, 12, now, "+08:00")
