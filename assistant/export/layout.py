"""What a plan document contains, independent of the file format.

Markdown and Word render the same sections, labels and source numbering, so the
two exports can never disagree about what the draft says or cites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.domain import Action, Citation, EvidenceStatus, PlanDraft
from assistant.export.document import Approval

CN_NUMERALS = "一二三四五六七八九十"

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "issuer": "编制单位",
        "issuer_placeholder": "（值班室 / 城运中心，待填写）",
        "created": "生成时间",
        "engine": "生成方式",
        "draft_id": "草案编号",
        "offline": "离线检索生成（无大模型）",
        "prompt_version": "提示词版本",
        "draft_mark": "草案，须经值班领导审核后使用",
        "header_mark": "草案　须经值班领导审核后使用",
        "summary": "事件概要",
        "level": "响应级别建议及依据",
        "proposed": "建议响应级别",
        "warning_line": "预警级别",
        "to_confirm": "待核实事项",
        "escalation": "升级条件",
        "duty_officer": "值班员",
        "approved": "审核",
        "undetermined": "暂无法判定",
        "initial": "先期处置（尚未达到分级标准）",
        "basis": "依据",
        "stages": "分阶段处置措施",
        "no": "序号",
        "action": "措施",
        "unit": "责任单位",
        "time_limit": "时限",
        "loop": "闭环",
        "evidence": "核验",
        "lessons": "案例教训",
        "resources": "资源",
        "questions": "待确认事项",
        "sources": "附件：资料来源",
        "sources_title": "资料来源",
        "document": "文件",
        "section": "章节",
        "page": "页码",
        "excerpt": "摘录",
        "alert": "预警信息",
        "officer": "值班员补充",
        "notices": "提示",
    },
    "en": {
        "issuer": "Issued by",
        "issuer_placeholder": "(duty office / operations centre, to be filled in)",
        "created": "Generated",
        "engine": "Produced by",
        "draft_id": "Draft no.",
        "offline": "offline retrieval-grounded drafter (no LLM)",
        "prompt_version": "Prompt version",
        "draft_mark": "DRAFT: to be reviewed by the duty leader before use",
        "header_mark": "DRAFT · to be reviewed by the duty leader before use",
        "summary": "Event summary",
        "level": "Proposed response level and basis",
        "proposed": "Proposed response level",
        "warning_line": "Warning level",
        "to_confirm": "Facts to confirm",
        "escalation": "Would raise the level",
        "duty_officer": "Duty officer",
        "approved": "Approved",
        "undetermined": "cannot be determined yet",
        "initial": "initial response (below the grading thresholds)",
        "basis": "Basis",
        "stages": "Measures by stage",
        "no": "No.",
        "action": "Action",
        "unit": "Responsible unit",
        "time_limit": "Time limit",
        "loop": "Loop",
        "evidence": "Check",
        "lessons": "Lessons from cases",
        "resources": "Resources",
        "questions": "Open questions",
        "sources": "Annex: sources",
        "sources_title": "Sources",
        "document": "Document",
        "section": "Section",
        "page": "Page",
        "excerpt": "Excerpt",
        "alert": "alert",
        "officer": "added by officer",
        "notices": "Notices",
    },
}

LOOP_LABELS = {
    "zh": {"small": "小循环", "medium": "中循环", "large": "大循环"},
    "en": {"small": "small loop", "medium": "medium loop", "large": "large loop"},
}

EVIDENCE_LABELS = {
    "zh": {status.value: status.zh for status in EvidenceStatus},
    "en": {status.value: status.en for status in EvidenceStatus},
}

# Parts of a title that name its edition rather than the document: （要点）, （2025年修订）, (summary) ...
_TITLE_ASIDES = re.compile(r"（[^（）]*）|\([^()]*\)|要点$|摘要$")
# "预警级别：", and English labels of a few plain words ("Proposed response level: ")
_OWN_LABEL = re.compile(r"^(?:[^：:，。,.；;]{1,16}|[A-Za-z][A-Za-z ]{1,27})(：|: )")
_CASE_REF = re.compile(r"\s*[（(]《([^《》]+)》[）)]$")  # '…6人死亡（《河南郑州“7·20”特大暴雨灾害（案例摘要）》）'
_CLAUSE = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[章节条款部分]|[一二三四五六七八九十]+(?=、)|（[一二三四五六七八九十]+）|\d+(\.\d+)*)"
)


def labels(lang: str) -> dict[str, str]:
    return LABELS["en" if lang == "en" else "zh"]


def punctuation(lang: str) -> tuple[str, str]:
    """(colon, list separator): '：' and '；' in Chinese text, ': ' and '; ' in English."""
    return (": ", "; ") if lang == "en" else ("：", "；")


def labelled(label: str, text: str, lang: str) -> str:
    """'label：text', unless the text opens with a label of its own ('预警级别：橙色…', '告警颜色：…')."""
    return text if _OWN_LABEL.match(text) else f"{label}{punctuation(lang)[0]}{text}"


@dataclass(frozen=True)
class ExportContext:
    """What a document needs beyond the draft: who issues it, who drafted and approved it, which clock.

    ``utc_offset`` is the operations centre's (``ui.utc_offset``); the draft itself stores UTC.
    """

    utc_offset: str = "+08:00"
    issuing_unit: str = ""
    duty_officer: str = ""
    drafted_by: str = ""
    approval: Approval | None = None


def document_title(draft: PlanDraft, context: ExportContext) -> str:
    """The draft's title; once approved it no longer calls itself a draft."""
    if context.approval is None:
        return draft.title
    return re.sub(r"\s*(（草案）|\(draft\))", "", draft.title, flags=re.IGNORECASE)


