"""The worker's job (``worker.run_job``) for gap-filling and briefing interviews, against
the real VoiceHire API app (in-process, through the M2M client): gap-filling saves into
the candidate record while the call goes on; the briefing reads it and writes nothing."""

from __future__ import annotations

import json

import httpx
from livekit import rtc
from livekit.agents.testing import fake_job_context

from tests.api.support import ADMIN, M2M_ID, M2M_SECRET, api_client
from tests.api.support import make_settings as api_settings
from tests.harness import wait_until
from voicehire.agent import worker
from voicehire.platform_client import PlatformClient


class RecordingTransport(httpx.AsyncBaseTransport):
    """The app's ASGI transport, keeping every request the agent sends."""

    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.requests: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        return await self.inner.handle_async_request(request)


def _settings(tmp_path):
    return api_settings(
        tmp_path,
        llm_provider="policy",
        tts_provider="none",
        stt_provider="none",
        transcript_dir=tmp_path / "transcripts",
        candidate_dir=tmp_path / "candidates",
        transcript_retry_delay=0.01,
    )


async def _start(client, ctx, settings, interview_id, transport):
    """What the worker does for a gap_filling / briefing interview from the API."""
    platform = PlatformClient(
        "http://api.test", M2M_ID, M2M_SECRET, retry_delay=0.01, transport=transport
    )
    runtime = await worker.run_job(ctx, settings, platform)
    assert runtime is not None
    return runtime, platform


async def _turn(runtime, text):
    await wait_until(lambda: runtime.awaiting_answer)
    await runtime.session.run(user_input=text)


async def test_gap_filling_job_saves_each_answer_to_the_api_as_it_is_given(tmp_path):
    settings = _settings(tmp_path)
    async with api_client(settings) as client:
        cand = (
            await client.post(
                "/api/candidates",
                json={"name": "Priya Shah", "missing_required": ["expected_salary", "notice"]},
                headers=ADMIN,
            )
        ).json()
        res = await client.post(
            "/api/interviews",
            json={"candidate_id": cand["id"], "mode": "gap_filling"},
            headers=ADMIN,
        )
        assert res.status_code == 201, res.text
        iid = res.json()["interview"]["id"]
        transport = RecordingTransport(client.app)
        with fake_job_context(
            job_metadata=json.dumps({"interviewId": iid}), room=rtc.Room()
        ) as ctx:
            runtime, platform = await _start(client, ctx, settings, iid, transport)
            assert runtime.mode == "gap_filling"
            assert list(runtime.gap.fields) == ["expected_salary", "notice_period"]
            await _turn(runtime, "a hundred and forty thousand")
            await _turn(runtime, "yes")
            # saved in the API's record while the call is still going
            assert not runtime.ended.is_set()
            got = (await client.get(f"/api/candidates/{cand['id']}", headers=ADMIN)).json()
            assert got["extracted_data"]["expected_salary"]["amount"] == 140000
            assert got["missing_required"] == ["notice_period"]  # stored by the field spec's name
            await _turn(runtime, "I'd prefer not to say")
            await wait_until(runtime.ended.is_set)

            got = (await client.get(f"/api/candidates/{cand['id']}", headers=ADMIN)).json()
            status = got["extracted_data"]["gap_filling_status"]
            assert status["notice_period"]["status"] == "declined"
            assert got["missing_required"] == ["notice_period"]
            interview = (await client.get(f"/api/interviews/{iid}", headers=ADMIN)).json()
            assert interview["status"] == "completed"
            stored = (await client.get(f"/api/interviews/{iid}/result", headers=ADMIN)).json()
            assert [f["field"] for f in stored["result"]["filled"]] == ["expected_salary"]
            assert [f["field"] for f in stored["result"]["declined"]] == ["notice_period"]
            index = (await client.get(f"/api/interviews/{iid}/transcripts", headers=ADMIN)).json()
            assert [t["kind"] for t in index].count("full") == 1
            patches = [p for m, p in transport.requests if m == "PATCH"]
            assert len(patches) == 3  # unconfirmed, confirmed, declined: each at once
            assert not (tmp_path / "candidates").exists()  # the API is the record
            await platform.aclose()


async def test_briefing_job_reads_the_api_and_writes_nothing_to_the_candidate(tmp_path):
    settings = _settings(tmp_path)
    async with api_client(settings) as client:
        cand = (
            await client.post(
                "/api/candidates",
                json={
                    "name": "Priya Shah",
                    "extracted_data": {"notice_period": 30},
                    "notes": "+ strong system design",
                    "resume_summary": "Payments backends in Python and Go.",
                },
                headers=ADMIN,
            )
        ).json()
        job = (
            await client.post(
                "/api/jobs",
                json={"title": "Backend Engineer", "required_skills": ["Python", "Kubernetes"]},
                headers=ADMIN,
            )
        ).json()
        res = await client.post(
            "/api/interviews",
            json={"candidate_id": cand["id"], "job_id": job["id"], "mode": "briefing"},
            headers=ADMIN,
        )
        assert res.status_code == 201, res.text
        iid = res.json()["interview"]["id"]
        transport = RecordingTransport(client.app)
        with fake_job_context(
            job_metadata=json.dumps({"interviewId": iid}), room=rtc.Room()
        ) as ctx:
            runtime, platform = await _start(client, ctx, settings, iid, transport)
            await _turn(runtime, "What's her notice period?")
            lines = [
                u.message for u in runtime.recorder.stages[0].conversation if u.role == "agent"
            ]
            assert "Backend Engineer" in lines[0] and "Kubernetes" in lines[0]
            assert "thirty days" in lines[-1]
            await _turn(runtime, "What does she think of our competitors?")
            assert "don't have information" in runtime.recorder.stages[0].conversation[-1].message
            await _turn(runtime, "That's all, thanks.")
            await wait_until(runtime.ended.is_set)

            after = (await client.get(f"/api/candidates/{cand['id']}", headers=ADMIN)).json()
            assert after == cand  # not a field, not a timestamp changed
            assert not any("/candidates/" in p for m, p in transport.requests if m != "GET")
            await platform.aclose()
