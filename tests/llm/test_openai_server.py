"""The scripted server itself, for the parts other engineers reuse: models, embeddings, keep-alive."""

from __future__ import annotations

import http.client
import json
import math

import openai

from tests.llm.openai_server import ScriptedOpenAIServer, embedding_vector


def client(server: ScriptedOpenAIServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)


def test_models_lists_the_scripted_model(openai_server: ScriptedOpenAIServer) -> None:
    assert [m.id for m in client(openai_server).models.list()] == ["test-model"]


def test_embeddings_are_deterministic_unit_vectors_in_both_encodings(openai_server: ScriptedOpenAIServer) -> None:
    api = client(openai_server)
    texts = ["燃气泄漏应急处置", "bridge displacement"]
    default = api.embeddings.create(model="m", input=texts)  # the client asks for base64 by default
    as_floats = api.embeddings.create(model="m", input=texts, encoding_format="float")
    again = api.embeddings.create(model="m", input=texts[0], dimensions=16, encoding_format="float")

    for a, b in zip(default.data, as_floats.data, strict=True):
        assert len(a.embedding) == 384
        assert max(abs(x - y) for x, y in zip(a.embedding, b.embedding, strict=True)) < 1e-6
        assert math.isclose(math.fsum(x * x for x in b.embedding), 1.0, rel_tol=1e-6)
    assert default.data[0].embedding != default.data[1].embedding
    assert again.data[0].embedding == embedding_vector(texts[0], 16)


def test_embedding_failures_can_be_scripted(openai_server: ScriptedOpenAIServer) -> None:
    openai_server.fail_next_embeddings(503)
    try:
        client(openai_server).embeddings.create(model="m", input="x")
    except openai.InternalServerError as err:
        assert err.status_code == 503
    else:
        raise AssertionError("the scripted 503 was not returned")
    assert client(openai_server).embeddings.create(model="m", input="x").data


def test_keep_alive_serves_several_requests_on_one_connection(openai_server: ScriptedOpenAIServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", openai_server.port, timeout=2)
    for text in ("一", "二"):
        openai_server.queue_text(text)
        conn.request(
            "POST",
            "/v1/chat/completions",
            body=json.dumps({"messages": []}),
            headers={"Content-Type": "application/json"},
        )
        response = conn.getresponse()
        assert json.loads(response.read())["choices"][0]["message"]["content"] == text
    conn.close()


def test_an_unscripted_request_fails_loudly(openai_server: ScriptedOpenAIServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", openai_server.port, timeout=2)
    conn.request("POST", "/v1/chat/completions", body="{}", headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    assert response.status == 400
    assert "no scripted reply" in json.loads(response.read())["error"]["message"]
