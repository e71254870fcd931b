"""``assistant draft`` and ``assistant ask`` end to end: real alert file, real index, real Word file."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from assistant.cli import main
from assistant.domain import STAGES
from assistant.settings import PROJECT_ROOT
from tests.llm.conftest import openai_server
from tests.llm.openai_server import ScriptedOpenAIServer
from tests.small_library import use_small_install

__all__ = ["openai_server"]

GAS_ALARM = PROJECT_ROOT / "examples" / "alerts" / "gas_alarm.json"


@pytest.fixture
def small_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data dir and a three-document library, searched lexically so no embedding is awaited."""
    use_small_install(tmp_path, monkeypatch)
    monkeypatch.delenv("ASSISTANT_LLM_BASE_URL", raising=False)
    return tmp_path


def test_offline_draft_writes_a_word_plan_with_six_cited_stages(small_install: Path) -> None:
    out = small_install / "plan.docx"
    assert main(["draft", "--alert", str(GAS_ALARM), "--out", str(out), "--officer", "张三"]) == 0
    doc = Document(str(out))
    measures = doc.tables[0]  # the six stages in one table: a row across the table opens each stage
    stage_rows = [row.cells[0].text for row in measures.rows if len(row._tr.tc_lst) == 1]
    for stage in STAGES:
        assert any(stage.zh in row for row in stage_rows), stage
    actions = [row for row in measures.rows[1:] if len(row._tr.tc_lst) == 7]
    assert len(actions) > 6 and all(row.cells[5].text.strip() for row in actions), "every action has a basis"
    assert any("离线检索生成" in p.text for p in doc.paragraphs)


def test_the_same_command_uses_a_configured_endpoint(
    small_install: Path, openai_server: ScriptedOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT__LLM__BASE_URL", openai_server.base_url)
    monkeypatch.setenv("ASSISTANT__LLM__MODEL", openai_server.model)
    openai_server.queue_disconnect()  # the endpoint fails at once: the draft must still be written
    out = small_install / "plan.md"
    assert main(["draft", "--alert", str(GAS_ALARM), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "模型服务失败" in text and "test-model" in text
    assert all(stage.zh in text for stage in STAGES)
    assert openai_server.chat_bodies, "the endpoint was called"


def test_ask_cites_or_says_not_covered(small_install: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "燃气泄漏后怎么切断气源？"]) == 0
    assert "[1]" in capsys.readouterr().out
    assert main(["ask", "火星基地氧气舱失压时宇航员如何撤离？"]) == 3
    assert "知识库未覆盖" in capsys.readouterr().out
