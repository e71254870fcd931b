"""Which plans grade which hazards: a command grades its own family, accidents are graded by the work-safety
grading, and a natural hazard's reported secondary hazard by that hazard's own plan."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.alerts.intake import parse_file, parse_payload
from assistant.chain.criteria import Library, PlanGrading, plans_for
from assistant.chain.facts import facts_from_alert
from assistant.chain.levels import propose_level
from assistant.domain import (
    ACCIDENT_HAZARDS,
    Alert,
    Citation,
    Colour,
    DocumentMeta,
    Level,
    graded_together,
    secondary_graded,
)
from assistant.knowledge.grading import Grading
from assistant.services import Services
from assistant.settings import PROJECT_ROOT

ALERTS = PROJECT_ROOT / "evals" / "alerts"


@pytest.mark.parametrize(
    ("plan", "event", "graded"),
    [
        ("洪涝", "暴雨内涝", True),  # the flood-control headquarters grade rain, floods, typhoons and drought
        ("暴雨内涝", "台风", True),
        ("干旱", "洪涝", True),
        ("地质灾害", "暴雨内涝", False),  # the geological plan lists rain as a cause; it does not grade rain
        ("森林火灾", "高温", False),
        ("生产安全", "桥梁隧道", True),  # the work-safety grading covers every accident hazard
        ("生产安全", "交通运输", True),
        ("生产安全", "燃气", True),
        ("生产安全", "暴雨内涝", False),  # a natural disaster is not a work-safety accident
        ("公共卫生", "危化品", False),
    ],
)
def test_a_plan_grades_its_own_family_of_hazards(plan: str, event: str, graded: bool) -> None:
    assert graded_together(plan, event) is graded


def test_every_accident_hazard_is_in_the_work_safety_family() -> None:
    for hazard in ("燃气", "危化品", "有限空间", "建筑火灾", "桥梁隧道", "交通运输", "生产安全"):
        assert hazard in ACCIDENT_HAZARDS


def test_a_reported_landslide_brings_in_the_geological_plan_for_natural_hazards_only() -> None:
    assert secondary_graded("暴雨内涝", ["暴雨内涝", "地质灾害"]) == {"地质灾害"}
    assert secondary_graded("台风", ["地质灾害"]) == {"地质灾害"}
    assert secondary_graded("暴雨内涝", ["暴雨内涝", "桥梁隧道"]) == frozenset()  # a flooded underpass is rain
    assert secondary_graded("燃气", ["地质灾害"]) == frozenset()
    assert secondary_graded(None, ["地质灾害"]) == frozenset()


CAP = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{ident}</identifier><sender>ops@sample.example.cn</sender><sent>2026-09-14T17:50:00+08:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>{lang}</language><category>{category}</category><event>{event}</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Observed</certainty><senderName>{sender}</senderName>
    <headline>{headline}</headline><description>{description}</description>
    <area><areaDesc>{area}</areaDesc></area></info>
</alert>"""


def cap_alert(**fields: str) -> Alert:
    values = {"ident": "T-1", "lang": "zh-CN", "category": "Safety", "sender": "示例市城运中心", **fields}
    (alert,) = parse_payload(CAP.format(**values), "t", suffix=".xml").alerts
    return alert


def titles(plans: list[PlanGrading]) -> list[str]:
    return [p.meta.title for p in plans]


def test_rain_is_compared_with_the_flood_control_plans_not_the_geological_plan(shipped: Services) -> None:
    library = shipped.knowledge.retriever
    (alert,) = parse_file(ALERTS / "cards_b_rain_red_guangzhou_zh.xml").alerts  # 5 trapped in an underpass
    facts = facts_from_alert(alert)
    names = titles(plans_for(library, facts))
    assert any("国家防汛抗旱应急预案" in t for t in names)
    assert not any("地质灾害" in t for t in names)
    assert "国家防汛抗旱应急预案" in propose_level(facts, library).plan_title


