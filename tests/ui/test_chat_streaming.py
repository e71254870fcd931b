"""The chat page in headless Chromium: an offline answer arrives in pieces, its lead sentence first;
with an incident pinned, "现在应该启动几级响应？" is answered from the incident's draft.

A MutationObserver records the bot message's text each time the page changes it, so the
test sees what an officer sees: the answering sentence on screen before the supporting
lines and the sources, not one block at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from assistant.settings import PROJECT_ROOT
from tests.tools import need
from tests.ui.serving import PASSWORD, TOKEN, ServedApp, serve_app
from tests.ui.test_browser import BROWSER_HINT, CHROMEDRIVER, CHROMIUM, FLAGS, Page

pytestmark = pytest.mark.slow

# Records every distinct text of the last bot message; installed before the question is sent.
RECORDER = """
window.__states = [];
const root = document.getElementById('chatbot');
const observer = new MutationObserver(() => {
  const bots = root.querySelectorAll('.message.bot, [data-testid="bot"]');
  if (!bots.length) return;
  const text = bots[bots.length - 1].textContent.trim();
  const states = window.__states;
  if (text && states[states.length - 1] !== text) states.push(text);
});
observer.observe(root, {childList: true, subtree: true, characterData: true});
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    with serve_app(tmp_path_factory.mktemp("streaming")) as served:
        yield served


@pytest.fixture
def page(app: ServedApp, tmp_path: Path) -> Iterator[Page]:
    need(bool(CHROMIUM and CHROMEDRIVER), BROWSER_HINT)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver: WebDriver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    try:
        page = Page(driver, tmp_path)
        driver.get(app.url)
        page.wait(lambda: driver.find_elements(By.CSS_SELECTOR, "input[type=password]"), 30, "the login form")
        driver.find_element(By.CSS_SELECTOR, "input[type=text], textarea").send_keys("li")
        driver.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(PASSWORD + Keys.ENTER)
        page.wait(lambda: driver.find_elements(By.ID, "board"), 30, "the board after login")
        yield page
    finally:
        driver.quit()


def test_offline_answer_arrives_in_several_updates_lead_first(page: Page) -> None:
    driver = page.driver
    page.tab("chat")
    driver.execute_script(RECORDER)
    question = driver.find_element(By.CSS_SELECTOR, "#question textarea")
    question.send_keys("燃气泄漏报警后，抢修人员要在多长时间内到达现场？" + Keys.ENTER)
    page.wait(lambda: "来源" in page.text_of("chatbot"), 60, "the answer's sources")
    page.wait(lambda: "[1]" in page.text_of("sources") or page.text_of("sources"), 10, "the cited sources panel")
    recorded: list[str] = driver.execute_script("return window.__states")
    states = [s for s in recorded if "[1]" in s]  # answer text only (not the "loading" placeholder)
    final = states[-1]
    assert len(states) >= 2, states
    assert "20分钟" in states[0] and "来源" not in states[0], states[0]
    assert all(final.startswith(s[: len(s) // 2]) for s in states), "every update extends the same answer"
    page.shot("chat-streaming")


def test_pinned_incident_questions_are_answered_from_its_draft(app: ServedApp, page: Page) -> None:
    driver = page.driver
    alert = PROJECT_ROOT / "examples" / "alerts" / "gas_alarm.json"
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    posted = httpx.post(f"{app.url}api/alerts", content=alert.read_bytes(), headers=headers, timeout=10)
    incident_id = str(posted.json()["incident_ids"][0])
    page.wait(lambda: incident_id in page.text_of("board"), 10, "the posted alert on the board")
    driver.find_element(By.CSS_SELECTOR, "#board [data-testid='cell-0-2']").click()
    page.wait(lambda: incident_id in page.text_of("selected-incident"), 5, "the selected incident")
    page.click("open-workspace")
    page.wait(lambda: incident_id in page.text_of("incident-header"), 10, "the incident workspace")
    page.click("draft")
    page.wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#plan section.stage")) == 6, 60, "six stages")
    draft = app.services.records.latest_draft(app.services.records.list_drafts(incident_id=incident_id)[0]["draft_id"])
    page.tab("chat")
    page.wait(lambda: page.text_of("pinned"), 10, "the pinned incident")
    question = driver.find_element(By.CSS_SELECTOR, "#question textarea")
    question.send_keys("现在应该启动几级响应？" + Keys.ENTER)
    page.wait(lambda: "本事件草案" in page.text_of("chatbot"), 30, "the answer from the draft")
    assert ("建议启动" in page.text_of("chatbot")) == (draft.draft.proposed_level is not None)
    units = [a.unit for s in draft.draft.stages for a in s.actions if a.unit]
    question.send_keys("要通知哪些单位？" + Keys.ENTER)
    page.wait(lambda: "需要通知或协同的单位" in page.text_of("chatbot"), 30, "the units of the draft")
    assert any(unit in page.text_of("chatbot") for unit in set(units)), units
    page.shot("chat-pinned")
