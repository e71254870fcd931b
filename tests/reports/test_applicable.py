"""属地管理 and conditions decide the rule: own city first, then national; another province never."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.chain.jurisdiction import Place
from assistant.domain import Citation, DocKind, DocumentMeta, Level
from assistant.knowledge.grading import Grading
from assistant.reports.applicable import Situation, choose_rule
from assistant.reports.rules import ReportingRule, When

PHRASES = {
    "bj-gas": ("企业报告", "燃气企业接到泄漏报警后立即报告行业主管部门和属地政府"),
    "bj-casualty": ("企业报告", "造成人员伤亡的，单位负责人1小时内报县级以上监管部门"),
    "henan": ("报送时限", "发生突发重大险情灾情时，在险情灾情发生后半小时内报告省防指"),
    "national": ("现场与单位的报告时限", "单位负责人接报后须在1小时内报告"),
    "flood": ("报送原则", "重要信息立即上报"),
}


class Library:
    """Four documents: a Beijing plan, a Henan plan, two national texts (real types, no index)."""

    def __init__(self) -> None:
        self.metas = [
            DocumentMeta("d-bj", "北京市燃气应急预案", DocKind.PLAN, ("燃气",), "/k/bj-gas-plan.md", region="北京市"),
            DocumentMeta("d-hn", "河南省防汛应急预案", DocKind.PLAN, ("暴雨内涝",), "/k/hn-flood.md", region="河南省"),
            DocumentMeta(
                "d-493", "生产安全事故报告条例", DocKind.REGULATION, ("燃气",), "/k/reg-493.md", region="全国"
            ),
            DocumentMeta("d-fl", "国家防汛抗旱应急预案", DocKind.PLAN, ("暴雨内涝",), "/k/nat-flood.md", region="全国"),
        ]
        self.texts = {
            "d-bj": [PHRASES["bj-gas"], PHRASES["bj-casualty"]],
            "d-hn": [PHRASES["henan"]],
            "d-493": [PHRASES["national"]],
            "d-fl": [PHRASES["flood"]],
        }

    def documents(self) -> Sequence[DocumentMeta]:
        return self.metas

    def grading(self, doc_ids: Sequence[str]) -> dict[str, Grading]:
        return {}

    def cite(self, chunk_ids: Sequence[str]) -> dict[str, Citation]:
        return {}

    def passages(self, doc_id: str) -> list[Citation]:
        meta = next(m for m in self.metas if m.doc_id == doc_id)
        return [
            Citation(
                f"{doc_id}:{n}",
                doc_id,
                meta.title,
                f"{meta.title} > 五、信息报告 > {section}",
                None,
                meta.kind,
                0,
                text,
            )
            for n, (section, text) in enumerate(self.texts[doc_id])
        ]


RULES = (
    ReportingRule(
        "bj-casualty", "bj-gas-plan", "企业报告", PHRASES["bj-casualty"][1], ("燃气",), When(casualties=True)
    ),
    ReportingRule("bj-gas", "bj-gas-plan", "企业报告", PHRASES["bj-gas"][1], ("燃气",)),
    ReportingRule("henan", "hn-flood", "报送时限", PHRASES["henan"][1], ("暴雨内涝",), When(confirm="重大险情灾情")),
    ReportingRule("national", "reg-493", "报告时限", PHRASES["national"][1], ("燃气",), When(casualties=True)),
    ReportingRule("flood", "nat-flood", "报送原则", PHRASES["flood"][1], ("暴雨内涝",)),
)


def situation(hazard: str, place: Place, **facts: object) -> Situation:
    return Situation(hazard=hazard, jurisdiction=place, kind=str(facts.pop("kind", "report")), **facts)  # type: ignore[arg-type]


BEIJING = Place("北京市")
SAMPLE_CITY = Place()  # 示例市: no province or city the gazetteer knows
ZHENGZHOU = Place("河南省", "郑州市")


def test_the_citys_own_plan_comes_before_the_national_rule() -> None:
    choice = choose_rule(RULES, situation("燃气", BEIJING, injured=2), Library())
    assert choice.chosen is not None and choice.chosen.rule.rule_id == "bj-casualty"
    assert choice.chosen.relation.value == "own" and "已载明人员伤亡" in choice.chosen.why


def test_another_citys_plan_is_never_the_basis() -> None:
    choice = choose_rule(RULES, situation("燃气", SAMPLE_CITY, injured=2), Library())
    assert choice.chosen is not None and choice.chosen.rule.rule_id == "national"
    assert choice.chosen.limit.minutes == 60


def test_unknown_casualties_keep_the_stricter_rule_pending_and_choose_what_holds() -> None:
    choice = choose_rule(RULES, situation("燃气", BEIJING, kind="sensor"), Library())
    assert choice.chosen is not None and choice.chosen.rule.rule_id == "bj-gas"  # 立即, for every gas alarm
    assert [m.rule.rule_id for m in choice.pending] == ["bj-casualty"]
    assert "待核实" in choice.pending[0].why


def test_no_casualties_stated_as_zero_rules_the_accident_clause_out() -> None:
    choice = choose_rule(RULES, situation("燃气", SAMPLE_CITY, deaths=0, injured=0, trapped=0, missing=0), Library())
    assert choice.chosen is None and choice.pending == ()
    assert "没有适用" in choice.reason and "不自行设定时限" in choice.reason


def test_a_condition_only_a_person_can_judge_is_never_chosen() -> None:
    choice = choose_rule(RULES, situation("暴雨内涝", ZHENGZHOU, kind="warning", level=Level.II), Library())
    assert choice.chosen is not None and choice.chosen.rule.rule_id == "flood"
    assert [m.rule.rule_id for m in choice.pending] == ["henan"]
    assert "需值班员确认" in choice.pending[0].why


def test_the_reason_is_in_english_for_an_english_report() -> None:
    choice = choose_rule(RULES, situation("高温", SAMPLE_CITY, lang="en"), Library())
    assert choice.chosen is None and "No reporting clause" in choice.reason
