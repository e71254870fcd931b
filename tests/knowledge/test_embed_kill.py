"""Kill -9 during parallel embedding: of the ingest process, of one worker. The index stays consistent
(catalogue, BM25 and Chroma agree), and a re-run embeds exactly what is missing, each text once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from assistant.knowledge.embedding_cache import text_hash
from assistant.knowledge.index import KnowledgeIndex
from assistant.knowledge.ingest import Ingestor
from tests.knowledge.conftest import CountingEmbeddings, make_settings
from tests.knowledge.slow_embedder import MODEL_ID, SlowHashEmbeddings, hash_vector

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NUMERALS = "一二三四五六七八九十"
DOCS, SECTIONS = 6, 8  # 6 × (title + 8 sections) = 54 chunks, 14 batches of 4
BATCH = 4
IN_FLIGHT = 2 * 2 * BATCH  # two batches per worker, two workers: what a crash may lose


def _corpus(folder: Path, docs: int = DOCS) -> Path:
    folder.mkdir(parents=True)
    for n in range(1, docs + 1):
        lines = [f"第{n}号 城镇燃气突发事件应急预案"]
        for s in range(SECTIONS):
            lines.append(f"{NUMERALS[s]}、第{s + 1}部分 处置要求")
            lines.append(f"燃气泄漏报警后（第{n}号预案第{s + 1}部分），抢修人员20分钟内到场，关闭阀门，切断气源。" * 2)
        (folder / f"plan{n}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _index(tmp_path: Path, model: CountingEmbeddings | SlowHashEmbeddings) -> KnowledgeIndex:
    return KnowledgeIndex(make_settings(tmp_path, ASSISTANT__EMBEDDING__BATCH_SIZE=str(BATCH)), model)


def _cached_hashes(data: Path) -> set[str]:
    path = data / "embeddings.sqlite"
    if not path.exists():
        return set()
    with sqlite3.connect(path) as db:
        try:
            return {r[0] for r in db.execute("SELECT text_hash FROM vectors WHERE model_id = ?", [MODEL_ID])}
        except sqlite3.OperationalError:  # the table is being created
            return set()


def _log(path: Path) -> list[tuple[str, int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [(event, int(pid), digest) for event, pid, digest in (line.split() for line in lines)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _assert_consistent(index: KnowledgeIndex) -> set[str]:
    """Catalogue, dense flags, Chroma and BM25 hold the same chunks, each with its own text's vector."""
    chunks = {cid for cid, _, _ in index.catalogue.lexical_rows()}
    index.refresh_lexical()
    assert index.catalogue.dense_ids() == chunks
    assert index.vectors.ids() == chunks
    assert set(index.lexical.chunk_ids) == chunks and index.lexical.generation == index.catalogue.generation()
    hydrated = index.catalogue.hydrate(sorted(chunks))
    stored = index.vectors.collection.get(ids=sorted(chunks), include=["embeddings"])
    for cid, vector in zip(stored["ids"], stored["embeddings"], strict=True):
        chunk, meta = hydrated[cid]
        np.testing.assert_allclose(vector, hash_vector(chunk.retrieval_text(meta.title)), rtol=1e-5)
    return {text_hash(chunk.retrieval_text(meta.title)) for chunk, meta in hydrated.values()}


@pytest.mark.slow
def test_kill_9_of_the_ingest_process_then_reingest_embeds_only_what_is_missing(tmp_path: Path) -> None:
    corpus, data, log = _corpus(tmp_path / "corpus"), tmp_path / "data", tmp_path / "embedded.log"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.knowledge.slow_embedder", str(data), str(corpus), str(log), "0.04", "2"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: len(_cached_hashes(data)) >= 12 or child.poll() is not None, 60, "the first vectors")
        assert child.poll() is None, "the ingest finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    workers = {pid for _, pid, _ in _log(log)}
    assert 1 <= len(workers) <= 2
    _wait(lambda: not any(map(_alive, workers)), 10, "the orphaned workers to exit")  # stdin closed: they quit
    cached = _cached_hashes(data)
    finished_in_first_run = {digest for event, _, digest in _log(log) if event == "done"}
    assert 12 <= len(cached) < DOCS * (SECTIONS + 1)
    assert len(finished_in_first_run - cached) <= IN_FLIGHT  # the kill lost at most the batches in flight

    with sqlite3.connect(data / "catalogue.sqlite") as db:
        dense_before = db.execute("SELECT COUNT(*) FROM chunks WHERE dense_ready = 1").fetchone()[0]

    recorder = CountingEmbeddings(SlowHashEmbeddings())
    index = _index(tmp_path, recorder)
    report = Ingestor(index, make_settings(tmp_path).knowledge).ingest([corpus])
    assert report.changed == 0 and not report.dense_error  # every file was catalogued before the kill
    everything = _assert_consistent(index)
    embedded_now = Counter(text_hash(t) for call in recorder.passage_calls for t in call)
    assert set(embedded_now) == everything - cached  # only what the first run had not stored ...
    assert set(embedded_now.values()) == {1}  # ... each text once
    assert report.embedded == len(everything) - dense_before  # cached but not yet indexed: indexed now