def section_number(index: int, lang: str) -> str:
    """'一、' for Chinese documents, '1.' for English ones (index starts at 1)."""
    if lang == "en":
        return f"{index}."
    return f"{CN_NUMERALS[index - 1]}、" if index <= len(CN_NUMERALS) else f"{index}、"


def sub_number(index: int, lang: str) -> str:
    if lang == "en":
        return f"{index})"
    return f"（{CN_NUMERALS[index - 1]}）" if index <= len(CN_NUMERALS) else f"（{index}）"


@dataclass(frozen=True)
class ActionRow:
    number: int
    text: str
    unit: str
    time_limit: str
    loop: str
    basis: str
    basis_named: str
    evidence: str
    lessons: tuple[str, ...]
    resources: tuple[str, ...]
    basis_brief: str = ""  # the first source by name, the others by number: for narrow table cells


def source_numbers(draft: PlanDraft) -> dict[str, int]:
    """Chunk id -> its number in the sources annex (1-based, in the draft's citation order)."""
    return {c.chunk_id: i for i, c in enumerate(draft.citations, start=1)}


def numbered_sources(draft: PlanDraft) -> dict[str, tuple[int, Citation]]:
    """Chunk id -> its number in the sources annex (1-based, in the draft's citation order) and citation."""
    return {c.chunk_id: (i, c) for i, c in enumerate(draft.citations, start=1)}


def short_title(title: str) -> str:
    """'北京市防汛应急预案（2025年修订）要点' -> '北京市防汛应急预案': the name an officer cites.

    A national law is cited without its '中华人民共和国' prefix, as Chinese documents do (《突发事件应对法》).
    """
    previous, current = None, title.strip().removeprefix("中华人民共和国")
    while previous != current:
        previous, current = current, _TITLE_ASIDES.sub("", current).strip()
    return current or title.strip()


def clause_ref(citation: Citation) -> str:
    """The clause numbers along the heading path: '六、应急响应 > （四）二级响应' -> '六（四）', '4 > 4.4 x' -> '4.4'."""
    refs = [m.group(0) for part in citation.section.split(" > ") if (m := _CLAUSE.match(part.strip()))]
    if refs and all(r[0].isdigit() for r in refs):
        return refs[-1]  # dotted numbers already carry their parents (4.4 lies inside 4)
    if refs:
        return "".join(refs)
    return f"p.{citation.page}" if citation.page else ""


def section_path(citation: Citation) -> str:
    """The heading path without a first part that merely repeats the document's name."""
    parts = citation.section.split(" > ")
    if len(parts) > 1 and short_title(parts[0]) == short_title(citation.title):
        parts = parts[1:]
    return " > ".join(parts)


def short_source(citation: Citation) -> str:
    """'《北京市防汛应急预案》六（四）': short enough for a table cell, exact enough to look up."""
    title = short_title(citation.title)
    if title.isascii():  # an English document's name goes in quotes, not in 《》
        return f"“{title}” {clause_ref(citation)}".rstrip()
    return f"《{title}》{clause_ref(citation)}"


