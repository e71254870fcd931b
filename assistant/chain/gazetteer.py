"""Chinese administrative divisions (knowledge/data/admin_divisions.yaml): which province a place is in.

Jurisdiction decides which plans apply (属地管理), so place names are matched conservatively:
provinces and cities by their full names with suffix ("广州市", not "广州" — "中山路" is a street,
not 中山市), municipality districts only as a fallback, and CAP/GB 2260 codes by their
province prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from assistant.settings import PROJECT_ROOT

DIVISIONS_PATH = PROJECT_ROOT / "knowledge" / "data" / "admin_divisions.yaml"
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


_ETHNIC = (
    "土家族|布依族|景颇族|傈僳族|哈尼族|朝鲜族|蒙古族|白族|苗族|傣族|藏族|羌族|彝族|壮族|回族|侗族|蒙古|柯尔克孜|哈萨克"
)
_PREFECTURE = re.compile(rf"^(?P<stem>.+?)(?:{_ETHNIC})+自治州$")


def city_stem(city: str) -> str:
    """How a city is written without its suffix: 盐城市 → 盐城, 大理白族自治州 → 大理, 阿里地区 → 阿里."""
    if match := _PREFECTURE.match(city):
        return match.group("stem")
    for suffix in ("市", "地区", "盟"):
        if city.endswith(suffix) and len(city) > len(suffix) + 1:
            return city[: -len(suffix)]
    return city


@dataclass(frozen=True)
class Province:
    name: str
    code: str
    english: str
    cities: tuple[str, ...]
    districts: tuple[str, ...]  # municipalities only
    english_cities: tuple[tuple[str, str], ...] = ()  # ("Guangzhou", "广州市"): unambiguous English names only

    @cached_property
    def short(self) -> str:
        """ "广东" of "广东省", "广西" of "广西壮族自治区", "内蒙古" of "内蒙古自治区"."""
        for suffix in _SUFFIXES:
            if self.name.endswith(suffix) and len(self.name) > len(suffix) + 1:
                return self.name[: -len(suffix)]
        return self.name

    @property
    def municipality(self) -> bool:
        return bool(self.districts)

    @cached_property
    def city_stems(self) -> tuple[tuple[str, str], ...]:
        """(stem, city) of every city whose stem is long enough to be read after the province's name."""
        return tuple((city_stem(c), c) for c in self.cities if len(city_stem(c)) >= 2)


@dataclass(frozen=True)
class Gazetteer:
    provinces: tuple[Province, ...]

    def by_code(self, code: str) -> Province | None:
        return next((p for p in self.provinces if code.startswith(p.code)), None)

    def by_name(self, name: str) -> Province | None:
        return next((p for p in self.provinces if name in (p.name, p.short)), None)

    def province_of_city(self, city: str) -> Province | None:
        return next((p for p in self.provinces if city in p.cities), None)

    def province_of_district(self, district: str) -> Province | None:
        return next((p for p in self.provinces if district in p.districts), None)

    def english(self, name: str) -> str:
        """The English name of a province or city ("广东省" → "Guangdong", "广州市" → "Guangzhou"), else ``name``."""
        for province in self.provinces:
            if name == province.name and province.english:
                return province.english
            for english, city in province.english_cities:
                if name == city:
                    return english
        return name


@lru_cache(maxsize=2)
def load_gazetteer(path: Path = DIVISIONS_PATH) -> Gazetteer:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    provinces = tuple(
        Province(
            name=item["name"],
            code=str(item["code"]),
            english=item.get("en", ""),
            cities=tuple(item.get("cities", ())),
            districts=tuple(item.get("districts", ())),
            english_cities=tuple((str(en), str(cn)) for en, cn in (item.get("cities_en") or {}).items()),
        )
        for item in data.get("provinces", ())
    )
    for province in provinces:
        unknown = [cn for _en, cn in province.english_cities if cn not in province.cities]
        if unknown:
            raise ValueError(
                f"{path}: {province.name} 的 cities_en 含未列出的城市 {unknown} / "
                f"cities_en of {province.name} names cities not in its list: {unknown}"
            )
    return Gazetteer(provinces)


@dataclass(frozen=True)
class NameHit:
    """A place name found in a text: its level, its canonical name and its province."""

    level: str  # province | city | district
    name: str
    province: Province | None
    start: int


