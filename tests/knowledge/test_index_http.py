"""The vector store against a real Chroma server (``vector_store.mode: http``)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.knowledge.index import KnowledgeIndex
from assistant.knowledge.retriever import HybridRetriever
from tests.knowledge.conftest import CORPUS, CountingEmbeddings, make_settings
from tests.tools import need

CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    need(CHROMA.exists(), f"the chroma server binary is not installed ({CHROMA}; it comes with `pip install chromadb`)")
    port = _free_port()
    server = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the chroma server did not start")
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_index_works_against_a_chroma_server(tmp_path: Path, chroma_server: int, model: CountingEmbeddings) -> None:
    settings = make_settings(
        tmp_path,
        ASSISTANT__VECTOR_STORE__MODE="http",
        ASSISTANT__VECTOR_STORE__HOST="127.0.0.1",
        ASSISTANT__VECTOR_STORE__PORT=str(chroma_server),
    )
    index = KnowledgeIndex(settings, model)
    for meta, chunks in CORPUS:
        index.store_document(meta, chunks, file_sha256=meta.doc_id)
    assert index.embed_pending() == 5 and index.vectors.count() == 5
    assert not settings.data_path("chroma").exists()  # vectors live on the server, not on local disk
    retriever = HybridRetriever(index=index, settings=settings.retrieval)
    assert retriever.search("燃气泄漏 关闭阀门", k=1, mode="dense")[0].chunk_id == "gasplan:0000"
