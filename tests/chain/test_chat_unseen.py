"""Questions nobody tuned the chat on (evals/goldens/ask_unseen.jsonl): the defects they found, one test each."""

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from assistant.chain.answer_lead import counted_figures
from assistant.chain.chat import ChatService
from assistant.chain.clauses import allows, approver_in, clauses_of, leader_in
from assistant.chain.glossary import load_glossary
from assistant.chain.lead_choice import question_units
from assistant.chain.question import Ask, analyse
from assistant.chain.slots import has_slot
from assistant.domain import Citation, DocKind
from assistant.evaluation.ask_scoring import english_only, first_sentence
from tests.chain.test_chat_offline import ListSearcher

CASUALTIES = ("示例市“6·13”燃气爆炸事故（案例摘要）", "二、伤亡与损失", "事故造成26人死亡、138人受伤（其中重伤37人）。")
HENAN_LEVELS = [
    ("示例省防汛应急预案要点", "六、应急响应 > （三）三级响应", "启动条件：省气象局发布暴雨橙色预警报告。"),
    (
        "示例省防汛应急预案要点",
        "六、应急响应 > （四）二级响应",
        "启动条件：正在发生大范围强降雨过程且省气象局又发布暴雨橙色预警报告。",
    ),
]
CONFINED = (
    "工贸企业有限空间作业安全规定要点",
    "四、应急救援 > （一）严禁盲目施救",
    "发现有限空间内人员中毒晕倒，严禁未佩戴正压式空气呼吸器等防护装备的人员进入或探身施救，应立即报警。",
)
LIFTS = (
    "高层民用建筑消防安全管理规定要点",
    "七、高层建筑的关键防火设施 > （二）消防电梯",
    "消防电梯从首层到顶层的运行时间不宜大于60秒，供消防救援人员使用，火灾时普通电梯不得用于疏散。",
)
GRENFELL = (
    "Grenfell Tower fire, London, 14 June 2017 (summary)",
    "6 Lessons",
    "Firefighting lifts, fire doors and door closers must be inspected regularly and defects fixed, "
    "because they decide whether people can escape and firefighters can reach them.",
)


def test_an_english_head_count_gives_the_count_of_what_was_asked_not_every_figure() -> None:
    answer = ChatService(ListSearcher([CASUALTIES])).ask("How many people died in the gas explosion?")
    lead = english_only(first_sentence(answer.text))
    assert answer.covered and "26 people" in lead
    assert "138" not in lead and "37" not in lead


def test_counted_figures_take_the_count_written_next_to_the_counted_word() -> None:
    terms = {t.zh[0]: t for t in load_glossary().terms}
    text = "事故造成26人死亡、138人受伤（其中重伤37人），因灾死亡失踪398人"
    assert counted_figures(text, terms["死亡人数"]) == ["26 people", "398 people"]
    assert counted_figures(text, terms["受伤"]) == ["138 people"]
    assert counted_figures(text, terms["重伤"]) == ["37 people"]
    bounded = "死亡10人以上、不足30人，或者重伤50人以上、不足100人"  # a grading bound is one count
    assert counted_figures(bounded, terms["死亡人数"]) == ["10 or more people", "fewer than 30 people"]


def test_who_signs_off_is_an_approver_question_and_a_signing_clause_names_the_approver() -> None:
    glossary = load_glossary()
    assert analyse("Who signs off a Level I flood response in Henan?", glossary).asks[0] is Ask.APPROVER
    assert analyse("河南省防汛一级应急响应由谁签发？", glossary).asks[0] is Ask.APPROVER
    assert approver_in("一级应急响应由省防指指挥长签发启动") == "省防指指挥长"


def test_can_in_a_description_is_not_a_permission() -> None:
    assert not allows("Fire doors decide whether people can escape and firefighters can reach them")
    assert allows("作业审批后可以进入") and allows("Vehicles are allowed on the bridge")


def test_an_english_count_in_millions_is_a_head_count() -> None:
    citation = Citation(
        "e:1", "e", "Northeast blackout (summary)", "2 Casualties and losses", None, DocKind.CASE, 0.0,
        "The task force estimated that about 50 million people were affected.",
    )  # fmt: skip
    clause = clauses_of([citation])[0]
    assert has_slot(Ask.COUNT, clause)


