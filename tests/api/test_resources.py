"""Candidates, jobs and interviews through the HTTP API (SQLite, no LiveKit)."""

from __future__ import annotations

from tests.api.support import ADMIN, m2m_headers


async def _candidate(client, **fields):
    body = {"name": "Ada Lovelace", "email": "ada@example.com", **fields}
    res = await client.post("/api/candidates", json=body, headers=ADMIN)
    assert res.status_code == 201, res.text
    return res.json()


async def _job(client, **fields):
    body = {"title": "Backend Engineer", "level": "Senior", "required_skills": ["Python"], **fields}
    res = await client.post("/api/jobs", json=body, headers=ADMIN)
    assert res.status_code == 201, res.text
    return res.json()


async def test_candidate_create_get_list(client):
    created = await _candidate(
        client,
        missing_required=["quota_attainment"],
        extracted_data={"years": 5},
        notes="referred",
        resume_summary="10y Python",
    )
    got = (await client.get(f"/api/candidates/{created['id']}", headers=ADMIN)).json()
    assert got["name"] == "Ada Lovelace"
    assert got["missing_required"] == ["quota_attainment"]
    assert got["extracted_data"] == {"years": 5}
    assert got["resume_summary"] == "10y Python"
    listing = (await client.get("/api/candidates", headers=ADMIN)).json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == created["id"]


async def test_job_create_get_list(client):
    job = await _job(client, plan="mock", interview_type="Behavioral")
    got = (await client.get(f"/api/jobs/{job['id']}", headers=ADMIN)).json()
    assert got["plan"] == "mock"
    assert got["interview_type"] == "behavioral"
    assert got["required_skills"] == ["Python"]
    assert (await client.get("/api/jobs", headers=ADMIN)).json()["total"] == 1


async def test_unknown_plan_is_refused_with_names_of_valid_plans(client):
    res = await client.post("/api/jobs", json={"title": "X", "plan": "/etc/passwd"}, headers=ADMIN)
    assert res.status_code == 422
    assert "full" in res.json()["message"] and "plan" in res.json()["message"]


async def test_create_interview_without_livekit_records_it_and_seed_metadata(client):
    cand = await _candidate(client)
    job = await _job(client)
    res = await client.post(
        "/api/interviews", json={"candidate_id": cand["id"], "job_id": job["id"]}, headers=ADMIN
    )
    assert res.status_code == 201, res.text
    body = res.json()
    interview = body["interview"]
    assert interview["status"] == "scheduled"
    assert interview["room_name"].startswith("interview-")
    assert len(interview["room_name"]) >= 30  # unguessable: 144 random bits
    meta = interview["metadata"]
    assert meta["sessionType"] == "ai_interview"
    assert meta["interviewRole"] == "Backend Engineer"
    assert meta["interviewId"] == interview["id"]
    assert meta["candidateId"] == cand["id"]
    assert meta["maxDuration"] == 1800
    assert meta["enableTranscription"] is True
    # No LiveKit configured: no token, but the join link still names the room.
    assert body["join"]["token"] is None
    assert body["join"]["join_url"].endswith(interview["room_name"])
    got = (await client.get(f"/api/interviews/{interview['id']}", headers=ADMIN)).json()
    assert got["status"] == "scheduled"


async def test_room_names_differ_between_interviews(client):
    cand = await _candidate(client)
    rooms = set()
    for _ in range(5):
        res = await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
        rooms.add(res.json()["interview"]["room_name"])
    assert len(rooms) == 5


async def test_create_interview_for_unknown_candidate_is_404(client):
    res = await client.post("/api/interviews", json={"candidate_id": "nope"}, headers=ADMIN)
    assert res.status_code == 404
    assert "candidate 'nope' not found" in res.json()["message"]


