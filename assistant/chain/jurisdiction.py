"""属地管理: where an alert is, where a plan applies, and whether the one covers the other.

The plan of the alert's own district/city/province is the basis first, then the level above,
then the national plan. Another province's plan never is: it may be shown as a reference to
similar practice, labelled so. A place nobody can name stays unknown — it is never guessed.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.chain.gazetteer import Gazetteer, find_names, load_gazetteer
from assistant.domain import Alert, DocumentMeta

NATIONAL_WORDS = ("全国", "国家", "national", "China")
_GEOCODE = re.compile(r"^\d{6}(?:\d{6})?$")
# A place outside China: no plan of the library (a Chinese national, provincial or city plan) governs it.
_ABROAD = re.compile(
    r"英国|美国|日本|韩国|澳大利亚|加拿大|德国|法国|印度|\b(?:UK|U\.K\.|United Kingdom|England|Scotland|Wales|"
    r"Northern Ireland|USA|U\.S\.A?\.|United States|Japan|South Korea|Australia|Canada|Germany|France|India)\b"
)


# "示例市场", "市民", "市政": a 市 that begins a word, not the end of a county-level city's name
_CITY_WORD_TAIL = frozenset("场民政容貌区域级内委属直长")


@dataclass(frozen=True)
class Place:
    """A place path; ``None`` levels are unknown. ``national`` marks a document valid everywhere."""

    province: str | None = None
    city: str | None = None
    district: str | None = None
    national: bool = False
    source: str = ""  # which field named it: geocode | area | sender | text | settings | document
    abroad: str = ""  # the country outside China the alert names ("UK"), when it names no Chinese place

    @property
    def known(self) -> bool:
        return self.national or bool(self.abroad) or any((self.province, self.city, self.district))

    @property
    def depth(self) -> int:
        """0 national, 1 province, 2 city, 3 district (the most specific level named)."""
        return 3 if self.district else 2 if self.city else 1 if self.province else 0

    @property
    def path(self) -> str:
        """ "广东省/广州市/天河区", "北京市/朝阳区", "全国", "" when unknown."""
        if self.national:
            return "全国"
        if self.abroad:
            return f"境外/{self.abroad}"
        return "/".join(dict.fromkeys(p for p in (self.province, self.city, self.district) if p))

    def label(self, lang: str = "zh") -> str:
        if self.national:
            return "全国" if lang == "zh" else "national"
        if self.abroad:
            return f"境外（{self.abroad}）" if lang == "zh" else f"outside China ({self.abroad})"
        parts = [p for p in (self.province, self.city, self.district) if p]
        if not parts:
            return "属地不明" if lang == "zh" else "jurisdiction unknown"
        if lang == "zh":
            return "".join(dict.fromkeys(parts))
        gazetteer = load_gazetteer()
        return " / ".join(dict.fromkeys(gazetteer.english(p) for p in parts))  # "Guangdong / Guangzhou / 天河区"


def _accumulate(texts: Iterable[tuple[str, str]], gazetteer: Gazetteer) -> Place:
    """The first consistent province, city and district named, taking texts in priority order."""
    province = city = district = None
    source = ""
    texts = list(texts)
    named_city = next((h.name for _w, t in texts for h in find_names(t or "", gazetteer) if h.level == "city"), None)
    for where, text in texts:
        city_end = -1  # where the known city's name ends in this text
        for hit in find_names(text or "", gazetteer):
            hit_province = hit.province.name if hit.province else None
            if (
                hit.level == "city"
                and city
                and not district
                and hit.name != city
                and hit_province is None
                and 0 <= hit.start - city_end <= 1
                and (text or "")[hit.start + len(hit.name) : hit.start + len(hit.name) + 1] not in _CITY_WORD_TAIL
            ):
                # "凉山彝族自治州西昌市", "新乡市卫辉市": a county-level city right after its prefecture is the level
                # below it, where a district would be
                district, source = hit.name, source or where
                continue
            if province and hit_province and hit_province != province and not (hit.level == "district" and named_city):
                continue  # another province named in passing ("受福建沿海台风影响") does not move the alert
            if hit.level == "province" and not province:
                province, source = hit.name, source or where
            elif hit.level == "city" and not city:
                city, source = hit.name, source or where
                province = province or hit_province
                city_end = hit.start + len(hit.name)
            elif hit.level == "district" and not district:
                district, source = hit.name, source or where
                if named_city is None or gazetteer.province_of_city(named_city) is hit.province:
                    # "示例市河西区" is a district of 示例市, not Tianjin's 河西区: a district name gives its
                    # province only when no city of another province is named with it
                    province = province or hit_province
    if province and city == province:
        city = None
    return Place(province, city, district, source=source)


def place_of_alert(alert: Alert, home: str = "", gazetteer: Gazetteer | None = None) -> Place:
    """The alert's jurisdiction from its geocodes, area, sender, then text; ``home`` (settings) fills a blank."""
    gazetteer = gazetteer or load_gazetteer()
    coded = next(
        (gazetteer.by_code(value) for _name, value in alert.area.geocodes if _GEOCODE.match(value.strip())), None
    )
    texts = [
        ("area", alert.area.description),
        ("area", alert.area.address or ""),
        ("area", alert.area.district or ""),
        ("sender", alert.sender),
        ("text", alert.headline),
        ("text", alert.event),
        ("text", alert.description),
    ]
    place = _accumulate(texts, gazetteer)
    if coded and not place.province:
        place = Place(coded.name, place.city, place.district, source=place.source or "geocode")
    if not place.known and (abroad := _ABROAD.search(" ".join(t for _w, t in texts if t))):
        return Place(abroad=abroad.group(0), source="area")
    if not place.province and home:
        home_place = _accumulate([("settings", home)], gazetteer)
        if home_place.province and not (place.city and gazetteer.province_of_city(place.city)):
            place = Place(home_place.province, place.city or home_place.city, place.district, source="settings")
    return place


