"""The worker talking to the real VoiceHire API app (in-process, through the M2M client)."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
from livekit import rtc
from livekit.agents.testing import fake_job_context

from tests.api.support import ADMIN, M2M_ID, M2M_SECRET, api_client
from tests.api.support import make_settings as api_settings
from tests.harness import LONG_ANSWER, wait_until
from voicehire.agent import worker
from voicehire.agent.messages import ControlMessage
from voicehire.platform_client import PlatformClient


async def _interview(client, name="Priya Shah"):
    cand = (await client.post("/api/candidates", json={"name": name}, headers=ADMIN)).json()
    job = (
        await client.post(
            "/api/jobs", json={"title": "Backend Engineer", "plan": "mock"}, headers=ADMIN
        )
    ).json()
    res = await client.post(
        "/api/interviews", json={"candidate_id": cand["id"], "job_id": job["id"]}, headers=ADMIN
    )
    assert res.status_code == 201, res.text
    return res.json()["interview"]


def _agent_settings(tmp_path, **kw):
    return api_settings(
        tmp_path,
        llm_provider="policy",
        tts_provider="none",
        stt_provider="none",
        transcript_dir=tmp_path / "transcripts",
        transcript_retry_delay=0.01,
        **kw,
    )


def _platform(client) -> PlatformClient:
    return PlatformClient(
        "http://api.test",
        M2M_ID,
        M2M_SECRET,
        retry_delay=0.01,
        transport=httpx.ASGITransport(app=client.app),
    )


async def test_interview_reports_to_the_api_from_start_to_result(tmp_path):
    settings = _agent_settings(tmp_path)
    async with api_client(settings) as client:
        interview = await _interview(client)
        iid = interview["id"]
        # the dispatch carries only the id; everything else comes from the API
        with fake_job_context(
            job_metadata=json.dumps({"interviewId": iid}), room=rtc.Room()
        ) as ctx:
            platform = _platform(client)
            runtime = await worker.run_job(ctx, settings, platform)
            assert runtime is not None
            assert runtime.config.candidate_name == "Priya Shah"
            assert runtime.plan.plan.id == "mock"
            got = (await client.get(f"/api/interviews/{iid}", headers=ADMIN)).json()
            assert got["status"] == "in_progress"

            session = ctx.primary_session
            await wait_until(lambda: runtime.awaiting_answer)
            await session.run(user_input=LONG_ANSWER)
            await runtime.handle_control(ControlMessage(type="end_interview", data={}))
            got = (await client.get(f"/api/interviews/{iid}", headers=ADMIN)).json()
            assert (got["status"], got["end_reason"]) == ("completed", "manual_end")

            index = (await client.get(f"/api/interviews/{iid}/transcripts", headers=ADMIN)).json()
            kinds = sorted(t["kind"] for t in index)
            assert kinds.count("full") == 1 and kinds.count("stage") >= 2

            async def result_stored():
                res = await client.get(f"/api/interviews/{iid}/result", headers=ADMIN)
                return res.status_code == 200

            for _ in range(600):  # the evaluation runs after the goodbye, off the call
                if await result_stored():
                    break
                await asyncio.sleep(0.1)
            assert await result_stored()
            # and the local files are there too
            assert list((tmp_path / "transcripts").glob(f"interview_{iid}_full_*.json"))
            await asyncio.wait_for(session.aclose(), timeout=10)
            await platform.aclose()


async def test_a_finished_interview_is_refused(tmp_path, caplog):
    caplog.set_level(logging.ERROR)
    settings = _agent_settings(tmp_path)
    async with api_client(settings) as client:
        interview = await _interview(client)
        await client.post(f"/api/interviews/{interview['id']}/cancel", json={}, headers=ADMIN)
        with fake_job_context(
            job_metadata=json.dumps({"interviewId": interview["id"]}), room=rtc.Room()
        ) as ctx:
            platform = _platform(client)
            assert await worker.run_job(ctx, settings, platform) is None
            await platform.aclose()
    assert any(r.getMessage().startswith("interview refused") for r in caplog.records)


async def test_api_down_degrades_to_room_metadata(tmp_path, caplog):
    caplog.set_level(logging.ERROR)
    settings = _agent_settings(tmp_path)

    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    platform = PlatformClient(
        "http://api.test",
        M2M_ID,
        M2M_SECRET,
        retry_delay=0.01,
        transport=httpx.MockTransport(refuse),
    )
    meta = {"interviewId": "iv-offline", "candidateName": "Lee", "interviewType": "mock"}
    with fake_job_context(job_metadata=json.dumps(meta), room=rtc.Room()) as ctx:
        runtime = await worker.run_job(ctx, settings, platform)
        assert runtime is not None and runtime.config.candidate_name == "Lee"
        await wait_until(lambda: runtime.awaiting_answer)
        outcome = await runtime.end("manual_end", speak=False)
        # the transcript is stored locally even though every upload failed
        assert outcome.transcript_path and outcome.transcript_path.endswith(".json")
        # with no TTS engine the agent still speaks in text: its question is in the transcript
        said = [u["message"] for u in outcome.transcript["fullConversation"] if u["isAI"]]
        assert any("introduce yourself" in line for line in said), said
        ctx.primary_session.shutdown(drain=False)
        await platform.aclose()
    messages = [r.getMessage() for r in caplog.records]
    assert "could not fetch the interview configuration; using the room metadata" in messages
    assert "transcript upload failed; the local copy is kept" in messages
