"""What a document is: id, title, kind, hazards, region, issuer, year; declared where possible, inferred otherwise.

Retrieval filters (``--kind plan --hazard 燃气``) and citations depend on these fields, so
declared values (Markdown front matter, a ``<file>.meta.yaml`` sidecar) always win and are
validated strictly: an unknown hazard name is an error, not a silent new label. Inference
is deliberately simple and explainable (keywords, the title, a plan's own "本预案由…制定").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

from assistant.domain import HAZARD_NAMES, HAZARDS, DocKind, DocumentMeta, hazard_by_name
from assistant.errors import DocumentError
from assistant.knowledge.headings import parse_heading
from assistant.knowledge.loaders.base import LoadedDocument

TITLE_WEIGHT = 5
MAX_HAZARDS = 3
_HEAD_CHARS = 3000
_MAX_TITLE_LINE = 60
_KIND_ALIASES = {"预案": "plan", "案例": "case", "法规": "regulation", "其他": "other"}
_KIND_RULES: tuple[tuple[re.Pattern[str], DocKind], ...] = (
    (re.compile(r"预案|处置方案|emergency (?:response )?plan|contingency plan", re.I), DocKind.PLAN),
    (re.compile(r"评估报告|使用说明|手册|manual", re.I), DocKind.OTHER),
    (re.compile(r"调查报告|事故|案例|灾情|investigation|accident report|occurrence", re.I), DocKind.CASE),
    (re.compile(r"条例|规定|办法|标准|法$|法》|\bact\b|regulation|\blaw\b|standard", re.I), DocKind.REGULATION),
)
_PATH_KINDS = {"plans": DocKind.PLAN, "plan": DocKind.PLAN, "预案": DocKind.PLAN, "cases": DocKind.CASE}
_PATH_KINDS |= {
    "case": DocKind.CASE,
    "案例": DocKind.CASE,
    "regulations": DocKind.REGULATION,
    "laws": DocKind.REGULATION,
}
_JUNK_TITLE = re.compile(r"^microsoft (?:word|powerpoint)|\.(?:docx?|pdf|wps|txt)$|^untitled|^无标题", re.I)
_FIELD_LINE = re.compile(r"[:：]\s*\S")  # "应急预案编号：XXZYT-YA-001" is a form field, not a title
_FILE_ORDINAL = re.compile(r"^\d{1,3}[-_ ]+")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")
_ORG = r"[\u4e00-\u9fff（）()]{2,24}?(?:人民政府办公厅|人民政府|办公厅|办公室|委员会|总指挥部|指挥部|有限公司|集团|管理局|应急管理部|应急管理厅|部|厅|局)"
_PLAN_ISSUER = re.compile(rf"本预案由({_ORG})(?:负责)?(?:制定|印发|发布|批准)")  # anywhere, usually in 附则
_HEADER_ISSUERS = (  # only near the top: a notice's sender, or a cover or signature line with its date
    re.compile(rf"^({_ORG})关于印发"),
    re.compile(rf"^({_ORG})\s*(?:\d{{4}}年\d{{1,2}}月\d{{1,2}}日)?$"),
)
_HEADER_LINES = 60
_EN_ISSUER = re.compile(
    r"\b((?:[A-Z][a-z]+ ){1,5}(?:Bureau|Board|Commission|Agency|Administration|Authority|Ministry|Department)(?: of (?:[A-Z][a-z]+ ?){1,3})?)"
)
_LATIN_KEYWORD = re.compile(r"^[A-Za-z0-9 .'-]+$")


def _hazard_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for keyword in sorted(keywords, key=len, reverse=True):
        escaped = re.escape(keyword)
        parts.append(rf"\b{escaped}\b" if _LATIN_KEYWORD.match(keyword) else escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


_HAZARD_PATTERNS = tuple((hazard.name, _hazard_pattern(hazard.keywords)) for hazard in HAZARDS)


def infer_hazards(text: str, title: str = "") -> tuple[str, ...]:
    """Hazards from the controlled vocabulary, ranked by keyword hits (a title hit counts ``TITLE_WEIGHT``), at most 3.

    A hazard needs at least two hits, or one in the title, and a third of the best score, so a
    single passing mention ("…地震等引发的…") does not label a flood plan as an earthquake plan.
    """
    scores: Counter[str] = Counter()
    for name, pattern in _HAZARD_PATTERNS:
        score = len(pattern.findall(text)) + TITLE_WEIGHT * len(pattern.findall(title))
        if score:
            scores[name] = score
    if not scores:
        return ()
    best = max(scores.values())
    ranked = [name for name, score in scores.most_common() if score >= 2 and score * 3 >= best]
    return tuple(ranked[:MAX_HAZARDS])


def _head_text(doc: LoadedDocument) -> str:
    parts: list[str] = []
    size = 0
    for block in doc.blocks:
        parts.append(block.text)
        size += len(block.text)
        if size >= _HEAD_CHARS:
            break
    return "\n".join(parts)[:_HEAD_CHARS]


def _clean_title(text: str) -> str:
    text = _FILE_ORDINAL.sub("", text.strip())
    heading = parse_heading(text)
    if heading and heading.text == text and not heading.style.startswith(("annex", "part", "chapter")):
        stripped = re.sub(r"^[\s\d.、（）()一二三四五六七八九十]+", "", text).strip()
        return stripped or text
    return text


def _infer_title(doc: LoadedDocument) -> str:
    for candidate in (doc.properties.get("title", ""), doc.properties.get("cover_title", "")):
        if candidate and not _JUNK_TITLE.search(candidate.strip()) and len(candidate) >= 4:
            return str(candidate).strip()
    first_heading = next((b.text for b in doc.blocks if b.kind == "heading"), "")
    if first_heading:
        return _clean_title(first_heading)
    lines = (line.strip() for b in doc.blocks for line in b.text.split("\n"))
    first_line = next((line for line in lines if line and not _FIELD_LINE.search(line)), "")
    if first_line and len(first_line) <= _MAX_TITLE_LINE:
        return _clean_title(first_line)
    return _FILE_ORDINAL.sub("", doc.path.stem) or doc.path.stem


_PROVINCES = {
    **{name: f"{name}市" for name in ("北京", "天津", "上海", "重庆")},
    **{
        name: f"{name}省"
        for name in "河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾".split()
    },
    "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区",
    "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
    "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}
_PROVINCE = re.compile("|".join(sorted(_PROVINCES, key=len, reverse=True)))
_CITY = re.compile(r"([\u4e00-\u9fff]{2,3}市)(?:([\u4e00-\u9fff]{1,4}(?:区|县)))?")
_NOT_CITY = ("城市", "都市", "超市", "本市", "全市", "各市", "该市", "省市", "市市")
_CITIES = "石家庄 太原 呼和浩特 沈阳 大连 长春 哈尔滨 南京 苏州 杭州 宁波 合肥 福州 厦门 南昌 济南 青岛 郑州 武汉 长沙 广州 深圳 南宁 海口 成都 贵阳 昆明 拉萨 西安 兰州 西宁 银川 乌鲁木齐".split()
_NATIONAL = re.compile(r"^(?:国家|国务院|中共中央|中华人民共和国|应急管理部|住房和城乡建设部|水利部)|全国")
_COUNTRIES = {"Australia": ("Australia", "ATSB"), "Canada": ("Canada", "TSB "), "New Zealand": ("New Zealand", "TAIC")}


def infer_region(title: str, issuer: str, head: str) -> str | None:
    """Province (and the city or district right after it) named in the title or issuer, else a city, else
    全国 for national bodies; for English reports the investigating body's country."""
    for text in (title, issuer):
        province = _PROVINCE.search(text)
        if province:
            name = _PROVINCES[province.group(0)]
            after = text[province.end() :].removeprefix(name[len(province.group(0)) :])
            city = _CITY.match(after)
            return name + city.group(0) if city and not city.group(1).endswith(_NOT_CITY) else name
        city = _CITY.match(text)
        if city and not city.group(1).endswith(_NOT_CITY):
            return city.group(0)
        known = next((name for name in _CITIES if name in text), None)
        if known:
            return f"{known}市"
        if _NATIONAL.search(text):
            return "全国"
    for country, markers in _COUNTRIES.items():
        if any(marker in head for marker in markers):
            return country
    return None


