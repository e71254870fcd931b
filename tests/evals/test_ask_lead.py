"""ask.lead (the first sentence answers) and the refusal trade-off table, on hand-made answers."""

from assistant.chain.answers import Answer
from assistant.evaluation.ask_scoring import english_only, first_sentence, lead_coverage
from assistant.evaluation.refusal import markdown_lines, refusal_score, samples, sweep

ZH = "对应一级响应：市气象局发布暴雨红色预警后，综合研判启动[1]；一级由市防指总指挥批准[2]。\n- 其他条款。[3]"
EN = (
    "Within 1 hour, by the head of the unit [1].\n"
    "> “单位负责人接报后须在1小时内报告。” [1]\n"
    "Note: see 《生产安全事故报告和调查处理条例》 [2]."
)


def test_first_sentence_stops_at_the_first_sentence_end() -> None:
    assert first_sentence(ZH).endswith("总指挥批准[2]。")
    assert first_sentence("19.5% to 23.5% [1]. Then more.") == "19.5% to 23.5% [1]."
    assert first_sentence(EN) == "Within 1 hour, by the head of the unit [1]."


def test_lead_needs_every_group_in_the_first_sentence() -> None:
    assert lead_coverage(ZH, [["一级"], ["总指挥"]]).value == 1.0
    missed = lead_coverage(ZH, [["一级"], ["其他条款"]])
    assert missed.value == 0.0 and "其他条款" in missed.reason and not missed.success
    assert lead_coverage(ZH, []).value == 1.0


def test_english_answers_are_matched_without_the_quoted_chinese() -> None:
    english = english_only(EN)
    assert "单位负责人" not in english and "生产安全" not in english
    assert "Within 1 hour" in english and "Note: see" in english
    assert lead_coverage(english, [["1 hour"]]).value == 1.0
    assert lead_coverage(english_only("> “1小时内”\n没有英文。"), [["1小时"]]).value == 0.0


def _answer(covered: bool, confidence: float) -> Answer:
    return Answer("…", covered, (), "offline-drafter", confidence=confidence)


def test_the_trade_off_re_decides_every_case_at_each_threshold() -> None:
    cases = [
        {"golden_id": g, "task": "ask", "scores": [refusal_score(_answer(c >= 0.46, c), ok).__dict__]}
        for g, c, ok in (
            ("a", 0.9, True),
            ("b", 0.5, True),
            ("c", 0.42, False),
            ("d", float("-inf"), False),  # a hard rule (phone number) refused it
        )
    ]
    found = samples(cases)
    assert [(s.answerable, s.confidence) for s in found][:2] == [(True, 0.9), (True, 0.5)]
    rows = {round(r.threshold, 2): r for r in sweep(found, (0.4, 0.6))}
    assert (rows[0.4].refused, rows[0.4].recall, rows[0.4].precision) == (1, 0.5, 1.0)
    assert (rows[0.46].refused, rows[0.46].recall, rows[0.46].wrongly_refused) == (2, 1.0, 0)
    assert (rows[0.6].refused, rows[0.6].wrongly_refused, rows[0.6].precision) == (3, 1, 2 / 3)
    table = "\n".join(markdown_lines({"cases": cases}))
    assert "0.46 ←" in table and "| 0.60 | 3 | 0.667 | 1.000 | 1 |" in table
    assert markdown_lines({"cases": []}) == []
