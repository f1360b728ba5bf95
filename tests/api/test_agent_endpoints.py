"""Agent-only endpoints: configuration, status reports, candidate fields."""

from __future__ import annotations

from tests.api.support import ADMIN, m2m_headers


async def _interview(client, **cand):
    c = (await client.post("/api/candidates", json={"name": "Kim", **cand}, headers=ADMIN)).json()
    j = (
        await client.post("/api/jobs", json={"title": "ML Engineer", "plan": "mock"}, headers=ADMIN)
    ).json()
    res = await client.post(
        "/api/interviews", json={"candidate_id": c["id"], "job_id": j["id"]}, headers=ADMIN
    )
    return c, j, res.json()["interview"]


async def test_config_has_metadata_candidate_and_job(client):
    cand, job, iv = await _interview(client)
    agent = await m2m_headers(client)
    cfg = (await client.get(f"/api/agent/interviews/{iv['id']}/config", headers=agent)).json()
    assert cfg["room_name"] == iv["room_name"]
    assert cfg["plan"] == "mock"
    assert cfg["metadata"]["interviewRole"] == "ML Engineer"
    assert cfg["candidate"]["id"] == cand["id"] and cfg["job"]["id"] == job["id"]


async def test_config_of_unknown_or_ended_interview_is_refused(client):
    agent = await m2m_headers(client)
    res = await client.get("/api/agent/interviews/missing/config", headers=agent)
    assert res.status_code == 404 and "interview 'missing' not found" in res.json()["message"]
    _, _, iv = await _interview(client)
    await client.post(f"/api/interviews/{iv['id']}/cancel", headers=ADMIN)
    res = await client.get(f"/api/agent/interviews/{iv['id']}/config", headers=agent)
    assert res.status_code == 409 and "cannot be started" in res.json()["message"]


async def test_status_reports_follow_the_lifecycle(client):
    _, _, iv = await _interview(client)
    agent = await m2m_headers(client)
    url = f"/api/agent/interviews/{iv['id']}/status"
    res = await client.post(url, json={"status": "in_progress"}, headers=agent)
    assert res.json()["status"] == "in_progress" and res.json()["started_at"]
    # Reporting the same status again is harmless (agent retries).
    assert (
        await client.post(url, json={"status": "in_progress"}, headers=agent)
    ).status_code == 200
    res = await client.post(
        url, json={"status": "completed", "end_reason": "completed"}, headers=agent
    )
    assert res.json()["status"] == "completed" and res.json()["ended_at"]
    res = await client.post(url, json={"status": "in_progress"}, headers=agent)
    assert res.status_code == 409
    assert "cannot become 'in_progress'" in res.json()["message"]
    res = await client.post(url, json={"status": "paused"}, headers=agent)
    assert res.status_code == 422


async def test_candidate_fields_merge_and_leave_missing_required(client):
    cand, _, _ = await _interview(
        client, missing_required=["salary", "start_date"], extracted_data={"city": "Oslo"}
    )
    agent = await m2m_headers(client)
    res = await client.patch(
        f"/api/agent/candidates/{cand['id']}/fields",
        json={"fields": {"salary": "90k"}},
        headers=agent,
    )
    # stored under the field specs' names ("salary" is an alias of expected_salary)
    assert res.json()["extracted_data"] == {"city": "Oslo", "expected_salary": "90k"}
    assert res.json()["missing_required"] == ["earliest_start_date"]
    res = await client.patch(
        f"/api/agent/candidates/{cand['id']}/fields", json={"fields": {}}, headers=agent
    )
    assert res.status_code == 422


async def test_transcript_upload_validates_the_seed_shape(client):
    _, _, iv = await _interview(client)
    agent = await m2m_headers(client)
    res = await client.post(
        f"/api/agent/interviews/{iv['id']}/transcripts",
        json={"kind": "full", "name": "interview_x_full_1.json", "document": {"sessionInfo": {}}},
        headers=agent,
    )
    assert res.status_code == 422
    assert "a full transcript needs document.stages" in res.json()["message"]
    res = await client.post(
        f"/api/agent/interviews/{iv['id']}/transcripts",
        json={"kind": "full", "name": "../../etc/passwd", "document": {}},
        headers=agent,
    )
    assert res.status_code == 422


def _evaluation(iid: str, score: float) -> dict:
    return {
        "interview_id": iid,
        "scorer": {"kind": "offline", "name": "test"},
        "created_at": "2026-11-28T10:00:00Z",
        "summary": {"overall_score": score, "recommendation": "maybe", "confidence": 0.5},
    }


async def test_the_agent_cannot_rewrite_a_stored_result_or_transcript(client):
    _, _, iv = await _interview(client)
    agent = await m2m_headers(client)
    url = f"/api/agent/interviews/{iv['id']}/result"
    # not an evaluation: numbers must be numbers
    bad = _evaluation(iv["id"], 5.0)
    bad["summary"]["overall_score"] = "<img src=x onerror=alert(1)>"
    res = await client.put(url, json={"result": bad}, headers=agent)
    assert res.status_code == 422 and res.json()["error"] == "bad_result"
    # a forged human override is dropped
    forged = {**_evaluation(iv["id"], 6.0), "override": {"recommendation": "hire", "note": "x"}}
    res = await client.put(url, json={"result": forged}, headers=agent)
    assert res.status_code == 200 and res.json()["result"]["override"] is None
    # the same upload again (a retry) is fine; a different one is refused
    assert (await client.put(url, json={"result": forged}, headers=agent)).status_code == 200
    res = await client.put(url, json={"result": _evaluation(iv["id"], 9.9)}, headers=agent)
    assert res.status_code == 409 and res.json()["error"] == "result_final"
    stored = (await client.get(f"/api/interviews/{iv['id']}/result", headers=ADMIN)).json()
    assert stored["result"]["summary"]["overall_score"] == 6.0
    # the full transcript is written once
    t_url = f"/api/agent/interviews/{iv['id']}/transcripts"
    full = {"sessionInfo": {}, "stages": [], "fullConversation": []}
    doc = {"kind": "full", "name": "full.json", "document": full}
    assert (await client.post(t_url, json=doc, headers=agent)).status_code == 201
    res = await client.post(t_url, json=doc, headers=agent)
    assert res.status_code == 409 and res.json()["error"] == "transcript_final"
