"""A small in-memory corpus and searcher for unit tests of the chain.

The index has its own tests; here we need deterministic evidence so assertions on the
drafter's choices are stable. Integration tests run the drafter on the real index.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.chain.sentences import similarity
from assistant.domain import Chunk, Citation, DocKind, DocumentMeta
from assistant.knowledge.grading import Grading, extract_grading

GAS_PLAN = "城镇燃气突发事件应急预案（要点）"
GAS_CASE = "十堰“6·13”燃气爆炸事故（要点）"

PASSAGES: list[tuple[str, str, DocKind, str, tuple[str, ...]]] = [
    (
        GAS_PLAN,
        "二、事件分级 > （四）一般（Ⅳ级）",
        DocKind.PLAN,
        "一般燃气事故（Ⅳ级）：造成3人以下死亡，或者10人以下重伤，或者影响1000户以下居民正常用气。",
        ("燃气",),
    ),
    (
        GAS_PLAN,
        "二、事件分级 > （三）较大（Ⅲ级）",
        DocKind.PLAN,
        "较大燃气事故（Ⅲ级）：造成3人以上10人以下死亡，或者影响1000户以上10000户以下居民用气。",
        ("燃气",),
    ),
    (
        GAS_PLAN,
        "六、应急处置 > （一）先期处置",
        DocKind.PLAN,
        "燃气经营企业接到泄漏报警后应立即派出抢修人员，30分钟内到达现场。"
        "属地街道应立即组织疏散周边人员，设置警戒区，严禁明火和开关电器。"
        "燃气经营企业负责关闭上游阀门，切断气源。",
        ("燃气",),
    ),
    (
        GAS_PLAN,
        "四、监测与预警",
        DocKind.PLAN,
        "燃气经营企业应对管网开展巡查和监测，可燃气体浓度达到报警值时立即核实并上报城运中心。",
        ("燃气",),
    ),
    (
        GAS_PLAN,
        "三、风险管控",
        DocKind.PLAN,
        "燃气经营企业应定期开展隐患排查，对老旧管线建立隐患清单并落实整改责任。",
        ("燃气",),
    ),
    (
        GAS_PLAN,
        "八、善后恢复",
        DocKind.PLAN,
        "险情排除后，燃气经营企业应对管线进行检测，确认安全后恢复供气，属地政府做好受影响居民安置。",
        ("燃气",),
    ),
    (
        GAS_PLAN,
        "九、调查评估",
        DocKind.PLAN,
        "事故发生后应保护现场，保全监测数据，由应急管理部门牵头组织调查，查明原因并提出整改措施。",
        ("燃气",),
    ),
    (
        GAS_CASE,
        "六、经验教训",
        DocKind.CASE,
        "- 燃气泄漏报警后应先疏散人员、切断气源，严禁在未排除爆炸风险前组织人员进入现场排查。\n"
        "- 老旧管线穿越封闭空间时应加装可燃气体报警装置并接入监测平台。",
        ("燃气",),
    ),
    (
        "国家地震应急预案（要点）",
        "一、事件分级",
        DocKind.PLAN,
        "特别重大地震灾害是指造成300人以上死亡的地震灾害。",
        ("地震",),
    ),
]


class MemorySearcher:
    """Ranks passages by character-bigram similarity; honours kind and hazard filters.

    It is also the chain's Library: one document per title (national), grading read from its passages.
    """

    def __init__(self, region: str = "全国") -> None:
        doc_ids = {title: f"d{n:02d}" for n, title in enumerate(dict.fromkeys(p[0] for p in PASSAGES))}
        self.citations = [
            (Citation(f"{doc_ids[title]}:{i:04d}", doc_ids[title], title, heading, None, kind, 0.0, text), hazards)
            for i, (title, heading, kind, text, hazards) in enumerate(PASSAGES)
        ]
        self.region = region
        self.queries: list[str] = []

    def documents(self) -> list[DocumentMeta]:
        metas: dict[str, DocumentMeta] = {}
        for citation, hazards in self.citations:
            known = metas.get(citation.doc_id)
            merged = tuple(dict.fromkeys((*(known.hazards if known else ()), *hazards)))
            metas[citation.doc_id] = DocumentMeta(
                citation.doc_id, citation.title, citation.kind, merged, f"{citation.doc_id}.md", region=self.region
            )
        return list(metas.values())

    def grading(self, doc_ids: Sequence[str]) -> dict[str, Grading]:
        return {
            doc_id: extract_grading(
                [
                    Chunk(c.chunk_id, doc_id, c.text, tuple(c.heading.split(" > ")))
                    for c, _h in self.citations
                    if c.doc_id == doc_id
                ]
            )
            for doc_id in doc_ids
        }

    def cite(self, chunk_ids: Sequence[str]) -> dict[str, Citation]:
        return {c.chunk_id: c for c, _h in self.citations if c.chunk_id in chunk_ids}

    def passages(self, doc_ref: str) -> list[Citation]:
        return [c for c, _h in self.citations if c.doc_id == doc_ref]

    def search(
        self, query: str, k: int = 8, *, kind: str | None = None, hazards: Sequence[str] | None = None
    ) -> list[Citation]:
        self.queries.append(query)
        scored = []
        for citation, doc_hazards in self.citations:
            if kind and citation.kind.value != kind:
                continue
            if hazards and not set(hazards) & set(doc_hazards):
                continue
            score = similarity(query, f"{citation.heading} {citation.text}")
            scored.append(Citation(**{**citation.__dict__, "score": score}))
        return sorted(scored, key=lambda c: -c.score)[:k]