_CITY_LIKE = re.compile(r"[\u4e00-\u9fff]{2,7}?(?:市|自治州|地区|盟)")
_DISTRICT_LIKE = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:新区|区|县|旗)(?![\u4e00-\u9fff]{0,1}(?:域|间|别|块|级|分))")
_NOT_CITY = ("城市", "都市", "超市", "本市", "全市", "各市", "该市", "省市", "市市", "门市", "夜市", "股市", "集市")
_NOT_DISTRICT = (
    "地区",
    "小区",
    "园区",
    "社区",
    "景区",
    "校区",
    "街区",
    "厂区",
    "库区",
    "罐区",
    "居民区",
    "住宅区",
    "生活区",
    "山区",
    "辖区",
    "全区",
    "本区",
    "该区",
    "各区",
    "矿区",
    "灾区",
    "险区",
    "危险区",
    "疏散区",
    "警戒区",
    "管控区",
    "作业区",
    "营区",
    "展区",
    "片区",
    "商圈区",
)
_GENERIC_DISTRICT = ("城区", "市区", "新区", "老区", "郊区")  # a word, not a name (老城区 and 滨海新区 are names)


# "Beijing Road" in Guangzhou, "Nanjing Road" in Shanghai: a place name before a street word names a street.
_STREET_AFTER = r"(?!\s+(?:road|rd|street|st|avenue|ave|lu|jie|lane|ln|boulevard|blvd|park)\b)"


@lru_cache(maxsize=512)
def _english_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(name)}\b{_STREET_AFTER}", re.IGNORECASE)


