"""``GET /`` and ``GET /health`` (seed 003)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from voicehire import __version__
from voicehire.api.deps import SessionDep, StateDep
from voicehire.storage import repositories as repo

router = APIRouter(tags=["system"])


@router.get("/")
async def root() -> dict[str, Any]:
    return {"service": "VoiceHire API", "status": "running", "version": __version__}


@router.get("/health")
async def health(state: StateDep, session: SessionDep):
    """Database, and (when configured) Redis and LiveKit reachability."""
    services: dict[str, Any] = {}
    db_ok = await state.db.ping()
    services["database"] = "healthy" if db_ok else "unhealthy"
    if state.settings.redis_url:
        services["redis"] = "healthy" if await state.cache.ping() else "unhealthy"
    else:
        services["redis"] = "not_configured"
    services["cache"] = state.cache.backend
    if state.gateway is not None:
        services["livekit"] = "healthy" if await state.gateway.ping() else "unhealthy"
    else:
        services["livekit"] = "not_configured"
    active = 0
    if db_ok:
        rows, _ = await repo.list_interviews(session, active_only=True, limit=1000)
        active = sum(1 for i in rows if i.dispatch_id)
    services["active_agents"] = active
    unhealthy = any(v == "unhealthy" for v in services.values())
    body = {
        "status": "unhealthy" if not db_ok else ("degraded" if unhealthy else "healthy"),
        "version": __version__,
        "services": services,
    }
    return JSONResponse(body, status_code=200 if db_ok else 503)
