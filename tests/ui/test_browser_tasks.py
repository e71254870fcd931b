"""From draft to done in headless Chromium: tasks issued, chased, overdue, waived; the incident closed; the shift handed over.

Alert posted → drafted → three of its actions issued as tasks (one due at once, one with a stated
duration, one tied to an event) → one acknowledged, one completed → the task clock moved past the
duration (no sleeping) → the board shows the overdue task in red and done/total → closing is refused
while tasks are open → the open ones waived with reasons → closed → the handover prepared by the
outgoing officer and acknowledged by the incoming one. Screenshots go to artifacts/ui/tasks-*.png.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from docx import Document
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from assistant.tasks.actions import numbered_actions
from assistant.tasks.due import DueKind, parse_due
from tests.ui.serving import ServedApp, serve_app
from tests.ui.test_browser import ARTIFACTS, Page, _chromium_installed, _post_alert, open_as

pytestmark = pytest.mark.slow
__all__ = ["_chromium_installed", "open_as"]  # fixtures shared with test_browser.py
RED = "214, 39, 40"  # the overdue cells' background (#d62728)
RED_ROW = "248, 215, 218"  # an overdue task row in the workspace (#f8d7da)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    with serve_app(tmp_path_factory.mktemp("browser-tasks")) as served:
        yield served


def body_text(page: Page) -> str:
    return str(page.driver.find_element(By.TAG_NAME, "body").text)


def choose(page: Page, element_id: str, value: str) -> None:
    """Pick a dropdown entry by typing its start (Gradio filters the list) and pressing Enter."""
    box = page.driver.find_element(By.CSS_SELECTOR, f"#{element_id} input")
    box.send_keys(Keys.CONTROL, "a", Keys.DELETE)
    box.send_keys(value + " ")
    box.send_keys(Keys.ENTER)


def task_step(page: Page, ref: str, button: str, note: str = "") -> None:
    choose(page, "task-pick", ref)
    area = page.driver.find_element(By.CSS_SELECTOR, "#task-note textarea")
    area.send_keys(Keys.CONTROL, "a", Keys.DELETE)
    if note:
        area.send_keys(note)
    page.driver.execute_script("arguments[0].click()", page.driver.find_element(By.ID, f"task-{button}"))


def row_status(page: Page, ref: str) -> str:
    rows = page.driver.find_elements(By.CSS_SELECTOR, f"#tasks tr[data-task='{ref}']")
    return str(rows[0].get_attribute("data-status")) if rows else ""


def board_cells(page: Page, column: int) -> list[str]:
    """One column of the board (this module's app holds one incident at a time)."""
    return page.column("board", column)


def panel_shot(page: Page, name: str) -> None:
    """The task panel alone: a full-height shot of the long workspace costs seconds."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.driver.find_element(By.ID, "tasks-panel").screenshot(str(ARTIFACTS / f"{name}.png"))


def cell_style(page: Page, header: str) -> str:
    """The style of the first board row's cell under ``header``."""
    headers = [
        str(h.get_attribute("textContent")).strip()
        for h in page.driver.find_elements(By.CSS_SELECTOR, "#board thead th")
    ]
    column = next(i for i, h in enumerate(headers) if h.startswith(header))
    cell = page.driver.find_element(By.CSS_SELECTOR, f"#board [data-testid='cell-0-{column}']")
    return str(cell.get_attribute("style"))


def test_tasks_from_draft_to_closed_incident_and_handover(app: ServedApp, open_as: Callable[[str], Page]) -> None:
    page = open_as("zhang")
    driver = page.driver
    incident_id = _post_alert(app)
    page.wait(lambda: incident_id in page.text_of("board"), 5, "the posted alert on the board")
    driver.find_element(By.CSS_SELECTOR, "#board [data-testid='cell-0-2']").click()
    page.wait(lambda: incident_id in page.text_of("selected-incident"), 5, "the selected incident")
    page.click("open-workspace")
    page.wait(lambda: incident_id in page.text_of("incident-header"), 10, "the incident workspace")
    page.click("draft")
    page.wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#issue-pick label")) > 10, 90, "the actions to issue")

    # Three actions: one due at once, one with a stated duration, one tied to an event (no clock).
    record = app.services.records.latest_draft(app.services.records.list_drafts(incident_id=incident_id)[0]["draft_id"])
    picked: dict[DueKind, tuple[int, str]] = {}
    for item in numbered_actions(record.draft):
        due = parse_due(item.action.time_limit)
        picked.setdefault(due.kind, (item.number, item.action.time_limit))
    assert set(picked) == set(DueKind), picked
    within = parse_due(picked[DueKind.BY][1]).within
    assert within is not None
    for number, _ in picked.values():
        label = next(
            b for b in driver.find_elements(By.CSS_SELECTOR, "#issue-pick label") if b.text.startswith(f"{number}. ")
        )
        driver.execute_script("arguments[0].click()", label.find_element(By.CSS_SELECTOR, "input"))
    page.click("issue-tasks")
    page.wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#tasks tbody tr")) == 3, 10, "three tasks issued")
    assert "已下达 3 项任务" in page.text_of("task-message")
    refs = {
        kind: next(t.ref for t in app.services.tasks.of_incident(incident_id) if t.action_no == number)
        for kind, (number, _) in picked.items()
    }
    tasks_text = page.text_of("tasks")
    assert "立即" in tasks_text and "无时钟时限" in tasks_text and picked[DueKind.EVENT][1] in tasks_text

    task_step(page, refs[DueKind.AT_ONCE], "ack")  # the unit took the at-once task up
    page.wait(lambda: row_status(page, refs[DueKind.AT_ONCE]) == "acknowledged", 10, "the acknowledged task")
    task_step(page, refs[DueKind.EVENT], "done", note="评估单位已完成现场查看")
    page.wait(lambda: row_status(page, refs[DueKind.EVENT]) == "done", 10, "the completed task")
    page.wait(lambda: "任务 3 项：已完成 1 · 免除 0 · 逾期 0" in page.text_of("tasks-summary"), 10, "the task summary")
    panel_shot(page, "tasks-issued")

    page.tab("board")
    page.wait(lambda: board_cells(page, 12) == ["1/3"], 10, "done/total on the board")
    assert RED not in cell_style(page, "任务")  # nothing is late yet
    app.services.clock.advance(within + timedelta(minutes=1))  # the stated duration passes: no sleeping
    page.wait(lambda: board_cells(page, 12) == ["1/3 逾期1"], 5, "the overdue task on the board")
    page.wait(lambda: RED in cell_style(page, "任务") and RED in cell_style(page, "下一时限"), 5, "red task cells")
    assert board_cells(page, 13)[0]  # the next (missed) deadline, in local time
    page.shot("tasks-board-overdue")

    driver.find_element(By.CSS_SELECTOR, "#board [data-testid='cell-0-2']").click()
    page.wait(lambda: incident_id in page.text_of("selected-incident"), 5, "the selected incident")
    page.click("close")
    page.wait(lambda: "还有 2 项任务未完成" in body_text(page), 10, "close refused while tasks are open")
    assert app.services.alerts.incident(incident_id).status.value != "closed"
    page.shot("tasks-close-refused")

    page.click("open-workspace")
    overdue_row = f"#tasks tr[data-task='{refs[DueKind.BY]}']"
    page.wait(lambda: "逾期" in driver.find_element(By.CSS_SELECTOR, overdue_row).text, 10, "the overdue row")
    assert RED_ROW in str(driver.find_element(By.CSS_SELECTOR, overdue_row).get_attribute("style"))
    task_step(page, refs[DueKind.BY], "waive")  # a waiver without a reason is refused
    page.wait(lambda: "免除任务须写明理由" in body_text(page), 10, "the reason asked for")
    page.dismiss_toasts()
    task_step(page, refs[DueKind.BY], "waive", note="区应急局已电话确认，无需书面报告")
    page.wait(lambda: row_status(page, refs[DueKind.BY]) == "waived", 10, "the waived task")
    task_step(page, refs[DueKind.AT_ONCE], "waive", note="通知已由区指挥部统一发出")
    page.wait(lambda: row_status(page, refs[DueKind.AT_ONCE]) == "waived", 10, "the second waived task")
    assert "区应急局已电话确认，无需书面报告" in page.text_of("tasks")
    panel_shot(page, "tasks-waived")

    page.tab("board")
    driver.find_element(By.CSS_SELECTOR, "#board [data-testid='cell-0-2']").click()
    page.wait(lambda: incident_id in page.text_of("selected-incident"), 5, "the selected incident")
    page.click("close")
    page.wait(lambda: "已关闭" in page.text_of("board-note"), 10, "the incident closed")
    page.wait(lambda: incident_id not in page.text_of("board"), 5, "the closed incident gone from the board")
    events = [e.action for e in app.services.alerts.events(incident_id)]
    assert events.count("task.waived") == 2 and events[-1] == "closed"

    page.tab("handover")
    driver.find_element(By.CSS_SELECTOR, "#handover-since textarea").send_keys("12h")
    page.click("handover-make")
    page.wait(lambda: "待接班确认" in page.text_of("handover-status"), 20, "the prepared handover")
    handed = page.text_of("handover-body")
    assert "交接班记录" in handed and "关闭事件（1）" in handed and incident_id in handed
    page.wait(lambda: driver.find_element(By.ID, "handover-docx").is_enabled(), 10, "the Word download")
    page.click("handover-docx")
    word = page.wait(lambda: list(page.downloads.glob("*.docx")), 20, "the downloaded handover")
    paragraphs = "\n".join(p.text for p in Document(str(word[0])).paragraphs)  # type: ignore[index]
    assert "交班人：zhang" in paragraphs
    page.shot("tasks-handover")

    incoming = open_as("li")
    incoming.tab("handover")
    incoming.wait(lambda: "交班人 zhang" in incoming.text_of("handover-status"), 10, "the handover waiting for li")
    incoming.click("handover-ack")
    incoming.wait(lambda: "已由 li 于" in incoming.text_of("handover-status"), 10, "the acknowledgement")
    assert app.services.handovers.latest().acknowledged_by == "li"  # type: ignore[union-attr]
    incoming.shot("tasks-handover-acknowledged")
    page.wait(lambda: "已由 li 于" in page.text_of("handover-status"), 10, "zhang sees it taken over")
