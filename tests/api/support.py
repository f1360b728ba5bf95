"""Helpers for API tests: settings on a temporary SQLite file and an httpx client
talking to the ASGI app (lifespan included, so migrations run as on `voicehire serve`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from voicehire.server import create_app
from voicehire.settings import Settings, load_settings

ADMIN_TOKEN = "test-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
M2M_ID = "agent-client"
M2M_SECRET = "agent-secret-0123456789"


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'voicehire.db'}",
        "vh_admin_token": ADMIN_TOKEN,
        "vh_jwt_secret": "jwt-secret-for-tests-0123456789abcdef",
        "vh_m2m_client_id": M2M_ID,
        "vh_m2m_client_secret": M2M_SECRET,
        "livekit_url": None,
        "livekit_api_key": None,
        "livekit_api_secret": None,
        "redis_url": None,
        "vh_public_url": "http://voicehire.test",
    }
    values.update(overrides)
    return load_settings(**values)


def livekit_settings(fake: Any) -> dict[str, Any]:
    return {
        "livekit_url": fake.url,
        "livekit_api_key": fake.api_key,
        "livekit_api_secret": fake.api_secret,
    }


@asynccontextmanager
async def api_client(
    settings: Settings, client_addr: tuple[str, int] = ("127.0.0.1", 50000)
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=client_addr)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as client,
    ):
        client.app = app  # type: ignore[attr-defined]
        yield client


async def m2m_headers(client: httpx.AsyncClient) -> dict[str, str]:
    res = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": M2M_ID, "client_secret": M2M_SECRET},
    )
    assert res.status_code == 200, res.text
    return {"Authorization": f"Bearer {res.json()['access_token']}"}
