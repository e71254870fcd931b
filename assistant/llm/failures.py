"""What counts as a passing hiccup, and how each failure is told to the officer and the operator.

Only failures that a second try can fix are retried (connection trouble, timeouts,
429 and 5xx gateway errors); a wrong key, a wrong model name or a rejected request
fails at once, with a message that names the setting to fix. Messages never carry
the API key: a server may echo it, so it is masked before anything is shown.
"""

from __future__ import annotations

import contextlib
import random
import re
import time
from urllib.parse import urlsplit, urlunsplit

import openai

from assistant.errors import LLMError

TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
_KEYLIKE = re.compile(r"\b(sk|key|api)[-_][A-Za-z0-9_\-]{6,}", re.IGNORECASE)
_MAX_WAIT_S = 30.0


class LLMRequestRejected(LLMError):
    """The endpoint answered with an HTTP error status; ``status`` and ``detail`` let callers adapt."""

    def __init__(self, message: str, status: int, detail: str) -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


class Deadline:
    """The whole-call time budget: retries, fallbacks and repairs all spend from one allowance."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())


def is_transient(err: Exception) -> bool:
    if isinstance(err, openai.APIStatusError):
        return err.status_code in TRANSIENT_STATUS
    return isinstance(err, openai.APIConnectionError)  # includes APITimeoutError


def backoff_s(attempt: int, base_s: float, err: Exception) -> float:
    """Exponential backoff with jitter, never shorter than the server's own Retry-After."""
    wait = base_s * (2**attempt) * (0.5 + random.random() / 2)
    if isinstance(err, openai.APIStatusError):
        header = err.response.headers.get("retry-after", "")
        with contextlib.suppress(ValueError):  # an HTTP-date Retry-After is rare from model servers
            wait = max(wait, float(header))
    return min(wait, _MAX_WAIT_S)


def public_url(url: str) -> str:
    """The endpoint as it may be shown and logged: no user:password, no query string."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def mask_secret(text: str, secret: str) -> str:
    if secret:
        text = text.replace(secret, "***")
    return _KEYLIKE.sub(lambda m: m.group(0)[:4] + "***", text)


def server_detail(err: openai.APIStatusError) -> str:
    """The server's own explanation from an OpenAI-style error body, else the raw message."""
    body = err.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return err.message


def to_llm_error(
    err: Exception, *, endpoint: str, model: str, api_key: str, timeout_s: float, attempts: int
) -> LLMError:
    """One LLMError per kind of failure, Chinese first, saying what to check."""
    tried = f" ({attempts} 次尝试 / attempts)" if attempts > 1 else ""
    if isinstance(err, openai.APITimeoutError):
        message = (
            f"模型服务超时 / model endpoint timed out at {endpoint} (limit {timeout_s:g} s){tried}: "
            "请检查服务负载或调大 llm.timeout_s / check the server's load or raise llm.timeout_s"
        )
        return LLMError(mask_secret(message, api_key))
    if isinstance(err, openai.APIConnectionError):
        cause = err.__cause__ or err
        message = (
            f"模型服务无法连接 / model endpoint unreachable at {endpoint}{tried}: {cause}. "
            "请确认服务已启动且 llm.base_url 正确 / check that the server is running and llm.base_url is right"
        )
        return LLMError(mask_secret(message, api_key))
    if isinstance(err, openai.APIStatusError):
        status, detail = err.status_code, mask_secret(server_detail(err), api_key)
        if status in (401, 403):
            head = "模型服务拒绝了密钥 / the endpoint refused the API key; check llm.api_key"
        elif status == 404:
            head = (
                f"找不到模型或接口 / model '{model}' or the chat API was not found; "
                "check llm.model and that llm.base_url ends with /v1"
            )
        elif status == 429:
            head = "模型服务限流 / the endpoint is rate-limiting requests; try again later"
        elif status >= 500:
            head = "模型服务内部错误 / the endpoint failed"
        else:
            head = "模型服务拒绝了请求 / the endpoint rejected the request"
        message = f"{head} (HTTP {status} at {endpoint}){tried}: {detail}"
        return LLMRequestRejected(message, status, detail)
    if isinstance(err, openai.APIError):
        detail = mask_secret(err.message, api_key)
        return LLMError(f"模型服务返回错误 / the endpoint reported an error at {endpoint}: {detail}")
    return LLMError(mask_secret(f"模型调用失败 / model call failed at {endpoint}: {err}", api_key))
