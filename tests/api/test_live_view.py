"""The live view's endpoints without a running session (the embedded default, no LiveKit):
nothing to watch is said plainly, and ending what is not running is refused with why.
The running cases are tested with a real session (tests/web/test_e2e_live_view.py) and on
the real LiveKit server (tests/livekit_server/test_live_observer.py)."""

from __future__ import annotations

from tests.api.support import ADMIN


async def new_interview(client):
    cand = (await client.post("/api/candidates", json={"name": "Ana"}, headers=ADMIN)).json()
    res = await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    assert res.status_code == 201, res.text
    return res.json()["interview"]


async def test_an_interview_nobody_joined_has_nothing_to_watch_or_end(client):
    iid = (await new_interview(client))["id"]
    access = (await client.get(f"/api/interviews/{iid}/live", headers=ADMIN)).json()
    assert access["transport"] == "none" and access["running"] is True
    assert access["observer_token"] is None and access["events_url"] is None

    events = await client.get(f"/api/interviews/{iid}/live/events", headers=ADMIN)
    assert events.status_code == 404
    assert "no session running" in events.json()["message"]

    end = await client.post(f"/api/interviews/{iid}/end", headers=ADMIN)
    assert end.status_code == 409
    assert "cancel it instead" in end.json()["message"]


async def test_ending_an_ended_interview_is_refused(client):
    iid = (await new_interview(client))["id"]
    await client.post(f"/api/interviews/{iid}/cancel", headers=ADMIN)
    end = await client.post(f"/api/interviews/{iid}/end", headers=ADMIN)
    assert end.status_code == 409 and "already ended" in end.json()["message"]
    access = (await client.get(f"/api/interviews/{iid}/live", headers=ADMIN)).json()
    assert access["running"] is False


async def test_only_the_recruiter_may_watch_or_end(client):
    iid = (await new_interview(client))["id"]
    for method, path in (("GET", "live"), ("GET", "live/events"), ("POST", "end")):
        res = await client.request(
            method, f"/api/interviews/{iid}/{path}", headers={"Authorization": "Bearer nope"}
        )
        assert res.status_code == 401, path
