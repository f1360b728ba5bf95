"""Every answer that carries a token (a candidate's LiveKit token, an agent's or M2M
client's access token) is sent with ``Cache-Control: no-store``: no browser, proxy or
CDN cache keeps it (issue 12, item 14)."""

from __future__ import annotations

from tests.api.support import ADMIN, M2M_ID, M2M_SECRET


def no_store(res) -> bool:
    return res.headers.get("cache-control") == "no-store"


async def test_every_token_bearing_response_is_no_store(lk_client):
    cand = (await lk_client.post("/api/candidates", json={"name": "Ada"}, headers=ADMIN)).json()

    created = await lk_client.post(
        "/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN
    )
    assert created.status_code == 201 and created.json()["join"]["token"]
    assert no_store(created), created.headers

    interview = created.json()["interview"]
    reissued = await lk_client.post(f"/api/interviews/{interview['id']}/token", headers=ADMIN)
    assert reissued.status_code == 200 and reissued.json()["token"]
    assert no_store(reissued), reissued.headers

    join = await lk_client.get(f"/api/web/join/{interview['room_name']}")
    assert join.status_code == 200 and join.json().get("token")
    assert no_store(join), join.headers

    other = (
        await lk_client.post(
            "/api/candidates",
            json={"name": "Bo", "missing_required": ["notice_period"]},
            headers=ADMIN,
        )
    ).json()
    voice = await lk_client.post(
        "/api/voice/token",
        json={"mode": "gap_filling", "candidate_id": other["id"]},
        headers=ADMIN,
    )
    assert voice.status_code == 200 and voice.json()["token"]
    assert no_store(voice), voice.headers

    oauth = await lk_client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": M2M_ID, "client_secret": M2M_SECRET},
    )
    assert oauth.status_code == 200 and oauth.json()["access_token"]
    assert no_store(oauth), oauth.headers

    # refusals too (a cache must not keep an error in place of the next answer)
    refused = await lk_client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": M2M_ID, "client_secret": "no"},
    )
    assert refused.status_code in (400, 401) and no_store(refused)


async def test_pages_and_their_assets_keep_their_own_caching(client):
    page = await client.get("/app")
    assert page.headers.get("cache-control") == "no-cache"  # the route's own choice
