"""The LiveKit worker's job handling, run in fake jobs (no LiveKit server needed)."""

from __future__ import annotations

import asyncio
import json
import logging
from types import SimpleNamespace

from livekit import rtc
from livekit.agents.testing import fake_job_context

from tests.harness import wait_until
from voicehire.agent import worker
from voicehire.agent.local_run import wait_for_turn
from voicehire.agent.modes.interview import resolve_plan_or_default
from voicehire.agent.room import wire_room
from voicehire.settings import load_settings


def _settings(**kw):
    return load_settings(llm_provider="policy", tts_provider="none", stt_provider="none", **kw)


def _prepare(ctx, settings):
    """What a job makes of its metadata: the configuration, the plan, every problem."""
    parsed = worker.job_config(ctx, settings)
    plan, problem = resolve_plan_or_default(settings, parsed.config)
    return SimpleNamespace(
        config=parsed.config, plan=plan, problems=[*parsed.problems, *filter(None, [problem])]
    )


async def test_malformed_metadata_gets_defaults_and_a_clear_error(caplog):
    caplog.set_level(logging.ERROR)
    with fake_job_context(job_metadata='{"sessionType": "ai_interview",') as ctx:
        setup = _prepare(ctx, _settings())
    assert setup.config.session_type == "ai_interview"
    assert setup.config.max_duration == 1800
    assert setup.plan.plan.id == "full"
    assert len(setup.problems) == 1 and "not valid JSON" in setup.problems[0]
    logged = [r for r in caplog.records if r.getMessage() == "invalid session metadata"]
    assert logged and "not valid JSON" in logged[0].problem


async def test_invalid_fields_fall_back_one_by_one():
    meta = json.dumps(
        {
            "sessionType": "karaoke",
            "maxDuration": "soon",
            "interviewRole": "Data Engineer",
            "enableTranscription": "maybe",
            "interviewType": "mock",
        }
    )
    with fake_job_context(job_metadata=meta) as ctx:
        setup = _prepare(ctx, _settings())
    c = setup.config
    assert (c.session_type, c.max_duration, c.enable_transcription) == ("ai_interview", 1800, True)
    assert c.interview_role == "Data Engineer"
    assert setup.plan.plan.id == "mock"  # interviewType "mock" selects the mock plan
    joined = " ".join(setup.problems)
    for field in ("sessionType='karaoke'", "maxDuration='soon'", "enableTranscription='maybe'"):
        assert field in joined


async def test_unknown_plan_falls_back_to_the_full_plan():
    with fake_job_context(job_metadata='{"plan": "no-such-plan"}') as ctx:
        setup = _prepare(ctx, _settings())
    assert setup.plan.plan.id == "full"
    assert "no-such-plan" in setup.problems[0]


async def test_seed_metadata_is_read():
    meta = {
        "sessionType": "ai_interview",
        "maxDuration": 900,
        "enableTranscription": True,
        "enableRecording": False,
        "interviewRole": "Backend Engineer",
        "interviewType": "technical",
        "interviewId": 12345,
        "candidateName": "Ada",
    }
    with fake_job_context(job_metadata=json.dumps(meta)) as ctx:
        setup = _prepare(ctx, _settings())
    c = setup.config
    assert (c.max_duration, c.interview_id, c.candidate_name) == (900, "12345", "Ada")
    assert setup.problems == []


async def test_entrypoint_survives_malformed_metadata(tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "get_settings", lambda: _settings(transcript_dir=tmp_path))
    with fake_job_context(job_metadata="not json at all", room=rtc.Room()) as ctx:
        await asyncio.wait_for(worker.entrypoint(ctx), timeout=10)
        session = ctx.primary_session
        assert session is not None
        session.shutdown(drain=False)
        await asyncio.wait_for(session.aclose(), timeout=10)


async def test_room_events_drive_the_interview(start_interview):
    settings = _settings()
    run = await start_interview()
    assert await wait_for_turn(run)
    room = rtc.Room()
    ctx = SimpleNamespace(room=room)
    wire_room(ctx, run.runtime, settings)

    def packet(doc, topic="control"):
        return SimpleNamespace(data=json.dumps(doc).encode(), topic=topic)

    room.emit("data_received", packet({"type": "candidate_info", "data": {"name": "Robin"}}))
    await wait_until(lambda: run.runtime.candidate_info.get("name") == "Robin")
    assert run.runtime.candidate_name == "Sam"  # the server sets the name, not the page
    room.emit("data_received", packet({"type": "dance"}))  # ignored, logged
    room.emit("data_received", SimpleNamespace(data=b"\xff", topic="control"))  # not JSON
    agent = SimpleNamespace(
        identity="interview-agent-x", kind=rtc.ParticipantKind.PARTICIPANT_KIND_AGENT
    )
    room.emit("participant_disconnected", agent)  # another agent leaving is not the candidate
    await asyncio.sleep(0.1)
    assert not run.runtime.ended.is_set()
    person = SimpleNamespace(
        identity="candidate-42", kind=rtc.ParticipantKind.PARTICIPANT_KIND_STANDARD
    )
    room.emit("participant_disconnected", person)
    await wait_until(run.runtime.ended.is_set)
    assert run.runtime.outcome.end_reason == "candidate_left"
    assert run.runtime.outcome.transcript["sessionInfo"]["endReason"] == "candidate_left"


async def test_dispatch_is_explicit_and_identity_is_recognisable():
    settings = _settings(agent_name="voicehire-test")
    assert worker.build_server(settings)._agent_name == "voicehire-test"
    accepted = {}

    async def accept(**kw):
        accepted.update(kw)

    await worker.request_handler(SimpleNamespace(id="AJ_abcdef123456", accept=accept))
    assert accepted["identity"].startswith("interview-agent")


async def test_session_type_selects_the_mode(tmp_path):
    from voicehire.agent.modes.call import CallRuntime
    from voicehire.agent.modes.interview import InterviewRuntime

    settings = _settings(transcript_dir=tmp_path)
    cases = {
        "gap_filling": {
            "sessionType": "gap_filling",
            "candidateName": "Ada",
            "missing_required": ["notice_period"],
        },
        "briefing": {
            "sessionType": "briefing",
            "briefing": {"candidate_name": "Ada", "role": "Backend Engineer"},
        },
        "ai_interview": {"sessionType": "ai_interview"},
    }
    for mode, meta in cases.items():
        with fake_job_context(job_metadata=json.dumps(meta), room=rtc.Room()) as ctx:
            runtime = await worker.run_job(ctx, settings, None)
            expected = InterviewRuntime if mode == "ai_interview" else CallRuntime
            assert isinstance(runtime, expected), mode
            assert runtime.config.session_type == mode
            await runtime.end("test", speak=False)
            await asyncio.wait_for(ctx.primary_session.aclose(), timeout=10)


async def test_room_metadata_cannot_open_files_as_plans(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: x\napi_key: hunter2\n")
    with fake_job_context(job_metadata=json.dumps({"plan": str(secret)})) as ctx:
        setup = _prepare(ctx, _settings())
    assert setup.plan.plan.id == "full"
    assert "built-in plan" in setup.problems[0] and "hunter2" not in " ".join(setup.problems)
