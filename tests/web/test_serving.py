"""How the server presents itself: ``/`` opens the app in a browser, ``/docs`` needs no
network, invite links name the address the API was reached at (or VH_PUBLIC_URL), and
``voicehire serve`` announces its address only once it accepts connections."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import pytest

from tests.api.support import ADMIN, api_client, make_settings


async def test_root_opens_the_app_in_a_browser_and_stays_json_for_clients(tmp_path):
    async with api_client(make_settings(tmp_path)) as client:
        page = await client.get("/", headers={"Accept": "text/html,application/xhtml+xml,*/*"})
        assert page.status_code == 307 and page.headers["location"] == "/app"
        assert (await client.get("/")).json()["status"] == "running"
        api = await client.get("/", headers={"Accept": "application/json"})
        assert api.json()["service"] == "VoiceHire API"


async def test_docs_load_every_asset_from_this_server(tmp_path):
    async with api_client(make_settings(tmp_path)) as client:
        page = await client.get("/docs")
        assert page.status_code == 200
        urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
        urls += re.findall(r"""url: *['"]([^'"]+)['"]""", page.text)
        assert urls, page.text
        assert not [u for u in urls if "//" in u], f"assets from another host: {urls}"
        for url in urls:
            res = await client.get(url)
            assert res.status_code == 200, url
            assert len(res.content) > 1000, url
        js = next(u for u in urls if u.endswith("swagger-ui-bundle.js"))
        # Swagger UI 5 renders OpenAPI 3.1 (FastAPI's); 4.x shows an error instead
        assert (await client.get("/openapi.json")).json()["openapi"].startswith("3.1")
        assert '"5.' in (await client.get(js)).text[:2_000_000]


async def test_join_url_uses_the_request_address_or_the_public_url(tmp_path):
    async def join_url(settings, base: str) -> str:
        async with api_client(settings) as client:
            client.base_url = base  # type: ignore[assignment]
            cand = await client.post("/api/candidates", json={"name": "Ada"}, headers=ADMIN)
            made = await client.post(
                "/api/interviews", json={"candidate_id": cand.json()["id"]}, headers=ADMIN
            )
            assert made.status_code == 201, made.text
            url: str = made.json()["join"]["join_url"]
            assert url.endswith("/join/" + made.json()["interview"]["room_name"])
            return url

    unset = make_settings(tmp_path, vh_public_url=None)
    assert (await join_url(unset, "http://localhost:8123")).startswith(
        "http://localhost:8123/join/"
    )
    public = make_settings(tmp_path / "p", vh_public_url="https://hire.example.com/")
    (tmp_path / "p").mkdir()
    assert (await join_url(public, "http://localhost:8123")).startswith(
        "https://hire.example.com/join/"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.timeout(90)
def test_serve_announces_its_address_once_it_accepts_connections(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
        "VH_ADMIN_TOKEN": "serve-test-token",
        "LIVEKIT_URL": "",
        "LIVEKIT_API_KEY": "",
        "LIVEKIT_API_SECRET": "",
        "REDIS_URL": "",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "voicehire.cli", "serve", "--port", str(port)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 60
        announced = ""
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            if f"http://127.0.0.1:{port}" in line:
                announced = line
                break
        assert announced, "serve never announced its address"
        # The very moment it says so, a connection is accepted (not refused).
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    finally:
        proc.terminate()
        proc.wait(timeout=30)
