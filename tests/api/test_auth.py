"""Admin credential, M2M client-credentials tokens, and where candidate tokens may go."""

from __future__ import annotations

import base64
import time

import httpx
import jwt

from tests.api.support import (
    ADMIN,
    M2M_ID,
    M2M_SECRET,
    api_client,
    livekit_settings,
    m2m_headers,
    make_settings,
)


async def test_management_needs_admin_credential(client):
    res = await client.get("/api/candidates")
    assert res.status_code == 401
    assert "admin credential" in res.json()["message"]
    res = await client.get("/api/candidates", headers={"Authorization": "Bearer wrong"})
    assert res.status_code == 401 and res.json()["message"] == "the admin credential is wrong"
    res = await client.get("/api/candidates", headers={"Authorization": "Token abc"})
    assert res.status_code == 401 and "Bearer" in res.json()["message"]


async def test_token_endpoint_issues_signed_expiring_scoped_jwt(client):
    before = int(time.time())
    res = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": M2M_ID, "client_secret": M2M_SECRET},
    )
    assert res.status_code == 200
    body = res.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    claims = jwt.decode(
        body["access_token"],
        "jwt-secret-for-tests-0123456789abcdef",
        algorithms=["HS256"],
        audience="voicehire-api",
    )
    assert claims["sub"] == M2M_ID and claims["scope"] == "agent"
    assert before + 3590 <= claims["exp"] <= int(time.time()) + 3600


async def test_token_endpoint_accepts_json_and_basic_auth(client):
    res = await client.post(
        "/oauth/token",
        json={"grant_type": "client_credentials", "client_id": M2M_ID, "client_secret": M2M_SECRET},
    )
    assert res.status_code == 200
    basic = base64.b64encode(f"{M2M_ID}:{M2M_SECRET}".encode()).decode()
    res = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert res.status_code == 200


async def test_wrong_secret_or_grant_is_refused(client):
    res = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": M2M_ID, "client_secret": "nope"},
    )
    assert res.status_code == 401
    assert res.json()["error"] == "invalid_client"
    res = await client.post("/oauth/token", data={"grant_type": "password"})
    assert res.status_code == 400 and res.json()["error"] == "unsupported_grant_type"


async def test_stored_m2m_client_works_and_its_secret_is_only_hashed(client):
    res = await client.post("/api/m2m-clients", json={"client_id": "lambda-client"}, headers=ADMIN)
    assert res.status_code == 201
    secret = res.json()["client_secret"]
    ok = await client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "lambda-client",
            "client_secret": secret,
        },
    )
    assert ok.status_code == 200
    bad = await client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "lambda-client",
            "client_secret": secret + "x",
        },
    )
    assert bad.status_code == 401
    from sqlalchemy import text

    async with client.app.state.vh.db.session() as s:
        stored = (await s.execute(text("SELECT secret_hash FROM m2m_clients"))).scalar_one()
    assert secret not in stored and stored.startswith("scrypt$")


async def test_agent_endpoints_need_m2m_token_and_admin_cannot_use_them(client):
    cand = (await client.post("/api/candidates", json={"name": "A"}, headers=ADMIN)).json()
    url = f"/api/agent/candidates/{cand['id']}"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=ADMIN)).status_code == 401
    assert (await client.get(url, headers=await m2m_headers(client))).status_code == 200


async def test_m2m_token_cannot_call_management_endpoints(client):
    res = await client.get("/api/candidates", headers=await m2m_headers(client))
    assert res.status_code == 403


async def test_expired_or_foreign_m2m_token_is_401(client):
    now = int(time.time())
    claims = {
        "iss": "voicehire",
        "aud": "voicehire-api",
        "sub": M2M_ID,
        "scope": "agent",
        "typ": "m2m",
        "iat": now - 7200,
        "exp": now - 3600,
    }
    expired = jwt.encode(claims, "jwt-secret-for-tests-0123456789abcdef", algorithm="HS256")
    res = await client.get(
        "/api/agent/candidates/x", headers={"Authorization": f"Bearer {expired}"}
    )
    assert res.status_code == 401 and res.json()["error"] == "token_expired"
    claims["exp"] = now + 3600
    forged = jwt.encode(claims, "some-other-secret-0123456789abcdef", algorithm="HS256")
    res = await client.get("/api/agent/candidates/x", headers={"Authorization": f"Bearer {forged}"})
    assert res.status_code == 401


