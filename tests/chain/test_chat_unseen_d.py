"""Questions nobody tuned the chat on, fourth set (evals/goldens/ask_unseen_d.jsonl): one test per defect found."""

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from assistant.chain.chat import ChatService
from assistant.chain.clauses import clauses_of
from assistant.chain.clock_times import moments_en, states_moment
from assistant.chain.glossary import load_glossary
from assistant.chain.premise import Bounds, StatedCount, bounds_of, fits, stated_counts
from assistant.chain.question import Ask, analyse, levels_in
from assistant.chain.slots import has_slot, place_figures
from assistant.domain import DocKind, Level
from assistant.evaluation.ask_scoring import english_only, first_sentence
from tests.chain.test_chat_offline import ListSearcher

TOLL = (
    "示例省“7·20”暴雨灾害（案例摘要）",
    "二、伤亡与损失",
    "调查查明，郑州市在灾害信息报送中迟报瞒报因灾死亡失踪人数139人。"
    "河南全省1478.6万人受灾，因灾死亡失踪398人，其中郑州市380人，占全省的95.5%。",
)
LOSS = (
    "示例省“7·20”暴雨灾害（案例摘要）",
    "二、伤亡与损失",
    "地铁5号线事件造成14人死亡。直接经济损失1200.6亿元，其中郑州市409亿元，占全省的34.1%。",
)


def _term(word: str):  # type: ignore[no-untyped-def]
    return next(t for t in load_glossary().terms if word in t.zh)


def test_a_place_figure_is_the_one_written_right_after_the_place() -> None:
    zhengzhou = _term("郑州")
    assert [q.text for q in place_figures("因灾死亡失踪398人，其中郑州市380人", zhengzhou)] == ["380人"]
    assert place_figures("郑州市在信息报送中迟报瞒报因灾死亡失踪人数139人", zhengzhou) == []


def test_a_city_toll_leads_with_the_clause_giving_the_city_figure_not_another_count() -> None:
    answer = ChatService(ListSearcher([TOLL])).ask("河南“7·20”特大暴雨中，郑州市因灾死亡失踪多少人？")
    assert "380人" in first_sentence(answer.text)


def test_an_english_city_toll_states_the_city_figure_with_the_city() -> None:
    answer = ChatService(ListSearcher([TOLL])).ask("How many people died or went missing in Zhengzhou city?")
    lead = english_only(first_sentence(answer.text))
    assert "380" in lead and "Zhengzhou" in lead
    assert "398" not in lead and "139" not in lead


def test_a_loss_question_is_answered_by_the_amount_of_money_not_a_head_count() -> None:
    answer = ChatService(ListSearcher([LOSS])).ask("郑州“7·20”暴雨造成郑州市的直接经济损失是多少？")
    lead = first_sentence(answer.text)
    assert "409亿元" in lead and "14人死亡" not in lead


CAUSE_PROSE = (
    "示例市烧烤店燃气爆炸事故（案例摘要）",
    "三、直接原因",
    "事发前一天晚上，员工把液化石油气钢瓶的液相阀误当作气相阀，将调压器错接在液相阀上。"
    "事发当天，店员误以为钢瓶没气了，在更换气瓶过程中使泄漏加剧。"
    "泄漏的液化石油气扩散到热菜区，遇到正在使用的灶具明火发生爆炸。",
)
CAUSE_CHAIN = (
    "示例市商住楼火灾事故（案例摘要）",
    "三、直接原因",
    "事故链条：\n1. 可燃气体积聚：地下一层冷库施工使用聚氨酯泡沫填缝剂，释放出易燃气体，在冷库挤塑板之间积聚。\n"
    "2. 点火：施工人员铺设塑料薄膜没有防静电措施，静电放电点燃了积聚的气体。",
)


class SlightEmbedder:
    """Texts holding ``word`` sit a little closer to the question (cosine 1.0 against 0.98), as a model's do."""

    def __init__(self, word: str) -> None:
        self.word = word

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0]

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[1.0, 0.0] if self.word in t else [0.98, 0.19900] for t in texts])


def test_a_direct_cause_told_as_a_story_leads_with_its_first_link_though_a_later_one_reads_closer() -> None:
    chat = ChatService(ListSearcher([CAUSE_PROSE]), embedder=SlightEmbedder("更换气瓶"))
    assert "液相阀" in first_sentence(chat.ask("示例市烧烤店燃气爆炸的直接原因是什么？").text)


