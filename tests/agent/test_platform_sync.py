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


class Switchable(httpx.AsyncBaseTransport):
    """The API's transport, or a refused connection while ``down``."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.down = False
        self.refused = 0

    async def handle_async_request(self, request):
        if self.down:
            self.refused += 1
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


async def test_an_end_while_the_api_is_down_is_stored_once_it_is_back(tmp_path):
    settings = _agent_settings(tmp_path, outbox_dir=tmp_path / "outbox")
    async with api_client(settings) as client:
        iid = (await _interview(client))["id"]
        transport = Switchable(httpx.ASGITransport(app=client.app))
        platform = PlatformClient(
            "http://api.test", M2M_ID, M2M_SECRET, retry_delay=0.01, transport=transport
        )
        with fake_job_context(
            job_metadata=json.dumps({"interviewId": iid}), room=rtc.Room()
        ) as ctx:
            runtime = await worker.run_job(ctx, settings, platform)
            assert runtime is not None
            await wait_until(lambda: runtime.awaiting_answer)
            await ctx.primary_session.run(user_input=LONG_ANSWER)
            transport.down = True  # the API goes away just before the interview ends
            await runtime.handle_control(ControlMessage(type="end_interview", data={}))
            await wait_until(
                lambda: len(list((tmp_path / "outbox" / "agent").glob("*-result.json"))) == 1
            )
            got = (await client.get(f"/api/interviews/{iid}", headers=ADMIN)).json()
            assert got["status"] == "in_progress" and transport.refused > 0
            queued = sorted(
                p.name.split("-")[-1] for p in (tmp_path / "outbox" / "agent").glob("*.json")
            )
            assert queued == ["result.json", "status.json", "transcript.json"]

            await asyncio.sleep(1.0)
            transport.down = False  # back: the job's retries deliver everything
            for _ in range(300):
                if not list((tmp_path / "outbox" / "agent").glob("*.json")):
                    break
                await asyncio.sleep(0.1)
            got = (await client.get(f"/api/interviews/{iid}", headers=ADMIN)).json()
            assert (got["status"], got["end_reason"]) == ("completed", "manual_end")
            index = (await client.get(f"/api/interviews/{iid}/transcripts", headers=ADMIN)).json()
            assert [t["kind"] for t in index].count("full") == 1
            res = await client.get(f"/api/interviews/{iid}/result", headers=ADMIN)
            assert res.status_code == 200 and res.json()["result"]["interview_id"] == iid
            await asyncio.wait_for(ctx.primary_session.aclose(), timeout=10)
            await platform.aclose()


async def test_a_worker_delivers_what_a_gone_job_left_in_the_outbox(tmp_path):
    """A job killed before the API came back: its queued end stays on disk, and the
    worker process's outbox delivers it in order (transcript, then status)."""
    from voicehire.agent.platform_sync import platform_deliverer
    from voicehire.storage.outbox import Outbox

    settings = _agent_settings(tmp_path)
    async with api_client(settings) as client:
        iid = (await _interview(client))["id"]
        outbox = Outbox(tmp_path / "outbox", base_delay=0.01)
        doc = {"sessionInfo": {}, "stages": [], "fullConversation": [], "metadata": {}}
        outbox.enqueue(iid, "transcript", {"kind": "full", "name": "full.json", "document": doc})
        outbox.enqueue(iid, "status", {"status": "completed", "end_reason": "completed"})
        platform = _platform(client)
        assert await outbox.deliver_all(platform_deliverer(platform), within=10)
        got = (await client.get(f"/api/interviews/{iid}", headers=ADMIN)).json()
        assert got["status"] == "completed"
        index = (await client.get(f"/api/interviews/{iid}/transcripts", headers=ADMIN)).json()
        assert [t["name"] for t in index] == ["full.json"]
        # a refused change is set aside (not retried forever) and logged
        outbox.enqueue(iid, "status", {"status": "in_progress"})
        assert await outbox.deliver_all(platform_deliverer(platform), within=10)
        assert len(list((tmp_path / "outbox" / "failed").glob("*.json"))) == 1
        await platform.aclose()