async def test_candidate_livekit_token_never_reaches_management(tmp_path, fake_livekit):
    async with api_client(make_settings(tmp_path, **livekit_settings(fake_livekit))) as client:
        cand = (await client.post("/api/candidates", json={"name": "A"}, headers=ADMIN)).json()
        created = (
            await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
        ).json()
        cand_auth = {"Authorization": f"Bearer {created['join']['token']}"}
        room = created["interview"]["room_name"]
        for method, url in [
            ("GET", "/api/candidates"),
            ("GET", f"/api/interviews/{created['interview']['id']}"),
            ("GET", "/agents"),
            ("GET", f"/api/agent/candidates/{cand['id']}"),
        ]:
            res = await client.request(method, url, headers=cand_auth)
            assert res.status_code == 401, url
        # ...but it may poll the status of its own room, and only its own.
        assert (
            await client.get(f"/api/agent-status?room={room}", headers=cand_auth)
        ).status_code == 200
        other = await client.get("/api/agent-status?room=interview-other", headers=cand_auth)
        assert other.status_code == 403


async def test_without_admin_token_only_loopback_is_admin(tmp_path):
    settings = make_settings(tmp_path, vh_admin_token=None)
    async with api_client(settings) as local:
        assert (await local.get("/api/candidates")).status_code == 200
        # A credential that is not the admin one is refused even from loopback.
        res = await local.get("/api/candidates", headers={"Authorization": "Bearer guess"})
        assert res.status_code == 401
    async with api_client(settings, client_addr=("203.0.113.7", 40000)) as remote:
        res = await remote.get("/api/candidates")
        assert res.status_code == 401 and "admin credential" in res.json()["message"]


async def test_tokenless_admin_is_never_reached_through_a_proxy(tmp_path):
    """Without VH_ADMIN_TOKEN, a request relayed by a proxy on this machine (or claiming to
    be) is not local: proxy headers, or a Host that is not a loopback name, need the token."""
    settings = make_settings(tmp_path, vh_admin_token=None)
    async with api_client(settings) as local:
        for headers in (
            {"X-Forwarded-For": "203.0.113.7"},
            {"X-Forwarded-For": "localhost"},
            {"X-Real-IP": "127.0.0.1"},
            {"Forwarded": "for=203.0.113.7"},
            {"Via": "1.1 proxy"},
            {"Host": "hiring.example.com"},
        ):
            res = await local.get("/api/candidates", headers=headers)
            assert res.status_code == 401, headers
            res = await local.post("/api/m2m-clients", json={"name": "x"}, headers=headers)
            assert res.status_code == 401, headers
        assert (await local.get("/api/candidates")).status_code == 200


async def test_cross_site_state_changes_are_refused(tmp_path):
    settings = make_settings(tmp_path, vh_admin_token=None)
    async with api_client(settings) as local:
        cand = (await local.post("/api/candidates", json={"name": "Ada"})).json()
        for headers in (
            {"Origin": "https://evil.example", "Content-Type": "text/plain"},
            {"Sec-Fetch-Site": "cross-site"},
            {"Origin": "null"},
        ):
            res = await local.post(
                "/api/candidates", content=b'{"name": "Mallory"}', headers=headers
            )
            assert res.status_code == 403 and res.json()["error"] == "cross_site", headers
        interview = (await local.post("/api/interviews", json={"candidate_id": cand["id"]})).json()[
            "interview"
        ]
        url = f"/api/interviews/{interview['id']}/cancel"
        res = await local.post(url, headers={"Origin": "https://evil.example"})
        assert res.status_code == 403
        assert (await local.get(f"/api/interviews/{interview['id']}")).json()["status"] != (
            "cancelled"
        )
        # the dashboard's own requests (same origin) still work
        res = await local.post(
            url, headers={"Origin": "http://localhost:8000", "Sec-Fetch-Site": "same-origin"}
        )
        assert res.status_code == 200, res.text
        listed = (await local.get("/api/candidates")).json()
        assert [c["name"] for c in listed["items"]] == ["Ada"]


async def test_every_response_carries_security_headers(tmp_path):
    async with api_client(make_settings(tmp_path)) as client:
        res = await client.get("/health")
        csp = res.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert res.headers["x-frame-options"] == "DENY"
        assert res.headers["referrer-policy"] == "no-referrer"
        assert res.headers["x-content-type-options"] == "nosniff"


async def test_malformed_json_is_a_client_error_and_logs_no_secrets(tmp_path, caplog):
    settings = make_settings(tmp_path)
    async with api_client(settings) as client:
        res = await client.post(
            "/oauth/token", content=b"[" * 100_000, headers={"Content-Type": "application/json"}
        )
        assert res.status_code == 400 and res.json()["error"] == "too_deep"
        res = await client.post(
            "/api/candidates",
            content=b'{"name": "Ada", "extracted_data": {"x": Infinity}}',
            headers={**ADMIN, "Content-Type": "application/json"},
        )
        assert res.status_code == 422
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert settings.vh_admin_token is not None
    assert settings.vh_admin_token.get_secret_value() not in logged