def test_what_ignited_it_is_a_cause_question_answered_by_the_ignition_link() -> None:
    question = "示例市商住楼火灾中，冷库里积聚的易燃气体是被什么点燃的？"
    parsed = analyse(question, load_glossary())
    assert parsed.asks == (Ask.CAUSE,) and "点燃" in parsed.focus
    assert analyse("事故是由什么引起的？", load_glossary()).focus == ()  # the cause itself: no event to find
    answer = ChatService(ListSearcher([CAUSE_CHAIN])).ask(question)
    assert "静电" in first_sentence(answer.text)


GRADES = [
    (
        "示例事故条例要点",
        "二、事故分级 > （三）重大事故（Ⅱ级）",
        "死亡10人以上、不足30人，或者重伤50人以上、不足100人。",
    ),
    ("示例事故条例要点", "二、事故分级 > （四）较大事故（Ⅲ级）", "死亡3人以上、不足10人，或者重伤10人以上、不足50人。"),
    ("示例事故条例要点", "三、事故报告", "单位负责人接报后须在1小时内报告县级以上应急管理部门。"),
]


def test_stated_counts_and_grading_bounds_are_read_as_the_grading_texts_define_them() -> None:
    assert stated_counts("一起事故死亡5人就算重大事故了吧？") == [StatedCount("死亡", 5)]
    assert stated_counts("If 5 people died, is it a major accident?") == [StatedCount("死亡", 5)]
    assert stated_counts("重伤12人") == [StatedCount("重伤", 12)]  # not also 12 injured
    assert bounds_of("死亡3人以上、不足10人，或者重伤10人以上", "死亡") == Bounds(3, 10)
    assert bounds_of("死亡不足3人，或者重伤不足10人", "死亡") == Bounds(None, 3)
    assert fits("死亡3人以上、不足10人", [StatedCount("死亡", 10)]) is False  # 以上 includes, 不足 excludes
    assert fits("死亡10人以上、不足30人", [StatedCount("死亡", 10)]) is True
    assert fits("单位负责人1小时内报告", [StatedCount("死亡", 5)]) is None


def test_a_false_grade_in_the_question_is_corrected_by_the_clause_whose_bounds_hold_the_count() -> None:
    chat = ChatService(ListSearcher(GRADES))
    lead = first_sentence(chat.ask("按条例，一起事故死亡5人就算重大事故了，对吧？").text)
    assert lead.startswith("不对") and "较大" in lead and "3人以上、不足10人" in lead
    assert first_sentence(chat.ask("一起事故死亡5人，属于较大事故吗？").text).startswith("是")
    english = english_only(
        first_sentence(chat.ask("If 5 people died in an accident, is it a major (Level II) accident?").text)
    )
    assert english.startswith("No") and "Level III" in english


def test_a_stated_count_does_not_pull_a_deadline_question_to_a_grading_clause() -> None:
    lead = first_sentence(ChatService(ListSearcher(GRADES)).ask("事故死亡5人，单位负责人多长时间内要报告？").text)
    assert "1小时" in lead


class CaseSearcher(ListSearcher):
    """A case's passages: one document, its date told only in the first."""

    def __init__(self, passages: Sequence[tuple[str, str, str]]) -> None:
        super().__init__(passages)
        self.citations = [replace(c, doc_id="case-1", kind=DocKind.CASE) for c in self.citations]


BBQ_CASE = [
    (
        "示例市烧烤店燃气爆炸事故（案例摘要）",
        "一、基本情况",
        "2023年6月21日20时40分许，示例市烧烤店发生液化石油气泄漏爆炸。",
    ),
    CAUSE_PROSE,
]


def test_a_year_in_the_question_is_met_by_the_case_that_gives_it_in_another_passage() -> None:
    answer = ChatService(CaseSearcher(BBQ_CASE)).ask("2023年示例市烧烤店爆炸的直接原因是什么？")
    assert "液相阀" in first_sentence(answer.text)


def test_an_english_why_over_a_chinese_cause_leads_with_what_the_cause_section_names_first_link_first() -> None:
    answer = ChatService(CaseSearcher(BBQ_CASE)).ask("Why did the barbecue restaurant explode in 2023?")
    lead = english_only(first_sentence(answer.text))
    assert "The source covers" not in lead
    assert lead.index("liquid-phase valve") < lead.index("regulator") < lead.index("open flame")


