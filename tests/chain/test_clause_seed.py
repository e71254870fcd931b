"""The clause seed: a fresh install weighs clauses by meaning without embedding them (issue 17's latency point).

The shipped seed must cover every clause of the shipped library, as the chunk seed covers its
chunks (tests/knowledge/test_seed_cache.py); ``assistant kb export-cache`` writes both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.chain.clause_seed import library_clauses
from assistant.chain.question import analyse
from assistant.cli import main
from assistant.knowledge.embedding_cache import CLAUSE_SEED, SeedCache, seed_home, seed_path, text_hash
from assistant.knowledge.embeddings import normalise
from assistant.services import Services, build_services, ensure_shipped_knowledge
from assistant.settings import load_settings

FIRST_ASKS = (
    ("北京暴雨红色预警后启动几级响应？由谁批准？", "zh"),
    ("How soon must a gas leak be reported?", "en"),
    ("本区应急管理局局长的手机号码是多少？", "zh"),
)
BRIDGE_PLAN = (
    "# 江城市桥梁突发事件应急预案\n\n## 一、先期处置\n"
    "桥梁位移超限报警后，立即封闭交通；养护单位30分钟内到场核查。\n\n"
    "## 二、信息报告\n区交通运输部门接报后1小时内向区政府报告。\n"
)


def _services(data_dir: Path, shipped: list[Path] | None = None) -> Services:
    env = {"ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT__LLM__BASE_URL": ""}
    if shipped is not None:
        env["ASSISTANT__KNOWLEDGE__SHIPPED_DIRS"] = json.dumps([str(p) for p in shipped])
    return build_services(load_settings(env=env))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """A fresh install of the whole shipped library (its chunk vectors come from the chunk seed)."""
    services = _services(tmp_path_factory.mktemp("fresh-install"))
    ensure_shipped_knowledge(services, background=False)
    yield services
    services.close()


@pytest.mark.slow
def test_the_shipped_clause_seed_covers_every_clause_of_the_shipped_library(shipped: Services) -> None:
    knowledge = shipped.knowledge
    texts = library_clauses(knowledge.retriever, knowledge.shipped_dirs())
    path = seed_path(seed_home(knowledge.shipped_dirs()), knowledge.index.model_id, CLAUSE_SEED)
    seeded = SeedCache(path).load(knowledge.index.embeddings.inner)  # empty unless the model and probe agree
    missing = [t for t in texts if text_hash(t) not in seeded]
    assert len(texts) > 1000
    assert not missing, (
        f"子句种子缓存缺少 {len(missing)} 条（如「{missing[0][:30]}」）：请运行 `assistant kb export-cache` 并提交 "
        f"knowledge/.embeddings / the clause seed misses {len(missing)} clauses: run `assistant kb export-cache` "
        "and commit knowledge/.embeddings"
    )


@pytest.mark.slow
def test_a_first_ask_on_a_fresh_install_embeds_only_the_question(shipped: Services) -> None:
    embeddings, chat = shipped.knowledge.index.embeddings, shipped.chat
    before = embeddings.misses  # passages embedded; questions are not counted
    for question, lang in FIRST_ASKS:
        parsed = analyse(question, chat.glossary, lang)
        choices, _ = chat.assess(parsed, chat.retrieve(parsed, None))
        weighed = [c for choice in choices for c in (choice.best, *choice.support) if c and c.cosine is not None]
        assert weighed, f"no clause was weighed by meaning for {question}"
        chat.ask(question, lang=lang)
    assert embeddings.misses == before


@pytest.mark.slow
def test_an_exported_library_carries_its_clause_vectors_to_the_next_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "city"
    own.mkdir()
    (own / "bridge.md").write_text(BRIDGE_PLAN, encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "first-machine"))
    monkeypatch.setenv("ASSISTANT__KNOWLEDGE__SHIPPED_DIRS", "[]")
    assert main(["kb", "export-cache", str(own)]) == 0
    seed = next((own / ".embeddings").glob(f"*{CLAUSE_SEED}.npz"))
    with np.load(seed) as stored:
        assert stored["vectors"].dtype == np.int8 and len(stored["hashes"]) >= 3

    question = "桥梁位移超限报警后养护单位多长时间内到场？"
    for machine, with_seed in (("next-machine", True), ("machine-without-clause-seed", False)):
        if not with_seed:
            seed.unlink()
        services = _services(tmp_path / machine, shipped=[])
        try:
            services.knowledge.ingestor.ingest([own])
            embeddings = services.knowledge.index.embeddings
            before = embeddings.misses
            answer = services.chat.ask(question, lang="zh")
            assert answer.covered and "30分钟" in answer.text.splitlines()[0]
            assert (embeddings.misses == before) is with_seed
            if with_seed:  # the int8 vectors read back agree with embedding the clauses now
                texts = library_clauses(services.knowledge.retriever, [own])
                seeded = embeddings.cached(texts)
                fresh = normalise(embeddings.inner.embed_array(texts))
                cosines = [float(np.dot(seeded[text_hash(t)], v)) for t, v in zip(texts, fresh, strict=True)]
                assert min(cosines) > 0.995
        finally:
            services.close()
