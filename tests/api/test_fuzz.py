"""Schema-driven fuzzing: schemathesis generates requests from the OpenAPI document for
every operation and the API must never answer with a 5xx. Bounded: a few examples per
operation, on a real uvicorn server (loopback) so the app runs in one event loop."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import threading
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.api.support import ADMIN, M2M_ID, M2M_SECRET, livekit_settings, make_settings
from tests.fakes.livekit_server import FakeLiveKitServer
from voicehire.server import create_app

MAX_EXAMPLES = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Servers(threading.Thread):
    """The API (uvicorn) and the fake LiveKit server in one background event loop."""

    def __init__(self, tmp_path) -> None:
        super().__init__(daemon=True)
        self.tmp_path = tmp_path
        self.port = _free_port()
        self.ready = threading.Event()
        self.server = None

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        import uvicorn

        fake = await FakeLiveKitServer().start()
        app = create_app(make_settings(self.tmp_path, **livekit_settings(fake)))
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        task = asyncio.create_task(self.server.serve())
        while not self.server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag
            await asyncio.sleep(0.05)
        self.ready.set()
        await task
        await fake.stop()


@pytest.fixture(scope="module")
def api_url(tmp_path_factory):
    servers = _Servers(tmp_path_factory.mktemp("fuzz"))
    servers.start()
    assert servers.ready.wait(30), "API server did not start"
    url = f"http://127.0.0.1:{servers.port}"
    # Some data so that generated ids sometimes hit real rows.
    with httpx.Client(base_url=url, headers=ADMIN) as c:
        cand = c.post("/api/candidates", json={"name": "Fuzz"}).json()
        c.post("/api/interviews", json={"candidate_id": cand["id"]})
    yield url
    servers.server.should_exit = True
    servers.join(10)


@pytest.fixture(scope="module")
def agent_token(api_url):
    res = httpx.post(
        f"{api_url}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": M2M_ID, "client_secret": M2M_SECRET},
    )
    return res.json()["access_token"]


@pytest.fixture(scope="module")
def api_schema(api_url):
    return schemathesis.openapi.from_url(f"{api_url}/openapi.json")


def _operations() -> list[tuple[str, str]]:
    spec = create_app(make_settings(Path(tempfile.gettempdir()))).openapi()
    return [
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _auth(path: str, agent_token: str) -> dict[str, str]:
    if path.startswith("/api/agent/"):
        return {"Authorization": f"Bearer {agent_token}"}
    if path in ("/oauth/token", "/webhooks/livekit"):
        return {}
    return ADMIN


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), _operations())
def test_no_server_errors(api_schema, agent_token, method, path, mode):
    operation = api_schema[path][method]
    auth = _auth(path, agent_token)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case) -> None:
        response = case.call(headers={**(case.headers or {}), **auth}, timeout=30)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
        )
        if response.status_code >= 400:
            body = response.json()
            assert isinstance(body, dict) and body.get("message"), f"4xx without message: {body}"

    try:
        check()
    except Unsatisfiable:
        pytest.skip(f"{method} {path} has no input that could be made invalid")
