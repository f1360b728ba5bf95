"""The FastAPI application: ``create_app(settings)``."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from voicehire import __version__
from voicehire.api import reconcile
from voicehire.api.errors import error_body, install_error_handlers
from voicehire.api.no_show import NoShowTask
from voicehire.api.retention import RetentionTask
from voicehire.api.routes import (
    accommodations,
    agent,
    agents,
    audit,
    candidates,
    interviews,
    jobs,
    live,
    live_view,
    oauth,
    outgoing_webhooks,
    privacy,
    recordings,
    system,
    voice,
    webhooks,
)
from voicehire.api.schemas import ERROR_RESPONSES
from voicehire.api.state import AppState
from voicehire.settings import Settings, get_settings

logger = logging.getLogger(__name__)


UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The pages load everything from this origin; the candidate page also talks to LiveKit.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:{media}; connect-src 'self' ws: wss:{livekit}; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)


def bucket_origin(settings: Settings) -> str | None:
    """Where the dashboard's player fetches a recording's presigned URL from (allowed in
    the pages' media-src): the S3-compatible endpoint's origin, or AWS S3's hosts."""
    if not settings.transcript_bucket:
        return None
    endpoint = settings.s3_endpoint_url
    if not endpoint:
        return "https://*.amazonaws.com"
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Responses under these paths carry tokens or personal data: never stored by a cache.
NO_STORE_PREFIXES = ("/api/", "/oauth/")


class SecurityHeadersMiddleware:
    """Security headers on every response, and no cross-site state changes: a browser's
    POST/PUT/PATCH/DELETE from another site (by ``Sec-Fetch-Site`` or ``Origin``) is
    refused with a JSON 403 before any route runs. API and OAuth answers (tokens for
    candidates, agents and M2M clients; candidates' personal data) are never cached:
    ``Cache-Control: no-store`` unless a route sets its own."""

    def __init__(
        self, app: ASGIApp, *, livekit_url: str | None = None, media_origin: str | None = None
    ) -> None:
        self.app = app
        extra = f" {livekit_url}" if livekit_url else ""
        media = f" {media_origin}" if media_origin else ""
        csp = CSP.format(livekit=extra, media=media)
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-content-type-options", b"nosniff"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in UNSAFE_METHODS and _cross_site(scope):
            await _json_response(
                send, 403, "cross-site requests cannot change anything here", "cross_site"
            )
            return
        docs = scope["path"] in ("/docs", "/redoc", "/docs/oauth2-redirect")
        private = scope["path"].startswith(NO_STORE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k, v)
                    for k, v in self.headers
                    if k not in names and not (docs and k == b"content-security-policy")
                ]
                if private and b"cache-control" not in names:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cross_site(scope: Scope) -> bool:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return origin == "null"
    return origin.split("://", 1)[-1] != headers.get("host", "")


async def _json_response(send: Send, status: int, message: str, code: str) -> None:
    import json

    body = json.dumps(error_body(status, message, code)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


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


DOCS_ASSETS = "/docs/assets"


def _offline_docs(app: FastAPI) -> None:
    """``/docs``: Swagger UI from the assets the ``swagger-ui-py`` package ships (the
    FastAPI default loads them from a CDN, which leaves the page blank offline)."""
    from importlib.resources import files

    from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
    from starlette.staticfiles import StaticFiles

    assets = str(files("swagger_ui") / "static")
    app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Any:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — docs",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
            oauth2_redirect_url="/docs/oauth2-redirect",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def docs_redirect() -> Any:
        return get_swagger_ui_oauth2_redirect_html()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    state = AppState.from_settings(settings)
    retention = RetentionTask(settings, state.db)
    no_shows = NoShowTask(state)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await state.start()
        retention.start()
        no_shows.start()
        try:
            async with reconcile.running(state):
                yield
        finally:
            await no_shows.stop()
            await retention.stop()
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
        docs_url=None,  # served below from the swagger-ui-py package: no CDN, works offline
        redoc_url=None,
    )
    app.state.vh = state
    app.state.retention = retention
    app.state.no_shows = no_shows
    _offline_docs(app)
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
        audit,
        privacy,
        accommodations,
        outgoing_webhooks,
        recordings,
        live_view,
    ):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.vh_max_body_bytes)
    app.add_middleware(
        SecurityHeadersMiddleware,
        livekit_url=settings.livekit_url,
        media_origin=bucket_origin(settings),
    )
    return app
