"""HTML for a draft: level and clause, six stages with an evidence badge per action, similar cases.

Everything that comes from documents, alerts or a model is escaped: it is data to show,
never markup to run. Badges carry a CSS class per verdict so the colours in
``layout.CSS`` make 有据 / 无据 / 与预警冲突 visible at a glance. Each [n] in the action tables
links to its source below the plan (the browser opens the collapsed passage it jumps to); the
``anchor`` keeps the links of the workspace and the Records page apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from html import escape

from assistant.domain import Citation, DocKind, EvidenceCheck, PlanDraft
from assistant.export.layout import EVIDENCE_LABELS, LOOP_LABELS, labels, source_numbers
from assistant.ui.times import shown

UNCHECKED = {"zh": "已修改·未核验", "en": "edited, not re-checked"}
# For the gr.HTML that shows a plan: a click on [n] opens its source passage and brings it into view.
CITE_JS = (
    "element.addEventListener('click', (e) => {"
    " const a = e.target.closest('a.cite'); if (!a) { return; }"
    " const id = a.getAttribute('href').slice(1);"
    " const source = element.querySelector('#' + CSS.escape(id));"
    " if (source) { e.preventDefault(); source.open = true; source.scrollIntoView({block: 'center'}); } });"
)
JUDGEMENT = {
    "zh": {
        "warning": "预警",
        "initial": "先期处置（尚未达到分级标准）",
        "to_confirm": "需核实的事实",
        "escalation": "升级条件",
    },
    "en": {
        "warning": "Warning",
        "initial": "initial response (below the grading thresholds)",
        "to_confirm": "Facts to confirm",
        "escalation": "Escalation triggers",
    },
}
KIND_LABELS = {
    "zh": {"plan": "预案", "case": "案例", "regulation": "法规", "other": "其他"},
    "en": {"plan": "plan", "case": "case", "regulation": "regulation", "other": "other"},
}


def badge(check: EvidenceCheck | None, lang: str) -> str:
    """The verdict of one place in a draft; an officer's edit has none until it is checked again."""
    key = "en" if lang == "en" else "zh"
    if check is None:
        return f'<span class="ev ev-unchecked">{UNCHECKED[key]}</span>'
    title = escape("; ".join(check.problems), quote=True)
    label = EVIDENCE_LABELS[key][check.status.value]
    return f'<span class="ev ev-{check.status.value}" title="{title}">{label}</span>'


def citation_block(
    citation: Citation, lang: str, number: int | None = None, open_: bool = False, anchor: str = ""
) -> str:
    """A source the officer can open in place: title, heading path and page, then the passage itself."""
    target = f' id="{escape(anchor, quote=True)}"' if anchor else ""
    page = f" · p.{citation.page}" if citation.page else ""
    section = f" · {escape(citation.section)}" if citation.section else ""
    mark = f"[{number}] " if number is not None else ""
    kind = KIND_LABELS["en" if lang == "en" else "zh"].get(citation.kind.value, citation.kind.value)
    body = escape(citation.text).replace("\n", "<br>")
    return (
        f'<details class="source"{target} data-chunk="{escape(citation.chunk_id, quote=True)}"{" open" if open_ else ""}>'
        f'<summary>{mark}《{escape(citation.title)}》{section}{page}<span class="kind">{kind}</span></summary>'
        f'<div class="path">{escape(citation.heading)}{page}</div><blockquote>{body}</blockquote></details>'
    )


def source_anchor(anchor: str, number: int) -> str:
    """The id of source [number] of a draft shown under ``anchor`` ("plan", "records")."""
    return f"{anchor}-src-{number}"


def sources_html(citations: Sequence[Citation], heading: str, lang: str, css: str = "sources", anchor: str = "") -> str:
    if not citations:
        return ""
    items = "".join(
        citation_block(c, lang, n, anchor=source_anchor(anchor, n) if anchor else "")
        for n, c in enumerate(citations, start=1)
    )
    return f'<div class="{css}"><h4>{escape(heading)}</h4>{items}</div>'


def _basis(citations: tuple[str, ...], numbers: dict[str, int], lang: str, anchor: str = "") -> str:
    t = labels(lang)
    refs = []
    for cited in citations:
        if cited.startswith("alert"):
            refs.append(t["alert"])
        elif cited.startswith("officer:"):
            refs.append(f"{t['officer']}（{escape(cited.removeprefix('officer:'))}）")
        else:
            refs.append(_mark(numbers[cited], anchor) if cited in numbers else escape(cited))
    return " ".join(dict.fromkeys(refs))


def _mark(number: int, anchor: str) -> str:
    """[n] as a link to its source below the plan (plain text without an anchor)."""
    if not anchor:
        return f"[{number}]"
    return f'<a class="cite" href="#{source_anchor(anchor, number)}">[{number}]</a>'


def _listing(title: str, items: Sequence[str], css: str) -> str:
    if not items:
        return ""
    return (
        f'<div class="{css}"><b>{escape(title)}</b><ul>'
        + "".join(f"<li>{escape(i)}</li>" for i in items)
        + "</ul></div>"
    )