def test_an_english_question_asking_two_counts_gets_both_each_with_its_word() -> None:
    casualties = ("示例市燃气爆燃事故（案例摘要）", "二、伤亡与损失", "事故造成7人死亡、27人受伤，伤者全部送医救治。")
    answer = ChatService(ListSearcher([casualties])).ask(
        "How many people were killed and how many injured in the blast?"
    )
    lead = english_only(first_sentence(answer.text))
    assert "7 people" in lead and "injured: 27 people" in lead


STORM = [
    (
        "Hurricane Katrina (summary)",
        "1 What happened > 1.2 The flooding of New Orleans",
        "In New Orleans the levees were breached.",
    ),
    (
        "Hurricane Katrina (summary)",
        "2 Casualties and losses",
        "The committee reported that at least 1,100 people died in Louisiana.",
    ),
]


def test_a_count_for_a_city_the_report_gives_only_for_its_state_is_stated_with_whose_figure_it_is() -> None:
    answer = ChatService(CaseSearcher(STORM)).ask("卡特里娜飓风中新奥尔良死亡了多少人？")
    lead = first_sentence(answer.text)
    assert answer.covered and "1,100" in lead and "Louisiana" in lead and "没有新奥尔良本身的数字" in lead
    english = english_only(
        first_sentence(ChatService(CaseSearcher(STORM)).ask("How many people died in New Orleans?").text)
    )
    assert "no figure for New Orleans" in english and "1,100" in english


HEAT = (
    "示例预警信号标准（要点）",
    "七、高温预警信号 > （一）标准",
    "- 黄色：连续三天日最高气温将在35℃以上。\n- 橙色：24小时内最高气温将升至37℃以上。\n- 红色：24小时内最高气温将升至40℃以上。",
)


def test_a_value_stated_in_a_yes_no_question_is_checked_against_the_threshold_and_the_one_it_reaches_named() -> None:
    chat = ChatService(ListSearcher([HEAT]))
    lead = first_sentence(chat.ask("高温红色预警是不是最高气温达到38℃就发布？").text)
    assert lead.startswith("不是") and "40℃以上" in lead and "38℃达到的是：橙色" in lead and "37℃以上" in lead
    english = english_only(
        first_sentence(
            chat.ask("Is a red high-temperature warning issued when the maximum temperature will reach 38°C?").text
        )
    )
    assert english.startswith("No") and "40" in english and "orange" in english and "37" in english
    assert first_sentence(chat.ask("最高气温达到41℃，够得上高温红色预警吗？").text).startswith("是")
    assert not first_sentence(chat.ask("高温红色预警的标准是什么？").text).startswith(("是", "不是"))


class MixedSearcher(ListSearcher):
    """A case's lesson ranked first, then a plan's duty clause."""

    def __init__(self, passages: Sequence[tuple[str, str, str]]) -> None:
        super().__init__(passages)
        first = replace(self.citations[0], kind=DocKind.CASE)
        self.citations = [first, *self.citations[1:]]


def test_an_actions_question_naming_no_incident_is_answered_by_the_plans_duty_before_a_cases_lesson() -> None:
    lesson = (
        "示例市燃气爆燃事故（案例摘要）",
        "六、经验教训",
        "燃气企业接到燃气泄漏报告后应同时检测室内和周边地下管线。",
    )
    duty = (
        "示例燃气应急预案要点",
        "五、企业职责",
        "燃气企业接到燃气泄漏报告后立即派员到场并报告行业主管部门和属地政府。",
    )
    chat = ChatService(MixedSearcher([lesson, duty]))
    assert "派员到场" in first_sentence(chat.ask("燃气企业接到燃气泄漏报告后应该怎么做？").text)


def test_dead_or_missing_is_named_so_and_a_province_count_is_the_one_stated_for_the_province() -> None:
    chat = ChatService(ListSearcher([TOLL]))
    city = english_only(first_sentence(chat.ask("How many people died or went missing in Zhengzhou city?").text))
    assert city.startswith("Dead or missing in Zhengzhou: 380 people")
    titled = ChatService(
        ListSearcher([("河南郑州“7·20”暴雨灾害（案例摘要）", *TOLL[1:])])
    )  # both clauses' title names 河南
    province = english_only(first_sentence(titled.ask("How many people died or went missing in Henan?").text))
    assert "398" in province and "139" not in province and "Death toll" not in province


RAIN = (
    "示例预警信号标准（要点）",
    "二、暴雨预警信号 > （一）标准",
    "- 蓝色：12小时内降雨量将达50毫米以上。\n- 黄色：6小时内降雨量将达50毫米以上。\n"
    "- 橙色：3小时内降雨量将达50毫米以上。\n- 红色：3小时内降雨量将达100毫米以上。",
)


