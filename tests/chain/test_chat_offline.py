"""The offline chat answer: the answering clause first, streamed piece by piece; "not covered" when it is."""

from collections.abc import Sequence
from dataclasses import replace

from assistant.chain.answers import Answer
from assistant.chain.chat import ChatService
from assistant.chain.terms import content_terms
from assistant.domain import Action, Citation, DocKind, Level, Loop, PlanDraft, Stage
from assistant.evaluation.ask_scoring import english_only, first_sentence
from tests.chain.corpus import GAS_PLAN, MemorySearcher
from tests.factories import make_draft


class ListSearcher:
    """Returns its passages by bigram overlap with the query (enough for a handful of passages)."""

    def __init__(self, passages: Sequence[tuple[str, str, str]]) -> None:
        self.citations = [
            Citation(f"d{i}:0001", f"d{i}", title, heading, None, DocKind.PLAN, 0.0, text)
            for i, (title, heading, text) in enumerate(passages)
        ]

    def search(
        self, query: str, k: int = 8, *, kind: str | None = None, hazards: Sequence[str] | None = None
    ) -> list[Citation]:
        return self.citations[:k]


HOTLINE = (
    "危险化学品事故应急响应要点",
    "三、组织指挥体系 > （三）技术咨询渠道",
    "国家化学事故应急咨询专线 0532-83889090 提供24小时化学品危险特性和泄漏处理咨询。",
)
OFFICE = (
    "北京市防汛应急预案要点",
    "三、组织指挥体系 > （二）市防汛办",
    "市防汛办设在市应急管理局，主任由市应急管理局局长担任。",
)


def pinned_draft() -> PlanDraft:
    """The incident's draft: Ⅲ级 on a grading clause, two units in its response stage."""
    draft = make_draft()
    street = Action(
        "组织疏散周边居民并设置警戒区", "属地街道办事处", "30分钟内", Loop.SMALL, (draft.citations[0].chunk_id,)
    )
    stages = tuple(replace(s, actions=(*s.actions, street)) if s.stage is Stage.RESPONSE else s for s in draft.stages)
    return replace(
        draft,
        stages=stages,
        proposed_level=Level.III,
        level_basis="造成3人以上10人以下死亡的为较大燃气事故（Ⅲ级）",
        level_citations=(draft.citations[0].chunk_id,),
    )


def test_covered_question_leads_with_the_clause_that_answers_it() -> None:
    answer = ChatService(MemorySearcher()).ask("燃气经营企业接到泄漏报警后多长时间内要到达现场？")
    assert answer.covered and answer.engine == "offline-drafter"
    lead = first_sentence(answer.text)
    assert "30分钟内" in lead and lead.endswith("[1]。")
    assert answer.citations[0].title == GAS_PLAN
    assert "来源：\n[1]" in answer.text


def test_offline_answer_streams_lead_first_then_support_then_sources() -> None:
    pieces = list(ChatService(MemorySearcher()).stream("燃气泄漏报警后应该怎么处置？"))
    texts = [p for p in pieces if isinstance(p, str)]
    final = pieces[-1]
    assert isinstance(final, Answer)
    assert len(texts) >= 3, texts
    assert texts[0].endswith("\n") and "[1]" in texts[0]
    assert texts[-1].lstrip().startswith("来源：")
    assert "".join(texts).rstrip() == final.text


def test_uncovered_question_says_not_covered_with_nearest_sources_zh_and_en() -> None:
    zh = ChatService(MemorySearcher()).ask("火星基地氧气舱失压时宇航员如何撤离？")
    assert not zh.covered
    assert zh.text.startswith("知识库未覆盖") and "最接近的资料" in zh.text
    assert zh.citations
    en = ChatService(MemorySearcher()).ask("How should astronauts evacuate a depressurised Mars habitat?")
    assert not en.covered
    assert en.text.startswith("Not covered by the knowledge base") and "Nearest sources" in en.text


def test_a_phone_number_must_belong_to_the_asked_subject() -> None:
    chat = ChatService(ListSearcher([HOTLINE, OFFICE]))
    refused = chat.ask("本区应急管理局局长的手机号码是多少？")
    assert not refused.covered and "联系电话" in refused.text
    answered = chat.ask("国家化学事故应急咨询专线的电话是多少？")
    assert answered.covered and "0532-83889090" in first_sentence(answered.text)


def test_english_question_over_a_chinese_clause_answers_in_english_and_quotes_the_source() -> None:
    chat = ChatService(MemorySearcher())
    answer = chat.ask("How soon must the gas company reach the scene after a leak alarm?")
    assert answer.covered
    assert "within 30 minutes" in english_only(first_sentence(answer.text)).lower()
    assert "> “燃气经营企业接到泄漏报警后应立即派出抢修人员" in answer.text


def test_a_figure_in_chinese_numerals_answers_and_an_unrelated_number_does_not() -> None:
    chat = ChatService(
        ListSearcher(
            [
                ("示例市燃气预案", "三、应急处置", "燃气泄漏报警后，抢修人员应在20分钟内到达现场。"),
                (
                    "地下综合管廊甲烷监测规程",
                    "第一条",
                    "管廊舱室甲烷浓度达到百分之一时，应立即启动强制通风，并撤离舱内全部作业人员。",
                ),
            ]
        )
    )
    answer = chat.ask("管廊舱室甲烷浓度达到多少要撤离作业人员？")
    assert answer.covered and "百分之一" in first_sentence(answer.text)
    assert answer.citations[0].title == "地下综合管廊甲烷监测规程"


def test_plans_that_disagree_are_both_cited() -> None:
    chat = ChatService(
        ListSearcher(
            [
                (
                    "城镇燃气抢修规范（要点）",
                    "五、抢修时限",
                    "燃气经营企业接到泄漏报警后，抢修人员应在30分钟内到达现场。",
                ),
                (
                    "燃气行业服务标准（要点）",
                    "四、到场时限",
                    "燃气经营企业接到泄漏报警后，抢修人员应在60分钟内到达现场。",
                ),
            ]
        )
    )
    answer = chat.ask("燃气经营企业接到泄漏报警后，抢修人员应在多长时间内到达现场？")
    assert answer.covered and len(answer.citations) == 2
    lead = first_sentence(answer.text)
    assert ("30分钟内" in lead) != ("60分钟内" in lead)
    assert "各预案规定不一致" in answer.text and "30分钟内" in answer.text and "60分钟内" in answer.text


def test_questions_about_the_pinned_incident_use_its_draft() -> None:
    chat = ChatService(MemorySearcher())
    draft = pinned_draft()
    level = chat.ask("现在应该启动几级响应？", draft=draft)
    assert level.covered and first_sentence(level.text).startswith("本事件草案建议启动Ⅲ级（较大）响应")
    assert level.citations and level.citations[0].chunk_id == draft.level_citations[0]
    units = chat.ask("要通知哪些单位？", draft=draft)
    assert "燃气企业抢修队" in first_sentence(units.text) and "属地街道办事处" in first_sentence(units.text)
    library = chat.ask("燃气泄漏时严禁什么？", draft=draft)  # not about the incident: the library answers
    assert "本事件" not in library.text


def test_content_terms_drop_question_words() -> None:
    assert "怎么" not in content_terms("燃气泄漏怎么处置")
    assert content_terms("下立交积水多深要封闭？") == ["立交", "积水", "封闭"]  # jieba's "深要" is no topic
    assert "燃气" in content_terms("燃气泄漏怎么处置")
    assert content_terms("What should the gas company do?") == ["gas", "company"]