async def test_the_candidates_token_reads_its_session_status_without_recruiter_data(lk_client):
    cand = (
        await lk_client.post(
            "/api/candidates",
            json={"name": "Ada", "missing_required": ["salary_expectation"]},
            headers=ADMIN,
        )
    ).json()
    agent = await m2m_headers(lk_client)
    await lk_client.patch(
        f"/api/agent/candidates/{cand['id']}/fields",
        json={"fields": {"salary_expectation": "95000 EUR"}},
        headers=agent,
    )
    created = (
        await lk_client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    ).json()
    room = created["interview"]["room_name"]
    url = f"/api/voice/session/{room}/status"
    cand_auth = {"Authorization": f"Bearer {created['join']['token']}"}
    for _ in range(2):  # from the database, then from the cache
        res = await lk_client.get(url, headers=cand_auth)
        assert res.status_code == 200
        body = res.json()
        assert body["status"] == "scheduled" and body["room_name"] == room
        assert "95000" not in res.text
        assert not {"extracted_data", "missing_required", "candidate_id"} & body.keys()
    # the recruiter and the agent still see everything
    full = (await lk_client.get(url, headers=ADMIN)).json()
    assert full["extracted_data"] == {"expected_salary": "95000 EUR"}  # the field spec's name
    assert (await lk_client.get(url, headers=agent)).json()["extracted_data"]


async def test_a_reporting_client_cannot_read_room_status(lk_client):
    made = await lk_client.post(
        "/api/m2m-clients",
        json={"client_id": "bi-export", "scopes": "reporting"},
        headers=ADMIN,
    )
    assert made.status_code == 201, made.text
    token = await lk_client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "bi-export",
            "client_secret": made.json()["client_secret"],
        },
    )
    assert token.status_code == 200 and token.json()["scope"] == "reporting"
    reporting = {"Authorization": f"Bearer {token.json()['access_token']}"}
    cand = (await lk_client.post("/api/candidates", json={"name": "A"}, headers=ADMIN)).json()
    created = (
        await lk_client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    ).json()
    room = created["interview"]["room_name"]
    for url in (
        f"/api/voice/session/{room}/status",
        f"/api/agent-status?room={room}",
        f"/agents/{room}/status",
    ):
        res = await lk_client.get(url, headers=reporting)
        assert res.status_code == 403, url
        assert "'agent' scope" in res.json()["message"]


async def test_token_endpoint_takes_as_long_for_unknown_client_ids(client):
    """A wrong secret costs the same slow hash check whether the client id exists or not."""
    made = await client.post("/api/m2m-clients", json={"client_id": "known-client"}, headers=ADMIN)
    assert made.status_code == 201

    async def fastest_seconds(client_id: str) -> float:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            res = await client.post(
                "/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": client_id,
                    "client_secret": "wrong-secret",
                },
            )
            times.append(time.perf_counter() - started)
            assert res.status_code == 401
            assert res.json()["message"] == "unknown client or wrong secret"
        return min(times)  # the cost itself; load on the machine only adds to it

    await fastest_seconds("known-client")  # warm up (the dummy hash is made once)
    await fastest_seconds("never-registered")
    known = await fastest_seconds("known-client")
    unknown = await fastest_seconds("never-registered")
    configured = await fastest_seconds(M2M_ID)
    # Before: unknown ids answered in ~1 ms against ~40 ms for a known one.
    assert unknown > 0.5 * known, (unknown, known)
    assert configured > 0.5 * known, (configured, known)


async def test_token_endpoint_is_rate_limited_per_client_address(tmp_path):
    settings = make_settings(tmp_path, vh_token_rate_limit=3, vh_token_rate_window=30)
    form = {"grant_type": "client_credentials", "client_id": M2M_ID, "client_secret": M2M_SECRET}
    async with api_client(settings) as client:
        for _ in range(3):
            assert (await client.post("/oauth/token", data=form)).status_code == 200
        limited = await client.post("/oauth/token", data=form)
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 30
        assert "too many token requests" in limited.json()["message"]
        # the limit is per address: another client still gets its token
        other = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=client.app, client=("10.1.2.3", 4000)),
            base_url="http://localhost:8000",
        )
        async with other:
            assert (await other.post("/oauth/token", data=form)).status_code == 200
