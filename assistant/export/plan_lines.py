"""A plan's level and source lines written once each, so the Word document stays within four pages.

The drafter's level basis may open by restating the proposed level ("先期处置，尚未达到分级标准：…")
right under the line that states it; its escalation triggers repeat the level they lead to on
every line ("… → Ⅲ级应急响应"); a source's heading path repeats its parents' names. Printed
in 3号 body text these repetitions cost several lines; here each fact is said once.
"""

from __future__ import annotations

import re

from assistant.domain import Citation, PlanDraft
from assistant.export.layout import clause_ref, labels, level_text, punctuation, section_path

_ARROW = " → "  # how the drafter writes a trigger: "$phrase → $level" (prompts/offline/levels.yaml)
_NOT_WORD = re.compile(r"[\W_]+")
_HEADING_NUMBER = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[章节条款部分]\s*|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+(\.\d+)*\s*)"
)


def _bare(text: str) -> str:
    return _NOT_WORD.sub("", text).casefold()


def basis_after_level(draft: PlanDraft) -> str:
    """The level basis without an opening clause that only restates the level printed above it.

    '先期处置，尚未达到分级标准：对照…' under '建议响应级别：先期处置（尚未达到分级标准）' reads '对照…', and so
    does '先期处置：对照…'.
    """
    basis = draft.level_basis.strip()
    opening = re.match(r"([^：:]{1,60})[：:]\s*(\S.*)", basis, re.DOTALL)
    head = _bare(opening.group(1)) if opening else ""
    if opening and head and _bare(level_text(draft)).startswith(head):  # '先期处置：…' under '先期处置（…）'
        return opening.group(2)
    return basis


def questions_left(draft: PlanDraft, questions: tuple[str, ...]) -> tuple[str, ...]:
    """A stage's open questions less those the level section already lists as facts to confirm
    ('待核实：死亡和失踪人数' when 待核实事项 names 死亡和失踪人数)."""
    listed = {_bare(fact) for fact in draft.to_confirm}
    return tuple(q for q in questions if _bare(re.sub(r"^[^：:]{1,8}[：:]", "", q)) not in listed)


def grouped_escalation(draft: PlanDraft) -> str:
    """Triggers grouped under the level they lead to, in the drafter's order:
    'Ⅲ级应急响应：造成3人以上…；30人以上…中毒。Ⅱ级应急响应：…' instead of '… → Ⅲ级应急响应' per line."""
    colon, sep = punctuation(draft.lang)
    groups: dict[str, list[str]] = {}
    for trigger in draft.escalation:
        condition, arrow, level = trigger.rpartition(_ARROW)
        if not arrow:  # a trigger written another way keeps its own words
            condition, level = trigger, ""
        groups.setdefault(level.strip(), []).append(condition.strip())
    stop = ". " if draft.lang == "en" else "。"
    parts = [
        f"{level}{colon}{sep.join(conditions)}" if level else sep.join(conditions)
        for level, conditions in groups.items()
    ]
    return stop.join(parts)


def _heading_name(part: str) -> str:
    """'（四）二级响应' -> '二级响应', '4.4 Orange' -> 'Orange': the heading's words without its number."""
    return _HEADING_NUMBER.sub("", part.strip(), count=1).strip()


def source_entry(citation: Citation, number: int, lang: str) -> str:
    """'[13] 六（四）二级响应': the passage's clause number and its own heading, enough to find it in the
    document named at the head of the entry's group; the page where the document has pages."""
    path = section_path(citation)
    ref = clause_ref(citation)
    name = _heading_name(path.split(" > ")[-1]) if path else ""
    if ref and not ref.startswith("p."):
        gap = " " if ref[-1].isascii() else "、" if re.fullmatch("[一二三四五六七八九十]+", ref) else ""
        where = f"{ref}{gap if name else ''}{name}"  # '六（四）二级响应', '六、经验教训', '4.4 Orange'
    else:
        where = path or citation.title
    if citation.page:
        page = labels(lang)["page"]
        where += f" ({page} {citation.page})" if lang == "en" else f"（{page} {citation.page}）"
    return f"[{number}] {where}"
