"""The workspace in headless Chromium, against the real app on 127.0.0.1 with no LLM endpoint.

Alert posted to the API → on the board within 2 s → opened → drafted → six stages with
evidence badges → Word downloaded and read back; a PDF uploaded → listed → a chat
answer cites it; English switch; an officer (not admin) cannot remove a document.
Screenshots of every page go to artifacts/ui/ for a person to look at.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from docx import Document
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from assistant.domain import STAGES
from assistant.settings import PROJECT_ROOT
from tests.tools import need
from tests.ui.serving import PASSWORD, TOKEN, ServedApp, make_pdf, serve_app

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.slow
BROWSER_HINT = (
    "需要 Debian 软件包 chromium chromium-driver fonts-noto-cjk / needs the Debian packages "
    "chromium, chromium-driver and fonts-noto-cjk (`make test` installs them when run as root)"
)


@pytest.fixture(autouse=True)
def _chromium_installed() -> None:
    need(bool(CHROMIUM and CHROMEDRIVER), BROWSER_HINT)


ARTIFACTS = PROJECT_ROOT / "artifacts" / "ui"
GAS_ALARM = PROJECT_ROOT / "examples" / "alerts" / "gas_alarm.json"
GAS_GARAGE_CAP = PROJECT_ROOT / "evals" / "alerts" / "cap_gas_garage_rising_zh.xml"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--window-size=1400,1600",
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    with serve_app(tmp_path_factory.mktemp("browser"), retrieval="hybrid") as served:
        yield served


class Page:
    """One signed-in browser, with the few moves the tests need."""

    def __init__(self, driver: WebDriver, downloads: Path) -> None:
        self.driver = driver
        self.downloads = downloads

    def wait(self, check: Callable[[], object], timeout: float, what: str) -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                found = check()
            except WebDriverException:
                found = None
            if found:
                return found
            time.sleep(0.05)
        self.shot("failure")
        raise AssertionError(f"等待超时 / timed out after {timeout} s waiting for {what}")

    def text_of(self, element_id: str) -> str:
        elements = self.driver.find_elements(By.ID, element_id)
        return str(elements[0].get_attribute("textContent") or "") if elements else ""

    def column(self, table_id: str, index: int) -> list[str]:
        cells = self.driver.find_elements(By.CSS_SELECTOR, f"#{table_id} [role=gridcell][data-col='{index}']")
        return sorted(str(c.get_attribute("textContent")).strip() for c in cells)

    def tab(self, page_id: str) -> None:
        self.driver.find_element(By.ID, f"tab-{page_id}-button").click()
        self.wait(lambda: self.driver.find_element(By.ID, f"tab-{page_id}").is_displayed(), 5, f"tab {page_id}")

    def click(self, element_id: str) -> None:
        self.driver.find_element(By.ID, element_id).click()

    def dismiss_toasts(self) -> None:
        """Close the messages an officer has read: an error toast stays on screen and covers the buttons below it."""
        self.driver.execute_script("document.querySelectorAll('.toast-close').forEach(b => b.click())")
        self.wait(
            lambda: not self.driver.find_elements(By.CSS_SELECTOR, "[data-testid='toast-text']"), 5, "toasts closed"
        )

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        height = self.driver.execute_script("return document.body.scrollHeight")
        self.driver.set_window_size(1400, max(900, min(int(height) + 100, 6000)))
        self.driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        self.driver.set_window_size(1400, 1600)


@pytest.fixture
def open_as(app: ServedApp, tmp_path: Path) -> Iterator[Callable[[str], Page]]:
    drivers: list[WebDriver] = []

    def login(name: str) -> Page:
        downloads = tmp_path / f"downloads-{name}"
        downloads.mkdir()
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={tmp_path / f'profile-{name}'}"):
            options.add_argument(flag)
        options.add_experimental_option(
            "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
        )
        driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
        drivers.append(driver)
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        page = Page(driver, downloads)
        driver.get(app.url)
        page.wait(lambda: driver.find_elements(By.CSS_SELECTOR, "input[type=password]"), 30, "the login form")
        driver.find_element(By.CSS_SELECTOR, "input[type=text], textarea").send_keys(name)
        driver.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(PASSWORD + Keys.ENTER)
        page.wait(lambda: driver.find_elements(By.ID, "board"), 30, "the board after login")
        page.wait(lambda: name in page.text_of("user-line"), 10, "the signed-in user")
        return page

    yield login
    for driver in drivers:
        driver.quit()


def _post_alert(app: ServedApp) -> str:
    posted = httpx.post(
        f"{app.url}api/alerts",
        content=GAS_ALARM.read_bytes(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert posted.status_code == 200, posted.text
    return str(posted.json()["incident_ids"][0])


def test_alert_to_word_plan_and_pdf_to_cited_answer(app: ServedApp, open_as: Callable[[str], Page]) -> None:
    page = open_as("zhang")
    driver = page.driver
    incident_id = _post_alert(app)
    posted_at = time.monotonic()
    page.wait(lambda: incident_id in page.text_of("board"), 2.5, "the posted alert on the board")
    assert time.monotonic() - posted_at <= 2.0
    assert "黄色" in page.text_of("board") and "未关闭事件 1 起" in page.text_of("board-counts")
    colour_cell = driver.find_element(By.CSS_SELECTOR, "#board [data-testid='cell-0-0']")
    assert "255, 215, 0" in str(colour_cell.get_attribute("style"))  # the yellow row is yellow
    page.shot("board")

    driver.find_element(By.CSS_SELECTOR, "#board [data-testid='cell-0-2']").click()
    page.wait(lambda: incident_id in page.text_of("selected-incident"), 5, "the selected incident")
    page.click("ack")
    page.wait(lambda: "zhang" in page.text_of("board-note"), 5, "the acknowledgement with the officer's name")
    driver.find_element(By.CSS_SELECTOR, "#assignee input").send_keys("li" + Keys.ENTER)
    page.click("assign")
    page.wait(lambda: "已指派给 li（zhang）" in page.text_of("board-note"), 5, "the assignment with both names")
    page.wait(lambda: "li" in page.column("board", 11), 3, "the assignee on the board")
    page.click("open-workspace")
    page.wait(lambda: incident_id in page.text_of("incident-header"), 10, "the incident workspace")
    assert "示例市燃气公司老城营业所" in page.text_of("incident-details")
    page.click("draft")
    page.wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#plan section.stage")) == 6, 60, "six stages")
    plan = page.text_of("plan")
    assert all(stage.zh in plan for stage in STAGES)
    assert driver.find_elements(By.CSS_SELECTOR, "#plan .ev-supported")
    assert "离线检索生成" in page.text_of("draft-meta") and "第 1 版" in page.text_of("draft-meta")
    analysis = page.text_of("analysis")  # a yellow alarm with no casualties: no response level yet, and why
    assert "先期处置" in analysis and "建议响应级别" in analysis and "不等于响应级别" in analysis
    assert "告警颜色：黄色" in analysis  # the warning colour on a line of its own
    assert "zhang" in page.text_of("timeline") and "指派给 li" in page.text_of("timeline")
    page.shot("incident")

    page.wait(lambda: driver.find_element(By.ID, "download-docx").is_enabled(), 10, "the Word download")
    page.click("download-docx")
    word = page.wait(lambda: list(page.downloads.glob("*.docx")), 20, "the downloaded Word file")
    document = Document(str(word[0]))  # type: ignore[index]
    stage_rows = [row.cells[0].text for row in document.tables[0].rows if len(row._tr.tc_lst) == 1]
    assert all(any(stage.zh in row for row in stage_rows) for stage in STAGES), stage_rows  # one row per stage

    page.tab("knowledge")
    pdf = make_pdf(page.downloads / "管廊甲烷监测规程.pdf")
    driver.find_element(By.CSS_SELECTOR, "#upload input[type=file]").send_keys(str(pdf))
    page.wait(lambda: "地下综合管廊甲烷监测规程" in page.text_of("documents"), 60, "the uploaded PDF in the list")
    assert "已添加" in page.text_of("ingest-report")
    page.shot("knowledge")

    page.tab("chat")
    question = driver.find_element(By.CSS_SELECTOR, "#question textarea")
    question.send_keys("管廊舱室甲烷浓度达到多少要撤离作业人员？" + Keys.ENTER)
    page.wait(lambda: "地下综合管廊甲烷监测规程" in page.text_of("sources"), 30, "the PDF cited in the answer")
    assert "[1]" in page.text_of("chatbot")
    driver.find_element(By.CSS_SELECTOR, "#sources details summary").click()  # open the cited passage
    page.wait(lambda: driver.find_element(By.CSS_SELECTOR, "#sources blockquote").is_displayed(), 5, "source text")
    assert "强制通风" in page.text_of("sources")
    page.shot("chat")

    page.tab("records")
    assert driver.find_element(By.CSS_SELECTOR, "#records-incident textarea").get_attribute("value") == incident_id
    page.click("records-show")
    page.wait(lambda: "生成" in page.text_of("records-drafts"), 10, "the incident's draft in the records")
    assert "zhang" in page.text_of("records-chats") and "确认事件" in page.text_of("records-audit")
    driver.find_element(By.CSS_SELECTOR, "#records-incident textarea").send_keys(Keys.CONTROL, "a", Keys.DELETE)
    page.click("records-show")
    page.wait(lambda: "添加文档" in page.text_of("records-audit"), 10, "every record, the upload too")
    page.shot("records")

    english = driver.find_element(By.CSS_SELECTOR, "#language input[value='en']")
    driver.execute_script("arguments[0].click()", english)  # a toast may cover the switch
    page.wait(lambda: "Alert board" in driver.find_element(By.ID, "tab-board-button").text, 10, "English labels")
    page.tab("board")
    page.wait(lambda: "Hazard" in page.text_of("board"), 10, "English board headers")
    page.shot("board-en")


def test_an_officer_cannot_remove_a_document(app: ServedApp, open_as: Callable[[str], Page]) -> None:
    page = open_as("li")
    page.tab("knowledge")
    assert "示例市燃气突发事件应急预案" in page.text_of("documents")
    before = page.column("documents", 0)
    assert len(before) == 3
    page.wait(lambda: page.driver.find_element(By.ID, "admin-note").is_displayed(), 10, "the admin-only note")
    assert not page.driver.find_element(By.CSS_SELECTOR, "#remove-doc").is_enabled()
    page.driver.find_element(By.CSS_SELECTOR, "#documents [data-testid='cell-0-0']").click()
    page.wait(lambda: page.driver.find_element(By.CSS_SELECTOR, "#doc-id textarea").get_attribute("value"), 5, "doc id")
    page.driver.find_element(By.CSS_SELECTOR, "#remove-doc").click()  # disabled: nothing may happen
    time.sleep(1)
    assert page.column("documents", 0) == before
    page.shot("knowledge-officer")


def test_the_board_shows_what_the_gas_alert_says(app: ServedApp, open_as: Callable[[str], Page]) -> None:
    page = open_as("zhang")
    posted = httpx.post(
        f"{app.url}api/alerts",
        content=GAS_GARAGE_CAP.read_bytes(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/xml"},
        timeout=10,
    )
    assert posted.status_code == 200, posted.text
    incident_id = str(posted.json()["incident_ids"][0])
    page.wait(lambda: incident_id in page.text_of("board"), 5, "the CAP gas alarm on the board")
    board = page.text_of("board")
    assert "23 %LEL / 阈值 10、25" in board  # peak against both thresholds
    assert "快速上升（+15 %LEL/分钟）" in board  # trend with its rate
    assert "约260户 18层" in board  # people affected
    assert "区实验小学（约150米）" in board  # the school the alert names, with its distance
    assert "未载明" in board  # casualties not stated, not "0"
    page.shot("board-gas-facts")
