"""What a plan document contains, independent of the file format.

Markdown and Word render the same sections, labels and source numbering, so the
two exports can never disagree about what the draft says or cites.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.domain import Action, EvidenceStatus, PlanDraft

CN_NUMERALS = "一二三四五六七八九十"

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "issuer": "编制单位",
        "issuer_placeholder": "（值班室 / 城运中心，待填写）",
        "created": "生成时间",
        "engine": "生成方式",
        "offline": "离线检索生成（无大模型）",
        "prompt_version": "提示词版本",
        "draft_mark": "草案，须经值班领导审核后使用",
        "summary": "事件概要",
        "level": "响应级别建议及依据",
        "proposed": "建议响应级别",
        "undetermined": "暂无法判定",
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
        "offline": "offline retrieval-grounded drafter (no LLM)",
        "prompt_version": "Prompt version",
        "draft_mark": "DRAFT: to be reviewed by the duty leader before use",
        "summary": "Event summary",
        "level": "Proposed response level and basis",
        "proposed": "Proposed response level",
        "undetermined": "cannot be determined yet",
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


def labels(lang: str) -> dict[str, str]:
    return LABELS["en" if lang == "en" else "zh"]


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
    evidence: str
    lessons: tuple[str, ...]
    resources: tuple[str, ...]


def source_numbers(draft: PlanDraft) -> dict[str, int]:
    """Chunk id -> its number in the sources annex (1-based, in the draft's citation order)."""
    return {c.chunk_id: i for i, c in enumerate(draft.citations, start=1)}


def basis_text(action: Action, numbers: dict[str, int], lang: str) -> str:
    refs: list[str] = []
    for cited in action.citations:
        if cited.startswith("alert"):
            refs.append(labels(lang)["alert"])
        elif cited.startswith("officer:"):
            refs.append(f"{labels(lang)['officer']}（{cited.removeprefix('officer:')}）")
        elif cited in numbers:
            refs.append(f"[{numbers[cited]}]")
        else:
            refs.append(f"[{cited}]")
    return " ".join(dict.fromkeys(refs))


def action_rows(draft: PlanDraft, stage_index: int) -> list[ActionRow]:
    """Rows of one stage's action table, with source numbers and evidence verdicts resolved."""
    stage = draft.stages[stage_index]
    numbers = source_numbers(draft)
    rows = []
    for i, action in enumerate(stage.actions, start=1):
        check = draft.check_for(f"{stage.stage.value}.{i - 1}")
        evidence = EVIDENCE_LABELS["en" if draft.lang == "en" else "zh"][check.status.value] if check else ""
        rows.append(
            ActionRow(
                number=i,
                text=action.text,
                unit=action.unit,
                time_limit=action.time_limit,
                loop=LOOP_LABELS["en" if draft.lang == "en" else "zh"][action.loop.value],
                basis=basis_text(action, numbers, draft.lang),
                evidence=evidence,
                lessons=action.lessons,
                resources=action.resources,
            )
        )
    return rows


def engine_label(draft: PlanDraft) -> str:
    return labels(draft.lang)["offline"] if draft.engine == "offline-drafter" else draft.engine