@pytest.mark.parametrize(
    ("lang", "event", "headline", "description", "area"),
    [
        (
            "zh-CN",
            "桥梁事故",
            "示例市环城高架匝道桥桥面侧翻",
            "匝道桥一联桥面侧翻砸向桥下道路，已造成1人死亡、3人受伤。",
            "示例市北城区环城高架匝道桥",
        ),
        (
            "en-US",
            "Bridge accident",
            "Viaduct deck overturned onto the ring road",
            "A span of the ring-road viaduct overturned onto the road below; 1 person died and 3 were injured.",
            "Ring road viaduct, Northern District, Sample City",
        ),
    ],
)
def test_an_accident_on_a_bridge_with_a_death_is_graded_by_the_work_safety_grading(
    shipped: Services, lang: str, event: str, headline: str, description: str, area: str
) -> None:
    library = shipped.knowledge.retriever
    alert = cap_alert(
        lang=lang, category="Transport", event=event, headline=headline, description=description, area=area
    )
    facts = facts_from_alert(alert)
    assert facts.hazard == "桥梁隧道"
    names = titles(plans_for(library, facts))
    assert any("国家安全生产事故灾难应急预案" in t for t in names)
    assert any("生产安全事故报告和调查处理条例" in t for t in names)
    proposal = propose_level(facts, library)
    assert proposal.level is Level.IV
    assert any("生产安全事故报告和调查处理条例" in c.title for c in proposal.sources)


def test_a_bridge_alarm_without_casualties_is_not_an_accident_to_grade(shipped: Services) -> None:
    alert = cap_alert(
        event="桥梁监测报警",
        headline="示例市滨江区匝道桥墩顶位移超过橙色阈值",
        description="墩顶横向位移28毫米，超过橙色阈值25毫米，暂无人员伤亡。",
        area="示例市滨江区一号匝道桥",
    )
    proposal = propose_level(facts_from_alert(alert), shipped.knowledge.retriever)
    assert proposal.level is None


@pytest.mark.parametrize(
    ("lang", "event", "headline", "description", "area"),
    [
        (
            "zh-CN",
            "暴雨",
            "广州市气象台发布暴雨红色预警信号",
            "过去3小时白云区出现100毫米以上降雨。白云区一处山坡发生山体滑坡，冲毁民房2间，3人死亡。",
            "广东省广州市白云区",
        ),
        (
            "en-US",
            "Rainstorm",
            "Red rainstorm warning for Sample County",
            "Over 100 mm of rain fell in three hours. A landslide buried two houses in a hillside village; 3 people died.",
            "Sample County",  # no local plan: the national plans decide
        ),
    ],
)
def test_a_rain_alert_that_reports_a_landslide_is_graded_by_the_geological_plan_too(
    shipped: Services, lang: str, event: str, headline: str, description: str, area: str
) -> None:
    library = shipped.knowledge.retriever
    alert = cap_alert(lang=lang, category="Met", event=event, headline=headline, description=description, area=area)
    facts = facts_from_alert(alert)
    assert facts.hazard == "暴雨内涝"
    assert any("地质灾害" in t for t in titles(plans_for(library, facts)))
    proposal = propose_level(facts, library)
    assert proposal.level is Level.III  # 因灾死亡3人以上、10人以下: 中型
    assert "地质灾害" in proposal.plan_title


def test_a_rain_alert_that_only_warns_of_landslides_stays_with_flood_control(shipped: Services) -> None:
    alert = cap_alert(
        category="Met",
        event="暴雨",
        headline="广州市气象台发布暴雨红色预警信号",
        description="降雨仍将持续，请注意防范山洪、滑坡、泥石流等次生灾害。",
        area="广东省广州市白云区",
    )
    names = titles(plans_for(shipped.knowledge.retriever, facts_from_alert(alert)))
    assert not any("地质灾害" in t for t in names)


