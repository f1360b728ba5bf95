"""The API's whole create → run → finish path on each database backend (PostgreSQL when
``TEST_DATABASE_URL`` is set), so the SQL the routes issue is exercised on both."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from tests.api.support import ADMIN, api_client, m2m_headers, make_settings

from voicehire.storage.db import Database

PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgres",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
            ],
        ),
    ]
)
async def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'api.db'}"
    db = Database(PG_URL)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()
    return PG_URL


async def test_interview_round_trip_through_the_api(tmp_path, database_url):
    async with api_client(make_settings(tmp_path, database_url=database_url)) as client:
        cand = (
            await client.post(
                "/api/candidates",
                json={"name": "Ines", "missing_required": ["salary"], "profile": {"x": [1]}},
                headers=ADMIN,
            )
        ).json()
        job = (await client.post("/api/jobs", json={"title": "PM"}, headers=ADMIN)).json()
        iv = (
            await client.post(
                "/api/interviews",
                json={"candidate_id": cand["id"], "job_id": job["id"]},
                headers=ADMIN,
            )
        ).json()["interview"]
        agent = await m2m_headers(client)
        base = f"/api/agent/interviews/{iv['id']}"
        assert (await client.get(f"{base}/config", headers=agent)).status_code == 200
        await client.post(f"{base}/status", json={"status": "in_progress"}, headers=agent)
        doc = {"sessionInfo": {}, "stages": [], "fullConversation": [], "metadata": {}}
        res = await client.post(
            f"{base}/transcripts",
            json={"kind": "full", "name": "interview_1_full_1.json", "document": doc},
            headers=agent,
        )
        assert res.status_code == 201
        await client.put(f"{base}/result", json={"result": {"r": "hire"}}, headers=agent)
        await client.post(
            f"{base}/status", json={"status": "completed", "end_reason": "completed"}, headers=agent
        )
        res = await client.patch(
            f"/api/agent/candidates/{cand['id']}/fields",
            json={"fields": {"salary": "1"}},
            headers=agent,
        )
        assert res.json()["missing_required"] == []
        listing = (
            await client.get(f"/api/interviews?status=completed&job_id={job['id']}", headers=ADMIN)
        ).json()
        assert listing["total"] == 1 and listing["items"][0]["started_at"]
        assert (await client.get("/health")).json()["services"]["database"] == "healthy"
