"""Bad input gets a JSON 4xx naming the problem; oversized bodies are refused."""

from __future__ import annotations

from tests.api.support import ADMIN, api_client, make_settings


async def test_unknown_path_and_method_are_json(client):
    res = await client.get("/api/nope", headers=ADMIN)
    assert res.status_code == 404 and res.json()["message"] == "no such endpoint: GET /api/nope"
    res = await client.put("/api/candidates", headers=ADMIN)
    assert res.status_code == 405 and "PUT" in res.json()["message"]


async def test_invalid_json_and_missing_fields_name_the_problem(client):
    res = await client.post(
        "/api/candidates",
        content=b"{not json",
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert res.status_code == 422 and res.json()["error"] == "invalid_request"
    res = await client.post("/api/candidates", json={"email": "x@y.z"}, headers=ADMIN)
    assert res.status_code == 422 and "name: Field required" in res.json()["message"]
    res = await client.post("/api/candidates", json={"name": "A", "bogus": 1}, headers=ADMIN)
    assert res.status_code == 422 and "bogus" in res.json()["message"]


async def test_nul_characters_and_bad_ids_are_refused(client):
    res = await client.post("/api/candidates", json={"name": "A\x00B"}, headers=ADMIN)
    assert res.status_code == 422 and "NUL" in res.json()["message"]
    res = await client.post(
        "/api/candidates", json={"name": "A", "extracted_data": {"k": "v\x00"}}, headers=ADMIN
    )
    assert res.status_code == 422
    res = await client.get("/api/candidates/bad%20id!", headers=ADMIN)
    assert res.status_code == 422
    res = await client.get("/api/interviews?limit=100000", headers=ADMIN)
    assert res.status_code == 422 and "limit" in res.json()["message"]


async def test_oversized_bodies_are_refused(tmp_path):
    async with api_client(make_settings(tmp_path, vh_max_body_bytes=2048)) as client:
        res = await client.post(
            "/api/candidates", json={"name": "A", "notes": "x" * 5000}, headers=ADMIN
        )
        assert res.status_code == 413
        assert "larger than 2048 bytes" in res.json()["message"]

        async def chunks():
            for _ in range(10):
                yield b"x" * 1000

        res = await client.post("/api/candidates", content=chunks(), headers=ADMIN)
        assert res.status_code == 413
        res = await client.post("/api/candidates", json={"name": "small"}, headers=ADMIN)
        assert res.status_code == 201
