"""The SQLite file deleted or replaced under a running server: unhealthy, and no write
goes to an unlinked file that vanishes at the next restart."""

from __future__ import annotations

import shutil

from tests.api.support import ADMIN, api_client, make_settings


def _remove_database(tmp_path) -> None:
    for path in tmp_path.glob("voicehire.db*"):  # the file and its -wal/-shm
        path.unlink()


async def test_deleting_the_sqlite_file_makes_health_503_and_writes_fail(tmp_path):
    async with api_client(make_settings(tmp_path)) as client:
        ok = await client.post("/api/candidates", json={"name": "Ada"}, headers=ADMIN)
        assert ok.status_code == 201
        assert (await client.get("/health")).status_code == 200

        _remove_database(tmp_path)

        health = await client.get("/health")
        assert health.status_code == 503
        assert health.json()["services"]["database"] == "unhealthy"
        res = await client.post("/api/candidates", json={"name": "Grace"}, headers=ADMIN)
        assert res.status_code == 503
        assert res.json()["error"] == "database_unavailable"
        assert "deleted or replaced" in res.json()["message"]
        listed = await client.get("/api/candidates", headers=ADMIN)
        assert listed.status_code == 503  # not a stale answer from the unlinked file


async def test_replacing_the_sqlite_file_is_detected_too(tmp_path):
    async with api_client(make_settings(tmp_path)) as client:
        assert (await client.post("/api/candidates", json={"name": "A"}, headers=ADMIN)).is_success
        copy = tmp_path / "copy.db"
        shutil.copy(tmp_path / "voicehire.db", copy)
        _remove_database(tmp_path)
        copy.rename(tmp_path / "voicehire.db")  # e.g. a restore over the live file
        assert (await client.get("/health")).status_code == 503
        res = await client.post("/api/candidates", json={"name": "B"}, headers=ADMIN)
        assert res.status_code == 503
