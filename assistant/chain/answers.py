"""Offline answers: cited sentences from the best passages, or an explicit "not covered".

Used when no endpoint is configured and whenever the endpoint fails, so an officer's
question is never left without a sourced reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.chain.coverage import Coverage, content_terms
from assistant.chain.injection import looks_like_injection
from assistant.chain.sentences import split_sentences
from assistant.domain import Citation, EvidenceCheck

MAX_SENTENCES = 5
NOT_COVERED = {"zh": "知识库未覆盖", "en": "Not covered by the knowledge base"}


@dataclass(frozen=True)
class Answer:
    text: str
    covered: bool
    citations: tuple[Citation, ...]  # cited passages, or the nearest ones when not covered
    engine: str
    checks: tuple[EvidenceCheck, ...] = ()
    notices: tuple[str, ...] = ()


def question_language(question: str) -> str:
    cjk = sum(1 for ch in question if "\u4e00" <= ch <= "\u9fff")
    return "zh" if cjk >= max(1, len(question) // 10) else "en"


def not_covered_text(coverage: Coverage, nearest: Sequence[Citation], lang: str) -> str:
    missing = "、".join(coverage.missing) if lang == "zh" else ", ".join(coverage.missing)
    if lang == "zh":
        lines = [
            f"{NOT_COVERED['zh']}：现有预案和案例中没有找到与该问题直接对应的内容"
            + (f"（未找到：{missing}）。" if missing else "。")
        ]
        lines.append("请勿据此作出处置决定；如需答复，请补充相关预案或咨询主管部门。最接近的资料：")
    else:
        lines = [
            f"{NOT_COVERED['en']}: no plan or case addresses this question directly"
            + (f" (not found: {missing})." if missing else ".")
        ]
        lines.append("Do not act on a guess; add the relevant plan or ask the responsible department. Nearest sources:")
    lines += [f"{n}. {c.label()}" for n, c in enumerate(nearest, start=1)]
    return "\n".join(lines)


def extractive_answer(question: str, hits: Sequence[Citation], lang: str) -> tuple[str, tuple[Citation, ...]]:
    """The sentences of the best passages that share most terms with the question, each cited [n]."""
    terms = content_terms(question)
    scored: list[tuple[float, int, str, Citation]] = []
    for rank, citation in enumerate(hits[:4]):
        for position, sentence in enumerate(split_sentences(citation.text)):
            if looks_like_injection(sentence):
                continue
            overlap = sum(1 for t in terms if t in sentence.lower())
            if overlap:
                scored.append((overlap - 0.1 * rank, -position, sentence, citation))
    chosen = sorted(scored, key=lambda s: (-s[0], -s[1]))[:MAX_SENTENCES]
    if not chosen:
        chosen = [(0.0, 0, split_sentences(hits[0].text)[0], hits[0])] if hits and hits[0].text else []
    used: list[Citation] = []
    lines = []
    for _score, _position, sentence, citation in chosen:
        if citation not in used:
            used.append(citation)
        sentence = sentence.rstrip("。.；;，, ")
        number = used.index(citation) + 1
        lines.append(f"- {sentence}。[{number}]" if lang == "zh" else f"- {sentence}. [{number}]")
    header = "根据知识库资料：" if lang == "zh" else "From the knowledge base:"
    sources = (
        ("来源：" if lang == "zh" else "Sources:")
        + "\n"
        + "\n".join(f"[{n}] {c.label()}" for n, c in enumerate(used, start=1))
    )
    return "\n".join([header, *lines, "", sources]), tuple(used)