def test_a_stated_amount_over_a_longer_window_than_the_thresholds_does_not_confirm_it() -> None:
    chat = ChatService(ListSearcher([RAIN]))
    lead = first_sentence(chat.ask("6小时降雨量达到60毫米，够得上暴雨橙色预警吗？").text)
    assert lead.startswith("不是") and "6小时60毫米达到的是：黄色" in lead
    assert first_sentence(chat.ask("3小时降雨量达到60毫米，够得上暴雨橙色预警吗？").text).startswith("是")


def test_english_grade_words_in_a_question_name_the_grade_but_a_reports_major_incident_does_not() -> None:
    glossary = load_glossary()
    assert analyse("Is an accident with 12 deaths a major accident?", glossary).level is Level.II
    assert analyse("Who leads the response to an especially serious earthquake?", glossary).level is Level.I
    assert analyse("Is it a relatively major accident?", glossary).level is Level.III
    assert levels_in("A major incident was declared at 06:08.") == frozenset()
    chat = ChatService(ListSearcher(GRADES))
    english = english_only(first_sentence(chat.ask("If 12 people died in an accident, is it a major accident?").text))
    assert english.startswith("Yes") and "Level II" in english


EVENT = [
    ("示例市医院火灾事故（案例摘要）", "八、资料来源", "示例市医院火灾事故情况通报会，2023年4月19日。"),
    ("示例市医院火灾事故（案例摘要）", "一、基本情况", "2023年4月18日12时50分许，示例市医院住院部施工现场发生爆燃。"),
    ("示例市医院火灾事故（案例摘要）", "五、信息报告", "医院应在1小时内报告属地应急管理部门。"),
]


def test_when_did_it_happen_asks_for_a_moment_and_an_english_answer_states_it_in_english() -> None:
    glossary = load_glossary()
    assert analyse("示例市医院火灾是几点发生的？", glossary).asks == (Ask.WHEN,)
    assert analyse("At what time did the fire break out?", glossary).asks == (Ask.WHEN,)
    assert analyse("火灾后多长时间内要报告？", glossary).asks == (Ask.DEADLINE,)
    assert analyse("郭家咀水库是什么时候漫坝的？", glossary).asks == (Ask.WHEN,)
    assert analyse("什么时候启动一级响应？", glossary).asks != (Ask.WHEN,)  # a rule's condition, not a past moment
    assert states_moment("19日21时59分起") and not states_moment("应在4小时内速报")
    assert moments_en("2023年6月21日20时40分许发生爆炸") == ["21 June 2023, about 20:40"]
    chat = ChatService(CaseSearcher(EVENT))
    assert "12时50分" in first_sentence(chat.ask("示例市医院火灾是几点发生的？").text)  # not the source's date
    english = english_only(first_sentence(chat.ask("When did the hospital fire break out?").text))
    assert "18 April 2023, about 12:50" in english


def test_a_city_without_a_plan_gets_its_provinces_rule_said_to_be_the_provinces_not_a_case_sentence() -> None:
    passages = [
        ("河南郑州“7·20”特大暴雨灾害（案例摘要）", "五、问题", "迟至20日下午郑州市才将防汛应急响应提升到Ⅰ级。"),
        ("河南省防汛应急预案要点", "六、应急响应 > （一）启动权限", "一级应急响应由省防指指挥长签发启动。"),
    ]
    searcher = ListSearcher(passages)
    searcher.citations = [replace(searcher.citations[0], kind=DocKind.CASE), searcher.citations[1]]
    answer = ChatService(searcher).ask("郑州市防汛一级应急响应由谁签发？")
    lead = first_sentence(answer.text)
    assert answer.covered and "省防指指挥长" in lead and "没有郑州的本地预案" in lead


def test_a_geological_size_grade_is_named_by_its_heading_and_checked_against_the_stated_deaths() -> None:
    glossary = load_glossary()
    assert analyse("一次滑坡造成12人死亡，属于大型地质灾害吗？", glossary).level is Level.II
    assert analyse("大型群众性活动多少人以上要安全许可？", glossary).level is None
    sizes = [
        ("示例省滑坡等地质灾害预案要点", "二、事件分级 > （二）大型（Ⅱ级）", "灾情：因灾死亡10人以上、30人以下。"),
        ("示例省滑坡等地质灾害预案要点", "二、事件分级 > （三）中型（Ⅲ级）", "灾情：因灾死亡3人以上、10人以下。"),
    ]
    lead = first_sentence(ChatService(ListSearcher(sizes)).ask("滑坡死亡5人，属于大型地质灾害吗？").text)
    assert lead.startswith("不对") and "中型（Ⅲ级）" in lead


