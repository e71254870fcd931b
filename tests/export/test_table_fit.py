"""Column widths fitted to the text: fewer lines for the same content, within each column's limits."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from assistant.export.document import Cell, Column, SpanRow, Table
from assistant.export.docx_tables import table_type
from assistant.export.json_codec import draft_from_dict
from assistant.export.table_fit import PT_MM, TableType, fitted_shares
from assistant.export.title_lines import text_width
from assistant.export.word import plan_document

FIXTURES = Path(__file__).parent / "fixtures"
WIDTH_MM = 156
KIND = TableType(size=9, pitch=10.5, note_size=8, note_pitch=9.5, padding_mm=1.0)


def _lines(text: str, width_mm: float, size: float) -> int:
    per_line = max(1, math.floor((width_mm - KIND.padding_mm) / (size * PT_MM)))
    return math.ceil(text_width(text) / per_line)


def _height(table: Table, shares: list[float]) -> float:
    """Points the cell rows take at ``shares``, counted independently of the module under test."""
    total = 0.0
    for row in table.rows:
        if isinstance(row, SpanRow):
            continue
        total += max(
            max(1, _lines(c.text, s * WIDTH_MM, KIND.size)) * KIND.pitch
            + _lines(c.note, s * WIDTH_MM, KIND.note_size) * KIND.note_pitch
            for c, s in zip(row, shares, strict=True)
        )
    return total


def _measures(name: str) -> Table:
    draft = draft_from_dict(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))
    table = plan_document(draft).sections[2].blocks[0]
    assert isinstance(table, Table)
    return table


@pytest.mark.parametrize("name", ["draft_rainstorm_orange_beijing", "draft_gas_alarm"])
def test_fitting_shortens_a_real_measures_table_and_keeps_the_action_column_wide(name: str) -> None:
    table = _measures(name)
    start = [c.share / sum(c.share for c in table.columns) for c in table.columns]
    fitted = fitted_shares(table, WIDTH_MM, KIND)
    assert sum(fitted) == pytest.approx(1.0)
    assert _height(table, fitted) < 0.98 * _height(table, start)  # shorter than where fitting starts
    assert fitted[1] >= 0.40 and fitted[1] == max(fitted)  # 措施 keeps most of the width (issue 20: ≥ 40 %)


def test_codes_stay_on_one_line_and_unbreakable_words_fit() -> None:
    columns = (Column("措施", 50), Column("闭环", 1), Column("依据", 1), Column("Responsible unit", 1))
    long_text = "转移受威胁的低洼地带、危房和地下室居住人员至安置点，先老幼病残；逐户敲门核对，不漏一人" * 3
    rows = tuple(
        (Cell(long_text), Cell(code), Cell("[12][38]"), Cell("区应急管理局")) for code in ("小循环", "中循环", "大循环")
    )
    shares = fitted_shares(Table(columns, (SpanRow("（一）风险管控"), *rows)), WIDTH_MM, KIND)
    em_mm = KIND.size * PT_MM
    widths = [s * WIDTH_MM - KIND.padding_mm for s in shares]
    assert widths[1] >= 3 * em_mm  # "中循环" is not broken into "中循" / "环"
    assert widths[2] >= text_width("[12][38]") * em_mm  # a run of numbers is one word
    assert widths[3] >= text_width("Responsible") * em_mm  # nor is an English header's word


def test_a_table_of_span_rows_only_keeps_its_shares() -> None:
    table = Table((Column("a", 3), Column("b", 1)), (SpanRow("只有分组行"),))
    assert fitted_shares(table, WIDTH_MM, KIND) == pytest.approx([0.75, 0.25])


def test_the_typesetters_table_type_matches_its_styles() -> None:
    zh = table_type("zh")
    assert (zh.size, zh.note_size) == (9, 8)  # 小五, and a smaller second line
    assert zh.pitch >= zh.size * 1.1 and zh.note_pitch >= zh.note_size * 1.1  # set solid, but lines do not touch
