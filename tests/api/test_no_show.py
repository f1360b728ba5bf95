"""No-shows without LiveKit: the API's periodic task ends an interview nobody started when
its invite link expires or, without an invite, after NO_SHOW_AFTER_HOURS; the list's
outcome filter finds it and a late candidate opening the link is told what happened."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tests.api.support import ADMIN, api_client, m2m_headers, make_settings
from voicehire.api.no_show import NoShowTask


async def _interview(client, name):
    cand = await client.post("/api/candidates", json={"name": name}, headers=ADMIN)
    body = {"candidate_id": cand.json()["id"], "plan": "mock"}
    res = await client.post("/api/interviews", json=body, headers=ADMIN)
    assert res.status_code == 201, res.text
    return res.json()["interview"]


async def _get(client, iid):
    return (await client.get(f"/api/interviews/{iid}", headers=ADMIN)).json()


async def _set_invite_expiry(client, iid, when: datetime) -> None:
    """As POST .../invite leaves it (the SMTP send itself is tested in test_invites)."""
    from voicehire.api import services
    from voicehire.storage.models import Interview

    state = client.app.state.vh
    async with state.db.session() as session:
        interview = await session.get(Interview, iid)
        interview.room_metadata = {
            **(interview.room_metadata or {}),
            services.INVITE_EXPIRES_KEY: when.isoformat(),
        }
        await session.commit()


async def test_expired_invite_and_old_uninvited_interview_become_no_shows(tmp_path):
    settings = make_settings(tmp_path, no_show_after_hours=48)
    async with api_client(settings) as client:
        now = datetime.now(UTC)
        invited = await _interview(client, "Ivy Invited")
        await _set_invite_expiry(client, invited["id"], now + timedelta(hours=72))
        uninvited = await _interview(client, "Una Uninvited")
        started = await _interview(client, "Sam Started")
        agent = await m2m_headers(client)
        res = await client.post(
            f"/api/agent/interviews/{started['id']}/status",
            json={"status": "in_progress"},
            headers=agent,
        )
        assert res.status_code == 200, res.text

        task = NoShowTask(client.app.state.vh, clock=lambda: now + timedelta(hours=24))
        assert await task.run_once() == []  # nothing overdue yet
        for iv in (invited, uninvited):
            body = await _get(client, iv["id"])
            assert body["status"] == "scheduled" and body["outcome"] is None

        # 49 h: the uninvited interview is past NO_SHOW_AFTER_HOURS; the invite still works
        task.clock = lambda: now + timedelta(hours=49)
        assert await task.run_once() == [uninvited["id"]]
        # 73 h: the invite expired, but the hiring team may still resend it for 48 h
        task.clock = lambda: now + timedelta(hours=73)
        assert await task.run_once() == []
        # 121 h: nobody resent it; a running interview is never a no-show
        task.clock = lambda: now + timedelta(hours=121)
        assert await task.run_once() == [invited["id"]]
        assert await task.run_once() == []

        for iv in (invited, uninvited):
            body = await _get(client, iv["id"])
            assert body["status"] == "cancelled"
            assert body["end_reason"] == "candidate_no_show"
            assert body["outcome"] == "no_show"
            assert body["outcome_label"] == "No-show (the interview never started)"
        assert (await _get(client, started["id"]))["status"] == "in_progress"

        res = await client.get("/api/interviews", params={"outcome": "no_show"}, headers=ADMIN)
        names = sorted(i["metadata"]["candidateName"] for i in res.json()["items"])
        assert names == ["Ivy Invited", "Una Uninvited"]

        # the late candidate opening the link is told it expired, and gets no session
        late = (await client.get(f"/api/web/join/{invited['room_name']}")).json()
        assert "expired before the interview was started" in late["message"]
        assert "cancelled by the hiring team" not in late["message"]
        assert "token" not in late and "wsUrl" not in late


async def test_no_show_window_zero_never_ends_an_uninvited_interview(tmp_path):
    settings = make_settings(tmp_path, no_show_after_hours=0)
    async with api_client(settings) as client:
        iv = await _interview(client, "Pat Patient")
        task = NoShowTask(
            client.app.state.vh, clock=lambda: datetime.now(UTC) + timedelta(days=365)
        )
        assert await task.run_once() == []
        assert (await _get(client, iv["id"]))["status"] == "scheduled"


async def test_the_api_checks_for_no_shows_periodically(tmp_path):
    settings = make_settings(tmp_path, no_show_after_hours=0.1 / 3600, no_show_check_interval=0.05)
    async with api_client(settings) as client:
        iv = await _interview(client, "Quinn Quick")
        for _ in range(100):  # the lifespan's task, every 50 ms
            if (await _get(client, iv["id"]))["outcome"] == "no_show":
                break
            await asyncio.sleep(0.05)
        assert (await _get(client, iv["id"]))["outcome"] == "no_show"
