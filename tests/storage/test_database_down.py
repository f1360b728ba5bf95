"""PostgreSQL going away while the API runs: requests get a quick 503 naming the
database (as SQLite's lock does), never a 500 after a long wait, and the API recovers
when the database is back. The database is reached through a TCP relay on loopback that
the test stops (connections reset, port refused) or turns into a black hole (connections
accepted, never answered)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from tests.api.support import ADMIN, api_client, make_settings

from voicehire.storage.db import Database

PG_URL = os.environ.get("TEST_DATABASE_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
]


class Relay:
    """Forwards a loopback port to the real server; ``stop``/``black_hole``/``start``."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.mode = "forward"
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self.mode = "forward"
        self.server = await asyncio.start_server(self._client, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    def _drop_all(self) -> None:
        for w in list(self.writers):
            w.transport.abort()
        self.writers.clear()

    async def stop(self) -> None:
        """The server is down: open connections reset, new ones refused."""
        assert self.server is not None
        self.server.close()
        self._drop_all()
        await self.server.wait_closed()
        self.server = None

    def black_hole(self) -> None:
        """The server is unreachable: open connections dropped, new ones never answered."""
        self.mode = "black_hole"
        self._drop_all()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.writers.add(writer)
        if self.mode == "black_hole":
            await reader.read()  # hold the connection, say nothing
            return
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers.add(up_writer)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


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