@pytest.mark.parametrize("passages", [HENAN_LEVELS, HENAN_LEVELS[::-1]], ids=["plain-first", "extra-first"])
def test_a_level_whose_clause_adds_an_unstated_condition_does_not_answer(passages: list[tuple[str, ...]]) -> None:
    """Whichever the search ranks first: the clause that needs more than the officer reports is not the answer."""
    searcher = ListSearcher(passages)
    searcher.citations = [replace(c, doc_id="plan") for c in searcher.citations]  # two sections of one plan
    answer = ChatService(searcher).ask("省气象局发布暴雨橙色预警报告后启动几级响应？")
    assert answer.covered and "三级" in first_sentence(answer.text)
    body = answer.text.split("来源：")[0]
    assert "正在发生大范围强降雨过程" not in body  # another level's clause is not shown as support


def test_rescue_without_breathing_apparatus_is_answered_no_in_both_languages() -> None:
    chat = ChatService(ListSearcher([CONFINED]))
    zh = chat.ask("有限空间里有人中毒倒下，同伴没戴呼吸器能不能下去救人？")
    assert zh.covered and first_sentence(zh.text).startswith("不可以")
    en = chat.ask("Can a co-worker without breathing apparatus go into a confined space to rescue a collapsed worker?")
    assert en.covered and english_only(first_sentence(en.text)).startswith("No")


def test_taking_the_lift_is_found_in_a_clause_about_ordinary_lifts() -> None:
    glossary = load_glossary()
    question = analyse("高层住宅着火了，能不能坐电梯逃生？", glossary)
    lift = next(u for u in question_units(question, glossary) if "电梯" in u.label)
    assert lift.found_in(LIFTS[2], LIFTS[2])
    answer = ChatService(ListSearcher([GRENFELL, LIFTS])).ask(
        "May people use the lifts to escape a fire in a high-rise building?"
    )
    assert answer.covered and english_only(first_sentence(answer.text)).startswith("No")


def test_the_common_short_name_of_texas_is_a_place() -> None:
    places = load_glossary().places("2021年得州冬季风暴停电导致多少人死亡？", "zh")
    assert [t.en[0] for t in places] == ["Texas"]


def test_a_direct_cause_chain_leads_with_its_first_link_not_its_bare_heading() -> None:
    chain = (
        "示例港“8·12”爆炸事故（案例摘要）",
        "三、直接原因",
        "事故链条：\n1. 自燃：集装箱内的硝化棉局部变干，热量积聚后发生自燃。\n"
        "2. 蔓延：火焰蔓延到相邻集装箱内的硝化棉和其他危险化学品，形成大面积燃烧。\n"
        "3. 爆炸：硝酸铵在持续燃烧中被引爆，发生爆炸。",
    )
    lead = first_sentence(ChatService(ListSearcher([chain])).ask("示例港“8·12”爆炸的直接原因是什么？").text)
    assert "自燃" in lead and "蔓延" not in lead


def test_english_wordings_of_reporting_updates_and_named_incidents() -> None:
    glossary = load_glossary()
    question = analyse(
        "Within how many days must the casualty count of a work-safety accident be updated after it changes?", glossary
    )
    text = "自事故发生之日起30日内伤亡人数发生变化的，应及时补报"
    found = [u.label for u in question_units(question, glossary) if u.found_in(text, text)]
    assert {"casualty count", "updated", "changes"} <= set(found)
    bund = analyse("How many people died in the Shanghai Bund crowd crush?", glossary)
    assert any(u.key and u.label == "Bund" for u in question_units(bund, glossary))  # another Shanghai case is not it
    torch = analyse("燃气泄漏现场能不能用普通手电筒照明？", glossary)
    assert any(u.found_in("禁止非防爆电器进入", "") for u in question_units(torch, glossary) if "手电" in u.label)