def basis_text(action: Action, citations: dict[str, tuple[int, Citation]], lang: str, named: bool = False) -> str:
    """What an action rests on: '[5]', or with ``named`` '[5]《北京市防汛应急预案》六（四）'."""
    refs: list[str] = []
    for cited in action.citations:
        if cited.startswith("alert"):
            refs.append(labels(lang)["alert"])
        elif cited.startswith("officer:"):
            refs.append(f"{labels(lang)['officer']}（{cited.removeprefix('officer:')}）")
        elif cited in citations:
            number, citation = citations[cited]
            refs.append(f"[{number}]{short_source(citation)}" if named else f"[{number}]")
        else:
            refs.append(f"[{cited}]")
    return " ".join(dict.fromkeys(refs))


def brief_basis(action: Action, citations: dict[str, tuple[int, Citation]], lang: str) -> str:
    """'[7]《城市内涝治理与排水防涝法规》七（三） [9][2] 预警信息': the action's first source by name, the others
    by number only, so four sources take two lines of a table cell rather than eight."""
    refs: list[str] = []
    named = False
    for cited in action.citations:
        if cited in citations:
            number, citation = citations[cited]
            ref = f"[{number}]" if named else f"[{number}]{short_source(citation)}"
            if named and refs and refs[-1].endswith("]"):
                ref = refs.pop() + ref  # runs of numbers stay together: [9][2]
            named = True
        else:
            ref = basis_text(replace(action, citations=(cited,)), citations, lang)
        refs.append(ref)
    return " ".join(dict.fromkeys(refs))


def cited_lessons(lessons: tuple[str, ...], draft: PlanDraft) -> tuple[str, ...]:
    """Lessons whose closing '（《case title》）' names a cited case end with its number instead: '…6人死亡[38]'.

    The annex lists that case under its number, so the full title need not be printed in every table row.
    """
    numbers = {c.title: n for n, c in reversed(list(enumerate(draft.citations, start=1)))}
    out = []
    for lesson in lessons:
        found = _CASE_REF.search(lesson)
        if found and found.group(1) in numbers:
            lesson = f"{lesson[: found.start()]}[{numbers[found.group(1)]}]"
        out.append(lesson)
    return tuple(out)


def evidence_label(status_value: str, lang: str) -> str:
    """The verdict's word; a status added later shows its own value rather than breaking the export."""
    return EVIDENCE_LABELS["en" if lang == "en" else "zh"].get(status_value, status_value)


def action_rows(draft: PlanDraft, stage_index: int) -> list[ActionRow]:
    """Rows of one stage's action table, with source numbers and evidence verdicts resolved."""
    stage = draft.stages[stage_index]
    sources = numbered_sources(draft)
    rows = []
    for i, action in enumerate(stage.actions, start=1):
        check = draft.check_for(f"{stage.stage.value}.{i - 1}")
        evidence = evidence_label(check.status.value, draft.lang) if check else ""
        rows.append(
            ActionRow(
                number=i,
                text=action.text,
                unit=action.unit,
                time_limit=action.time_limit,
                loop=LOOP_LABELS["en" if draft.lang == "en" else "zh"][action.loop.value],
                basis=basis_text(action, sources, draft.lang),
                basis_named=basis_text(action, sources, draft.lang, named=True),
                evidence=evidence,
                lessons=action.lessons,
                resources=action.resources,
                basis_brief=brief_basis(action, sources, draft.lang),
            )
        )
    return rows


def level_text(draft: PlanDraft) -> str:
    """The proposed response level ('Ⅱ级应急响应'); without one, initial response when the grading
    criteria were checked (or facts are missing), else that it cannot be determined yet."""
    t = labels(draft.lang)
    if draft.proposed_level is None:
        return t["initial"] if draft.level_citations or draft.to_confirm else t["undetermined"]
    if draft.lang == "en":
        return f"Level {draft.proposed_level.value} response"
    roman = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ"}[draft.proposed_level.value]
    return f"{roman}级应急响应"


def states_level(draft: PlanDraft) -> bool:
    """Whether the level basis opens by stating the proposed level ('建议响应级别：Ⅱ级应急响应。依据…'), so a
    document need not print that line twice; an officer's later change of the level makes them differ."""
    colon = punctuation(draft.lang)[0]
    return draft.level_basis.startswith(f"{labels(draft.lang)['proposed']}{colon}{level_text(draft)}")


def engine_label(draft: PlanDraft) -> str:
    return labels(draft.lang)["offline"] if draft.engine == "offline-drafter" else draft.engine
