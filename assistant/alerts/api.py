"""HTTP intake and board: ``POST /api/alerts`` and ``GET /api/incidents`` as a FastAPI router.

The router is mounted on the same ASGI app that serves the UI. Both endpoints need
``Authorization: Bearer <alerts.api_token>``; with no token configured every request is
refused, so a fresh install never exposes an open intake. Bodies above
``alerts.max_post_kb`` get 413 before they are read in full; a payload that cannot be
parsed gets 400 with the parser's message (and is kept in the store's rejections).
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from assistant.alerts.ingest import ingest_payload
from assistant.alerts.store import AlertStore
from assistant.domain import Colour, IncidentStatus
from assistant.errors import AlertFormatError
from assistant.settings import AlertSettings


def _authorise(request: Request, token: str) -> None:
    if not token:
        raise HTTPException(
            status_code=403,
            detail="告警接口未启用：请设置 alerts.api_token（环境变量 ASSISTANT_ALERT_TOKEN） / "
            "the alert API is disabled: set alerts.api_token (env ASSISTANT_ALERT_TOKEN)",
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(
            status_code=401,
            detail="令牌缺失或错误 / missing or wrong token: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


async def _read_limited(request: Request, limit: int) -> bytes:
    too_large = HTTPException(
        status_code=413, detail=f"请求体超过 {limit // 1024} KB / the body exceeds {limit // 1024} KB"
    )
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for piece in request.stream():
        body.extend(piece)
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _check_choice(value: str | None, allowed: list[str], name: str) -> None:
    if value is not None and value not in allowed:
        raise HTTPException(
            status_code=400, detail=f"{name} 取值无效 / invalid {name} {value!r}; one of {', '.join(allowed)}"
        )


def build_alerts_router(store: AlertStore, settings: AlertSettings) -> APIRouter:
    """A router bound to one store; the app that mounts it owns the store's lifetime."""
    router = APIRouter(tags=["alerts"])

    @router.post("/api/alerts")
    async def post_alerts(request: Request) -> dict[str, Any]:
        _authorise(request, settings.api_token)
        body = await _read_limited(request, settings.max_post_kb * 1024)
        client = request.client.host if request.client else "unknown"
        source = f"POST /api/alerts from {client}"
        try:
            report = await run_in_threadpool(ingest_payload, store, body, source, request.headers.get("content-type"))
        except AlertFormatError as err:
            raise HTTPException(status_code=400, detail=str(err)) from None
        rejected = [err.problem for err in report.errors]
        if rejected and not report.outcomes:
            raise HTTPException(status_code=400, detail=f"{source}: " + "; ".join(rejected))
        return {
            "alert_ids": report.alert_ids,
            "incident_ids": report.incident_ids,
            "new": report.new,
            "duplicates": report.duplicates,
            "rejected": rejected,
            "note": report.note,
        }

    @router.get("/api/incidents")
    def get_incidents(
        request: Request,
        hazard: str | None = None,
        colour: str | None = None,
        district: str | None = None,
        status: str | None = None,
        limit: int = 50,
    ) -> dict[str, Any]:
        _authorise(request, settings.api_token)
        _check_choice(colour, [c.value for c in Colour], "colour")
        _check_choice(status, [s.value for s in IncidentStatus], "status")
        entries = store.board(hazard=hazard, colour=colour, district=district, status=status, limit=limit)
        return {"incidents": [entry.to_dict() for entry in entries]}

    return router
