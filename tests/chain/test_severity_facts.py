"""The quantities plans grade by beyond casualties, read from an alert's free text in Chinese and English."""

from __future__ import annotations

import pytest

from assistant.chain.facts import facts_from_alert
from tests.chain.alerts import gas_alert


def facts_of(text: str, language: str = "zh"):  # type: ignore[no-untyped-def]
    return facts_from_alert(gas_alert(language=language, description=text))


@pytest.mark.parametrize(
    ("text", "language", "ill", "poisoning", "deaths"),
    [
        ("示例中学食堂午餐后，35名学生陆续出现呕吐、腹痛、腹泻等症状，暂无死亡病例。", "zh", 35, None, 0),
        ("某工地食堂发生食物中毒，中毒人数达120人，1人死亡。", "zh", 120, "food", 1),
        ("12人一氧化碳中毒，已送医。", "zh", 12, "other", None),
        (
            "42 people fell ill with vomiting after lunch; no deaths so far. Suspected food poisoning.",
            "en",
            42,
            "food",
            0,
        ),
        ("Sixty students have been taken ill", "en", None, None, None),  # a number in words beyond ten: not read
        ("食堂卫生检查发现过期食材", "zh", None, None, None),
    ],
)
def test_people_ill_the_kind_of_poisoning_and_no_deaths(
    text: str, language: str, ill: int | None, poisoning: str | None, deaths: int | None
) -> None:
    facts = facts_of(text, language)
    assert (facts.poisoned, facts.poisoning, facts.deaths) == (ill, poisoning, deaths)


@pytest.mark.parametrize(
    ("text", "language", "evacuated"),
    [
        ("已疏散周边群众约1200人", "zh", 1200),
        ("紧急转移安置群众1.2万人", "zh", 12000),
        ("300名居民已撤离至安置点", "zh", 300),
        ("1,200 residents have been evacuated from the canal-side estate", "en", 1200),
        ("police evacuated about 450 people from the tower", "en", 450),
        ("需转移1200户居民", "zh", None),  # households are not people
        ("坡下还有40户、约160名村民受威胁，需立即搬迁转移", "zh", 160),  # who must be moved, a clause later
        ("坡下还有40户村民受威胁，需立即搬迁转移", "zh", None),
        ("residents may have to be evacuated", "en", None),
    ],
)
def test_people_evacuated(text: str, language: str, evacuated: int | None) -> None:
    assert facts_of(text, language).evacuated == evacuated


@pytest.mark.parametrize(
    ("text", "language", "intake"),
    [
        ("下游示例镇水厂已于7时20分停止取水", "zh", "town"),
        ("示例县自来水厂取水口已关闭取水", "zh", "county"),
        ("示例市第三水厂暂停取水", "zh", "city"),
        ("The town water works downstream stopped its intake at 08:10", "en", "town"),
        ("the intake downstream was shut", "en", ""),  # stopped, but whose is not said: to confirm
        ("河水发黑，有刺激性气味", "zh", None),
    ],
)
def test_whose_drinking_water_intake_stopped(text: str, language: str, intake: str | None) -> None:
    assert facts_of(text, language).intake_cut == intake


@pytest.mark.parametrize(
    ("text", "language", "share", "kind"),
    [
        ("示例市（设区的市，非省会城市）城区约35%供电用户停电", "zh", 35, "其他设区的市"),
        ("省会城市电网故障，停电用户占比约18%", "zh", 18, "省会城市"),
        ("某地级市约40%的用户停电", "zh", 40, "设区的市"),  # a capital or not: to confirm
        (
            "About 35% of the city's customers are without power; it is a prefecture-level city, not a provincial capital",
            "en",
            35,
            "其他设区的市",
        ),
        ("大面积停电，恢复时间待定", "zh", None, None),
    ],
)
def test_share_of_power_customers_cut_off_and_the_citys_kind(
    text: str, language: str, share: float | None, kind: str | None
) -> None:
    facts = facts_of(text, language)
    assert (facts.power_out_pct, facts.city_kind) == (share, kind)


@pytest.mark.parametrize(
    ("text", "language", "hectares"),
    [
        ("过火面积约0.6公顷，暂无人员伤亡", "zh", 0.6),
        ("过火面积约30亩", "zh", 2.0),
        ("受害森林面积约2平方公里", "zh", 200.0),
        ("about 0.6 hectares of forest have burned", "en", 0.6),
        ("a burned area of about 12 ha", "en", 12.0),
        ("火线向东南蔓延", "zh", None),
        ("青松林区火灾已过火约200公顷，暂无人员伤亡", "zh", 200.0),  # the verb, no 面积
        ("火灾烧毁3间房屋", "zh", None),
    ],
)
def test_area_burned_in_hectares(text: str, language: str, hectares: float | None) -> None:
    assert facts_of(text, language).burned_ha == hectares


