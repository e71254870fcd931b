"""Schema checks for the shipped knowledge library: plans, cases, hazard chains, sample assets.

The library is the embedded default and the ground truth of the evaluation suite, so a
malformed front matter, a hazard outside the vocabulary or a chain citing a case that
does not exist must fail here rather than silently drop out of retrieval.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.domain import HAZARD_NAMES
from assistant.knowledge.loaders.markdown import split_front_matter

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
DOCUMENTS = sorted([*(KNOWLEDGE / "plans").glob("*.md"), *(KNOWLEDGE / "cases").glob("*.md")])
CHAINS_FILE = KNOWLEDGE / "data" / "hazard_chains.yaml"
ASSETS_FILE = KNOWLEDGE / "data" / "assets_sample.yaml"

ID_PATTERN = re.compile(r"^(plan|reg|case)-[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
ISSUED_PATTERN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
KIND_BY_PREFIX = {"plan": "plan", "reg": "regulation", "case": "case"}
LESSONS_HEADING = re.compile(r"^(#{2,6})\s+.*(经验教训|Lessons(?: learned)?)\s*$", re.IGNORECASE)
HEADING = re.compile(r"^(#{1,6})\s+\S")
BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+\S")


def _read(path: Path) -> tuple[dict[str, Any], str]:
    return split_front_matter(path.read_text(encoding="utf-8"), path)


def _lessons_bullets(body: str) -> list[str]:
    """Bullet lines under the lessons heading, up to the next heading of the same or a higher level."""
    bullets: list[str] = []
    level: int | None = None
    for line in body.splitlines():
        heading = HEADING.match(line)
        if level is None:
            found = LESSONS_HEADING.match(line)
            level = len(found.group(1)) if found else None
        elif heading and len(heading.group(1)) <= level:
            break
        elif BULLET.match(line):
            bullets.append(line.strip())
    return bullets


def test_library_has_documents() -> None:
    assert DOCUMENTS, f"knowledge/plans 和 knowledge/cases 下没有文档 / no documents under {KNOWLEDGE}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_front_matter_fields(path: Path) -> None:
    meta, _ = _read(path)
    where = path.relative_to(KNOWLEDGE)
    assert FILE_PATTERN.match(path.name), f"{where}: 文件名须为ascii短横线格式 / file name must be ascii kebab-case"
    doc_id = meta.get("id")
    assert isinstance(doc_id, str) and ID_PATTERN.match(doc_id), f"{where}: bad id {doc_id!r}"
    assert meta.get("kind") == KIND_BY_PREFIX[doc_id.split("-", 1)[0]], f"{where}: kind does not match id prefix"
    expected_folder = "cases" if meta["kind"] == "case" else "plans"
    assert path.parent.name == expected_folder, f"{where}: kind {meta['kind']} belongs in knowledge/{expected_folder}"
    for field in ("title", "region", "issuer", "note"):
        assert isinstance(meta.get(field), str) and meta[field].strip(), f"{where}: missing {field}"
    hazards = meta.get("hazards")
    assert isinstance(hazards, list) and hazards, f"{where}: hazards must be a non-empty list"
    unknown = [h for h in hazards if h not in HAZARD_NAMES]
    assert not unknown, f"{where}: 灾种不在词表中 / hazards not in vocabulary: {unknown}"
    assert len(set(hazards)) == len(hazards), f"{where}: duplicate hazards"
    assert meta.get("lang") in ("zh", "en"), f"{where}: lang must be zh or en"
    assert isinstance(meta.get("year"), int) and 1900 <= meta["year"] <= 2100, f"{where}: year must be an int"
    source = meta.get("source")
    assert isinstance(source, dict) and isinstance(source.get("name"), str) and source["name"].strip(), (
        f"{where}: source.name is required"
    )
    issued = source.get("issued")
    assert issued is None or (isinstance(issued, str) and ISSUED_PATTERN.match(issued)), (
        f"{where}: source.issued must be a quoted YYYY, YYYY-MM or YYYY-MM-DD string, got {issued!r}"
    )


def test_ids_are_unique() -> None:
    seen: dict[str, Path] = {}
    for path in DOCUMENTS:
        doc_id = str(_read(path)[0].get("id"))
        assert doc_id not in seen, f"duplicate id {doc_id}: {seen.get(doc_id)} and {path}"
        seen[doc_id] = path


CASES = [p for p in DOCUMENTS if p.parent.name == "cases"]
PLANS = [p for p in DOCUMENTS if p.parent.name == "plans"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_case_fields_and_lessons(path: Path) -> None:
    meta, body = _read(path)
    where = path.relative_to(KNOWLEDGE)
    raw_date = meta.get("date")
    assert isinstance(raw_date, str), f"{where}: date must be a quoted YYYY-MM-DD string"
    incident = date.fromisoformat(raw_date)
    assert incident.year == meta["year"], f"{where}: year {meta['year']} differs from the incident date {raw_date}"
    assert isinstance(meta.get("place"), str) and meta["place"].strip(), f"{where}: missing place"
    casualties = meta.get("casualties")
    if casualties is not None:
        assert isinstance(casualties, dict) and casualties, f"{where}: casualties must be a mapping"
        assert set(casualties) <= {"deaths", "injured", "missing"}, f"{where}: unknown casualty fields"
        assert all(isinstance(v, int) and v >= 0 for v in casualties.values()), f"{where}: counts must be ints"
    bullets = _lessons_bullets(body)
    assert len(bullets) >= 2, f"{where}: 需要“经验教训/Lessons”小节且至少2条要点 / lessons section needs >= 2 bullets"


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_plan_has_sections(path: Path) -> None:
    _, body = _read(path)
    sections = [line for line in body.splitlines() if (m := HEADING.match(line)) and len(m.group(1)) >= 2]
    assert len(sections) >= 3, f"{path.relative_to(KNOWLEDGE)}: a plan or regulation needs at least 3 sections"


def _case_ids() -> set[str]:
    return {str(_read(path)[0].get("id")) for path in CASES}


def test_hazard_chains_schema_and_case_references() -> None:
    data = yaml.safe_load(CHAINS_FILE.read_text(encoding="utf-8"))
    assert data.get("version") == 1
    chains = data.get("chains")
    assert isinstance(chains, list) and chains
    known_cases = _case_ids()
    hazards = [chain.get("hazard") for chain in chains]
    assert not [h for h in hazards if h not in HAZARD_NAMES], f"chain hazards not in vocabulary: {hazards}"
    assert len(set(hazards)) == len(hazards), "one chain per hazard"
    for chain in chains:
        name = chain["hazard"]
        assert chain.get("trigger") and chain.get("trigger_en"), f"{name}: trigger and trigger_en are required"
        links = chain.get("links")
        assert isinstance(links, list) and links, f"{name}: links are required"
        reachable = {chain["trigger"]}
        for link in links:
            for key in ("from", "to", "to_en", "why"):
                assert isinstance(link.get(key), str) and link[key].strip(), f"{name}: link without {key}: {link}"
            assert link["from"] in reachable, f"{name}: link starts from {link['from']!r}, not an earlier state"
            reachable.add(link["to"])
            cases = link.get("cases")
            assert isinstance(cases, list), f"{name}: cases must be a list"
            missing = [c for c in cases if c not in known_cases]
            assert not missing, f"{name}: 引用的案例不存在 / cited cases do not exist: {missing}"


REQUIRED_ASSET_FIELDS = {
    "bridges": {"id", "name", "district", "lat", "lon", "structure_type", "build_year", "load_rating"}
    | {"last_inspection", "maintenance"},
    "gas_pipes": {"id", "name", "district", "lat", "lon", "material", "install_year", "pressure_class", "diameter_mm"},
    "sensitive_sites": {"id", "name", "type", "district", "lat", "lon"},
}
MINIMUM_ASSETS = {"bridges": 10, "gas_pipes": 10, "sensitive_sites": 15}
SITE_TYPES = {
    "school",
    "hospital",
    "kindergarten",
    "nursing_home",
    "metro_station",
    "underpass",
    "market",
    "chemical_plant",
    "heritage",
}


def test_assets_sample_is_marked_fictional_and_complete() -> None:
    data = yaml.safe_load(ASSETS_FILE.read_text(encoding="utf-8"))
    assert data.get("sample_data") is True, "assets_sample.yaml must declare sample_data: true"
    ids: set[str] = set()
    for group, required in REQUIRED_ASSET_FIELDS.items():
        items = data.get(group)
        assert isinstance(items, list) and len(items) >= MINIMUM_ASSETS[group], f"{group}: too few entries"
        for item in items:
            assert required <= set(item), f"{group} {item.get('id')}: missing {sorted(required - set(item))}"
            assert item["id"] not in ids, f"duplicate asset id {item['id']}"
            ids.add(item["id"])
            assert "示例" in item["name"], f"{item['id']}: sample names must say 示例 so no one mistakes them for real"
            assert isinstance(item["lat"], float) and -90 <= item["lat"] <= 90, f"{item['id']}: lat"
            assert isinstance(item["lon"], float) and -180 <= item["lon"] <= 180, f"{item['id']}: lon"
    for bridge in data["bridges"]:
        date.fromisoformat(bridge["last_inspection"])
        assert isinstance(bridge["build_year"], int)
        assert isinstance(bridge["maintenance"], list) and all(isinstance(m, str) for m in bridge["maintenance"])
    for pipe in data["gas_pipes"]:
        assert pipe["material"] in {"铸铁", "钢", "PE"}, pipe["id"]
        assert pipe["pressure_class"] in {"低压", "中压B", "中压A", "次高压"}, pipe["id"]
        assert isinstance(pipe["install_year"], int) and isinstance(pipe["diameter_mm"], int), pipe["id"]
    assert {site["type"] for site in data["sensitive_sites"]} <= SITE_TYPES


def test_library_counts() -> None:
    """Issue 3's acceptance counts: enough plans and cases, and English cases for English users."""
    english_cases = [p for p in CASES if _read(p)[0].get("lang") == "en"]
    assert len(PLANS) >= 18, f"plans and regulations: {len(PLANS)} < 18"
    assert len(CASES) >= 30, f"cases: {len(CASES)} < 30"
    assert len(english_cases) >= 5, f"English cases: {len(english_cases)} < 5"