async def test_list_interviews_filters(client):
    a = await _candidate(client, name="A")
    b = await _candidate(client, name="B", missing_required=["notice_period"])
    ia = (
        await client.post("/api/interviews", json={"candidate_id": a["id"]}, headers=ADMIN)
    ).json()
    await client.post(
        "/api/interviews", json={"candidate_id": b["id"], "mode": "gap_filling"}, headers=ADMIN
    )
    await client.post(f"/api/interviews/{ia['interview']['id']}/cancel", headers=ADMIN)

    by_cand = (await client.get(f"/api/interviews?candidate_id={a['id']}", headers=ADMIN)).json()
    assert [i["candidate_id"] for i in by_cand["items"]] == [a["id"]]
    cancelled = (await client.get("/api/interviews?status=cancelled", headers=ADMIN)).json()
    assert cancelled["total"] == 1 and cancelled["items"][0]["id"] == ia["interview"]["id"]
    gap = (await client.get("/api/interviews?mode=gap_filling", headers=ADMIN)).json()
    assert gap["total"] == 1 and gap["items"][0]["candidate_id"] == b["id"]
    page = (await client.get("/api/interviews?limit=1&offset=1", headers=ADMIN)).json()
    assert page["total"] == 2 and len(page["items"]) == 1


async def test_cancel_sets_status_and_second_cancel_conflicts(client):
    cand = await _candidate(client)
    iid = (
        await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    ).json()["interview"]["id"]
    res = await client.post(
        f"/api/interviews/{iid}/cancel", json={"reason": "candidate withdrew"}, headers=ADMIN
    )
    assert res.status_code == 200
    assert res.json()["status"] == "cancelled"
    assert res.json()["end_reason"] == "candidate withdrew"
    assert res.json()["ended_at"] is not None
    again = await client.post(f"/api/interviews/{iid}/cancel", headers=ADMIN)
    assert again.status_code == 409
    assert "already ended" in again.json()["message"]


async def test_transcripts_uploaded_by_agent_are_listed_and_fetched(client):
    cand = await _candidate(client)
    iid = (
        await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    ).json()["interview"]["id"]
    agent = await m2m_headers(client)
    stage_doc = {
        "sessionInfo": {"interviewId": iid},
        "stage": {"stage": "self_intro", "conversation": []},
        "metadata": {"kind": "stage"},
    }
    full_doc = {
        "sessionInfo": {"interviewId": iid, "endReason": "completed"},
        "stages": [],
        "fullConversation": [{"message": "hello", "isAI": True}],
        "metadata": {"kind": "full"},
    }
    r1 = await client.post(
        f"/api/agent/interviews/{iid}/transcripts",
        json={
            "kind": "stage",
            "name": f"interview_{iid}_stage_self_intro_1.json",
            "document": stage_doc,
        },
        headers=agent,
    )
    r2 = await client.post(
        f"/api/agent/interviews/{iid}/transcripts",
        json={"kind": "full", "name": f"interview_{iid}_full_2.json", "document": full_doc},
        headers=agent,
    )
    assert r1.status_code == 201 and r2.status_code == 201
    index = (await client.get(f"/api/interviews/{iid}/transcripts", headers=ADMIN)).json()
    assert [(t["kind"], t["stage"]) for t in index] == [("stage", "self_intro"), ("full", None)]
    full = (
        await client.get(f"/api/interviews/{iid}/transcripts/{r2.json()['id']}", headers=ADMIN)
    ).json()
    assert full["document"]["fullConversation"][0]["message"] == "hello"


async def test_result_is_404_until_uploaded(client):
    cand = await _candidate(client)
    iid = (
        await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    ).json()["interview"]["id"]
    assert (await client.get(f"/api/interviews/{iid}/result", headers=ADMIN)).status_code == 404
    agent = await m2m_headers(client)
    res = await client.put(
        f"/api/agent/interviews/{iid}/result",
        json={
            "result": {
                "interview_id": iid,
                "scorer": {"kind": "offline", "name": "test"},
                "summary": {"overall_score": 4.2, "recommendation": "hire"},
            }
        },
        headers=agent,
    )
    assert res.status_code == 200
    got = (await client.get(f"/api/interviews/{iid}/result", headers=ADMIN)).json()
    assert got["result"]["summary"]["recommendation"] == "hire"
