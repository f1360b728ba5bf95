"""A job records what candidates ask about (location, remote policy, salary band, team,
process); the interviewer answers from it through the API's metadata, and defers what
it does not hold."""

from __future__ import annotations

from tests.api.support import ADMIN
from tests.harness import agent_lines, wait_until
from voicehire.agent.local_run import answer, wait_for_turn
from voicehire.domain.config import parse_session_config

FACTS = {
    "location": "Lisbon",
    "remote_policy": "hybrid",
    "salary_range": {"min": 60000, "max": 75000, "currency": "EUR", "period": "year"},
    "team": "the data platform team",
    "process": "After this, a 45-minute call with the hiring manager.",
}


async def _interview_metadata(client, job_id: str) -> dict:
    cand = (await client.post("/api/candidates", json={"name": "Ines"}, headers=ADMIN)).json()
    body = {"candidate_id": cand["id"], "job_id": job_id, "plan": "mock"}
    res = await client.post("/api/interviews", json=body, headers=ADMIN)
    return res.json()["interview"]["metadata"]


async def test_job_facts_are_stored_updated_and_validated(client) -> None:
    res = await client.post("/api/jobs", json={"title": "Data Engineer", **FACTS}, headers=ADMIN)
    assert res.status_code == 201, res.text
    job = res.json()
    assert {k: job[k] for k in FACTS} == FACTS | {
        "salary_range": FACTS["salary_range"] | {"min": 60000.0, "max": 75000.0}
    }
    url = f"/api/jobs/{job['id']}"
    res = await client.patch(url, json={"remote_policy": "remote", "location": None}, headers=ADMIN)
    assert res.status_code == 200, res.text
    assert res.json()["remote_policy"] == "remote" and res.json()["location"] is None
    assert res.json()["team"] == FACTS["team"]  # left out: kept
    bad = [
        {"salary_range": {"min": 90000, "max": 10000, "currency": "EUR"}},
        {"salary_range": {"min": 1, "max": 2, "currency": "euros"}},
        {"remote_policy": "sometimes"},
        {"title": None},
        {"headcount": 3},
    ]
    for body in bad:
        res = await client.patch(url, json=body, headers=ADMIN)
        assert res.status_code == 422, (body, res.text)
        assert res.json()["problems"], body
    assert (await client.get(url, headers=ADMIN)).json()["remote_policy"] == "remote"


async def _reply(run, text: str) -> str:
    assert await wait_for_turn(run)
    before = len(agent_lines(run))
    await answer(run, text)
    await wait_until(lambda: len(agent_lines(run)) > before)
    return agent_lines(run)[-1]


async def test_the_interviewer_answers_from_the_job_record(client, start_interview) -> None:
    job = (
        await client.post("/api/jobs", json={"title": "Data Engineer", **FACTS}, headers=ADMIN)
    ).json()
    config = parse_session_config(await _interview_metadata(client, job["id"])).config
    run = await start_interview(config=config)
    reply = await _reply(run, "Is this role remote?")
    assert "Lisbon" in reply and "hybrid" in reply
    reply = await _reply(run, "What's the salary range for this position?")
    assert "60,000 to 75,000 EUR" in reply
    reply = await _reply(run, "What does the process look like after this interview?")
    assert "hiring manager" in reply
    assert not any(run.runtime.flow.stage_answers.values())  # none was taken as an answer


async def test_a_fact_the_job_does_not_hold_is_deferred(client, start_interview) -> None:
    job = (await client.post("/api/jobs", json={"title": "Data Engineer"}, headers=ADMIN)).json()
    config = parse_session_config(await _interview_metadata(client, job["id"])).config
    run = await start_interview(config=config)
    reply = await _reply(run, "Is this role remote?")
    assert "hiring team" in reply and "Lisbon" not in reply