def test_an_english_cause_names_an_appliance_spark_as_an_appliance_not_a_torch() -> None:
    cause = (
        "示例市烧烤店燃气爆炸事故（案例摘要）",
        "三、直接原因",
        "燃气持续泄漏并在店内积聚，遇到室内电器产生的电火花发生爆炸。",
    )
    lead = english_only(
        first_sentence(ChatService(CaseSearcher([cause])).ask("Why did the barbecue restaurant explode?").text)
    )
    assert "electrical appliance" in lead and "torch" not in lead


def test_an_english_stated_amount_and_window_are_checked_like_chinese_ones() -> None:
    lead = english_only(
        first_sentence(
            ChatService(ListSearcher([RAIN])).ask("Is a red rainstorm warning issued when 80 mm falls in 3 hours?").text
        )
    )
    assert lead.startswith("No: 80 mm in 3 hours") and "orange" in lead and "50 mm" in lead


def test_who_must_act_in_a_what_now_question_is_the_unit_named_before_it() -> None:
    glossary = load_glossary()
    assert analyse("暴雨红色预警后北京市的学校怎么办？", glossary).actor == "学校"
    assert analyse("燃气泄漏怎么办？", glossary).actor == ""  # a situation, not a unit
    assert analyse("北京市暴雨红色预警发布后，学校要怎么做？", glossary).actor == "学校"


def test_what_to_do_before_work_is_not_answered_by_a_definition() -> None:
    passages = [
        (
            "示例有限空间作业安全规定要点",
            "一、适用范围与定义 > （二）有限空间的定义",
            "有限空间作业是指人员进入这类空间实施的作业。",
        ),
        ("示例有限空间作业安全规定要点", "三、作业过程要求", "有限空间作业必须遵守“先通风、再检测、后作业”。"),
    ]
    lead = first_sentence(ChatService(ListSearcher(passages)).ask("有限空间作业前要做什么？").text)
    assert "先通风" in lead


def test_the_highest_grade_any_stated_figure_meets_decides_and_which_level_is_no_level() -> None:
    assert analyse("死亡8人的事故属于哪一级？", load_glossary()).level is None
    assert stated_counts("死亡8人、直接经济损失6000万元") == [
        StatedCount("死亡", 8),
        StatedCount("直接经济损失", 6000.0),
    ]
    grades = [
        ("示例事故条例要点", "二、事故分级 > （二）特别重大事故（Ⅰ级）", "死亡30人以上，或者直接经济损失1亿元以上。"),
        (
            "示例事故条例要点",
            "二、事故分级 > （三）重大事故（Ⅱ级）",
            "死亡10人以上、不足30人，或者直接经济损失5000万元以上、不足1亿元。",
        ),
        (
            "示例事故条例要点",
            "二、事故分级 > （四）较大事故（Ⅲ级）",
            "死亡3人以上、不足10人，或者直接经济损失1000万元以上、不足5000万元。",
        ),
    ]
    chat = ChatService(ListSearcher(grades))
    assert "Ⅱ级" in first_sentence(chat.ask("死亡8人、直接经济损失6000万元的事故属于哪一级？").text)
    assert "Ⅰ级" in first_sentence(chat.ask("一起事故死亡2人，直接经济损失1.2亿元，属于几级？").text)


def test_promptness_is_no_time_limit_and_a_penalty_clause_answers_only_penalty_questions() -> None:
    penalty = (
        "示例卫生应急条例要点",
        "六、法律责任要点",
        "医疗机构未履行报告职责、未及时采取控制措施的，由卫生行政主管部门责令改正、警告。",
    )
    duty = ("示例卫生应急条例要点", "四、报告", "医疗机构发现突发公共卫生事件，应在2小时内报告。")
    clause = clauses_of(ListSearcher([penalty]).citations)[0]
    assert not has_slot(Ask.DEADLINE, clause)  # "及时" states no limit
    chat = ChatService(ListSearcher([penalty, duty]))
    assert "2小时" in first_sentence(chat.ask("医疗机构发现突发公共卫生事件后多久要报告？").text)
    assert "警告" in first_sentence(chat.ask("医疗机构未履行报告职责会受到什么处罚？").text)