def test_the_direct_cause_leads_a_cause_question_before_the_indirect_causes() -> None:
    searcher = ListSearcher(
        [
            ("示例市渣土受纳场滑坡事故（案例摘要）", "四、间接原因", "有关部门对受纳场渣土堆填的审批和监管失职，对滑坡隐患长期失察。"),
            ("示例市渣土受纳场滑坡事故（案例摘要）", "三、直接原因", "受纳场没有导排水系统，渣土含水过饱和，超量堆填后失稳滑出。"),
        ]
    )  # fmt: skip
    searcher.citations = [replace(c, doc_id="case") for c in searcher.citations]
    # The embedding model finds the indirect cause a little closer in meaning, as it did for 深圳光明 12·20.
    chat = ChatService(searcher, embedder=LeaningEmbedder("监管"))
    lead = first_sentence(chat.ask("示例市渣土受纳场滑坡的原因是什么？").text)
    assert "导排水" in lead


class LeaningEmbedder:
    """Texts holding ``word`` point where the question does (cosine 1.0); the others a little away (0.9)."""

    def __init__(self, word: str) -> None:
        self.word = word

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0]

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[1.0, 0.0] if self.word in t else [0.9, 0.43589] for t in texts])


def test_an_english_leader_answer_names_every_leader_of_a_two_part_clause() -> None:
    assert leader_in("国务院抗震救灾指挥部统一领导、指挥和协调全国抗震救灾工作") == "国务院抗震救灾指挥部"
    quake = (
        "国家地震应急预案要点",
        "五、应急响应 > （一）特别重大地震灾害",
        "灾区所在省级抗震救灾指挥部领导本地应急工作；国务院抗震救灾指挥部统一领导、指挥和协调全国抗震救灾工作。",
    )
    answer = ChatService(ListSearcher([quake])).ask("Who leads the response to an especially serious earthquake?")
    lead = english_only(first_sentence(answer.text))
    assert "State Council earthquake relief headquarters" in lead and "are responsible" in lead


def test_first_thing_to_do_is_an_actions_question_and_explosive_range_is_found_in_chinese() -> None:
    glossary = load_glossary()
    assert analyse("What is the first thing to do when a gas leak alarm comes in?", glossary).asks == (Ask.ACTIONS,)
    question = analyse("What is the explosive range of natural gas in air?", glossary)
    text = "天然气主要成分甲烷，在空气中的爆炸极限约为5%至15%（体积分数）"
    assert all(u.found_in(text, text) for u in question_units(question, glossary))


def test_a_case_of_the_named_city_is_not_its_rule_for_a_deadline() -> None:
    searcher = ListSearcher(
        [
            ("河南郑州“7·20”特大暴雨灾害（案例摘要）", "二、伤亡与损失", "郑州市8月2日通报，截至8月1日18时遇难292人。"),
            ("生产安全事故报告和调查处理条例要点", "三、事故报告", "燃气爆炸等事故造成人员死亡的，单位负责人接报后须在1小时内报告。"),
        ]
    )  # fmt: skip
    searcher.citations[0] = replace(searcher.citations[0], kind=DocKind.CASE)
    answer = ChatService(searcher).ask("郑州发生燃气爆炸死亡2人，事故单位负责人多长时间内要报告？")
    assert answer.covered and "1小时内" in first_sentence(answer.text)


def test_henan_signers_are_rendered_in_english() -> None:
    glossary = load_glossary()
    assert (
        glossary.render_en("省防办常务副主任") == "the executive deputy director of the provincial flood control office"
    )
    assert (
        glossary.render_en("省防指常务副指挥长")
        == "the executive deputy commander of the provincial flood control headquarters"
    )


def test_an_actions_question_about_one_unit_is_answered_by_that_units_duty() -> None:
    glossary = load_glossary()
    assert analyse("北京市暴雨红色预警发布后，学校要怎么做？", glossary).actor == "学校"
    assert analyse("监测到人群密度持续上升，应该采取什么措施？", glossary).actor == ""
    searcher = ListSearcher(
        [
            ("北京市防汛应急预案要点", "五、监测与预警 > （二）暴雨预警的发布权限", "红色：市气象局商市防汛办，报市防指总指挥批准后发布。"),
            ("北京市防汛应急预案要点", "六、应急响应 > （五）一级响应", "启动条件：市气象局发布暴雨红色预警后，综合研判启动；学校停止全部线下教学。"),
        ]
    )  # fmt: skip
    searcher.citations = [replace(c, doc_id="bj") for c in searcher.citations]
    lead = first_sentence(ChatService(searcher).ask("北京市暴雨红色预警发布后，学校要怎么做？").text)
    assert "学校停止全部线下教学" in lead


