"""Gap-filling field names: normalised to the field specs, unknown names refused, and a
call that filled every field leaves nothing missing."""

from __future__ import annotations

from tests.api.support import ADMIN, m2m_headers


async def _candidate(client, **fields):
    return await client.post("/api/candidates", json={"name": "Kim", **fields}, headers=ADMIN)


async def test_missing_fields_are_stored_under_the_spec_names(client):
    res = await _candidate(
        client, missing_required=["Salary expectation", "noticePeriod", "start-date"]
    )
    assert res.status_code == 201, res.text
    assert res.json()["missing_required"] == [
        "expected_salary",
        "notice_period",
        "earliest_start_date",
    ]


async def test_unknown_field_names_are_refused_with_the_valid_ones(client):
    res = await _candidate(client, missing_required=["notice_period", "favourite colour"])
    assert res.status_code == 422
    body = res.json()
    assert "'favourite colour'" in body["message"] and "notice_period" in body["message"]
    assert "expected_salary" in body["valid"] and body["unknown"] == ["favourite colour"]

    ok = (await _candidate(client, missing_required=["notice_period"])).json()
    agent = await m2m_headers(client)
    res = await client.patch(
        f"/api/agent/candidates/{ok['id']}/fields",
        json={"fields": {"favourite colour": "blue"}},
        headers=agent,
    )
    assert res.status_code == 422 and "favourite colour" in res.json()["message"]
    after = (await client.get(f"/api/candidates/{ok['id']}", headers=ADMIN)).json()
    assert after["extracted_data"] == {} and after["missing_required"] == ["notice_period"]


async def test_a_call_that_fills_every_field_leaves_nothing_missing(client):
    cand = (await _candidate(client, missing_required=["salary_expectation", "notice"])).json()
    agent = await m2m_headers(client)
    url = f"/api/agent/candidates/{cand['id']}/fields"
    # what the gap-filling agent sends: values under spec names plus the status map
    status = {"expected_salary": {"status": "filled"}, "notice_period": {"status": "filled"}}
    res = await client.patch(
        url,
        json={"fields": {"expected_salary": 120000, "gap_filling_status": status}},
        headers=agent,
    )
    assert res.json()["missing_required"] == ["notice_period"]
    res = await client.patch(url, json={"fields": {"Notice period": 14}}, headers=agent)
    assert res.status_code == 200
    got = (await client.get(f"/api/candidates/{cand['id']}", headers=ADMIN)).json()
    assert got["missing_required"] == []
    assert got["extracted_data"]["notice_period"] == 14
    assert got["extracted_data"]["expected_salary"] == 120000


async def test_no_gap_filling_call_when_nothing_is_missing(client):
    cand = (await _candidate(client)).json()
    res = await client.post(
        "/api/interviews", json={"candidate_id": cand["id"], "mode": "gap_filling"}, headers=ADMIN
    )
    assert res.status_code == 409 and "no missing required fields" in res.json()["message"]
    filled = (
        await _candidate(
            client, missing_required=["notice_period"], extracted_data={"notice_period": 30}
        )
    ).json()
    res = await client.post(
        "/api/interviews", json={"candidate_id": filled["id"], "mode": "gap_filling"}, headers=ADMIN
    )
    assert res.status_code == 409


async def test_the_agent_reads_the_candidates_finished_results_with_the_override(client):
    cand = (await _candidate(client)).json()
    iv = (
        await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    ).json()["interview"]
    agent = await m2m_headers(client)
    url = f"/api/agent/candidates/{cand['id']}/results"
    assert (await client.get(url, headers=agent)).json() == []  # not finished yet
    evaluation = {
        "interview_id": iv["id"],
        "interview_type": "technical",
        "summary": {"overall_score": 7.5, "recommendation": "no_hire"},
        "scorer": {"kind": "offline", "name": "test"},
    }
    base = f"/api/agent/interviews/{iv['id']}"
    await client.post(f"{base}/status", json={"status": "in_progress"}, headers=agent)
    await client.post(
        f"{base}/status", json={"status": "completed", "end_reason": "completed"}, headers=agent
    )
    res = await client.put(f"{base}/result", json={"result": evaluation}, headers=agent)
    assert res.status_code == 200, res.text
    res = await client.post(
        f"/api/web/interviews/{iv['id']}/override",
        json={"recommendation": "hire", "note": "Strong references", "by": "Dana"},
        headers=ADMIN,
    )
    assert res.status_code == 200, res.text
    [got] = (await client.get(url, headers=agent)).json()
    assert got["summary"]["overall_score"] == 7.5 and got["interview_type"] == "technical"
    assert got["override"]["recommendation"] == "hire" and got["date"]
    assert (await client.get(url, headers=ADMIN)).status_code in (401, 403)