def _infer_kind(title: str, source_path: str) -> DocKind:
    for pattern, kind in _KIND_RULES:
        if pattern.search(title):
            return kind
    parts = [part.lower() for part in re.split(r"[\\/]", source_path)]
    return next((_PATH_KINDS[part] for part in reversed(parts) if part in _PATH_KINDS), DocKind.OTHER)


def _infer_issuer(doc: LoadedDocument, head: str) -> str | None:
    lines = [line.strip() for block in doc.blocks for line in block.text.split("\n") if line.strip()]
    searches = [(_PLAN_ISSUER, lines)] + [(pattern, lines[:_HEADER_LINES]) for pattern in _HEADER_ISSUERS]
    for pattern, scope in searches:
        for line in scope:
            found = pattern.search(line)
            if found and not found.group(1).startswith(("各", "本", "有关", "相关")):
                return found.group(1)
    english = Counter(m.strip().removeprefix("The ") for m in _EN_ISSUER.findall(head))
    return english.most_common(1)[0][0] if english else None


def _years(text: str) -> list[int]:
    found = [int(year) for year in _YEAR.findall(text)]
    found += [int("".join(str(_CN_DIGIT[ch]) for ch in year)) for year in _CN_YEAR.findall(text)]
    return [year for year in found if 1950 <= year <= 2049]


