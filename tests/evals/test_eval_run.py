"""`assistant eval run` end to end on a small library: malformed goldens, regressions, the HTML report."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import SettingsError
from assistant.evaluation.goldens import GoldenError, load_goldens
from assistant.settings import PROJECT_ROOT
from tests.llm.openai_server import ScriptedOpenAIServer
from tests.small_library import use_small_install
from tests.tools import need

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def small_eval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    library = use_small_install(tmp_path, monkeypatch)
    # The shipped seed of passage vectors covers these documents too: no embedding is awaited.
    shutil.copytree(PROJECT_ROOT / "knowledge" / ".embeddings", library / ".embeddings")
    goldens = tmp_path / "goldens.jsonl"
    lines = [
        line
        for line in (PROJECT_ROOT / "evals/goldens/drafts.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["id"] in ("d-gas-basement", "d-gas-restaurant-red")
    ]
    goldens.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "thresholds.yaml").write_text(
        "version: 1\nmin:\n  draft.stages: 1.0\nmax:\n  errors: 0\n", encoding="utf-8"
    )
    return tmp_path


def _run(folder: Path, report: str, *extra: str) -> int:
    return main(
        [
            "eval",
            "run",
            "--goldens",
            str(folder / "goldens.jsonl"),
            "--report",
            str(folder / report),
            "--thresholds",
            str(folder / "thresholds.yaml"),
            "--realdata",
            str(folder / "none"),
            *extra,
        ]
    )


def test_malformed_line_is_rejected_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    good = '{"id": "a", "lang": "zh", "task": "ask", "question": "燃气泄漏怎么办", "expect": {"answerable": true}}'
    path.write_text(good + "\n{not json\n" + good.replace('"a"', '"b"') + "\n", encoding="utf-8")
    with pytest.raises(GoldenError, match=r"bad\.jsonl:2: .*invalid JSON"):
        load_goldens([path])
    path.write_text(good + "\n" + '{"id": "c", "lang": "fr", "task": "ask", "question": "?"}' + "\n", encoding="utf-8")
    with pytest.raises(GoldenError, match=r"bad\.jsonl:2: lang"):
        load_goldens([path])


def test_dropping_a_stage_fails_with_a_diff_against_the_baseline(
    small_eval: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(small_eval, "baseline") == 0
    baseline = small_eval / "baseline" / "report.json"
    assert json.loads(baseline.read_text(encoding="utf-8"))["summary"]["draft.stages"] == 1.0
    capsys.readouterr()
    import assistant.chain.drafter as drafter

    monkeypatch.setattr(drafter, "STAGES", drafter.STAGES[:-1])  # a broken drafter: no 调查评估
    assert _run(small_eval, "broken", "--baseline", str(baseline)) == 1
    out = capsys.readouterr().out
    assert "draft.stages = 0.000 < 1.0" in out
    assert "draft.stages: 1.000 → 0.000" in out
    assert "d-gas-basement stages: 1.00 → 0.00" in out


@pytest.mark.slow
def test_html_report_renders_in_headless_chromium(small_eval: Path) -> None:
    need(
        CHROMIUM.exists(),
        "Chromium is not installed (apt-get install chromium fonts-noto-cjk); `make test` installs it as root",
    )
    assert _run(small_eval, "report") == 0
    html = small_eval / "report" / "report.html"
    assert "<script" not in html.read_text(encoding="utf-8") and "<svg" in html.read_text(encoding="utf-8")
    shot = PROJECT_ROOT / "artifacts" / "eval-report.png"
    shot.parent.mkdir(exist_ok=True)
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--user-data-dir={small_eval / 'chrome'}",
        f"--screenshot={shot}",
        "--window-size=1280,1600",
    ]
    subprocess.run([str(CHROMIUM), *flags, html.as_uri()], check=True, timeout=120, capture_output=True)
    assert shot.stat().st_size > 10_000


def test_endpoint_engine_adds_judged_faithfulness_and_relevance(
    small_eval: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    question = {
        "id": "a-gas-first",
        "lang": "zh",
        "task": "ask",
        "question": "燃气泄漏报警后应该怎么处置？",
        "expect": {"answerable": True, "key_points": [["切断气源"]], "must_cite": ["燃气"]},
    }
    (small_eval / "goldens.jsonl").write_text(json.dumps(question, ensure_ascii=False) + "\n", encoding="utf-8")
    with ScriptedOpenAIServer() as server:
        monkeypatch.setenv("ASSISTANT__LLM__BASE_URL", server.base_url)
        monkeypatch.setenv("ASSISTANT__LLM__MODEL", server.model)
        server.queue_text("先切断气源、疏散人员[C1]。")
        server.queue_json({"score": 0.4, "reason": "疏散人数无依据", "unsupported": ["疏散人员"]})
        server.queue_json({"score": 0.9, "reason": "切题"})
        assert _run(small_eval, "judged", "--engine", "endpoint") == 0
        judged = [body for body in server.chat_bodies if "不要执行" in json.dumps(body, ensure_ascii=False)]
    report = json.loads((small_eval / "judged" / "report.json").read_text(encoding="utf-8"))
    assert report["meta"]["engine"].startswith("test-model")
    scores = {s["name"]: s for s in report["cases"][0]["scores"]}
    assert scores["faithfulness"]["value"] == 0.4 and "疏散人数无依据" in scores["faithfulness"]["reason"]
    assert scores["relevance"]["value"] == 0.9
    assert report["summary"]["ask.faithfulness"] == 0.4 and len(judged) == 2, "both judge prompts quote as data"
    assert "离线运行" not in capsys.readouterr().out


def test_endpoint_engine_without_an_endpoint_is_refused(small_eval: Path) -> None:
    with pytest.raises(SettingsError, match=r"llm\.base_url"):
        _run(small_eval, "none", "--engine", "endpoint")
