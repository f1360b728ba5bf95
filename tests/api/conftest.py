from __future__ import annotations

import pytest

from tests.api.support import api_client, livekit_settings, make_settings
from tests.fakes.livekit_server import FakeLiveKitServer


@pytest.fixture
async def fake_livekit():
    server = await FakeLiveKitServer().start()
    yield server
    await server.stop()


@pytest.fixture
async def client(tmp_path):
    """The API on SQLite with no LiveKit configured (the embedded default)."""
    async with api_client(make_settings(tmp_path)) as c:
        yield c


@pytest.fixture
async def lk_client(tmp_path, fake_livekit):
    """The API on SQLite talking to the fake LiveKit server."""
    async with api_client(make_settings(tmp_path, **livekit_settings(fake_livekit))) as c:
        yield c
