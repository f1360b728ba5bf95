"""Seed-compatible aliases (seeds 002, 003, 004) over the resource API."""

from __future__ import annotations

import json

from livekit.api import TokenVerifier
from livekit.protocol.models import ParticipantInfo

from tests.api.support import ADMIN, m2m_headers


async def _candidate(client, **fields):
    res = await client.post("/api/candidates", json={"name": "Lin", **fields}, headers=ADMIN)
    return res.json()


async def test_root_and_health_without_livekit(client):
    assert (await client.get("/")).json()["status"] == "running"
    health = (await client.get("/health")).json()
    assert health["status"] == "healthy"
    assert health["services"]["database"] == "healthy"
    assert health["services"]["redis"] == "not_configured"
    assert health["services"]["livekit"] == "not_configured"


async def test_health_reports_livekit_reachability(lk_client, fake_livekit):
    health = (await lk_client.get("/health")).json()
    assert health["services"]["livekit"] == "healthy"
    await fake_livekit.stop()
    health = (await lk_client.get("/health")).json()
    assert health["services"]["livekit"] == "unhealthy" and health["status"] == "degraded"


async def test_voice_token_requires_mode_specific_fields(lk_client):
    for body, missing in [
        ({"mode": "gap_filling", "user_name": "Lin"}, "candidate_id"),
        ({"mode": "briefing", "user_name": "Sam"}, "room_name"),
    ]:
        res = await lk_client.post("/api/voice/token", json=body, headers=ADMIN)
        assert res.status_code == 400
        assert res.json()["message"] == f"{missing} required for {body['mode']} mode"
    res = await lk_client.post("/api/voice/token", json={"mode": "karaoke"}, headers=ADMIN)
    assert res.status_code == 400 and "mode must be" in res.json()["message"]