def _infer_year(title: str, stem: str, head: str) -> int | None:
    """The title's year, else the file name's, else the commonest (then latest) year near the start of the text."""
    for text in (title, stem):
        if found := _years(text):
            return found[0]
    for text in (head[:600], head):
        if found := _years(text):
            counts = Counter(found)
            return max(counts, key=lambda year: (counts[year], year))
    return None


def detect_lang(text: str) -> str:
    """'zh' when CJK characters make up a real share of the letters, else 'en'."""
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk and cjk * 4 >= latin else "en"


def _declared_hazards(value: Any, path: str) -> tuple[str, ...]:
    names = re.split(r"[,，、;；\s]+", value) if isinstance(value, str) else list(value or [])
    resolved, unknown = [], []
    for name in (str(n).strip() for n in names if str(n).strip()):
        try:
            resolved.append(name if name in HAZARD_NAMES else hazard_by_name(name).name)
        except KeyError:
            unknown.append(name)
    if unknown:
        allowed = "、".join(sorted(HAZARD_NAMES))
        raise DocumentError(
            path,
            f"元数据中的灾种不在词表内：{'、'.join(unknown)}；可用：{allowed} / unknown hazards {unknown}; use names from the vocabulary",
        )
    return tuple(dict.fromkeys(resolved))


def _declared_kind(value: Any, path: str) -> DocKind:
    text = _KIND_ALIASES.get(str(value).strip(), str(value).strip().lower())
    try:
        return DocKind(text)
    except ValueError as err:
        raise DocumentError(
            path, f"元数据kind“{value}”无效，可用 plan/case/regulation/other / invalid kind {value!r}"
        ) from err


def _declared_year(value: Any, path: str) -> int:
    found = _YEAR.search(str(value))
    if not found:
        raise DocumentError(path, f"元数据year“{value}”不是年份 / year {value!r} is not a year")
    return int(found.group(1))


def _plain(value: Any) -> Any:
    """YAML dates become ISO strings so metadata stays JSON-serialisable for the index."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _source_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(str(_plain(value[key])) for key in ("name", "issued", "url") if value.get(key))
    return str(value)


_DECLARED_KEYS = {"title", "kind", "hazards", "region", "issuer", "year", "lang", "source"}


def build_metadata(doc: LoadedDocument, source_path: str | None = None) -> DocumentMeta:
    """Describe a loaded document; raises DocumentError when declared metadata is invalid."""
    path = source_path or str(doc.path)
    declared = doc.front_matter
    head = _head_text(doc)
    title = str(declared.get("title") or _infer_title(doc)).strip()
    kind = _declared_kind(declared["kind"], path) if declared.get("kind") else _infer_kind(title, path)
    hazards = (
        _declared_hazards(declared["hazards"], path) if declared.get("hazards") else infer_hazards(head, title=title)
    )
    issuer = str(declared["issuer"]) if declared.get("issuer") else _infer_issuer(doc, head)
    region = str(declared["region"]) if declared.get("region") else infer_region(title, issuer or "", head)
    year = _declared_year(declared["year"], path) if declared.get("year") else _infer_year(title, doc.path.stem, head)
    source = declared.get("source")
    extra = {key: _plain(value) for key, value in declared.items() if key not in _DECLARED_KEYS}
    if isinstance(source, Mapping):
        extra["source"] = _plain(source)
        if not declared.get("year") and source.get("issued"):
            year = _declared_year(source["issued"], path)
    return DocumentMeta(
        doc_id=doc.content_hash[:16],
        title=title,
        kind=kind,
        hazards=hazards,
        source_path=path,
        lang=str(declared.get("lang") or detect_lang(head)),
        region=region,
        issuer=issuer,
        year=year,
        source=_source_text(source) if source else None,
        pages=doc.page_count,
        extra=extra,
    )
