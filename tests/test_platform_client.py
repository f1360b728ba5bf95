"""The agent's platform client against the real API app (and, for server failures, a
scripted transport): token caching, renewal, 401 recovery, single flight, errors."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.api.support import ADMIN, M2M_ID, M2M_SECRET, make_settings
from voicehire.domain.transcript import SessionInfo, StageTranscript, full_document
from voicehire.platform_client import (
    PlatformAuthError,
    PlatformClient,
    PlatformError,
    PlatformNotFoundError,
    PlatformUnavailableError,
)
from voicehire.server import create_app


class Counting(httpx.AsyncBaseTransport):
    """Passes requests to the ASGI app and counts token requests."""

    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.token_requests = 0
        self.requests = 0

    async def handle_async_request(self, request):
        self.requests += 1
        if request.url.path == "/oauth/token":
            self.token_requests += 1
        return await self.inner.handle_async_request(request)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def platform(tmp_path):
    app = create_app(make_settings(tmp_path))
    async with app.router.lifespan_context(app):
        transport = Counting(app)
        admin = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://a")
        cand = (
            await admin.post(
                "/api/candidates",
                json={"name": "Noor", "missing_required": ["salary", "notice"]},
                headers=ADMIN,
            )
        ).json()
        iv = (
            await admin.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
        ).json()["interview"]
        clock = Clock()
        client = PlatformClient(
            "http://api.test", M2M_ID, M2M_SECRET, transport=transport, clock=clock
        )
        yield {
            "app": app,
            "client": client,
            "transport": transport,
            "clock": clock,
            "candidate": cand,
            "interview": iv,
            "admin": admin,
        }
        await client.aclose()
        await admin.aclose()


async def test_every_method_works_end_to_end(platform):
    client, iv, cand = platform["client"], platform["interview"], platform["candidate"]
    cfg = await client.get_interview_config(iv["id"])
    assert cfg["room_name"] == iv["room_name"] and cfg["metadata"]["interviewId"] == iv["id"]
    assert (await client.report_status(iv["id"], "in_progress"))["status"] == "in_progress"

    info = SessionInfo(interview_id=iv["id"], participant_name="Noor")
    stage = StageTranscript(stage="greeting", title="Greeting", started_at=1, ended_at=2)
    doc = full_document(info, [stage])
    name = f"interview_{iv['id']}_full_1.json"
    assert (await client.upload_transcript(iv["id"], doc, "full", name))["kind"] == "full"
    evaluation = {
        "interview_id": iv["id"],
        "scorer": {"kind": "offline", "name": "test"},
        "summary": {"recommendation": "maybe"},
    }
    await client.upload_result(iv["id"], evaluation)
    done = await client.report_status(iv["id"], "completed", end_reason="completed")
    assert done["end_reason"] == "completed"

    assert (await client.get_candidate(cand["id"]))["name"] == "Noor"
    updated = await client.update_candidate_fields(cand["id"], {"salary": "100k"})
    assert updated["missing_required"] == ["notice_period"]  # names are field specs' names
    assert updated["extracted_data"] == {"expected_salary": "100k"}

    admin = platform["admin"]
    stored = (await admin.get(f"/api/interviews/{iv['id']}/result", headers=ADMIN)).json()
    assert stored["result"]["summary"]["recommendation"] == "maybe"
    assert platform["transport"].token_requests == 1  # one token for all of that


async def test_token_is_renewed_five_minutes_before_expiry(platform):
    client, clock, transport = platform["client"], platform["clock"], platform["transport"]
    cid = platform["candidate"]["id"]
    await client.get_candidate(cid)
    assert transport.token_requests == 1
    clock.now += 3600 - 301  # still more than 5 minutes left
    await client.get_candidate(cid)
    assert transport.token_requests == 1
    clock.now += 2  # now inside the 5-minute window
    await client.get_candidate(cid)
    assert transport.token_requests == 2


async def test_401_invalidates_token_refreshes_and_retries_once(platform):
    client, transport = platform["client"], platform["transport"]
    cid = platform["candidate"]["id"]
    await client.get_candidate(cid)
    # The API restarts with a new signing key: the cached token is now refused.
    platform["app"].state.vh.jwt_secret = "rotated-secret-0123456789abcdef0123"
    before = transport.requests
    assert (await client.get_candidate(cid))["id"] == cid
    assert transport.token_requests == 2
    assert transport.requests - before == 3  # refused call, token request, retried call


async def test_concurrent_callers_share_one_token_request(platform):
    client, transport = platform["client"], platform["transport"]
    cid = platform["candidate"]["id"]
    results = await asyncio.gather(*(client.get_candidate(cid) for _ in range(20)))
    assert {r["id"] for r in results} == {cid}
    assert transport.token_requests == 1
    # ...and after a rotation, concurrent 401s still lead to a single refresh.
    platform["app"].state.vh.jwt_secret = "rotated-secret-0123456789abcdef0123"
    await asyncio.gather(*(client.get_candidate(cid) for _ in range(20)))
    assert transport.token_requests == 2


async def test_wrong_secret_raises_auth_error_naming_the_settings(platform):
    bad = PlatformClient("http://api.test", M2M_ID, "wrong", transport=platform["transport"])
    with pytest.raises(PlatformAuthError, match="VH_M2M_CLIENT_SECRET") as info:
        await bad.get_candidate(platform["candidate"]["id"])
    assert info.value.status == 401
    await bad.aclose()


async def test_403_is_a_clear_auth_error(platform):
    admin = platform["admin"]
    res = await admin.post(
        "/api/m2m-clients", json={"client_id": "reporting", "scopes": "reports"}, headers=ADMIN
    )
    limited = PlatformClient(
        "http://api.test", "reporting", res.json()["client_secret"], transport=platform["transport"]
    )
    with pytest.raises(PlatformAuthError, match="not allowed") as info:
        await limited.get_candidate(platform["candidate"]["id"])
    assert info.value.status == 403
    await limited.aclose()


async def test_missing_and_conflicting_resources_raise_with_message(platform):
    client = platform["client"]
    with pytest.raises(PlatformNotFoundError, match="interview 'nope' not found"):
        await client.get_interview_config("nope")
    iv = platform["interview"]
    await client.report_status(iv["id"], "cancelled", "test")
    with pytest.raises(PlatformError, match="cannot be started") as info:
        await client.get_interview_config(iv["id"])
    assert info.value.status == 409


async def test_5xx_is_retried_a_bounded_number_of_times():
    calls = {"token": 0, "api": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            calls["token"] += 1
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        calls["api"] += 1
        return httpx.Response(503, json={"error": "unavailable", "message": "database busy"})

    slept = []

    async def no_sleep(seconds: float) -> None:
        slept.append(seconds)

    client = PlatformClient(
        "http://x",
        "id",
        "secret",
        transport=httpx.MockTransport(handler),
        sleep=no_sleep,
        max_attempts=3,
    )
    with pytest.raises(PlatformUnavailableError, match=r"after 3 attempts.*database busy"):
        await client.get_candidate("c1")
    assert calls["api"] == 3 and len(slept) == 2
    await client.aclose()


async def test_transient_5xx_then_success():
    responses = iter([503, 502, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        status = next(responses)
        return httpx.Response(status, json={"id": "c1"} if status == 200 else {"message": "x"})

    async def no_sleep(_s: float) -> None:
        return None

    client = PlatformClient(
        "http://x", "id", "secret", transport=httpx.MockTransport(handler), sleep=no_sleep
    )
    assert (await client.get_candidate("c1")) == {"id": "c1"}
    await client.aclose()


async def test_from_settings_is_none_without_base_url(tmp_path):
    assert PlatformClient.from_settings(make_settings(tmp_path, vh_api_base_url=None)) is None
    client = PlatformClient.from_settings(make_settings(tmp_path, vh_api_base_url="http://h:1/"))
    assert isinstance(client, PlatformClient) and client.base_url == "http://h:1"
    await client.aclose()