def place_of_document(meta: DocumentMeta) -> Place:
    """Where a plan applies: its declared or inferred region, else its title and issuer; 全国 for national bodies."""
    return _document_place(meta.region or "", meta.title, meta.issuer or "")


@lru_cache(maxsize=4096)
def _document_place(region: str, title: str, issuer: str) -> Place:
    gazetteer = load_gazetteer()
    region = region.strip()
    if region in ("全国", "national", "China", "中国"):
        return Place(national=True, source="document")
    place = _accumulate([("document", region), ("document", title), ("document", issuer)], gazetteer)
    if place.known:
        return place
    if any(word in issuer or title.startswith(word) for word in NATIONAL_WORDS):
        return Place(national=True, source="document")
    return place


class Relation(enum.StrEnum):
    """How a document's jurisdiction relates to an alert's, best first."""

    OWN = "own"  # the alert's own district/city/province plan
    UPPER = "upper"  # a plan of a level above that still covers the alert
    NATIONAL = "national"
    OTHER = "other"  # another jurisdiction: reference only
    UNKNOWN = "unknown"  # cannot tell: reference only

    @property
    def applies(self) -> bool:
        return self in (Relation.OWN, Relation.UPPER, Relation.NATIONAL)

    @property
    def rank(self) -> int:
        return list(Relation).index(self)


def relation(document: Place, alert: Place) -> Relation:
    """Compare level by level where the document names one; a level the alert leaves blank is unknown. A place
    outside China is under none of them, the national plans included."""
    if alert.abroad:
        return Relation.OTHER
    if document.national:
        return Relation.NATIONAL
    if not document.known:
        return Relation.UNKNOWN
    for doc_level, alert_level in (
        (document.province, alert.province),
        (document.city, alert.city),
        (document.district, alert.district),
    ):
        if doc_level is None:
            continue
        if alert_level is None:
            return Relation.UNKNOWN
        if doc_level != alert_level:
            return Relation.OTHER
    return Relation.OWN if document.depth >= alert.depth else Relation.UPPER