def analysis_html(draft: PlanDraft) -> str:
    """The warning level and the response level on separate lines (they are different scales), the level's
    basis and verdict, what to confirm, what would raise it, the cited grading clauses opened, then notices."""
    lang = draft.lang
    t = labels(lang)
    j = JUDGEMENT["en" if lang == "en" else "zh"]
    level = j["initial"] if draft.level_citations or draft.to_confirm else t["undetermined"]
    if draft.proposed_level:
        roman = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ"}[draft.proposed_level.value]
        level = f"Level {draft.proposed_level.value} response" if lang == "en" else f"{roman}级应急响应"
    numbers = source_numbers(draft)
    clauses = [c for c in draft.citations if c.chunk_id in draft.level_citations]
    parts = [
        f'<div class="warning-line"><b>{j["warning"]}：</b>{escape(draft.warning_line)}</div>'
        if draft.warning_line
        else "",
        f'<div class="level"><b>{t["proposed"]}：</b><span class="level-value">{escape(level)}</span> '
        f"{badge(draft.check_for('level'), lang)}</div>",
        f'<p class="basis"><b>{t["basis"]}：</b>{escape(draft.level_basis)}</p>',
        _listing(j["to_confirm"], draft.to_confirm, "to-confirm"),
        _listing(j["escalation"], draft.escalation, "escalation"),
        "".join(citation_block(c, lang, numbers.get(c.chunk_id), open_=True) for c in clauses),
    ]
    if draft.notices:
        notices = "".join(f"<li>{escape(n)}</li>" for n in draft.notices)
        parts.append(f'<div class="notices"><b>{t["notices"]}</b><ul>{notices}</ul></div>')
    return '<div class="analysis">' + "".join(parts) + "</div>"


def stages_html(draft: PlanDraft, anchor: str = "plan") -> str:
    """All six stages in order; each action row ends with its evidence badge, each [n] links to its source."""
    lang = draft.lang
    t = labels(lang)
    numbers = source_numbers(draft)
    loops = LOOP_LABELS["en" if lang == "en" else "zh"]
    header = "".join(f"<th>{t[k]}</th>" for k in ("no", "action", "unit", "time_limit", "loop", "basis", "evidence"))
    out = [f'<div class="plan" data-engine="{escape(draft.engine, quote=True)}">']
    out.append(f'<p class="summary"><b>{t["summary"]}：</b>{escape(draft.summary)}</p>')
    for stage in draft.stages:
        out.append(
            f'<section class="stage" data-stage="{stage.stage.value}"><h3>{escape(stage.stage.label(lang))}</h3>'
        )
        summary_check = draft.check_for(f"{stage.stage.value}.summary")
        checked_summaries = any(c.location.endswith(".summary") for c in draft.checks)
        edited = badge(None, lang) if summary_check is None and checked_summaries else ""  # the officer's words
        out.append(f"<p>{escape(stage.summary)}{edited}</p>")
        if stage.actions:
            rows = []
            for i, action in enumerate(stage.actions):
                lessons = (
                    f'<div class="lesson">{t["lessons"]}：{escape("；".join(action.lessons))}</div>'
                    if action.lessons
                    else ""
                )
                cells = [
                    str(i + 1),
                    escape(action.text) + lessons,
                    escape(action.unit),
                    escape(action.time_limit),
                    loops[action.loop.value],
                    _basis(action.citations, numbers, lang, anchor),
                    badge(draft.check_for(f"{stage.stage.value}.{i}"), lang),
                ]
                rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            out.append(f'<table class="actions"><tr>{header}</tr>{"".join(rows)}</table>')
        if stage.open_questions:
            questions = "".join(f"<li>{escape(q)}</li>" for q in stage.open_questions)
            out.append(f'<div class="questions"><b>{t["questions"]}</b><ul>{questions}</ul></div>')
        out.append("</section>")
    out.append(sources_html(draft.citations, t["sources"], lang, anchor=anchor))
    out.append("</div>")
    return "".join(out)


def cases_html(draft: PlanDraft, empty: str) -> str:
    """The similar cases the draft drew on, each with the lessons the plan took from it."""
    numbers = source_numbers(draft)
    cases = [c for c in draft.citations if c.kind is DocKind.CASE]
    if not cases:
        return f"<p>{escape(empty)}</p>"
    used = [lesson for s in draft.stages for a in s.actions for lesson in a.lessons]
    out = []
    for case in cases:
        lessons = [lesson for lesson in dict.fromkeys(used) if lesson in case.text]
        listed = "".join(f"<li>{escape(lesson)}</li>" for lesson in lessons)
        block = citation_block(case, draft.lang, numbers.get(case.chunk_id))
        out.append(block + (f"<ul class='lessons'>{listed}</ul>" if listed else ""))
    return '<div class="cases">' + "".join(out) + "</div>"


def engine_text(draft: PlanDraft, lang: str) -> str:
    """Who wrote the draft, in the officer's language (the offline drafter by name, a model by its id)."""
    return labels(lang)["offline"] if draft.engine == "offline-drafter" else draft.engine


def draft_meta(draft: PlanDraft, version: int, template: str, lang: str | None = None, offset: str = "+00:00") -> str:
    """The engine line in the page's language (the draft's own when not given), created in ``offset`` with its zone."""
    created = draft.created if draft.created.tzinfo else draft.created.replace(tzinfo=UTC)
    return template.format(
        engine=engine_text(draft, lang or draft.lang), version=version, created=shown(created, offset, seconds=False)
    )
