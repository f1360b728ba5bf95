"""Lone UTF-16 surrogates (issue 12, item 4): the API refuses them on the way in, and a
record already stored with one (written straight into the database) never breaks a list
or a record's page: the bad character is shown as U+FFFD."""

from __future__ import annotations

import sqlite3

from tests.api.support import ADMIN

LONE = "\ud800"


async def test_api_bodies_with_a_lone_surrogate_are_refused(client):
    # JSON's \\ud800 escape decodes to a lone surrogate; the schema says what is wrong
    body = '{"name": "Ada \\ud800"}'
    res = await client.post(
        "/api/candidates",
        content=body,
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert res.status_code == 422 and "unicode" in res.text.lower()
    listed = await client.get("/api/candidates", headers=ADMIN)
    assert listed.status_code == 200 and listed.json()["items"] == []


async def test_one_stored_record_with_a_lone_surrogate_never_breaks_the_lists(client, tmp_path):
    good = (await client.post("/api/candidates", json={"name": "Grace"}, headers=ADMIN)).json()
    bad = (await client.post("/api/candidates", json={"name": "Ada"}, headers=ADMIN)).json()
    for cand in (good, bad):
        res = await client.post(
            "/api/interviews", json={"candidate_id": cand["id"], "plan": "mock"}, headers=ADMIN
        )
        assert res.status_code == 201, res.text
    # as an earlier version stored it: JSON columns keep the \\ud800 escape
    db = sqlite3.connect(tmp_path / "voicehire.db")
    db.execute(
        "UPDATE candidates SET extracted_data = ? WHERE id = ?",
        ('{"notice_period": "two weeks \\ud800"}', bad["id"]),
    )
    db.execute(
        "UPDATE interviews SET room_metadata = json_set(room_metadata, '$.candidateName', "
        "json('\"Ada \\ud800\"')) WHERE candidate_id = ?",
        (bad["id"],),
    )
    db.commit()
    db.close()

    res = await client.get("/api/candidates", headers=ADMIN)
    assert res.status_code == 200, res.text
    items = {c["id"]: c for c in res.json()["items"]}
    assert set(items) == {good["id"], bad["id"]}
    assert items[bad["id"]]["extracted_data"]["notice_period"].startswith("two weeks")
    assert LONE not in res.text

    one = await client.get(f"/api/candidates/{bad['id']}", headers=ADMIN)
    assert one.status_code == 200 and one.json()["extracted_data"]["notice_period"] == (
        "two weeks \ufffd"
    )
    listed = await client.get("/api/interviews", headers=ADMIN)
    assert listed.status_code == 200, listed.text
    assert len(listed.json()["items"]) == 2
