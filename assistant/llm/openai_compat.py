"""The chat model for any OpenAI-compatible endpoint: DeepSeek, Qwen on vLLM, Ollama, OpenAI.

Switching provider is configuration only. Three things matter in the field:
- ``max_tokens`` is always sent (some servers ignore ``max_completion_tokens`` and
  generate up to the context limit, which on a CPU box means minutes);
- every public call has one time budget (``llm.timeout_s``), and a stream that goes
  silent for ``llm.stream_gap_s`` fails, so the offline drafter can take over in time;
- transient failures are retried with backoff, permanent ones fail at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import openai
from openai import OpenAI

from assistant.errors import LLMError
from assistant.llm.base import ChatMessage, T
from assistant.llm.failures import Deadline, backoff_s, is_transient, public_url, to_llm_error
from assistant.llm.structured import JsonModeMemory, Reply, request_json
from assistant.settings import LLMSettings

log = logging.getLogger(__name__)
R = TypeVar("R")
DUMMY_KEY = "not-needed"  # Ollama and vLLM accept any key, but the client insists on one


class OpenAICompatibleChatModel:
    def __init__(self, settings: LLMSettings, *, backoff_base_s: float = 0.5) -> None:
        if not settings.base_url.strip():
            raise LLMError(
                "未配置模型服务 / no model endpoint configured: set llm.base_url (e.g. http://127.0.0.1:11434/v1)"
            )
        self.settings = settings
        self.endpoint = public_url(settings.base_url)
        self._model = settings.model.strip()
        self.name = f"{self._model or '(endpoint default)'} @ {self.endpoint}"
        self.json_modes = JsonModeMemory(settings.json_mode)
        self._backoff_base_s = backoff_base_s
        self._client = OpenAI(
            base_url=settings.base_url.rstrip("/"),
            api_key=settings.api_key or DUMMY_KEY,
            max_retries=0,  # we retry ourselves, on transient errors only and within the deadline
            timeout=openai.Timeout(settings.timeout_s, connect=settings.connect_timeout_s),
        )

    # ------------------------------------------------------------ ChatModel

    def complete(self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None) -> str:
        deadline = Deadline(self.settings.timeout_s)
        return self._send(messages, None, self._max_tokens(max_tokens), deadline).text

    def stream(self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None) -> Iterator[str]:
        deadline = Deadline(self.settings.timeout_s)
        body = self._body(messages, self._max_tokens(max_tokens), deadline)
        gap = self.settings.stream_gap_s
        chunks = self._retrying(
            lambda: self._client.chat.completions.create(**body, stream=True, timeout=self._timeout(deadline, gap)),
            deadline,
        )
        pieces = 0
        try:
            for chunk in chunks:
                if deadline.remaining() <= 0:
                    raise LLMError(
                        f"模型输出超时 / the streamed reply from {self.endpoint} exceeded llm.timeout_s="
                        f"{self.settings.timeout_s:g} s after {pieces} pieces"
                    )
                text = chunk.choices[0].delta.content if chunk.choices else None
                if text:
                    pieces += 1
                    yield text
        except openai.APITimeoutError as err:
            raise LLMError(
                f"模型输出停滞 / the stream from {self.endpoint} stalled: no data for {min(gap, deadline.seconds):g} s "
                f"after {pieces} pieces (llm.stream_gap_s)"
            ) from err
        except openai.APIConnectionError as err:
            raise LLMError(
                f"模型服务在输出中途断开 / {self.endpoint} dropped the connection mid-reply after {pieces} pieces: "
                f"{err.__cause__ or err}"
            ) from err
        except openai.APIError as err:
            raise self._error(err, 1) from err
        finally:
            chunks.close()

    def complete_json(
        self,
        messages: Sequence[ChatMessage],
        schema: type[T],
        *,
        max_tokens: int | None = None,
        lang: str | None = None,
    ) -> T:
        deadline = Deadline(self.settings.timeout_s)
        limit = self._max_tokens(max_tokens)
        return request_json(
            lambda msgs, fmt: self._send(msgs, fmt, limit, deadline),
            messages,
            schema,
            self.json_modes,
            lang=lang,
            max_tokens=limit,
        )

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------ plumbing

    def _send(
        self, messages: Sequence[ChatMessage], fmt: dict[str, Any] | None, max_tokens: int, deadline: Deadline
    ) -> Reply:
        body = self._body(messages, max_tokens, deadline)
        if fmt is not None:
            body["response_format"] = fmt
        completion = self._retrying(
            lambda: self._client.chat.completions.create(**body, timeout=self._timeout(deadline)), deadline
        )
        if not completion.choices:
            raise LLMError(f"模型服务返回了空结果 / {self.endpoint} returned no choices")
        choice = completion.choices[0]
        return Reply(choice.message.content or "", choice.finish_reason)

    def _body(self, messages: Sequence[ChatMessage], max_tokens: int, deadline: Deadline) -> dict[str, Any]:
        if not messages:
            raise LLMError("没有要发送的消息 / no messages to send")
        return {
            "model": self._model or self._default_model(deadline),
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "temperature": self.settings.temperature,
            "max_tokens": max_tokens,
        }

    def _max_tokens(self, requested: int | None) -> int:
        return requested if requested is not None else self.settings.max_tokens

    def _default_model(self, deadline: Deadline) -> str:
        """With llm.model empty, use the first model the endpoint lists (a single-model vLLM or llama.cpp)."""
        listing = self._retrying(lambda: self._client.models.list(timeout=self._timeout(deadline)), deadline)
        ids = [m.id for m in listing.data]
        if not ids:
            raise LLMError(f"llm.model 为空且服务未列出模型 / llm.model is empty and {self.endpoint} lists no models")
        self._model = ids[0]
        self.name = f"{self._model} @ {self.endpoint}"
        return self._model

    def _timeout(self, deadline: Deadline, read_gap: float | None = None) -> openai.Timeout:
        remaining = deadline.remaining()
        if remaining <= 0:
            raise LLMError(
                f"模型服务超时 / no time left for {self.endpoint} within llm.timeout_s={self.settings.timeout_s:g} s"
            )
        read = min(read_gap, remaining) if read_gap is not None else remaining
        return openai.Timeout(remaining, connect=min(self.settings.connect_timeout_s, remaining), read=read)

    def _retrying(self, call: Callable[[], R], deadline: Deadline) -> R:
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            try:
                return call()
            except openai.APIError as err:
                if not is_transient(err) or attempt + 1 == attempts:
                    raise self._error(err, attempt + 1) from err
                wait = backoff_s(attempt, self._backoff_base_s, err)
                if wait >= deadline.remaining():
                    raise self._error(err, attempt + 1) from err
                log.warning(
                    "LLM call to %s failed (%s), retry %d/%d in %.2f s",
                    self.endpoint,
                    type(err).__name__,
                    attempt + 1,
                    attempts - 1,
                    wait,
                )
                time.sleep(wait)
        raise AssertionError("unreachable: the loop returns or raises")

    def _error(self, err: Exception, attempts: int) -> LLMError:
        return to_llm_error(
            err,
            endpoint=self.endpoint,
            model=self._model,
            api_key=self.settings.api_key,
            timeout_s=self.settings.timeout_s,
            attempts=attempts,
        )
