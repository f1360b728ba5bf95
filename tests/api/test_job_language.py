"""A job's interview language reaches its interviews' metadata and the session config;
an interview may choose another; a language without an interviewer is refused."""

from __future__ import annotations

from tests.api.support import ADMIN
from tests.harness import agent_lines, make_settings
from voicehire.agent.local_run import wait_for_turn
from voicehire.agent.modes.interview import resolve_plan
from voicehire.domain.config import parse_session_config


async def _metadata(client, job_id: str, **body) -> dict:
    cand = (await client.post("/api/candidates", json={"name": "Inés"}, headers=ADMIN)).json()
    body = {"candidate_id": cand["id"], "job_id": job_id, "plan": "mock", **body}
    res = await client.post("/api/interviews", json=body, headers=ADMIN)
    assert res.status_code in (200, 201), res.text
    return res.json()["interview"]["metadata"]


async def test_a_jobs_language_reaches_its_interviews(client, start_interview) -> None:
    res = await client.post(
        "/api/jobs", json={"title": "Ingeniera de datos", "language": "es"}, headers=ADMIN
    )
    assert res.status_code == 201, res.text
    job = res.json()
    assert job["language"] == "es"
    config = parse_session_config(await _metadata(client, job["id"])).config
    assert config.language == "es"
    settings = make_settings()
    run = await start_interview(
        config=config, plan=resolve_plan(settings, config), settings=settings
    )
    assert await wait_for_turn(run)
    assert agent_lines(run)[0].startswith("Hola, Inés, soy Alex.")

    # One interview of the job in French; a job without a language is English.
    assert (await _metadata(client, job["id"], language="fr-CA"))["language"] == "fr-CA"
    plain = (await client.post("/api/jobs", json={"title": "QA"}, headers=ADMIN)).json()
    assert plain["language"] == "en"
    assert (await _metadata(client, plain["id"]))["language"] == "en"

    url = f"/api/jobs/{job['id']}"
    res = await client.patch(url, json={"language": "fr"}, headers=ADMIN)
    assert res.status_code == 200 and res.json()["language"] == "fr"


async def test_a_language_without_an_interviewer_is_refused(client) -> None:
    res = await client.post("/api/jobs", json={"title": "QA", "language": "de"}, headers=ADMIN)
    assert res.status_code == 422
    assert "en, es, fr" in res.text
    job = (await client.post("/api/jobs", json={"title": "QA"}, headers=ADMIN)).json()
    res = await client.patch(f"/api/jobs/{job['id']}", json={"language": None}, headers=ADMIN)
    assert res.status_code == 422
    cand = (await client.post("/api/candidates", json={"name": "Jo"}, headers=ADMIN)).json()
    body = {"candidate_id": cand["id"], "job_id": job["id"], "language": "xx"}
    assert (await client.post("/api/interviews", json=body, headers=ADMIN)).status_code == 422
