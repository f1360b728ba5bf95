"""What one API process holds: settings, database, session cache, LiveKit gateway, keys."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from voicehire.api.ratelimit import RateLimiter
from voicehire.api.webhooks_out import WebhookDispatcher
from voicehire.livekit_gateway import LiveKitGateway
from voicehire.settings import Settings
from voicehire.storage.cache import SessionCache, create_cache
from voicehire.storage.db import Database

logger = logging.getLogger(__name__)


@dataclass
class AppState:
    settings: Settings
    db: Database
    cache: SessionCache
    gateway: LiveKitGateway | None
    jwt_secret: str
    webhooks: WebhookDispatcher
    jwt_secret_generated: bool = False
    started: bool = False
    # Transports running sessions in this process (the web app's local WebSocket) register
    # here how to end a room's session when its interview is cancelled.
    live_session_enders: list[Callable[[str, str], Awaitable[None]]] = field(default_factory=list)
    # ... how a recruiter watches a room's running session (its frames, as JSON objects;
    # None when this process runs no session for the room) ...
    live_session_watchers: list[Callable[[str], AsyncIterator[dict[str, Any]] | None]] = field(
        default_factory=list
    )
    # ... and ends it as "End interview" does (False when no session runs for the room).
    live_session_stoppers: list[Callable[[str], Awaitable[bool]]] = field(default_factory=list)
    env_client_hash: str | None = None  # VH_M2M_CLIENT_SECRET hashed (see oauth.token)
    token_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(0, 1.0))
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    def from_settings(cls, settings: Settings) -> AppState:
        secret = settings.vh_jwt_secret.get_secret_value() if settings.vh_jwt_secret else None
        generated = False
        if not secret:
            # Per-process key: tokens die with the process; agents simply fetch a new one.
            secret = secrets.token_urlsafe(32)
            generated = True
        db = Database(settings.database_url)
        return cls(
            settings=settings,
            db=db,
            cache=create_cache(settings.redis_url),
            gateway=LiveKitGateway.from_settings(settings),
            jwt_secret=secret,
            webhooks=WebhookDispatcher(db, settings),
            jwt_secret_generated=generated,
            token_limiter=RateLimiter(settings.vh_token_rate_limit, settings.vh_token_rate_window),
        )

    async def start(self) -> None:
        """Apply migrations once; safe to call from every request."""
        if self.started:
            return
        async with self._lock:
            if self.started:
                return
            await self.db.migrate()
            await self._reconcile()
            self.webhooks.start()
            if self.jwt_secret_generated:
                logger.warning(
                    "VH_JWT_SECRET is not set: M2M tokens are signed with a per-process key "
                    "and stop working when the API restarts; set VH_JWT_SECRET when running "
                    "more than one API process"
                )
            self.started = True

    async def _reconcile(self) -> None:
        """End interviews whose end arrived only partly; log stuck ones. A database
        fault here never stops the API from starting."""
        from voicehire.storage import repositories as repo

        try:
            async with self.db.sessionmaker() as session:
                await repo.reconcile_interviews(session)
        except Exception as exc:
            logger.warning("interviews not reconciled at start", extra={"error": str(exc)})

    async def stop(self) -> None:
        await self.webhooks.stop()
        if self.gateway is not None:
            await self.gateway.aclose()
        await self.cache.aclose()
        await self.db.dispose()
        self.started = False
