"""A job's own questions through the API: custom questions, and questions generated from
the description by the configured LLM (the fake OpenAI server)."""

from __future__ import annotations

import json

from tests.api.support import ADMIN, api_client, make_settings
from tests.fakes.openai_server import FakeOpenAIServer, FakeReply

CUSTOM = {
    "id": "custom.kafka",
    "text": "How do you handle a poison message in Kafka?",
    "rubric": [
        {
            "competency": "technical_accuracy",
            "indicators": [{"kind": "content", "text": "a dead letter queue and alerting"}],
        }
    ],
}


async def test_custom_questions_are_validated_and_stored(client) -> None:
    body = {"title": "Data Engineer", "required_skills": ["Kafka"], "custom_questions": [CUSTOM]}
    res = await client.post("/api/jobs", json=body, headers=ADMIN)
    assert res.status_code == 201, res.text
    job = res.json()
    assert job["custom_questions"][0]["id"] == "custom.kafka"
    assert job["custom_questions"][0]["source"] == "custom"
    assert job["custom_questions"][0]["competencies"] == ["technical_accuracy"]

    bad = {
        **CUSTOM,
        "rubric": [{"competency": "x", "indicators": [{"kind": "vibes", "text": "a"}]}],
    }
    res = await client.put(
        f"/api/jobs/{job['id']}/questions", json={"custom_questions": [bad]}, headers=ADMIN
    )
    assert res.status_code == 422
    assert "kind" in res.text

    res = await client.put(
        f"/api/jobs/{job['id']}/questions", json={"custom_questions": []}, headers=ADMIN
    )
    assert res.status_code == 200 and res.json()["custom_questions"] == []


async def test_generation_needs_an_llm(client) -> None:
    job = (await client.post("/api/jobs", json={"title": "QA Engineer"}, headers=ADMIN)).json()
    res = await client.post(f"/api/jobs/{job['id']}/questions/generate", headers=ADMIN)
    assert res.status_code == 409
    assert "no LLM is configured" in res.json()["message"]


async def test_generated_questions_are_stored_with_the_job(tmp_path) -> None:
    reply = {
        "questions": [
            {
                "text": "How would you test a flaky checkout flow end to end?",
                "skill": "playwright",
                "follow_ups": [],
                "rubric": CUSTOM["rubric"],
            }
        ]
    }
    async with FakeOpenAIServer(FakeReply(text=json.dumps(reply))) as server:
        settings = make_settings(
            tmp_path, llm_provider="openai", openai_base_url=server.base_url, openai_api_key="t"
        )
        async with api_client(settings) as client:
            body = {"title": "QA Engineer", "description": "Own our Playwright suite."}
            job = (await client.post("/api/jobs", json=body, headers=ADMIN)).json()
            res = await client.post(f"/api/jobs/{job['id']}/questions/generate", headers=ADMIN)
            assert res.status_code == 200, res.text
            stored = (await client.get(f"/api/jobs/{job['id']}", headers=ADMIN)).json()
    (q,) = stored["generated_questions"]
    assert q["source"] == "generated" and q["text"].startswith("How would you test")
    sent = json.loads(server.requests[0]["messages"][1]["content"].split("\n", 1)[1])
    assert sent["description"] == "Own our Playwright suite."


async def test_the_interview_carries_the_job_and_its_questions(client) -> None:
    from voicehire.agent.modes.interview import resolve_plan
    from voicehire.domain.config import parse_session_config
    from voicehire.settings import load_settings

    cand = (await client.post("/api/candidates", json={"name": "Ada"}, headers=ADMIN)).json()
    body = {
        "title": "Data Engineer",
        "required_skills": ["Python", "SQL", "Airflow", "Spark"],
        "custom_questions": [CUSTOM],
    }
    job = (await client.post("/api/jobs", json=body, headers=ADMIN)).json()
    res = await client.post(
        "/api/interviews", json={"candidate_id": cand["id"], "job_id": job["id"]}, headers=ADMIN
    )
    metadata = res.json()["interview"]["metadata"]
    assert metadata["job"]["custom_questions"][0]["id"] == "custom.kafka"
    config = parse_session_config(metadata).config
    plan = resolve_plan(load_settings(), config)
    asked = [q.id for q in plan.plan.stage("technical").questions]
    assert asked[0] == "custom.kafka"
    assert "bank.data.spark_slow" in asked or "bank.data.sql_dedupe" in asked
