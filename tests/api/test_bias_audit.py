"""A candidate answers the voluntary self-identification question through their link;
the recruiter reads selection rates and impact ratios per job (JSON and CSV); the
answers never reach the interviewer or the scorer."""

from __future__ import annotations

import csv
import io

from tests.api.support import ADMIN, m2m_headers


async def _evaluated(client, agent, job_id: str, decision: str, answers: dict | None) -> str:
    cand = (await client.post("/api/candidates", json={"name": "Lee"}, headers=ADMIN)).json()
    body = {"candidate_id": cand["id"], "job_id": job_id, "plan": "mock"}
    iv = (await client.post("/api/interviews", json=body, headers=ADMIN)).json()["interview"]
    if answers is not None:
        res = await client.put(
            f"/api/self-identification/{iv['room_name']}", json={"answers": answers}
        )
        assert res.status_code == 204, res.text
    status = f"/api/agent/interviews/{iv['id']}/status"
    await client.post(status, json={"status": "in_progress"}, headers=agent)
    await client.post(
        status, json={"status": "completed", "end_reason": "completed"}, headers=agent
    )
    result = {
        "interview_id": iv["id"],
        "scorer": {"kind": "offline", "name": "test"},
        "summary": {"overall_score": 5.0, "recommendation": decision, "confidence": 0.8},
    }
    res = await client.put(
        f"/api/agent/interviews/{iv['id']}/result", json={"result": result}, headers=agent
    )
    assert res.status_code == 200, res.text
    return iv["id"]


async def test_selection_rates_and_impact_ratios_per_job(client) -> None:
    agent = await m2m_headers(client)
    job = (await client.post("/api/jobs", json={"title": "Support Agent"}, headers=ADMIN)).json()
    other = (await client.post("/api/jobs", json={"title": "Designer"}, headers=ADMIN)).json()
    for decision in ("hire", "hire", "no_hire", "no_hire"):
        await _evaluated(client, agent, job["id"], decision, {"sex": "female"})
    for decision in ("hire", "maybe", "no_hire", "no_hire"):
        await _evaluated(
            client, agent, job["id"], decision, {"sex": "male", "age_band": "40_or_over"}
        )
    pending = await _evaluated(client, agent, job["id"], "needs_review", {"sex": "male"})
    await _evaluated(client, agent, job["id"], "hire", None)  # did not answer
    await _evaluated(client, agent, other["id"], "hire", {"sex": "male"})  # another job
    # a human decides the pending one: it now counts
    res = await client.post(
        f"/api/web/interviews/{pending}/override",
        json={"recommendation": "hire", "note": "strong"},
        headers=ADMIN,
    )
    assert res.status_code == 200, res.text

    res = await client.get(f"/api/jobs/{job['id']}/bias-audit?category=sex", headers=ADMIN)
    assert res.status_code == 200, res.text
    audit = res.json()
    assert "not legal advice" in audit["notice"]
    groups = {g["group"]: g for g in audit["groups"]}
    assert groups["female"]["selection_rate"] == 0.5 and groups["female"]["impact_ratio"] == 1.0
    male = groups["male"]
    assert (male["decided"], male["selected"], male["selection_rate"]) == (5, 2, 0.4)
    assert male["impact_ratio"] == 0.8 and not male["below_four_fifths"]
    assert (
        groups["not_disclosed"]["decided"] == 1 and groups["not_disclosed"]["impact_ratio"] is None
    )

    res = await client.get(f"/api/jobs/{job['id']}/bias-audit.csv?category=sex", headers=ADMIN)
    assert res.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(res.text)))
    assert rows[0][:3] == ["category", "group", "label"]
    assert rows[2][:8] == ["sex", "male", "Male", "5", "2", "0", "0.4", "0.8"]
    assert "not legal advice" in rows[-1][0]


async def test_bad_answers_are_refused_and_nothing_needs_a_token_but_the_link(client) -> None:
    question = (await client.get("/api/self-identification")).json()
    assert {c["category"] for c in question["categories"]} == {"sex", "race_ethnicity", "age_band"}
    assert "scoring never see" in question["notice"]
    cand = (await client.post("/api/candidates", json={"name": "Lee"}, headers=ADMIN)).json()
    iv = (
        await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    ).json()["interview"]
    url = f"/api/self-identification/{iv['room_name']}"
    for body in ({"answers": {"sex": "robot"}}, {"answers": {"religion": "x"}}, {"sex": "male"}):
        res = await client.put(url, json=body)
        assert res.status_code == 422, body
        assert res.json()["problems"]
    assert (
        await client.put("/api/self-identification/nope", json={"answers": {}})
    ).status_code == 404
    assert (await client.put(url, json={"answers": {"sex": "female"}})).status_code == 204
    # the audit is the recruiter's; the answers are kept away from the agent
    assert (await client.get("/api/jobs/x/bias-audit")).status_code == 401
    agent = await m2m_headers(client)
    config = await client.get(f"/api/agent/interviews/{iv['id']}/config", headers=agent)
    assert config.status_code == 200 and "female" not in config.text
    assert "female" not in (await client.get(f"/api/candidates/{cand['id']}", headers=ADMIN)).text
