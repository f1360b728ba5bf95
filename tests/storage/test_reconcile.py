"""What the API does with interviews whose end went missing: on start, one whose full
transcript arrived but whose end status did not is ended as its transcript says; one in
progress long past its maximum duration is flagged ``stuck`` (list filter) and logged."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

from tests.api.support import ADMIN, api_client, m2m_headers, make_settings

from voicehire.storage import repositories as repo
from voicehire.storage.models import utcnow


def _fixture(name: str) -> dict:
    return json.loads(
        (Path(__file__).resolve().parents[1] / "domain" / "fixtures" / name).read_text()
    )


async def _started_interview(client, agent) -> str:
    cand = (await client.post("/api/candidates", json={"name": "Ines"}, headers=ADMIN)).json()
    res = await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    iid = res.json()["interview"]["id"]
    res = await client.post(
        f"/api/agent/interviews/{iid}/status", json={"status": "in_progress"}, headers=agent
    )
    assert res.status_code == 200
    return iid


async def test_an_interview_whose_transcript_arrived_without_its_end_is_ended_at_start(
    tmp_path, caplog
):
    settings = make_settings(tmp_path)
    async with api_client(settings) as client:
        agent = await m2m_headers(client)
        iid = await _started_interview(client, agent)
        doc = {
            "sessionInfo": {"interviewId": iid, "endReason": "manual_end"},
            "stages": [],
            "fullConversation": [],
            "metadata": {"kind": "full"},
        }
        res = await client.post(
            f"/api/agent/interviews/{iid}/transcripts",
            json={"kind": "full", "name": "full.json", "document": doc},
            headers=agent,
        )
        assert res.status_code == 201
    caplog.set_level(logging.WARNING)
    async with api_client(settings) as client:  # the API restarts
        got = (await client.get(f"/api/interviews/{iid}", headers=ADMIN)).json()
    assert (got["status"], got["end_reason"]) == ("completed", "manual_end")
    assert any("ended from its stored transcript" in r.getMessage() for r in caplog.records)


async def test_an_interview_long_past_its_maximum_duration_is_flagged_stuck(tmp_path, caplog):
    settings = make_settings(tmp_path)
    async with api_client(settings) as client:
        agent = await m2m_headers(client)
        stuck_id = await _started_interview(client, agent)
        live_id = await _started_interview(client, agent)
        state = client.app.state.vh
        async with state.db.sessionmaker() as session:
            interview = await repo.get_interview(session, stuck_id)
            limit = int(interview.room_metadata["maxDuration"])
            interview.started_at = utcnow() - timedelta(seconds=limit) - timedelta(hours=1)
            await session.commit()
        listing = (await client.get("/api/interviews?stuck=true", headers=ADMIN)).json()
        assert [i["id"] for i in listing["items"]] == [stuck_id] and listing["total"] == 1
        assert listing["items"][0]["stuck"] is True
        others = (await client.get("/api/interviews?stuck=false", headers=ADMIN)).json()
        assert [i["id"] for i in others["items"]] == [live_id]
        assert others["items"][0]["stuck"] is False
    caplog.set_level(logging.WARNING)
    async with api_client(settings):
        pass
    stuck_logs = [r for r in caplog.records if "stuck in progress" in r.getMessage()]
    assert [r.interview_id for r in stuck_logs] == [stuck_id]


async def test_an_ended_interview_whose_evaluation_never_came_is_scored_by_the_api(tmp_path):
    """The process that ran it died between the end and the evaluation."""
    from voicehire.api import reconcile

    doc = _fixture("interview_full.json")
    settings = make_settings(tmp_path)
    async with api_client(settings) as client:
        agent = await m2m_headers(client)
        iid = await _started_interview(client, agent)
        doc["sessionInfo"]["interviewId"] = iid
        res = await client.post(
            f"/api/agent/interviews/{iid}/transcripts",
            json={"kind": "full", "name": "full.json", "document": doc},
            headers=agent,
        )
        assert res.status_code == 201
        await client.post(
            f"/api/agent/interviews/{iid}/status",
            json={"status": "completed", "end_reason": "completed"},
            headers=agent,
        )
        state = client.app.state.vh
        # a result may still be on its way just after the end
        assert await reconcile.score_missing_results(state) == 0
        async with state.db.sessionmaker() as session:
            interview = await repo.get_interview(session, iid)
            interview.ended_at = utcnow() - reconcile.GRACE - timedelta(seconds=1)
            await session.commit()
        assert await reconcile.score_missing_results(state) == 1
        res = await client.get(f"/api/interviews/{iid}/result", headers=ADMIN)
        assert res.status_code == 200 and res.json()["result"]["interview_id"] == iid
        assert await reconcile.score_missing_results(state) == 0
