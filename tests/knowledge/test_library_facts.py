"""Facts in the shipped library that an audit found wrong stay right; thresholds checked against the real text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

LIBRARY = Path(__file__).resolve().parents[2] / "knowledge"
RELIEF = LIBRARY / "plans" / "plan-national-disaster-relief.md"
RELIEF_2016 = "plans/cn_provincial_flood_relief_txt/01-国家自然灾害救助应急预案.txt"
FIGURE = re.compile(r"\d+(?:万)?(?:人|间|户|%)")
LEVEL_HEADINGS = {
    "Ⅰ": "（二）一级响应启动条件",
    "Ⅱ": "（三）二级响应启动条件",
    "Ⅲ": "（四）三级响应启动条件",
    "Ⅳ": "（五）四级响应启动条件",
}

AUDITED = [
    # (file, must contain, must not contain, source)
    (
        "cases/case-meida-expressway-51-collapse-2024.md",
        "2024年5月1日凌晨1时57分许",
        "2时10分",
        "梅大高速茶阳路段“5·1”塌方灾害调查评估报告",
    ),
]


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n### ", start + len(heading))
    return text[start : end if end > 0 else None]


@pytest.mark.parametrize(("name", "present", "absent", "source"), AUDITED)
def test_audited_fact_stays_corrected(name: str, present: str, absent: str, source: str) -> None:
    text = (LIBRARY / name).read_text(encoding="utf-8")
    assert present in text, f"{name}: expected “{present}” as in {source}"
    assert absent not in text, f"{name}: “{absent}” contradicts {source}"


def test_relief_plan_is_labelled_as_the_version_its_figures_come_from() -> None:
    meta = _front_matter(RELIEF)
    assert meta["year"] == 2016 and "2016" in meta["title"] and meta["doc_number"] == "国办函〔2016〕25号"
    assert meta["source"]["issued"] == "2016-03-10"
    assert "2024" in meta["note"], "the note must say the 2016 text has been superseded"


@pytest.mark.realdata
@pytest.mark.parametrize("level", list(LEVEL_HEADINGS))
def test_relief_thresholds_match_the_2016_text(realdata: Path, level: str) -> None:
    official = (realdata / RELIEF_2016).read_text(encoding="utf-8")
    heading = re.search(rf"{level}级响应 5\.\d\.1\s*启动条件", official)
    assert heading, f"{level}级 clause not found in {RELIEF_2016}"
    clause = official[heading.start() : official.index("启动程序", heading.start())]
    ours = _section(RELIEF.read_text(encoding="utf-8"), LEVEL_HEADINGS[level])
    figures = FIGURE.findall(ours)
    assert len(figures) >= 4, ours
    missing = [f for f in figures if f not in clause]
    assert not missing, f"{level}级: {missing} not in the 2016 clause"
