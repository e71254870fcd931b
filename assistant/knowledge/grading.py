"""Grading criteria as data: what each plan says puts an event at Ⅰ, Ⅱ, Ⅲ or Ⅳ.

Read once per document at ingest (shipped and user plans alike) from its grading and
response sections, so a level proposal can say which condition of which clause the alert's
facts meet. Each criterion keeps the exact phrase it was read from and its chunk id: a
reviewer can check it against the clause without reading code. Conditions that cannot be
measured from an alert ("超出省级处置能力", "流域性特大洪水") are kept as ``other`` so they
can still be listed as escalation triggers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.domain import Chunk, Level
from assistant.knowledge.grading_measures import bounds, grid_row, measured, segment_load

_LEVEL_WORDS: dict[str, Level] = {
    "Ⅰ": Level.I, "Ⅱ": Level.II, "Ⅲ": Level.III, "Ⅳ": Level.IV,
    "一": Level.I, "二": Level.II, "三": Level.III, "四": Level.IV,
    "特别重大": Level.I, "重大": Level.II, "较大": Level.III, "一般": Level.IV,
    "特大型": Level.I, "大型": Level.II, "中型": Level.III, "小型": Level.IV,
}  # fmt: skip
# Bump when extraction changes what it reads: stored criteria are then re-read from the chunks on open.
EXTRACTOR_VERSION = "11"
# A level named as a label: "Ⅰ级：", "- 重大（Ⅱ级）：", "（三）较大（Ⅲ级响应）", "一级响应", "特别重大："
_LABEL = re.compile(
    r"(?:^|[\n；;（(\s-])(?P<word>特别重大|重大|较大|一般|特大型|大型|中型|小型|[ⅠⅡⅢⅣ]|[一二三四](?=级))"
    r"(?:级)?(?:[（(](?:[ⅠⅡⅢⅣ]|[一二三四])级(?:响应)?[)）])?"
    r"(?:事故|事件|地震灾害|森林火灾|防汛突发事件|应急响应|响应)?\s*(?:[:：]|$|\n|启动条件)"
)
_HEADING_LEVEL = re.compile(r"(特别重大|重大|较大|一般|特大型|大型|中型|小型|[ⅠⅡⅢⅣ](?=级)|[一二三四](?=级))")
_GRADING_HEADING = re.compile(r"分级|级别|等级|响应|启动条件|[ⅠⅡⅢⅣ]级|[一二三四]级|特别重大|重大|较大|一般")
# Alternatives are separated by ；/。/或/numbered items; commas join the parts of one condition.
_CLAUSE_SPLIT = re.compile(r"[；;。\n]|，?或者|，?或(?![者以])|[（(]\d{1,2}[)）]")
# Words around a signal that add no condition of their own ("…预警后，综合研判启动").
_FILLER = re.compile(
    r"综合(?:分析|研判)[^，。；]*|[^，。；]*启动[^，。；]*|[^，。；]*批准[^，。；]*|经会商研判|必要时|当出现以下情况之一的?"
    r"|下列情况之一|预计[^；。]*|[省市区县]?气象(?:局|台|部门)|预警(?:报告|信号)?后?|报告|[又后时的当经]|[，,：:。；\s]"
)
_LABEL_PREFIX = re.compile(r"^启动条件[：:]\s*")  # "启动条件：省气象局发布…" quotes as "省气象局发布…"
_SIGNAL = re.compile(
    r"(?P<issuer>(?:[省市区县]|国家|中央)?(?:气象局|气象台|气象部门|防汛办|水文部门|水文局))?\s*(?:又|再)?发布(?:了)?"
    r"(?P<hazard>暴雨|台风|大风|高温|寒潮|暴雪|道路结冰|冰雹|雷电|干旱|大雾|霾|洪水|山洪|地质灾害)"
    r"(?:(?P<colour>红|橙|黄|蓝)色|(?P<grade>[ⅠⅡⅢⅣ])级)预警"
)
_APPROVER = re.compile(
    r"(?P<levels>(?:[ⅠⅡⅢⅣ一二三四](?:级)?[、和及]?)+)级?(?:应急)?(?:响应)?由(?P<who>[^；;。]{2,40}?)(?:批准|签发|决定)"
)
METRICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("endangered", re.compile(r"危及.{0,12}生命安全")),
    ("poisoned", re.compile(r"中毒|重伤")),
    ("deaths", re.compile(r"死亡|遇难|罹难")),
    ("injured", re.compile(r"受伤")),
    ("evacuated", re.compile(r"转移安置|疏散、?转移|搬迁转移|紧急转移")),
    ("loss", re.compile(r"损失")),
    ("households_out", re.compile(r"停气|停电|停水|供电用户停电")),
)


@dataclass(frozen=True)
class Criterion:
    """One condition of one level: ``low <= value < high`` for a measured metric, or a warning signal."""

    chunk_id: str
    level: Level
    # deaths | poisoned | injured | endangered | evacuated | loss | households_out | signal | other, and those
    # of grading_measures: food_poisoned | food_deaths | intake_cut | power_out_share | load_shed_share |
    # burned_area | return_period
    metric: str
    phrase: str  # the exact words of the clause (a substring of the chunk text)
    low: float | None = None  # inclusive ("以上含本数")
    high: float | None = None  # exclusive ("以下不含本数")
    unit: str = ""  # 人 | 万元 | 户 | %
    hazard: str = ""  # a signal's hazard word: 暴雨, 台风 …
    colour: str = ""  # a signal's colour: red | orange | yellow | blue
    grade: str = ""  # a signal issued as a grade ("台风Ⅱ级预警") rather than a colour
    issuer: str = ""  # who issues the signal: 市气象局 …
    condition: str = (
        ""  # what else the clause requires ("正在发生大范围强降雨过程", "未出现死亡病例", "电网负荷600兆瓦以上")
    )
    scope: str = ""  # what the measure is of: a kind of city (其他设区的市), river (干流) or water source (town)

    def describe(self, lang: str = "zh") -> str:
        """ "死亡3人以上、10人以下" as the clause puts it; the phrase is the authority, this is its summary."""
        return self.phrase


@dataclass(frozen=True)
class Approver:
    chunk_id: str
    level: Level
    who: str
    phrase: str


@dataclass(frozen=True)
class Grading:
    criteria: tuple[Criterion, ...]
    approvers: tuple[Approver, ...]

    @property
    def parsed(self) -> bool:
        return any(c.metric != "other" for c in self.criteria)


_NARROWED = re.compile(r"放射|射线|辐射|相邻省份|食物中毒|职业中毒|预防接种|医源性|疫情|病例")
_NEEDED = re.compile(r"需(?:要)?(?:紧急)?(?:搬迁)?转移")
_COLOURS = {"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue"}


def _segments(chunk: Chunk) -> list[tuple[Level, str, int]]:
    """(level, text, offset) pieces of a chunk: split at level labels, else the heading's level for all."""
    default = None
    for heading in reversed(chunk.heading_path):  # the deepest heading that names one level ("5.2 三级应急响应")
        heading_levels = {_LEVEL_WORDS[m.group(1)] for m in _HEADING_LEVEL.finditer(heading)}
        if heading_levels:
            default = heading_levels.pop() if len(heading_levels) == 1 else None
            break
    labels = list(_LABEL.finditer(chunk.text))
    pieces: list[tuple[Level, str, int]] = []
    if default is not None:
        first = labels[0].start("word") if labels else len(chunk.text)
        pieces.append((default, chunk.text[:first], 0))
    for i, label in enumerate(labels):
        end = labels[i + 1].start("word") if i + 1 < len(labels) else len(chunk.text)
        pieces.append((_LEVEL_WORDS[label.group("word")], chunk.text[label.end() : end], label.end()))
    return [(level, text, offset) for level, text, offset in pieces if text.strip()]


