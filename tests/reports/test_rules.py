"""The shipped reporting rules: each quotes a clause of the library word for word and states a limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.reports.limits import LimitMode
from assistant.reports.rules import RULES_FILE, load_rules
from assistant.settings import PROJECT_ROOT

PLANS = PROJECT_ROOT / "knowledge" / "plans"


def _clause(doc: str, section: str, phrase: str) -> bool:
    """Whether ``phrase`` is in the document under a heading that names ``section`` (read from the file)."""
    heading = ""
    for line in (PLANS / f"{doc}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading = line
        elif phrase in line and section in heading:
            return True
    return False


def test_every_shipped_rule_quotes_its_clause_exactly() -> None:
    rules = load_rules()
    assert len(rules) >= 20
    missing = [r.rule_id for r in rules if not _clause(r.doc, r.section, r.phrase)]
    assert missing == []


def test_the_deadlines_the_issue_names_are_those_of_the_clauses() -> None:
    by_id = {r.rule_id: r for r in load_rules()}
    assert (by_id["accident-493"].limit.mode, by_id["accident-493"].limit.minutes) == (LimitMode.WITHIN, 60)
    assert (by_id["beijing-flood-rain"].limit.mode, by_id["beijing-flood-rain"].limit.minutes) == (LimitMode.EVERY, 120)
    assert (by_id["beijing-flood-level3"].limit.mode, by_id["beijing-flood-level3"].limit.minutes) == (
        LimitMode.EVERY,
        60,
    )
    assert by_id["henan-flood-major"].limit.minutes == 30
    assert by_id["disaster-relief"].limit.minutes == 120  # the 2016 text


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("{id: a, doc: d, section: s, phrase: 按规定报告, hazards: [燃气]}", "未写明时限"),
        ("{id: a, doc: d, section: s, phrase: 1小时内报告, hazards: [煤矿]}", "未知灾种"),
        ("{id: a, doc: d, section: s, phrase: 1小时内报告, hazards: [燃气], when: {injured: 3}}", "未知条件"),
        ("{id: a, doc: d, section: s, phrase: 1小时内报告, hazards: [燃气], when: {level_at_least: V}}", "级别"),
        ("{id: a, doc: d, phrase: 1小时内报告, hazards: [燃气]}", "缺少 section"),
    ],
)
def test_a_malformed_rule_is_refused_with_its_entry_named(tmp_path: Path, entry: str, problem: str) -> None:
    with pytest.raises(DocumentError, match=problem) as raised:
        load_rules(_write(tmp_path, f"rules:\n  - {entry}\n"))
    assert "rules[1]" in str(raised.value)


def test_no_rules_file_means_no_rules(tmp_path: Path) -> None:
    assert load_rules(tmp_path / "absent.yaml") == ()
    assert RULES_FILE.exists()
