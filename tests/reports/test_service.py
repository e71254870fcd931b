"""Drafting, editing, sending and exporting reports over the shipped library, the clock injected."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

import pytest
from docx import Document

from assistant.domain import IncidentStatus
from assistant.errors import AssistantError
from assistant.reports.compose import TaskLine
from assistant.reports.deadline import DueState
from assistant.reports.document import report_docx
from assistant.reports.model import SECTION_LABELS, Line, ReportKind, ReportSection
from assistant.reports.trace import untraced
from tests.reports.conftest import Desk

GAS_EXPLOSION = "report_gas_explosion_injured_zh.xml"  # 11:42 local = 03:42 UTC, 2 injured, 1 trapped


def test_the_first_report_of_an_accident_with_casualties_is_due_within_the_hour_of_493(desk: Desk) -> None:
    incident = desk.ingest(GAS_EXPLOSION)
    standing = desk.service.standing(incident)
    rule = standing.choice.chosen
    assert rule is not None and rule.rule.rule_id == "accident-493"
    assert "生产安全事故报告和调查处理条例" in rule.clause.title and "1小时内" in rule.rule.phrase
    assert rule.clause.text.count(rule.rule.phrase) == 1  # the cited clause holds the phrase
    assert standing.initial.state is DueState.RUNNING
    assert (standing.initial.due_at - standing.first_alert).total_seconds() == 3600  # type: ignore[operator]
    assert standing.initial.seconds == 52 * 60  # 03:50 now, due 04:42
    desk.clock.advance(60)
    assert desk.service.standing(incident).initial.state is DueState.OVERDUE


def test_a_first_report_states_only_recorded_figures_and_marks_the_unknown(desk: Desk) -> None:
    incident = desk.ingest(GAS_EXPLOSION)
    record = desk.service.draft(incident, ReportKind.INITIAL, officer="王值班")
    report = record.report
    assert [s.key for s in report.sections] == [
        "time", "place", "overview", "casualties", "measures", "next_steps", "contact"
    ]  # fmt: skip
    text = {s.key: s.text() for s in report.sections}
    assert "2026年12月3日 11时42分" in text["time"]
    assert "示例市滨江区江景路18号" in text["place"]
    assert "受伤2人" in text["casualties"] and "被困1人" in text["casualties"]
    assert "死亡、失联「待核实」" in text["casualties"]  # not stated: never a reassuring zero
    assert "40户" in text["casualties"]
    assert "「待核实」" in text["measures"] and "「待核实」" in text["next_steps"]
    assert (
        "示例市城运中心（示例）" in text["contact"] and "王值班" in text["contact"] and "「待填写」" in text["contact"]
    )
    assert untraced(report) == []
    assert report.rule is not None and report.rule.minutes == 60


def test_an_invented_figure_is_caught(desk: Desk) -> None:
    incident = desk.ingest(GAS_EXPLOSION)
    report = desk.service.draft(incident, ReportKind.INITIAL).report
    forged = replace(
        report,
        sections=(
            *report.sections[:3],
            ReportSection("casualties", (Line("人员伤亡：死亡3人。", "alert:x"),)),
            *report.sections[4:],
        ),
    )
    assert [u.figure for u in untraced(forged)] == ["3人"]


def test_notes_tasks_and_the_timeline_fill_a_follow_up(desk: Desk) -> None:
    incident = desk.ingest(GAS_EXPLOSION)
    first = desk.service.draft(incident, ReportKind.INITIAL, officer="王值班")
    desk.clock.advance(20)
    desk.service.send(first.report.report_id, "区应急管理局值班室", "王值班")
    desk.alerts.transition(incident, IncidentStatus.HANDLING, "李处置")
    desk.tasks[incident] = [
        TaskLine("T1", "关闭液化石油气钢瓶角阀并转移钢瓶", "燃气企业抢修队", "done", "20分钟内",
                 due_at=desk.clock.at, done_at=desk.clock.at),
        TaskLine("T2", "搜救被困人员", "消防救援机构", "in_progress", "立即"),
        TaskLine("T3", "对周边建筑开展安全鉴定", "住建部门", "issued", "24小时内",
                 due_at=desk.clock.at.replace(hour=23)),
    ]  # fmt: skip
    desk.clock.advance(30)
    notes = "现场反馈：被困人员已救出，共3人受伤送医。"
    followup = desk.service.draft(incident, ReportKind.FOLLOWUP, officer="王值班", notes=notes).report
    text = {s.key: s.text() for s in followup.sections}
    assert followup.title.endswith("的续报（第1次）")
    assert "自上次报告（首报" in text["overview"] and "李处置将事件改为“处置中”" in text["overview"]
    assert "值班员补充：现场反馈" in text["overview"]
    assert "燃气企业抢修队：关闭液化石油气钢瓶角阀并转移钢瓶（已完成" in text["measures"]
    assert "消防救援机构：搜救被困人员（处置中）" in text["measures"]
    assert "住建部门：对周边建筑开展安全鉴定（时限：" in text["next_steps"]
    assert untraced(followup) == []


def test_edit_send_and_the_second_first_report_refused(desk: Desk) -> None:
    incident = desk.ingest(GAS_EXPLOSION)
    record = desk.service.draft(incident, ReportKind.INITIAL, officer="王值班", phone="010-5555 0101")
    assert desk.service.edit(record.report.report_id, {}, "王值班") is None
    edited = desk.service.edit(record.report.report_id, {"measures": "消防救援机构已到场处置。"}, "王值班")
    assert edited is not None and edited.version == 2 and edited.change == "edited"
    assert edited.report.section("measures").lines[0].source == "edited"  # type: ignore[union-attr]
    desk.clock.advance(10)
    sending = desk.service.send(record.report.report_id, "区应急管理局", "王值班")
    assert sending.version == 2 and sending.to == "区应急管理局"
    with pytest.raises(AssistantError, match="已于"):
        desk.service.send(record.report.report_id, "区应急管理局", "王值班")
    with pytest.raises(AssistantError, match="首报已报送"):
        desk.service.draft(incident, ReportKind.INITIAL, officer="王值班")
    standing = desk.service.standing(incident)
    assert standing.initial.state is DueState.ON_TIME and standing.initial.seconds == 0
    actions = [a["action"] for a in desk.records.audit_trail(subject=incident)]
    assert actions == ["report.drafted", "report.edited", "report.sent"]


def test_a_beijing_red_rainstorm_is_reported_every_hour_and_the_follow_up_clock_restarts(desk: Desk) -> None:
    incident = desk.ingest("cap_rainstorm_red_beijing_zh.xml")
    standing = desk.service.standing(incident)
    assert standing.choice.chosen is not None and standing.choice.chosen.rule.rule_id == "beijing-flood-level3"
    assert "一小时一报" in standing.choice.chosen.rule.phrase
    record = desk.service.draft(incident, ReportKind.INITIAL, officer="王值班")
    desk.clock.at = standing.first_alert.replace(minute=40)  # 16:40 local, 30 minutes after the warning
    desk.service.send(record.report.report_id, "市防汛办", "王值班")
    followup = desk.service.standing(incident).followup
    assert followup.state is DueState.RUNNING and followup.seconds == 3600  # the next report one hour after


def test_no_rule_means_no_deadline(desk: Desk) -> None:
    incident = desk.ingest("report_crowd_density.json")
    standing = desk.service.standing(incident)
    assert standing.choice.chosen is None and standing.initial.state is DueState.NONE
    assert "不自行设定时限" in standing.choice.reason


def test_a_report_exports_as_an_official_word_document(desk: Desk) -> None:
    incident = desk.ingest(GAS_EXPLOSION)
    record = desk.service.draft(incident, ReportKind.INITIAL, officer="王值班")
    document = Document(BytesIO(report_docx(record, "+08:00", "示例市城运中心（示例）")))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert [h[2:] for h in headings] == list(SECTION_LABELS["zh"])  # "一、时间" … "七、报告单位和联系人"
    body = "\n".join(p.text for p in document.paragraphs)
    assert "受伤2人" in body and "首报 · 第 1 版" in body
    header = "".join(p.text for s in document.sections for p in s.header.paragraphs)
    assert "待报送" in header
