"""The session cache: in-process by default, Redis when ``REDIS_URL`` is set; same interface,
same behaviour. Redis cases run when ``REDIS_URL`` is set (``.ci/run`` sets it)."""

from __future__ import annotations

import os
import secrets

import pytest

from tests.api.support import ADMIN, api_client, make_settings
from voicehire.storage.cache import MemoryCache, RedisCache, create_cache, session_key

REDIS_URL = os.environ.get("REDIS_URL")


@pytest.fixture(
    params=[
        "memory",
        pytest.param("redis", marks=pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set")),
    ]
)
async def cache(request):
    c = MemoryCache() if request.param == "memory" else RedisCache(REDIS_URL)
    yield c
    await c.aclose()


async def test_set_get_delete(cache):
    key = session_key("room-" + secrets.token_hex(4))
    assert await cache.get(key) is None
    await cache.set(key, {"status": "scheduled", "n": [1, 2]}, ttl=60)
    assert await cache.get(key) == {"status": "scheduled", "n": [1, 2]}
    await cache.delete(key)
    assert await cache.get(key) is None
    assert await cache.ping() is True


async def test_add_sets_only_the_first_time(cache):
    key = "webhook:EV_" + secrets.token_hex(4)
    assert await cache.add(key, {"event": "room_finished"}, ttl=60) is True
    assert await cache.add(key, {"event": "room_finished"}, ttl=60) is False
    await cache.delete(key)
    assert await cache.add(key, {"event": "room_finished"}, ttl=60) is True


def test_factory_picks_backend():
    assert create_cache(None).backend == "memory"
    assert create_cache("redis://127.0.0.1:1/0").backend == "redis"


async def test_unreachable_redis_is_a_miss_not_an_error():
    c = RedisCache("redis://127.0.0.1:1/0")
    await c.set("k", {"a": 1})
    assert await c.get("k") is None
    assert await c.ping() is False
    await c.aclose()


async def test_memory_cache_expires_entries():
    c = MemoryCache()
    await c.set("k", {"a": 1}, ttl=-1)
    assert await c.get("k") is None


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set")
async def test_api_uses_redis_for_session_status_and_health(tmp_path):
    async with api_client(make_settings(tmp_path, redis_url=REDIS_URL)) as client:
        health = (await client.get("/health")).json()
        assert health["services"]["redis"] == "healthy"
        assert health["services"]["cache"] == "redis"
        cand = (await client.post("/api/candidates", json={"name": "R"}, headers=ADMIN)).json()
        iv = (
            await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
        ).json()["interview"]
        probe = RedisCache(REDIS_URL)
        cached = await probe.get(session_key(iv["room_name"]))
        await probe.aclose()
        assert cached["interview_id"] == iv["id"] and cached["status"] == "scheduled"
        status = (
            await client.get(f"/api/voice/session/{iv['room_name']}/status", headers=ADMIN)
        ).json()
        assert status["source"] == "cache" and status["interview_id"] == iv["id"]


async def test_health_reports_unreachable_redis(tmp_path):
    async with api_client(make_settings(tmp_path, redis_url="redis://127.0.0.1:1/0")) as client:
        health = (await client.get("/health")).json()
        assert health["services"]["redis"] == "unhealthy" and health["status"] == "degraded"