def _balanced(clause: str) -> str:
    """Drop a bracket left open or closed by the split ("…1000万元）时启动" → "…1000万元"); when the condition
    itself is inside the open bracket ("一般事故（按493号令，死亡不足3人"), keep what the bracket holds."""
    if clause.count("（") < clause.count("）"):
        clause = clause[: clause.rfind("）")]
    if clause.count("（") > clause.count("）"):
        inside = clause[clause.rfind("（") + 1 :]
        if _has_metric(inside) and not _has_metric(clause[: clause.rfind("（")]):
            clause = inside
        else:
            clause = clause + "）" if clause.rfind("（") > len(clause) - 8 else clause[: clause.rfind("（")]
    return clause.strip(" ，,、：:")


def _has_metric(text: str) -> bool:
    return any(pattern.search(text) for _name, pattern in METRICS)


@dataclass(frozen=True)
class _Clause:
    text: str
    kind: str  # "food" on a food-poisoning line, "narrowed" on a line for another kind of event only, else ""
    grid: str = ""  # the power-outage row's kind of city ("其他设区的市"), when the clause is in one
    load: str = ""  # the load that part of the row is for ("电网负荷600兆瓦以上")
    phrase: str = ""  # the words to quote: the row from its label to the clause, or the clause


def _clauses(text: str) -> list[_Clause]:
    """Conditions of a level, one each, with whether the line they come from narrows them to one kind of
    event: split at ；/或/numbered items, and at 、 only between two metrics ("死亡不足3人、重伤不足10人" is
    two, "10人以上、30人以下死亡" is one). "急性职业中毒50人以上，或死亡5人以上" — both are about poisoning.
    A clause in a row of the power-outage grading ("直辖市电网：…") keeps the row it belongs to."""
    clauses: list[_Clause] = []
    for row in text.split("\n"):
        grid = grid_row(row)
        for line in re.split(r"[；;。]", row):
            kind = "food" if "食物中毒" in line else "narrowed" if _NARROWED.search(line) else ""
            load = segment_load(line) or (grid[1] if grid else "")
            for raw in _CLAUSE_SPLIT.split(line):
                if "：" in raw and _has_metric(raw.rsplit("：", 1)[1]):
                    raw = raw.rsplit("：", 1)[1]  # "出现下列情况之一：造成30人以上死亡" → the condition itself
                parts: list[str] = []
                for part in raw.split("、"):
                    if parts and not (_has_metric(part) and _has_metric(parts[-1])):
                        parts[-1] += "、" + part
                    else:
                        parts.append(part)
                for part in parts:
                    clause = _balanced(_LABEL_PREFIX.sub("", part.strip(" ，,、：:")))
                    if not clause:
                        continue
                    at = row.find(clause)
                    quoted = row[grid[2] : at + len(clause)] if grid and at >= grid[2] else clause
                    clauses.append(_Clause(clause, kind, grid[0] if grid else "", load, quoted))
    return clauses