async def test_gap_filling_session_carries_missing_fields_and_status_tracks_answers(
    lk_client, fake_livekit
):
    cand = await _candidate(lk_client, missing_required=["quota_attainment", "notice_period"])
    res = await lk_client.post(
        "/api/voice/token",
        json={"mode": "gap_filling", "candidate_id": cand["id"], "user_name": "Lin"},
        headers=ADMIN,
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["mode"] == "gap_filling" and body["room_name"].startswith("voice-gap-filling-")
    claims = TokenVerifier(fake_livekit.api_key, fake_livekit.api_secret).verify(body["token"])
    assert claims.video.room == body["room_name"] and claims.name == "Lin"
    meta = json.loads(fake_livekit.calls("CreateRoom")[0].body["metadata"])
    assert meta["sessionType"] == "gap_filling"
    assert meta["missing_required"] == ["quota_attainment", "notice_period"]

    status_url = f"/api/voice/session/{body['room_name']}/status"
    first = (await lk_client.get(status_url, headers=ADMIN)).json()
    assert first["missing_required"] == ["quota_attainment", "notice_period"]

    agent = await m2m_headers(lk_client)
    res = await lk_client.patch(
        f"/api/agent/candidates/{cand['id']}/fields",
        json={"fields": {"quota_attainment": "112%"}},
        headers=agent,
    )
    assert res.status_code == 200
    after = (await lk_client.get(status_url, headers=ADMIN)).json()
    assert after["extracted_data"] == {"quota_attainment": "112%"}
    assert after["missing_required"] == ["notice_period"]


async def test_briefing_session_needs_an_existing_interview_room(lk_client, fake_livekit):
    res = await lk_client.post(
        "/api/voice/token", json={"mode": "briefing", "room_name": "interview-nope"}, headers=ADMIN
    )
    assert res.status_code == 404
    cand = await _candidate(lk_client, resume_summary="Led a data team", notes="strong SQL")
    iv = (
        await lk_client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    ).json()["interview"]
    res = await lk_client.post(
        "/api/voice/token",
        json={"mode": "briefing", "room_name": iv["room_name"], "user_name": "Sam"},
        headers=ADMIN,
    )
    assert res.status_code == 200
    body = res.json()
    assert body["room_name"] != iv["room_name"]
    claims = TokenVerifier(fake_livekit.api_key, fake_livekit.api_secret).verify(body["token"])
    assert claims.identity.startswith("interviewer-")
    meta = json.loads(fake_livekit.calls("CreateRoom")[-1].body["metadata"])
    assert meta["sessionType"] == "briefing"
    assert meta["briefing"]["resume_summary"] == "Led a data team"
    assert meta["briefingFor"] == iv["room_name"]


async def test_start_interview_and_agent_status_recognise_agent(lk_client, fake_livekit):
    cand = await _candidate(lk_client)
    res = await lk_client.post(
        "/api/start-interview",
        json={"roomName": "interview-candidate-123", "candidateId": cand["id"]},
        headers=ADMIN,
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["status"] == "success" and body["agentDispatched"] is True
    room = body["roomName"]
    status = (await lk_client.get(f"/api/agent-status?room={room}", headers=ADMIN)).json()
    assert status["status"] == "success" and status["agentConnected"] is False
    assert status["roomMetadata"]["sessionType"] == "ai_interview"

    fake_livekit.add_participant(room, f"candidate-{cand['id']}")
    fake_livekit.add_participant(room, "interview-agent", kind=ParticipantInfo.Kind.AGENT)
    status = (await lk_client.get(f"/api/agent-status?room={room}", headers=ADMIN)).json()
    assert status["agentConnected"] is True
    assert [p["identity"] for p in status["participants"]] == [
        f"candidate-{cand['id']}",
        "interview-agent",
    ]


async def test_agent_status_needs_room_parameter(lk_client):
    res = await lk_client.get("/api/agent-status", headers=ADMIN)
    assert res.status_code == 422 and "room" in res.json()["message"]


async def test_agents_endpoints_start_status_list_stop(lk_client, fake_livekit):
    body = {
        "room_name": "interview-room-1",
        "job_title": "SRE",
        "job_level": "Senior",
        "required_skills": ["Kubernetes"],
    }
    res = await lk_client.post("/agents/start", json=body, headers=ADMIN)
    assert res.status_code == 200, res.text
    assert res.json()["status"] == "started" and res.json()["agent_id"].startswith("AD_")
    meta = json.loads(fake_livekit.calls("CreateDispatch")[0].body["metadata"])
    assert meta["interviewRole"] == "SRE" and meta["requiredSkills"] == ["Kubernetes"]
    again = await lk_client.post("/agents/start", json=body, headers=ADMIN)
    assert (
        again.status_code == 400 and again.json()["message"] == "Agent already active for this room"
    )

    listing = (await lk_client.get("/agents", headers=ADMIN)).json()
    assert listing == {"active_agents": ["interview-room-1"], "count": 1}

    fake_livekit.add_participant("interview-room-1", "interview-agent-x")
    st = (await lk_client.get("/agents/interview-room-1/status", headers=ADMIN)).json()
    assert st["status"] == "waiting" and st["participants"] == 1

    res = await lk_client.delete("/agents/interview-room-1", headers=ADMIN)
    assert res.json()["status"] == "stopped"
    assert fake_livekit.calls("DeleteRoom")[0].body["room"] == "interview-room-1"
    assert (await lk_client.get("/agents", headers=ADMIN)).json()["count"] == 0
    st = (await lk_client.get("/agents/interview-room-1/status", headers=ADMIN)).json()
    assert st["status"] == "stopped" and st["interview_status"] == "cancelled"
    assert (await lk_client.delete("/agents/nope", headers=ADMIN)).status_code == 404


async def test_endpoints_needing_livekit_say_so_without_it(client):
    cand = await _candidate(client)
    res = await client.post(
        "/api/voice/token", json={"mode": "gap_filling", "candidate_id": cand["id"]}, headers=ADMIN
    )
    assert res.status_code == 503 and "LIVEKIT_URL" in res.json()["message"]
    res = await client.post("/agents/start", json={"room_name": "r1"}, headers=ADMIN)
    assert res.status_code == 503