# "G60 Shanghai-Kunming Expressway", "京港澳高速", "北京至上海铁路": a route is named after its end points, which
# are not where the alert is ("Yuhu District, Xiangtan, Hunan" on the same line is).
_ROUTE_EN = re.compile(
    r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?(?:\s?[-–—]\s?[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)+\s+"
    r"(?:Expressway|Highway|Motorway|Freeway|(?:High-Speed\s+)?Railway|Railroad|Pipeline|Canal)\b"
)
_ROUTE_ZH = re.compile(
    r"[\u4e00-\u9fff]{2,4}(?:至|—|－|-)[\u4e00-\u9fff]{2,4}(?:高速公路|高速|高铁|铁路|国道|输油管道|输气管道)"
)


def _mask_routes(text: str) -> str:
    """``text`` with route names blanked out, offsets kept."""
    for pattern in (_ROUTE_EN, _ROUTE_ZH):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def find_names(text: str, gazetteer: Gazetteer | None = None) -> list[NameHit]:
    """Province, city and district names in ``text``, in order of appearance (Chinese and English); the end points
    a route is named after are not places of the text."""
    gazetteer = gazetteer or load_gazetteer()
    text = _mask_routes(text)
    hits: list[NameHit] = []
    for province in gazetteer.provinces:
        for name in {province.name, province.short}:
            start = text.find(name)
            # A short name counts only when a province-level word follows ("广东省"/"福建全省"/"北京市"),
            # or for municipalities whose short name is the usual form ("北京气象台").
            if start >= 0 and (
                name == province.name or province.municipality or _province_word_after(text, start + len(name))
            ):
                hits.append(NameHit("province", province.name, province, start))
                break
        if province.english and (match := _english_pattern(province.english).search(text)):
            hits.append(NameHit("province", province.name, province, match.start()))
        for english, english_city in province.english_cities:
            if match := _english_pattern(english).search(text):
                hits.append(NameHit("city", english_city, province, match.start()))
    for match in _CITY_LIKE.finditer(text):
        city = _trim_to_known_city(match.group(), gazetteer)
        owner = gazetteer.province_of_city(city) if city else None
        if city and (owner or not city.endswith(_NOT_CITY)):  # 盐城市 and 晋城市 are cities, "城市" is not
            hits.append(NameHit("city", city, owner, match.start() + len(match.group()) - len(city)))
    hits += _written_short(text, gazetteer)
    for match in _DISTRICT_LIKE.finditer(text):
        # "郑州金水区", "厦门思明区": a known city's name without 市, then its district
        city, owner, rest = _leading_city(re.split(r"[市省盟]", match.group())[-1], gazetteer)
        name = rest if owner else re.split(r"[市省州盟]", match.group())[-1]  # "广州市天河区" → "天河区"
        after_city = bool(city) or match.group()[: -len(name)].endswith(("市", "州", "盟"))
        if _not_a_district(name, gazetteer, after_city):
            continue  # and a city stem before it is a street's ("长沙路社区"), not the city
        start = match.end() - len(name)
        if city:
            hits.append(NameHit("city", city, owner, start - (len(city) - 1)))
        hits.append(NameHit("district", name, gazetteer.province_of_district(name), start))
    return sorted(hits, key=lambda h: h.start)


def _written_short(text: str, gazetteer: Gazetteer) -> list[NameHit]:
    """Cities written the short way: after their province ("江苏盐城", "云南大理") or an autonomous prefecture
    as stem + 州 ("大理州", "恩施州")."""
    hits: list[NameHit] = []
    for province in gazetteer.provinces:
        for stem, city in province.city_stems:
            for lead in {province.name, province.short}:
                at = text.find(lead + stem)
                if at >= 0 and not text.startswith(("市", "州", "地区", "盟"), at + len(lead) + len(stem)):
                    hits.append(NameHit("city", city, province, at + len(lead)))
                    break
            if city.endswith("自治州") and (at := text.find(stem + "州")) >= 0:
                hits.append(NameHit("city", city, province, at))
    return hits


def _not_a_district(name: str, gazetteer: Gazetteer, after_city: bool) -> bool:
    """ "西部山区", "小区", "全区" are not districts; "中山区" right after its city ("大连中山区", "大连市中山区")
    is one, though it ends like "山区"."""
    if name in _GENERIC_DISTRICT or len(name) < 2:
        return True
    generic = next((word for word in _NOT_DISTRICT if name.endswith(word)), None)
    if generic is None or gazetteer.province_of_district(name):
        return False
    # Real districts end in 山区/矿区 (大连中山区, 深圳南山区, 阳泉矿区), never in 社区/小区: a one-character stem
    # after a city is such a district, "西部山区" or "长沙路社区" is not
    return not (after_city and generic in ("山区", "矿区") and len(name) == 3)


def _leading_city(name: str, gazetteer: Gazetteer) -> tuple[str | None, Province | None, str]:
    """A known city's or municipality's name written without its suffix at the start of a district run
    ("郑州金水区" → 郑州市 + 金水区, "北京朝阳区" → 北京 + 朝阳区); ``(None, None, name)`` when there is none."""
    for province in gazetteer.provinces:
        if province.municipality and name.startswith(province.short) and len(name) - len(province.short) >= 2:
            return None, province, name[len(province.short) :]
        for stem, city in province.city_stems:
            # "苏盐城响水县": the run began inside "江苏"; the city stem follows the province's last characters
            lead = next((n for n in (0, 1, 2) if name[n:].startswith(stem) and province.short.endswith(name[:n])), None)
            if lead is None or stem == province.short:
                continue
            rest = name[lead + len(stem) :]
            if rest.startswith("州"):
                rest = rest[1:]  # "大理州宾川县"
            if len(rest) >= 2:
                return city, province, rest  # "朝阳区" is a district, not 朝阳市 + "区"
    return None, None, name


def _province_word_after(text: str, end: int) -> bool:
    return text[end : end + 2].startswith(("省", "全省", "境内", "沿海", "气象", "应急", "防汛", "防指"))


def _trim_to_known_city(candidate: str, gazetteer: Gazetteer) -> str | None:
    """The city a "…市" run names: the longest known city it ends with, else the run itself (unknown cities)."""
    for province in gazetteer.provinces:
        if province.name in candidate and candidate.endswith(province.name):
            return None  # "北京市" is the province-level municipality, found above
    known = [c for p in gazetteer.provinces for c in p.cities if candidate.endswith(c)]
    if known:
        return max(known, key=len)
    # An unknown "示例市": keep it (it may name the deployment's own city) unless it reads as a province + city.
    for province in gazetteer.provinces:
        if candidate.startswith((province.name, province.short)):
            rest = (
                candidate[len(province.name) :]
                if candidate.startswith(province.name)
                else candidate[len(province.short) :]
            )
            return rest if len(rest) >= 2 else None
    return candidate