def _signal_condition(rest: str) -> str:
    """What a signal clause asks for besides the signal ("正在发生大范围强降雨过程且…发布红色预警" → the process),
    without the clause's label or connectives; empty when only filler words are left."""
    rest = re.sub(r"^.*?启动条件[：:]", "", rest)
    if len(_FILLER.sub("", rest)) < 4:
        return ""
    rest = re.sub(r"(?:预警)?报告$", "", rest.strip(" ，,：:。；"))
    return re.sub(r"(?:且|并且|并|同时|[，,])+$", "", rest).strip(" ，,")


def _criteria_in(chunk: Chunk) -> list[Criterion]:
    found: list[Criterion] = []
    for level, text, _offset in _segments(chunk):
        for part in _clauses(text):
            clause = part.text
            if len(clause) < 3:
                continue
            if m := _SIGNAL.search(clause):
                rest = clause.replace(m.group(0), "").strip(" ，,：:。；")
                found.append(
                    Criterion(
                        chunk.chunk_id,
                        level,
                        "signal",
                        clause,
                        hazard=m.group("hazard"),
                        colour=_COLOURS.get(m.group("colour") or "", ""),
                        grade=m.group("grade") or "",
                        issuer=(m.group("issuer") or "").strip(),
                        condition=_signal_condition(rest),
                    )
                )
                continue
            if q := measured(clause, part.kind, part.grid, part.load):
                found.append(
                    Criterion(
                        chunk.chunk_id,
                        level,
                        q.metric,
                        part.phrase,
                        q.low,
                        q.high,
                        q.unit,
                        condition=q.condition,
                        scope=q.scope,
                    )
                )
                continue
            metric = next((name for name, pattern in METRICS if pattern.search(clause)), None)
            if part.kind:
                metric = None  # a condition for one kind of event only (radiation, food poisoning …): not generic
            found_bounds = bounds(clause) if metric else None
            if metric and found_bounds:
                low, high, unit = found_bounds
                # "需搬迁转移100人以下" counts the people who need moving, of whom those moved so far are a part
                scope = "需转移" if metric == "evacuated" and _NEEDED.search(clause) else ""
                found.append(Criterion(chunk.chunk_id, level, metric, clause, low, high, unit, scope=scope))
            elif len(clause) >= 6 and re.search(r"\d|超出|跨|波及|决口|垮坝|特大|认为|超标准", clause):
                found.append(Criterion(chunk.chunk_id, level, "other", clause))
    return found


def _approvers_in(chunk: Chunk) -> list[Approver]:
    found = []
    for m in _APPROVER.finditer(chunk.text):
        who = m.group("who").strip()
        for word in re.findall(r"[ⅠⅡⅢⅣ一二三四]", m.group("levels")):
            found.append(Approver(chunk.chunk_id, _LEVEL_WORDS[word], who, m.group(0)))
    return found


def extract_grading(chunks: Sequence[Chunk]) -> Grading:
    """Criteria and approvers of one document, from the chunks whose headings speak of grading or response."""
    criteria: list[Criterion] = []
    approvers: list[Approver] = []
    for chunk in chunks:
        heading = " ".join(chunk.heading_path)
        if not _GRADING_HEADING.search(heading) and not _LABEL.search(chunk.text):
            continue
        criteria += _criteria_in(chunk)
        approvers += _approvers_in(chunk)
    return Grading(tuple(criteria), tuple(approvers))
