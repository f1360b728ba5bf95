"""PostgreSQL going away while the API runs: requests get a quick 503 naming the
database (as SQLite's lock does), never a 500 after a long wait, and the API recovers
when the database is back. The database is reached through a TCP relay on loopback that
the test stops (connections reset, port refused) or turns into a black hole (connections
accepted, never answered)."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from tests.api.support import ADMIN, api_client, make_settings
from tests.storage.relay import Relay

from voicehire.storage.db import Database

PG_URL = os.environ.get("TEST_DATABASE_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
]


@pytest.fixture
async def relay_url():
    db = Database(PG_URL)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()
    url = make_url(db.url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    await relay.start()
    yield relay, url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    if relay.server is not None:
        await relay.stop()


async def timed(request) -> tuple[int, float, dict]:
    start = time.monotonic()
    res = await request
    return res.status_code, time.monotonic() - start, res.json()


async def test_a_stopped_database_gives_a_quick_503_and_the_api_recovers(tmp_path, relay_url):
    relay, url = relay_url
    async with api_client(make_settings(tmp_path, database_url=url)) as client:
        res = await client.post("/api/candidates", json={"name": "Ines"}, headers=ADMIN)
        assert res.status_code == 201
        await relay.stop()
        for request in (
            client.get("/api/candidates", headers=ADMIN),
            client.post("/api/candidates", json={"name": "Ana"}, headers=ADMIN),
            client.get("/health"),
        ):
            status, took, body = await timed(request)
            assert status == 503, body
            assert took < 2.5
        status, _took, body = await timed(client.get("/api/candidates", headers=ADMIN))
        assert body["error"] == "unavailable" and "database" in body["message"]
        await relay.start()
        res = await client.get("/api/candidates", headers=ADMIN)
        assert res.status_code == 200 and res.json()["total"] == 1


async def test_an_unreachable_database_gives_a_503_within_the_connect_timeout(tmp_path, relay_url):
    relay, url = relay_url
    async with api_client(make_settings(tmp_path, database_url=url)) as client:
        assert (await client.get("/api/candidates", headers=ADMIN)).status_code == 200
        relay.black_hole()
        status, took, body = await timed(client.get("/api/candidates", headers=ADMIN))
        assert status == 503, body
        assert took < 3.5