@pytest.mark.parametrize(
    ("text", "language", "years", "reach"),
    [
        ("闽江干流竹岐水文站预计出现洪峰，洪水重现期约30年一遇", "zh", 30, "干流"),
        ("建溪支流预计发生10～20年一遇洪水", "zh", 10, "支流"),  # a range: its lower end
        ("A 1-in-30-year flood is expected on the main stem of the Min River", "en", 30, "干流"),
        ("a 50-year flood on a tributary", "en", 50, "支流"),
        ("河道水位持续上涨", "zh", None, None),
    ],
)
def test_flood_return_period_and_river_reach(text: str, language: str, years: float | None, reach: str | None) -> None:
    facts = facts_of(text, language)
    assert (facts.return_period, facts.river_class) == (years, reach)


def test_quantities_read_are_traceable_to_the_alert_text() -> None:
    facts = facts_of("过火面积约0.6公顷；已疏散群众约300人；约35%供电用户停电")
    assert {"0.6", "300", "35"} <= set(facts.text().split("\n"))
    assert {s.text for s in facts.spans} >= {"过火面积约0.6公顷", "疏散群众约300人"}


@pytest.mark.parametrize(
    ("text", "language", "evacuated", "injured", "ill", "hectares"),
    [
        ("共转移安置受灾群众1.5万人", "zh", 15000, None, None, None),
        ("撤离后2人受伤", "zh", None, 2, None, None),  # the injured are not the evacuated
        ("the evacuation of about 800 residents", "en", 800, None, None, None),
        ("12人出现身体不适", "zh", None, None, 12, None),
        ("烧毁林地约15亩", "zh", None, None, None, 1.0),
    ],
)
def test_other_wordings(
    text: str, language: str, evacuated: int | None, injured: int | None, ill: int | None, hectares: float | None
) -> None:
    facts = facts_of(text, language)
    assert (facts.evacuated, facts.injured, facts.poisoned, facts.burned_ha) == (evacuated, injured, ill, hectares)


@pytest.mark.parametrize(
    ("text", "language", "shed"),
    [
        ("城南变电站跳闸，电网减供负荷约25%", "zh", 25),
        ("a load reduction of about 12% on the city grid", "en", 12),
        ("30% of the grid's load was shed", "en", 30),
    ],
)
def test_share_of_load_shed(text: str, language: str, shed: float) -> None:
    assert facts_of(text, language).load_shed_pct == shed


@pytest.mark.parametrize(
    ("text", "ill", "years", "hectares"),
    [
        ("42 diners were hospitalised after the banquet", 42, None, None),
        ("a once-in-50-years flood is expected on the main stem", None, 50, None),
        ("burnt area: 3 ha so far", None, None, 3.0),
    ],
)
def test_more_english_wordings(text: str, ill: int | None, years: float | None, hectares: float | None) -> None:
    facts = facts_of(text, "en")
    assert (facts.poisoned, facts.return_period, facts.burned_ha) == (ill, years, hectares)


@pytest.mark.parametrize(
    ("text", "language", "ill", "share"),
    [
        ("42 cases of suspected food poisoning after the banquet", "en", 42, None),
        ("the contaminated salad sickened at least 30 guests", "en", 30, None),
        ("停电用户约12万户，占全市用户的35%", "zh", None, 35),
    ],
)
def test_ill_and_power_share_in_more_words(text: str, language: str, ill: int | None, share: float | None) -> None:
    facts = facts_of(text, language)
    assert (facts.poisoned, facts.power_out_pct) == (ill, share)


@pytest.mark.parametrize(
    ("text", "language", "magnitude", "density"),
    [
        ("A magnitude 5.4 earthquake struck at 02:11, in a fairly densely populated area.", "en", 5.4, "人口较密集"),
        ("An M5.6 quake hit a densely populated valley", "en", 5.6, "人口密集"),
        ("县城发生4.8级地震，震中位于人口密集地区", "zh", 4.8, "人口密集"),
        ("震级为5.2，震中附近人口较密集", "zh", 5.2, "人口较密集"),
        ("A magnitude 6.1 earthquake in a sparsely populated desert", "en", 6.1, "人口稀少"),
        ("A magnitude 5.6 earthquake struck at 02:31 local time", "en", 5.6, None),
    ],
)
def test_an_earthquakes_magnitude_and_the_density_of_its_area(
    text: str, language: str, magnitude: float, density: str | None
) -> None:
    facts = facts_of(text, language)
    assert (facts.magnitude, facts.population_density) == (magnitude, density)
