"""An English lead that gives a Chinese clause's figures says what each one counts."""

from __future__ import annotations

import pytest

from assistant.chain.figure_labels import labelled_figures
from assistant.chain.glossary import load_glossary


@pytest.mark.parametrize(
    ("clause", "lead"),
    [
        (
            "死亡10人以上、不足30人，或者重伤50人以上、不足100人，或者直接经济损失5000万元以上、不足1亿元。",
            "death toll: 10 or more people, fewer than 30 people; seriously injured: 50 or more people, "
            "fewer than 100 people",
        ),
        (
            "事故造成26人死亡、138人受伤（其中重伤37人）。",
            "death toll: 26 people; injured: 138 people; seriously injured: 37 people",
        ),
        ("3小时内降雨量将达100毫米以上", ""),  # units inside the figures label nothing
    ],
)
def test_each_figure_takes_the_measure_of_its_own_clause_part(clause: str, lead: str) -> None:
    assert labelled_figures(clause, load_glossary(), 4) == lead
