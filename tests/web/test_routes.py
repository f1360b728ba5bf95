"""The web app's HTTP routes: pages, the candidate's join info (with a LiveKit token when
LiveKit is configured), the human override and the report page."""

from __future__ import annotations

import pytest

from tests.api.support import ADMIN, api_client, livekit_settings, make_settings
from tests.fakes.livekit_server import FakeLiveKitServer
from voicehire.evaluation.models import EvaluationResult, InterviewSummary, ScorerInfo
from voicehire.storage import repositories as repo
from voicehire.web import routes


async def create_interview(client, **body) -> dict:
    cand = (await client.post("/api/candidates", json={"name": "Ada"}, headers=ADMIN)).json()
    res = await client.post(
        "/api/interviews", json={"candidate_id": cand["id"], "plan": "mock", **body}, headers=ADMIN
    )
    assert res.status_code == 201, res.text
    return res.json()


@pytest.fixture
async def client(tmp_path):
    async with api_client(make_settings(tmp_path)) as c:
        yield c


async def test_pages_served_or_a_page_saying_how_to_build(client, tmp_path, monkeypatch):
    if (routes.STATIC_DIR / "join.html").is_file():
        page = await client.get("/join/interview-abc")
        assert page.status_code == 200 and "/static/assets/" in page.text
        assert (await client.get("/app")).status_code == 200
    monkeypatch.setattr(routes, "STATIC_DIR", tmp_path / "nothing-here")
    page = await client.get("/app")
    assert page.status_code == 503
    assert "make setup" in page.text and "npm run build" in page.text
    # the API's own root is untouched
    assert (await client.get("/")).json()["status"] == "running"


async def test_join_info_for_the_candidate_page(client):
    created = await create_interview(client)
    room = created["interview"]["room_name"]
    assert created["join"]["join_url"].endswith(f"/join/{room}")
    info = (await client.get(f"/api/web/join/{room}")).json()  # no admin credential
    assert info["candidateName"] == "Ada"
    assert info["transport"] == "local" and "token" not in info
    assert [s["title"] for s in info["stages"]] == [
        "Greeting",
        "Self-introduction",
        "Past experience",
        "Closing",
    ]
    missing = await client.get("/api/web/join/interview-doesnotexist")
    assert missing.status_code == 404
    assert "not valid" in missing.json()["message"]


async def test_config_says_when_the_browser_needs_the_admin_token(client, tmp_path):
    assert (await client.get("/api/web/config")).json()["adminTokenRequired"] is True
    async with api_client(make_settings(tmp_path, vh_admin_token=None)) as local:
        body = (await local.get("/api/web/config")).json()
    assert body["adminTokenRequired"] is False  # loopback without VH_ADMIN_TOKEN
    assert {p["id"] for p in body["plans"]} == {"full", "mock"}
    assert "ai_interview" in body["sessionTypes"]


async def test_join_info_carries_a_livekit_token_when_livekit_is_configured(tmp_path):
    fake = await FakeLiveKitServer().start()
    try:
        async with api_client(make_settings(tmp_path, **livekit_settings(fake))) as client:
            created = await create_interview(client)
            room = created["interview"]["room_name"]
            info = (await client.get(f"/api/web/join/{room}")).json()
    finally:
        await fake.stop()
    assert info["transport"] == "livekit"
    assert info["livekitUrl"] and info["token"] and info["identity"].startswith("candidate-")
    from livekit.api import TokenVerifier

    claims = TokenVerifier(fake.api_key, fake.api_secret).verify(info["token"])
    assert claims.video.room == room and claims.video.room_join


async def test_override_is_stored_next_to_the_machine_recommendation(client):
    created = await create_interview(client)
    iid = created["interview"]["id"]
    url = f"/api/web/interviews/{iid}/override"
    body = {"recommendation": "hire", "note": "Great references", "by": "Grace"}
    assert (await client.post(url, json=body)).status_code == 401  # admin only
    early = await client.post(url, json=body, headers=ADMIN)
    assert early.status_code == 409 and "no evaluation" in early.json()["message"]

    result = EvaluationResult(
        interview_id=iid,
        scorer=ScorerInfo(kind="offline", name="test"),
        summary=InterviewSummary(overall_score=4.0, recommendation="no_hire"),
    )
    async with client.app.state.vh.db.sessionmaker() as session:
        await repo.put_result(session, iid, result.model_dump(mode="json"))
        await session.commit()
    bad = await client.post(url, json={**body, "note": ""}, headers=ADMIN)
    assert bad.status_code == 422
    saved = await client.post(url, json=body, headers=ADMIN)
    assert saved.status_code == 200
    stored = (await client.get(f"/api/interviews/{iid}/result", headers=ADMIN)).json()["result"]
    assert stored["summary"]["recommendation"] == "no_hire"
    assert stored["override"]["recommendation"] == "hire"
    assert stored["override"]["by"] == "Grace"

    html = await client.get(f"/api/web/interviews/{iid}/report.html", headers=ADMIN)
    assert html.status_code == 200 and "Great references" in html.text
