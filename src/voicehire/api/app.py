"""The FastAPI application: ``create_app(settings)``."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from voicehire import __version__
from voicehire.api.errors import error_body, install_error_handlers
from voicehire.api.routes import (
    agent,
    agents,
    candidates,
    interviews,
    jobs,
    live,
    oauth,
    system,
    voice,
    webhooks,
)
from voicehire.api.schemas import ERROR_RESPONSES
from voicehire.api.state import AppState
from voicehire.settings import Settings, get_settings

logger = logging.getLogger(__name__)


class BodyLimitMiddleware:
    """Refuses request bodies larger than ``max_bytes`` with a JSON 413, whether the size
    is announced in Content-Length or only discovered while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    await self._refuse(send)
                    return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        # No (or a small) Content-Length: read the body here, bounded, then replay it.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        import json

        body = json.dumps(
            error_body(413, f"request body larger than {self.max_bytes} bytes is refused")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    state = AppState.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await state.start()
        try:
            yield
        finally:
            await state.stop()

    app = FastAPI(
        title="VoiceHire API",
        version=__version__,
        description=(
            "Control plane of VoiceHire, the open-source AI voice interviewer: candidates, "
            "jobs, interviews, LiveKit rooms and tokens, M2M auth for the agent worker, "
            "transcripts and results. Management endpoints need 'Authorization: Bearer "
            "<VH_ADMIN_TOKEN>'; agent endpoints need an M2M token from POST /oauth/token."
        ),
        lifespan=lifespan,
    )
    app.state.vh = state
    install_error_handlers(app)
    for module in (
        system,
        oauth,
        candidates,
        jobs,
        interviews,
        agent,
        voice,
        live,
        agents,
        webhooks,
    ):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.vh_max_body_bytes)
    return app