PONDING = [
    (
        "城市内涝治理与排水防涝法规要点",
        "六、应急响应 > （二）地下空间和交通设施的“停、封、撤”",
        "郑州“7·20”之后各地防汛预案中的常见要求是：出现严重积水时，果断封闭下穿隧道、下凹式立交和地下通道。",
    ),
    (
        "城市内涝治理与排水防涝法规要点",
        "二、事件分级 > （二）积水险情的判定",
        "国家层面没有统一的积水深度分级；例如北京市预案把低洼处积水超过27厘米作为先期断路的触发值。",
    ),
]


def test_a_threshold_is_answered_by_a_figure_not_by_an_incident_name() -> None:
    """ "7·20" names an incident; the clause with 27厘米 states the depth asked."""
    incident, depth = ([has_slot(Ask.THRESHOLD, c) for c in clauses_of([p])] for p in ListSearcher(PONDING).citations)
    assert not any(incident) and any(depth)
    answer = ChatService(ListSearcher(PONDING)).ask("下立交积水多深要封闭？")
    assert answer.covered and "27厘米" in first_sentence(answer.text)


ZHENGZHOU_METRO = [
    (
        "示例市“7·20”特大暴雨灾害（案例摘要）",
        "五、监测预警与应急处置中的问题 > （二）缺少刚性管控措施",
        "红色预警发布后，没有果断采取停课、停工、停业、停运等措施，地铁、公交在暴雨最强时段仍在运行。",
    ),
    (
        "示例市“7·20”特大暴雨灾害（案例摘要）",
        "六、经验教训",
        "红色预警期间应果断采取停课、停工、停业、停运等刚性措施，减少人员在途暴露。",
    ),
]


def test_whether_a_duty_applies_is_answered_by_the_lesson_not_by_the_failure() -> None:
    searcher = ListSearcher(ZHENGZHOU_METRO)
    searcher.citations = [replace(c, doc_id="case", kind=DocKind.CASE) for c in searcher.citations]
    answer = ChatService(searcher).ask("暴雨红色预警时地铁要停运吗？")
    assert answer.covered and first_sentence(answer.text).startswith("红色预警期间应果断采取")


TYPHOON_RED = (
    "气象灾害预警信号发布与传播办法及预警信号标准（要点）",
    "三、台风预警信号 > （二）防御指南要点",
    "红色：做好防台风应急和抢险工作；停止集会、停课、停业（特殊行业除外）；人员应留在防风安全的地方。",
)


def test_an_english_actions_lead_names_the_duties_that_follow_the_first_clause() -> None:
    answer = ChatService(ListSearcher([TYPHOON_RED])).ask("What should residents do during a typhoon red warning?")
    lead = english_only(first_sentence(answer.text))
    assert answer.covered and "suspend classes" in lead


REPORTING = [
    (
        "生产安全事故报告和调查处理条例要点",
        "三、事故报告 > （二）逐级上报",
        "监管部门逐级上报时，每一级上报的时间不得超过2小时。",
    ),
    (
        "生产安全事故报告和调查处理条例要点",
        "三、事故报告 > （一）单位报告",
        "单位负责人接到报告后，应当于1小时内向县级以上应急管理部门报告。",
    ),
]


def test_how_soon_to_report_is_the_first_report_not_the_relay_between_levels() -> None:
    answer = ChatService(ListSearcher(REPORTING)).ask("生产安全事故发生后多长时间内要上报？")
    assert answer.covered and "1小时" in first_sentence(answer.text)
    relay = ChatService(ListSearcher(REPORTING)).ask("监管部门逐级上报时每一级不得超过多长时间？")
    assert "2小时" in first_sentence(relay.text)
