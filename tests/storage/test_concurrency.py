"""Concurrent writes through the API on each backend (PostgreSQL when
``TEST_DATABASE_URL`` is set): field merges never lose a field and a finished interview's
status is never overwritten by a change that raced it."""

from __future__ import annotations

import asyncio
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


async def test_fifty_concurrent_field_patches_keep_every_field(tmp_path, database_url):
    fields = [f"field_{i}" for i in range(50)]
    # field names must be field specs' names: fifty of them, from a spec file
    specs = tmp_path / "fields.yaml"
    specs.write_text(
        "fields:\n"
        + "".join(
            f"  - {{name: {n}, label: {n}, ask: 'Your {n}?', type: integer}}\n" for n in fields
        )
    )
    settings = make_settings(tmp_path, database_url=database_url, field_spec_files=str(specs))
    async with api_client(settings) as client:
        cand = (
            await client.post(
                "/api/candidates",
                json={"name": "Ines", "missing_required": fields},
                headers=ADMIN,
            )
        ).json()
        agent = await m2m_headers(client)
        url = f"/api/agent/candidates/{cand['id']}/fields"
        responses = await asyncio.gather(
            *(
                client.patch(url, json={"fields": {name: i}}, headers=agent)
                for i, name in enumerate(fields)
            )
        )
        assert [r.status_code for r in responses] == [200] * 50
        stored = (await client.get(f"/api/candidates/{cand['id']}", headers=ADMIN)).json()
    assert stored["extracted_data"] == {name: i for i, name in enumerate(fields)}
    assert stored["missing_required"] == []


async def test_a_terminal_status_is_never_overwritten_by_a_concurrent_change(
    tmp_path, database_url
):
    async with api_client(make_settings(tmp_path, database_url=database_url)) as client:
        agent = await m2m_headers(client)
        cand = (await client.post("/api/candidates", json={"name": "Ines"}, headers=ADMIN)).json()
        for _trial in range(10):
            iv = (
                await client.post(
                    "/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN
                )
            ).json()["interview"]
            base = f"/api/agent/interviews/{iv['id']}"
            res = await client.post(f"{base}/status", json={"status": "in_progress"}, headers=agent)
            assert res.status_code == 200
            attempts = {
                "completed": client.post(
                    f"{base}/status",
                    json={"status": "completed", "end_reason": "completed"},
                    headers=agent,
                ),
                "error": client.post(
                    f"{base}/status", json={"status": "error", "end_reason": "crash"}, headers=agent
                ),
                "cancelled": client.post(f"/api/interviews/{iv['id']}/cancel", headers=ADMIN),
            }
            results = dict(zip(attempts, await asyncio.gather(*attempts.values()), strict=True))
            won = [status for status, r in results.items() if r.status_code == 200]
            lost = [status for status, r in results.items() if r.status_code == 409]
            assert len(won) == 1 and len(lost) == 2, {s: r.text for s, r in results.items()}
            stored = (await client.get(f"/api/interviews/{iv['id']}", headers=ADMIN)).json()
            # the one change that was accepted is the one that is stored
            assert stored["status"] == won[0]
            assert (
                stored["end_reason"]
                == {
                    "completed": "completed",
                    "error": "crash",
                    "cancelled": "cancelled_by_admin",
                }[won[0]]
            )
