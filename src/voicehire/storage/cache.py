"""Session cache: short-lived session data keyed by room (seed 003's ``session:{room}``).

Redis when ``REDIS_URL`` is set, an in-process dictionary otherwise; both behind the
same small interface. The cache is an accelerator: the database stays the system of
record, and a cache failure is logged and treated as a miss, never raised to a caller.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from typing import Any, Protocol

logger = logging.getLogger(__name__)

DEFAULT_TTL = 3600


def session_key(room_name: str) -> str:
    return f"session:{room_name}"


class SessionCache(Protocol):
    backend: str

    async def get(self, key: str) -> dict[str, Any] | None: ...

    async def set(self, key: str, value: dict[str, Any], ttl: int = DEFAULT_TTL) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def add(self, key: str, value: dict[str, Any], ttl: int = DEFAULT_TTL) -> bool:
        """Set ``key`` only if absent; True if this call set it (a first delivery)."""
        ...

    async def ping(self) -> bool: ...

    async def aclose(self) -> None: ...


class MemoryCache:
    """In-process cache with per-key expiry (one API process; the embedded default)."""

    backend = "memory"

    def __init__(self, max_entries: int = 10_000) -> None:
        self._data: dict[str, tuple[float, str]] = {}
        self._max = max_entries

    async def get(self, key: str) -> dict[str, Any] | None:
        item = self._data.get(key)
        if item is None:
            return None
        expires, raw = item
        if expires < time.monotonic():
            self._data.pop(key, None)
            return None
        doc: dict[str, Any] = json.loads(raw)
        return doc

    async def set(self, key: str, value: dict[str, Any], ttl: int = DEFAULT_TTL) -> None:
        if len(self._data) >= self._max:
            now = time.monotonic()
            for k in [k for k, (exp, _) in self._data.items() if exp < now]:
                del self._data[k]
            while len(self._data) >= self._max:
                self._data.pop(next(iter(self._data)))
        self._data[key] = (time.monotonic() + ttl, json.dumps(value, default=str))

    async def delete(self, key: str) -> None:
        self._data.pop(key, None)

    async def add(self, key: str, value: dict[str, Any], ttl: int = DEFAULT_TTL) -> bool:
        if await self.get(key) is not None:
            return False
        await self.set(key, value, ttl)
        return True

    async def ping(self) -> bool:
        return True

    async def aclose(self) -> None:
        self._data.clear()


class RedisCache:
    """Redis-backed cache shared by every API process (``REDIS_URL``)."""

    backend = "redis"

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis

        self._client = redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=2, decode_responses=True
        )

    async def get(self, key: str) -> dict[str, Any] | None:
        try:
            raw = await self._client.get(key)
        except Exception as exc:
            logger.warning("redis get failed", extra={"key": key, "error": str(exc)})
            return None
        if raw is None:
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    async def set(self, key: str, value: dict[str, Any], ttl: int = DEFAULT_TTL) -> None:
        try:
            await self._client.set(key, json.dumps(value, default=str), ex=max(1, int(ttl)))
        except Exception as exc:
            logger.warning("redis set failed", extra={"key": key, "error": str(exc)})

    async def delete(self, key: str) -> None:
        try:
            await self._client.delete(key)
        except Exception as exc:
            logger.warning("redis delete failed", extra={"key": key, "error": str(exc)})

    async def add(self, key: str, value: dict[str, Any], ttl: int = DEFAULT_TTL) -> bool:
        try:
            done = await self._client.set(
                key, json.dumps(value, default=str), ex=max(1, int(ttl)), nx=True
            )
        except Exception as exc:
            # Redis down: treat as a first delivery (a replay applied twice is safer
            # than a first delivery dropped).
            logger.warning("redis add failed", extra={"key": key, "error": str(exc)})
            return True
        return bool(done)

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except Exception as exc:
            logger.warning("redis ping failed", extra={"error": str(exc)})
            return False

    async def aclose(self) -> None:
        with contextlib.suppress(Exception):  # a broken connection need not close cleanly
            await self._client.aclose()


def create_cache(redis_url: str | None) -> SessionCache:
    """Redis when a URL is configured, the in-process cache otherwise."""
    if redis_url:
        return RedisCache(redis_url)
    return MemoryCache()
