"""Reports up the chain, the risk map and the workspace fixes in headless Chromium, against the real app.

A gas explosion with casualties is posted ten minutes after it happened → the workspace shows the
first report's rule (生产安全事故报告和调查处理条例, 1小时内) and its countdown → the first report is
drafted, marked sent on time and downloaded as Word → the risk map shows the incident and the
registry's assets in colour, a similar-asset warning beside the alerting bridge, and opens the
incident on a click → a plan's [n] mark opens its source → the English switch changes the table
headers, the language label and the recorded codes at once. An anonymous local session is asked for
the officer's name and records it. Screenshots go to artifacts/ui/ for a person to look at.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, timedelta
from pathlib import Path

import httpx
import pytest
from docx import Document
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from assistant.settings import PROJECT_ROOT
from tests.tools import need
from tests.ui.serving import PASSWORD, TOKEN, ServedApp, serve_app
from tests.ui.test_browser import BROWSER_HINT, CHROMEDRIVER, CHROMIUM, FLAGS, Page

pytestmark = pytest.mark.slow
ALERTS = PROJECT_ROOT / "evals" / "alerts"
SHIPPED = "[knowledge/plans, knowledge/cases]"  # the shipped library: its reporting clauses and the seed vectors


@pytest.fixture(autouse=True)
def _chromium_installed() -> None:
    need(bool(CHROMIUM and CHROMEDRIVER), BROWSER_HINT)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    with serve_app(tmp_path_factory.mktemp("reports"), ASSISTANT__KNOWLEDGE__SHIPPED_DIRS=SHIPPED) as served:
        yield served


def _browser(tmp_path: Path, name: str) -> tuple[WebDriver, Page]:
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
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver, Page(driver, downloads)


@pytest.fixture
def signed_in(app: ServedApp, tmp_path: Path) -> Iterator[Callable[[str], Page]]:
    drivers: list[WebDriver] = []

    def login(name: str) -> Page:
        driver, page = _browser(tmp_path, name)
        drivers.append(driver)
        driver.get(app.url)
        page.wait(lambda: driver.find_elements(By.CSS_SELECTOR, "input[type=password]"), 30, "the login form")
        assert "请使用值班账号和密码登录" in driver.find_element(By.TAG_NAME, "body").text  # the localised message
        driver.find_element(By.CSS_SELECTOR, "input[type=text], textarea").send_keys(name)
        driver.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(PASSWORD + Keys.ENTER)
        page.wait(lambda: driver.find_elements(By.ID, "board"), 30, "the board after login")
        return page

    yield login
    for driver in drivers:
        driver.quit()


def _post(app: ServedApp, body: str, kind: str) -> str:
    posted = httpx.post(
        f"{app.url}api/alerts",
        content=body.encode("utf-8"),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": kind},
        timeout=10,
    )
    assert posted.status_code == 200, posted.text
    return str(posted.json()["incident_ids"][0])


def _ten_minutes_ago(app: ServedApp) -> str:
    """The gas explosion CAP, sent ten minutes before the app's clock (its first alert starts the countdown)."""
    sent = (app.services.clock.now() - timedelta(minutes=10)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    body = (ALERTS / "report_gas_explosion_injured_zh.xml").read_text(encoding="utf-8")
    return body.replace("2026-12-03T11:42:00+08:00", sent).replace("SAMPLE-RPT-GAS-20261203-01", f"UI-{time.time_ns()}")


def _click(page: Page, css: str) -> None:
    """Click an element (SVG shapes included) by dispatching the event, as a toast may cover it."""
    element = page.driver.find_element(By.CSS_SELECTOR, css)
    page.driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", element)


def _type(page: Page, css: str, value: str) -> None:
    box = page.driver.find_element(By.CSS_SELECTOR, css)
    box.send_keys(Keys.CONTROL, "a", Keys.DELETE)
    box.send_keys(value)


def test_first_report_countdown_sent_and_the_risk_map(app: ServedApp, signed_in: Callable[[str], Page]) -> None:
    page = signed_in("zhang")
    driver = page.driver
    incident = _post(app, _ten_minutes_ago(app), "application/xml")
    bridge = _post(app, (ALERTS / "report_bridge_displacement.json").read_text(encoding="utf-8"), "application/json")
    page.wait(lambda: incident in page.text_of("board") and bridge in page.text_of("board"), 5, "both incidents")
    cell = driver.find_element(By.XPATH, f"//*[@id='board']//*[@role='gridcell'][normalize-space(.)='{incident}']")
    row = str(cell.get_attribute("data-testid")).split("-")[1]  # "cell-R-C"
    driver.find_element(By.CSS_SELECTOR, f"#board [data-testid='cell-{row}-2']").click()
    page.wait(lambda: incident in page.text_of("selected-incident"), 5, "the selected incident")
    page.click("open-workspace")
    page.wait(lambda: incident in page.text_of("incident-header"), 10, "the incident workspace")

    standing = lambda: page.text_of("report-standing")  # noqa: E731
    page.wait(lambda: "生产安全事故报告和调查处理条例" in standing(), 15, "the reporting rule")
    assert "单位负责人接报后须在1小时内" in standing() and "1小时内" in standing() and "已载明人员伤亡" in standing()
    page.wait(lambda: "剩余" in standing(), 10, "the countdown")
    left = standing().split("剩余 ", 1)[1][:8]
    assert left.startswith(("49分钟", "50分钟")), left  # an hour from the first alert, ten minutes gone
    assert driver.find_element(By.CSS_SELECTOR, "#report-standing .countdown.due-running")

    _type(page, "#report-phone textarea, #report-phone input", "010-5555 0101")
    page.click("report-draft")
    page.wait(lambda: "受伤2人" in page.text_of("report-view"), 20, "the drafted first report")
    view = page.text_of("report-view")
    for section in ("时间", "地点", "事件概况", "伤亡和影响", "已采取措施", "下一步工作", "报告单位和联系人"):
        assert f"{section}：" in view
    assert "的首报" in view and "「待核实」" in view and "010-5555 0101" in view
    assert "报告中的数字均可溯源" in view
    page.shot("reports-drafted")

    _type(page, "#report-to textarea, #report-to input", "区应急管理局值班室")
    page.click("report-send")
    page.wait(lambda: "按时" in standing(), 10, "the first report sent on time")
    assert "区应急管理局值班室" in standing()
    page.wait(lambda: driver.find_element(By.ID, "report-docx").is_enabled(), 10, "the report's Word download")
    page.click("report-docx")
    files = page.wait(lambda: list(page.downloads.glob("report-*.docx")), 20, "the report as Word")
    text = "\n".join(p.text for p in Document(str(files[0])).paragraphs)  # type: ignore[index]
    assert "受伤2人" in text and "已于" in text and "区应急管理局值班室" in text
    page.wait(
        lambda: driver.find_elements(By.CSS_SELECTOR, f"#incident-map g.incident[data-incident='{incident}']"),
        10,
        "the small map",
    )
    page.shot("reports-sent")

    page.tab("map")
    page.wait(
        lambda: driver.find_elements(By.CSS_SELECTOR, f"#risk-map g.incident[data-incident='{incident}']"),
        10,
        "the incident on the map",
    )
    marker = driver.find_element(By.CSS_SELECTOR, f"#risk-map g.incident[data-incident='{incident}']")
    assert marker.get_attribute("data-colour") == "orange"  # CAP severity Severe
    bridge_asset = driver.find_element(By.CSS_SELECTOR, "#risk-map g.asset[data-asset='BR-001']")
    assert bridge_asset.get_attribute("data-colour") == "orange"  # the alerting bridge takes its incident's colour
    assert len(driver.find_elements(By.CSS_SELECTOR, "#risk-map g.asset[data-colour='green']")) >= 15  # low risk
    assert driver.find_elements(By.CSS_SELECTOR, "#risk-map g.similar[data-source='BR-001'][data-asset='BR-002']")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#risk-map g.site")) >= 10
    assert "同类资产共性风险" in page.text_of("tab-map")
    page.shot("risk-map")
    _click(page, f"#risk-map g.incident[data-incident='{bridge}'] circle")
    page.wait(lambda: bridge in page.text_of("incident-header"), 10, "the clicked incident opened")

    page.click("draft")
    page.wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#plan section.stage")) == 6, 60, "six stages")
    link = driver.find_element(By.CSS_SELECTOR, "#plan a.cite")
    target = str(link.get_attribute("href")).split("#", 1)[1]
    driver.execute_script("arguments[0].click()", link)
    page.wait(lambda: driver.find_element(By.ID, target).get_attribute("open") is not None, 5, "the source opened")
    assert driver.find_element(By.CSS_SELECTOR, f"#{target} blockquote").is_displayed()

    page.tab("records")
    _type(page, "#records-incident textarea", incident)  # the report's incident (the map opened the bridge)
    page.click("records-show")
    page.wait(lambda: "起草报告" in page.text_of("records-audit"), 10, "the report in the audit trail")
    assert "报告已报送" in page.text_of("records-audit") and "zhang" in page.text_of("records-audit")
    _type(page, "#records-incident textarea", "")
    page.click("records-show")
    page.wait(lambda: "UTC+8" in page.text_of("records-drafts"), 10, "every draft, in local time with the zone")
    assert "生成" in page.text_of("records-drafts") and "离线检索生成" in page.text_of("records-drafts")
    english = driver.find_element(By.CSS_SELECTOR, "#language input[value='en']")
    driver.execute_script("arguments[0].click()", english)
    page.wait(lambda: "Language" in page.text_of("language"), 10, "the language label in English")
    page.wait(
        lambda: "Time" in page.text_of("records-drafts") and "Action" in page.text_of("records-audit"),
        10,
        "English headers",
    )
    assert "report sent" in page.text_of("records-audit") and "generated" in page.text_of("records-drafts")
    page.shot("records-en")
    page.tab("knowledge")
    page.wait(
        lambda: "Title" in page.text_of("documents") and "work safety" in page.text_of("documents"),
        10,
        "English documents",
    )
    page.tab("map")
    page.wait(lambda: "Old Town District" in page.text_of("risk-map"), 10, "the map in English")
    page.shot("risk-map-en")


@pytest.fixture(scope="module")
def anonymous_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    root = tmp_path_factory.mktemp("anonymous")
    with serve_app(root, ASSISTANT__UI__USERS_FILE="") as served:
        yield served


def test_an_anonymous_session_is_asked_for_the_officers_name_once(anonymous_app: ServedApp, tmp_path: Path) -> None:
    driver, page = _browser(tmp_path, "anonymous")
    try:
        driver.get(anonymous_app.url)
        page.wait(lambda: driver.find_elements(By.ID, "officer-name"), 30, "the name prompt")
        _type(page, "#officer-name textarea, #officer-name input", "王值班")
        page.click("officer-name-set")
        page.wait(lambda: "当前值班员：王值班" in page.text_of("user-line"), 10, "the officer's name in the header")
        page.wait(  # Gradio drops a hidden row from the page
            lambda: not any(e.is_displayed() for e in driver.find_elements(By.ID, "officer-prompt")),
            5,
            "the prompt hidden",
        )
        incident = _post(
            anonymous_app, (ALERTS / "report_crowd_density.json").read_text(encoding="utf-8"), "application/json"
        )
        page.wait(lambda: incident in page.text_of("board"), 5, "the alert on the board")
        driver.find_element(By.CSS_SELECTOR, "#board [data-testid='cell-0-2']").click()
        page.wait(lambda: incident in page.text_of("selected-incident"), 5, "the selected incident")
        page.click("ack")
        page.wait(lambda: "王值班" in page.text_of("board-note"), 5, "the acknowledgement in the officer's name")
        actors = {a["actor"] for a in anonymous_app.services.records.audit_trail(subject=incident)}
        assert actors == {"王值班"}
        driver.refresh()  # the same browser session: not asked again
        page.wait(lambda: "当前值班员：王值班" in page.text_of("user-line"), 15, "the name remembered")
        assert not any(e.is_displayed() for e in driver.find_elements(By.ID, "officer-prompt"))
        page.shot("anonymous-officer")
    finally:
        driver.quit()