@pytest.mark.slow
def test_a_worker_killed_mid_batch_is_replaced_and_the_batch_embedded_once(tmp_path: Path) -> None:
    corpus, log, marker = _corpus(tmp_path / "corpus"), tmp_path / "embedded.log", tmp_path / "crashed"
    model = SlowHashEmbeddings(0.01, str(log), workers=2, crash_on="第3号预案第5部分", marker=str(marker))
    index = _index(tmp_path, model)
    try:
        report = Ingestor(index, make_settings(tmp_path).knowledge).ingest([corpus])
    finally:
        model.close()
    assert marker.exists(), "no worker was killed"
    assert not report.dense_error and report.embedded == report.chunks_added == DOCS * (SECTIONS + 1)
    events = _log(log)
    by_worker: dict[int, dict[str, set[str]]] = {}
    for event, pid, digest in events:
        by_worker.setdefault(pid, {"start": set(), "done": set()})[event].add(digest)
    interrupted = [pid for pid, seen in by_worker.items() if seen["start"] - seen["done"]]
    assert len(interrupted) == 1 and len(by_worker) == 3  # two workers, one killed mid-batch and replaced
    everything = _assert_consistent(index)
    done = Counter(d for event, _, d in events if event == "done" and d in everything)
    assert set(done) == everything and set(done.values()) == {1}  # the interrupted batch was redone, once
    assert model.pool is not None and model.pool.pids() == []  # the run's workers are gone


def test_reingest_after_a_complete_parallel_run_embeds_nothing(tmp_path: Path) -> None:
    corpus, log = _corpus(tmp_path / "corpus"), tmp_path / "embedded.log"
    model = SlowHashEmbeddings(0.0, str(log), workers=2)
    index = _index(tmp_path, model)
    first = Ingestor(index, make_settings(tmp_path).knowledge).ingest([corpus])
    assert first.embedded == DOCS * (SECTIONS + 1)
    recorder = CountingEmbeddings(SlowHashEmbeddings())
    again = Ingestor(_index(tmp_path, recorder), make_settings(tmp_path).knowledge).ingest([corpus])
    assert again.changed == 0 and again.embedded == 0 and recorder.passage_calls == []
    _assert_consistent(index)


def _children(pid: int) -> set[int]:
    """Processes started by any thread of ``pid`` (the pool starts its workers from its own threads)."""
    found: set[int] = set()
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.update(int(p) for p in children.read_text().split())
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_ctrl_c_during_assistant_ingest_stops_the_workers(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", docs=60)  # 540 chunks: still embedding when the Ctrl-C arrives
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
        "ASSISTANT__KNOWLEDGE__SHIPPED_DIRS": "[]",
        "ASSISTANT__EMBEDDING__WORKERS": "2",
        "ASSISTANT__EMBEDDING__BATCH_SIZE": str(BATCH),
    }
    env.pop("ASSISTANT_RAISE_ERRORS", None)
    cli = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", str(corpus)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait(lambda: len(_children(cli.pid)) == 2 or cli.poll() is not None, 60, "two embedding workers")
        workers = _children(cli.pid)
        assert cli.poll() is None and len(workers) == 2
        cli.send_signal(signal.SIGINT)  # what Ctrl-C sends the command (the workers are in their own group)
        _, stderr = cli.communicate(timeout=30)
    finally:
        cli.kill()
    assert cli.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
    assert not any(map(_alive, workers))


@pytest.mark.slow
def test_closing_the_services_stops_the_workers_of_a_running_upload(tmp_path: Path) -> None:
    from assistant.services import build_knowledge

    corpus, log = _corpus(tmp_path / "corpus"), tmp_path / "embedded.log"
    model = SlowHashEmbeddings(0.05, str(log), workers=2)
    services = build_knowledge(make_settings(tmp_path, ASSISTANT__EMBEDDING__BATCH_SIZE=str(BATCH)), model)
    upload = threading.Thread(target=lambda: services.ingestor.ingest([corpus]), daemon=True)
    upload.start()
    _wait(lambda: len({pid for _, pid, _ in _log(log)}) == 2, 60, "two embedding workers")
    workers = {pid for _, pid, _ in _log(log)}
    services.close()  # what the app does when it stops
    upload.join(10)
    assert not upload.is_alive() and not any(map(_alive, workers))


def test_stopping_the_background_warm_up_stops_its_workers_and_keeps_what_it_wrote(tmp_path: Path) -> None:
    from assistant.knowledge.first_run import ensure_shipped_knowledge

    corpus, log = _corpus(tmp_path / "corpus"), tmp_path / "embedded.log"
    model = SlowHashEmbeddings(0.05, str(log), workers=2)
    index = _index(tmp_path, model)
    _, warmup = ensure_shipped_knowledge(Ingestor(index, make_settings(tmp_path).knowledge), [corpus])
    _wait(lambda: len(_cached_hashes(tmp_path / "data")) >= 8, 60, "the first vectors")
    workers = {pid for _, pid, _ in _log(log)}
    warmup.stop(timeout=0.1)  # shorter than a batch: the workers are stopped mid-batch
    assert not warmup.state.running and not warmup.state.error
    assert not any(map(_alive, workers))
    assert 8 <= index.status().dense_ready < index.status().chunks
    _assert_consistent_so_far(index)


def _assert_consistent_so_far(index: KnowledgeIndex) -> None:
    """Chroma holds exactly the chunks the catalogue marks as embedded."""
    assert index.vectors.ids() == index.catalogue.dense_ids()