@pytest.mark.parametrize(
    ("lang", "event", "headline", "description"),
    [
        ("zh-CN", "仓库起火", "示例市物流园一仓库起火", "现场冒出大量黄色烟雾，暂无人员伤亡，周边约200人已疏散。"),
        (
            "en-US",
            "Warehouse fire",
            "Fire at a logistics warehouse",
            "Thick yellow smoke over the estate; no casualties; about 200 people have been evacuated.",
        ),
    ],
)
def test_an_accident_is_graded_by_the_work_safety_grading_not_by_every_plan_that_lists_work_safety(
    shipped: Services, lang: str, event: str, headline: str, description: str
) -> None:
    alert = cap_alert(
        lang=lang, category="Fire", event=event, headline=headline, description=description, area="示例市滨江区物流园"
    )
    facts = facts_from_alert(alert)
    assert facts.hazard == "建筑火灾"
    assert facts.colour is Colour.ORANGE  # the smoke's colour is not the alert's: Severe gives orange
    names = titles(plans_for(shipped.knowledge.retriever, facts))
    assert any("国家安全生产事故灾难应急预案" in t for t in names)
    assert not any("突发环境事件" in t or "公共卫生" in t for t in names)  # they list work safety, grade other events
    assert propose_level(facts, shipped.knowledge.retriever).level is None  # 200 evacuated is no accident grade


@pytest.mark.parametrize(
    ("sender", "area", "level"),
    [
        ("Zhengzhou Meteorological Observatory", "Jinshui District, Zhengzhou", None),  # a city's signal
        ("Henan Meteorological Observatory", "Zhengzhou, Henan", Level.II),  # the provincial bureau's
    ],
)
def test_an_english_issuer_is_placed_by_its_city_or_province(
    shipped: Services, sender: str, area: str, level: Level | None
) -> None:
    alert = cap_alert(
        lang="en-US",
        category="Met",
        event="Rainstorm",
        sender=sender,
        headline=f"{sender} issues a red rainstorm warning",
        description="More than 100 mm of rain fell in 3 hours; an underpass is flooded.",
        area=area,
    )
    facts = facts_from_alert(alert)
    assert facts.jurisdiction.province == "河南省"
    proposal = propose_level(facts, shipped.knowledge.retriever)
    assert proposal.level is level  # 省气象局发布暴雨红色预警 → 二级: a city observatory's red signal is not it
    assert "河南省防汛应急预案" in proposal.plan_title


def test_the_alerts_own_family_of_plans_comes_before_a_secondary_hazards_plan(shipped: Services) -> None:
    alert = cap_alert(
        category="Met",
        event="暴雨",
        headline="示例县气象台发布暴雨红色预警信号",
        description="过去3小时降雨超过100毫米。青山村后山发生山体滑坡，冲毁民房2间，暂无人员伤亡。",
        area="示例县青山村",
    )
    library = shipped.knowledge.retriever
    for documents in (list(library.documents()), list(reversed(library.documents()))):  # whatever the library order
        names = titles(plans_for(Reordered(library, documents), facts_from_alert(alert)))
        flood = next(i for i, t in enumerate(names) if "国家防汛抗旱应急预案" in t)
        geology = next(i for i, t in enumerate(names) if "地质灾害" in t)
        assert flood < geology


class Reordered:
    """The shipped library with its documents listed in another order."""

    def __init__(self, library: Library, documents: list[DocumentMeta]) -> None:
        self.library, self.listed = library, documents

    def documents(self) -> Sequence[DocumentMeta]:
        return self.listed

    def grading(self, doc_ids: Sequence[str]) -> dict[str, Grading]:
        return self.library.grading(doc_ids)

    def cite(self, chunk_ids: Sequence[str]) -> dict[str, Citation]:
        return self.library.cite(chunk_ids)

    def passages(self, doc_id: str) -> list[Citation]:
        return self.library.passages(doc_id)


def test_a_rain_alert_graded_only_by_the_geological_plan_still_names_its_own_flood_plans(shipped: Services) -> None:
    alert = cap_alert(
        category="Met",
        event="暴雨",
        headline="示例县气象台发布暴雨红色预警信号",
        description="过去3小时降雨超过100毫米。青山村后山发生山体滑坡，冲毁民房2间，暂无人员伤亡。",
        area="示例县青山村",
    )
    proposal = propose_level(facts_from_alert(alert), shipped.knowledge.retriever)
    assert proposal.level is None
    assert "国家突发地质灾害应急预案" in proposal.basis  # compared with the landslide's plan
    assert "国家防汛抗旱应急预案" in proposal.basis and "同样适用于本告警" in proposal.basis
    assert any("国家防汛抗旱应急预案" in c.title for c in proposal.sources)
