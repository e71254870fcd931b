"""One passage-embedding worker process: loads a model once, then embeds the batches it is sent.

Started by ``embed_pool`` as ``python -m assistant.knowledge.embed_worker`` with one
OpenMP thread (``OMP_NUM_THREADS=1``, ``OMP_WAIT_POLICY=PASSIVE`` in its environment):
on a CPU, N single-threaded processes use N cores where one multi-threaded engine
keeps about one busy. Messages are length-prefixed pickles on stdin/stdout between
a parent and the child it started, never anything read from elsewhere.

The worker ignores Ctrl-C (the parent decides when to stop) and exits when its
stdin closes, so killing the parent, even with SIGKILL, never leaves it running:
its next read sees end-of-file, or its next reply a broken pipe.
"""

from __future__ import annotations

import importlib
import os
import pickle
import resource
import signal
import struct
import sys
from dataclasses import dataclass, field
from typing import IO, Any

_HEADER = struct.Struct(">I")


@dataclass(frozen=True)
class WorkerSpec:
    """How a worker rebuilds the parent's model: ``factory`` is ``module:callable``, called with ``kwargs``.

    ``model_id`` is checked in the worker, so a pool can never return vectors of another model.
    """

    factory: str
    model_id: str
    kwargs: dict[str, Any] = field(default_factory=dict)


def send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next message, or None at end of file (the other side closed or died)."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    size = _HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(spec: WorkerSpec) -> Any:
    module_name, _, attribute = spec.factory.partition(":")
    model = getattr(importlib.import_module(module_name), attribute)(**spec.kwargs)
    if model.model_id != spec.model_id:
        raise RuntimeError(f"worker built model {model.model_id}, expected {spec.model_id}")
    return model


def serve(requests: IO[bytes], replies: IO[bytes]) -> int:
    """Answer ("embed", job, texts) with ("vectors", job, array, peak MB) until stdin closes."""
    spec = receive(requests)
    if spec is None:
        return 0
    try:
        model = build(spec)
        model.embed_array(["预热 warm-up"])  # load the weights now, not inside the first timed batch
    except Exception as err:  # reported to the parent, which turns it into an EmbeddingError
        send(replies, ("failed", None, f"{type(err).__name__}: {err}", peak_rss_mb()))
        return 1
    send(replies, ("ready", os.getpid(), None, peak_rss_mb()))
    while (request := receive(requests)) is not None:
        _, job, texts = request
        try:
            vectors = model.embed_array(texts)
        except Exception as err:
            send(replies, ("failed", job, f"{type(err).__name__}: {err}", peak_rss_mb()))
            continue
        send(replies, ("vectors", job, vectors, peak_rss_mb()))
    return 0


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints from libraries must not corrupt replies
    try:
        return serve(sys.stdin.buffer, replies)
    except BrokenPipeError:  # the parent went away mid-reply
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
