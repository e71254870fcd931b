"""The workspace's PDF button in headless Chromium: draft → 生成 PDF → 下载 PDF → the file read back; then the
duty leader approves the version in his own browser and his PDF has no DRAFT mark."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests.export.test_pdf import PDF_TOOLS_HINT
from tests.tools import need_program
from tests.ui.serving import ServedApp, serve_app
from tests.ui.test_browser import BROWSER_HINT, Page, _post_alert, open_as

__all__ = ["open_as"]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    with serve_app(tmp_path_factory.mktemp("pdf-ui"), ASSISTANT__EXPORT__ISSUING_UNIT="示例市城运中心") as served:
        yield served


def test_an_officer_downloads_the_plan_as_pdf(app: ServedApp, open_as: Callable[[str], Page]) -> None:
    need_program("chromium", "chromedriver", what=BROWSER_HINT)
    need_program("soffice", "pdftotext", what=PDF_TOOLS_HINT)
    page = open_as("li")
    driver = page.driver
    incident_id = _post_alert(app)
    _open_incident(page, incident_id)
    assert not driver.find_element(By.ID, "download-pdf").is_enabled()
    page.click("draft")
    page.wait(lambda: "第 1 版" in page.text_of("draft-meta"), 60, "the draft")
    page.wait(lambda: "第 1 版为草案" in page.text_of("approval-status"), 10, "the approval line")
    flat = _pdf_text(page)
    assert "编制单位：示例市城运中心" in flat and "值班员：li" in flat and "应急处置" in flat
    assert "草案须经值班领导审核后使用" in flat  # the mark in the header until the leader approves
    page.shot("incident-pdf")

    leader = open_as("zhang")  # the duty leader (admin role) approves in his own browser
    _open_incident(leader, incident_id)
    leader.wait(lambda: "第 1 版为草案" in leader.text_of("approval-status"), 10, "the approval line")
    leader.click("approve-draft")
    leader.wait(lambda: "已由 zhang 批准" in leader.text_of("approval-status"), 10, "the recorded approval")
    approved = _pdf_text(leader)
    assert "须经值班领导审核" not in approved and "审核：zhang" in approved and "（草案）" not in approved
    assert app.services.records.audit_trail(actor="zhang")[-1]["action"] == "draft.approved"


def _open_incident(page: Page, incident_id: str) -> None:
    page.wait(lambda: incident_id in page.text_of("board"), 5, "the posted alert on the board")
    page.driver.find_element(By.CSS_SELECTOR, "#board [data-testid='cell-0-2']").click()
    page.wait(lambda: incident_id in page.text_of("selected-incident"), 5, "the selected incident")
    page.click("open-workspace")
    page.wait(lambda: incident_id in page.text_of("incident-header"), 10, "the incident workspace")


def _pdf_text(page: Page) -> str:
    """生成 PDF, 下载 PDF, and the downloaded file's text without spaces."""
    page.click("make-pdf")
    button = page.driver.find_element(By.ID, "download-pdf")
    page.wait(lambda: button.is_enabled(), 60, "the PDF made by LibreOffice")
    page.click("download-pdf")
    found = page.wait(lambda: list(page.downloads.glob("*.pdf")), 20, "the downloaded PDF")
    pdf = Path(str(found[0]))  # type: ignore[index]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())
