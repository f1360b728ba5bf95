"""Room jobs on the real server: dispatch by token, control messages, bad metadata, a
candidate who never comes, a crashing job, the seed endpoints over real rooms, and the
gap-filling and briefing calls."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import secrets
import signal
import time
from typing import Any

import httpx
import psutil
import pytest
from livekit.api import AccessToken
from livekit.protocol.agent_dispatch import CreateAgentDispatchRequest
from livekit.protocol.room import CreateRoomRequest, ListParticipantsRequest, ListRoomsRequest
from tests.livekit_server.candidate import Candidate, agents_in, poll, speech
from tests.livekit_server.conftest import SESSION_TIMEOUT

from voicehire.livekit_gateway import make_join_token


def token(stack: Any, room: str, identity: str, **kwargs: Any) -> str:
    return make_join_token(
        stack.livekit.api_key, stack.livekit.api_secret, room=room, identity=identity, **kwargs
    )


async def api_json(stack: Any, method: str, path: str, **kwargs: Any) -> Any:
    res = await stack.aadmin(method, path, **kwargs)
    assert res.status_code < 300, res.text
    return res.json()


async def new_candidate(stack: Any, **fields: Any) -> dict[str, Any]:
    return await api_json(stack, "POST", "/api/candidates", json={"name": "Sam Lee", **fields})


async def new_interview(stack: Any) -> dict[str, Any]:
    cand = await new_candidate(stack)
    return await api_json(
        stack, "POST", "/api/interviews", json={"candidate_id": cand["id"], "plan": "mock"}
    )


async def room_participants(stack: Any, room: str) -> list[str]:
    async with stack.lk_api() as lk:
        if not (await lk.room.list_rooms(ListRoomsRequest(names=[room]))).rooms:
            return []
        res = await lk.room.list_participants(ListParticipantsRequest(room=room))
        return [p.identity for p in res.participants]


async def lobby_scenario(stack: Any) -> dict[str, Any]:
    """The token's room configuration dispatches the worker; with ``waitForStart`` the
    interview begins on ``start_interview``, and ``end_interview`` ends it."""
    room = f"interview-lobby-{secrets.token_hex(6)}"
    metadata = {"sessionType": "ai_interview", "waitForStart": True, "candidateName": "Sam Lee"}
    cand = Candidate(
        stack.livekit.url,
        token(
            stack,
            room,
            "candidate-sam",
            dispatch_agent=stack.agent_name,
            dispatch_metadata=metadata,
        ),
    )
    out: dict[str, Any] = {"room": room}
    await cand.join(microphone=False)
    try:
        await cand.wait_for(lambda: agents_in(cand), 60, "the agent to be dispatched")
        await asyncio.sleep(3.0)
        out["questions_before_start"] = list(cand.of_type("question"))
        await cand.send_control({"type": "start_interview"})
        await cand.wait_for(lambda: cand.of_type("question"), 60, "the first question")
        await cand.send_control({"type": "end_interview"})
        out["ended"] = await cand.wait_for(
            lambda: cand.of_type("interview_ended"), 60, "interview_ended"
        )
        try:
            await cand.wait_for(lambda: not agents_in(cand), 20, "the agent to leave the room")
            out["agent_left"] = True
        except AssertionError:
            out["agent_left"] = False
    finally:
        await cand.leave()
    return out


@pytest.fixture(scope="module")
def lobby(stack: Any) -> dict[str, Any]:
    return asyncio.run(lobby_scenario(stack))


def test_token_dispatch_wait_for_start_then_end_interview(lobby: dict, stack: Any) -> None:
    assert lobby["questions_before_start"] == [], "the interview began before start_interview"
    (ended,) = lobby["ended"]
    assert ended["reason"] == "manual_end"
    docs = [json.loads(p.read_text()) for p in stack.transcripts.glob("interview_*_full_*.json")]
    mine = [d for d in docs if d["sessionInfo"].get("roomName") == lobby["room"]]
    assert mine and mine[0]["sessionInfo"]["endReason"] == "manual_end"


def test_agent_leaves_the_room_when_the_interview_ends(lobby: dict) -> None:
    assert lobby["agent_left"]


async def test_malformed_room_metadata_is_logged_and_the_job_runs_on_defaults(stack: Any) -> None:
    room = f"interview-badmeta-{secrets.token_hex(6)}"
    async with stack.lk_api() as lk:
        await lk.room.create_room(CreateRoomRequest(name=room, metadata="{not json"))
        await lk.agent_dispatch.create_dispatch(
            CreateAgentDispatchRequest(agent_name=stack.agent_name, room=room, metadata="[1, 2]")
        )
    cand = Candidate(stack.livekit.url, token(stack, room, "candidate-x"))
    await cand.join(microphone=False)
    try:
        await cand.wait_for(lambda: cand.of_type("question"), 90, "a question (defaults)")
        stages = [m["stage"] for m in cand.of_type("stage")]
        assert stages[0] == "greeting"  # the built-in plan
    finally:
        await cand.leave()
    logged = [
        line
        for line in stack.worker_output().splitlines()
        if "invalid session metadata" in line and room in line
    ]
    assert logged, "the worker did not log the bad metadata"


async def test_no_candidate_ends_the_job_after_the_session_timeout(stack: Any) -> None:
    created = await new_interview(stack)
    room, iid = created["interview"]["room_name"], created["interview"]["id"]
    await poll(
        lambda: room_participants(stack, room),
        lambda ids: any(i.startswith("interview-agent") for i in ids),
        60,
        "the agent to join the empty room",
    )
    joined = time.monotonic()
    final = await poll(
        lambda: api_json(stack, "GET", f"/api/interviews/{iid}"),
        lambda v: v["status"] != "scheduled",
        SESSION_TIMEOUT + 40,
        "the interview to end without a candidate",
    )
    assert time.monotonic() - joined >= SESSION_TIMEOUT - 2
    assert final["status"] == "cancelled" and final["end_reason"] == "candidate_no_show"
    await poll(
        lambda: room_participants(stack, room),
        lambda ids: not any(i.startswith("interview-agent") for i in ids),
        30,
        "the agent to leave",
    )


def job_processes(worker_pid: int) -> list[psutil.Process]:
    """The worker's job processes: children of its multiprocessing forkserver."""
    jobs = []
    for child in psutil.Process(worker_pid).children():
        try:
            if "forkserver" in " ".join(child.cmdline()):
                jobs.extend(child.children())
        except psutil.Error:
            continue
    return jobs


async def test_worker_survives_a_crashing_job(stack: Any) -> None:
    assert stack.worker is not None
    first = await new_interview(stack)
    before = {p.pid for p in job_processes(stack.worker.pid)}
    cand = Candidate(first["join"]["livekit_url"], first["join"]["token"])
    await cand.join(microphone=False)
    try:
        await cand.wait_for(lambda: cand.of_type("question"), 90, "the first job to start")
        new = [p for p in job_processes(stack.worker.pid) if p.pid not in before]
        assert new, "could not find the job's process"
        for proc in new:
            os.kill(proc.pid, signal.SIGKILL)
        said = len(cand.data)
        await cand.wait_for(lambda: not agents_in(cand), 60, "the crashed job's agent to go")
        assert len(cand.data) <= said + 1, "the killed job went on talking"
    finally:
        await cand.leave()
    assert stack.worker.poll() is None, "the worker died with its job"

    second = await new_interview(stack)
    cand = Candidate(second["join"]["livekit_url"], second["join"]["token"])
    await cand.join(microphone=False)
    try:
        await cand.wait_for(lambda: cand.of_type("question"), 90, "the next job after a crash")
    finally:
        await cand.leave()


def _signed(body: str, key: str, secret: str) -> dict[str, str]:
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    jwt = AccessToken(key, secret).with_sha256(digest).to_jwt()
    return {"Authorization": jwt, "Content-Type": "application/webhook+json"}


async def test_webhook_signed_with_another_key_is_rejected(stack: Any) -> None:
    created = await new_interview(stack)
    room, iid = created["interview"]["room_name"], created["interview"]["id"]
    body = json.dumps({"event": "room_finished", "room": {"name": room}, "id": "EV_forged"})
    async with httpx.AsyncClient(timeout=10) as client:
        forged = await client.post(
            stack.api_url + "/webhooks/livekit",
            content=body,
            headers=_signed(body, "otherkey", secrets.token_urlsafe(32)),
        )
        wrong_secret = await client.post(
            stack.api_url + "/webhooks/livekit",
            content=body,
            headers=_signed(body, stack.livekit.api_key, secrets.token_urlsafe(32)),
        )
    assert forged.status_code == 401 and wrong_secret.status_code == 401
    got = await api_json(stack, "GET", f"/api/interviews/{iid}")
    assert got["status"] == "scheduled"
    await stack.aadmin("POST", f"/api/interviews/{iid}/cancel")


async def test_agents_endpoints_start_status_and_stop_a_real_room(stack: Any) -> None:
    room = f"interview-agents-{secrets.token_hex(6)}"
    started = await api_json(
        stack, "POST", "/agents/start", json={"room_name": room, "job_title": "Data Engineer"}
    )
    assert started["status"] == "started" and started["agent_id"].startswith("AD_")
    await poll(
        lambda: room_participants(stack, room),
        lambda ids: any(i.startswith("interview-agent") for i in ids),
        60,
        "the agent in the started room",
    )
    status = await api_json(stack, "GET", f"/agents/{room}/status")
    assert status["status"] == "waiting" and status["participants"] == 1
    stopped = await api_json(stack, "DELETE", f"/agents/{room}")
    assert stopped["status"] == "stopped"
    async with stack.lk_api() as lk:
        assert not (await lk.room.list_rooms(ListRoomsRequest(names=[room]))).rooms
    got = await api_json(stack, "GET", f"/api/interviews/{started['interview_id']}")
    assert got["status"] == "cancelled" and got["end_reason"] == "manual_stop"


async def test_gap_filling_call_in_a_real_room(stack: Any, tmp_path: Any) -> None:
    person = await new_candidate(stack, missing_required=["years_of_experience"])
    session = await api_json(
        stack,
        "POST",
        "/api/voice/token",
        json={"mode": "gap_filling", "candidate_id": person["id"]},
    )
    cand = Candidate(session["livekit_url"], session["token"])
    await cand.join()
    try:
        await cand.wait_for(
            lambda: [m for m in cand.of_type("transcription") if "experience" in m["message"]],
            90,
            "the question about years of experience",
        )
        await cand.wait_for(lambda: cand.first_agent_audio, 30, "the agent's voice")
        stack.stt.say_next("About six years.")
        await cand.say(speech("About six years.", tmp_path))
        record = await poll(
            lambda: api_json(stack, "GET", f"/api/candidates/{person['id']}"),
            lambda v: "years_of_experience" in v["extracted_data"],
            60,
            "the answer saved on the candidate",
        )
    finally:
        await cand.leave()
    assert record["extracted_data"]["years_of_experience"] == 6
    assert "years_of_experience" not in record["missing_required"]


async def test_briefing_call_in_a_real_room(stack: Any) -> None:
    person = await new_candidate(
        stack,
        name="Priya Shah",
        resume_summary="Seven years building payment backends in Python and Go.",
    )
    target = await api_json(
        stack, "POST", "/api/interviews", json={"candidate_id": person["id"], "plan": "mock"}
    )
    session = await api_json(
        stack,
        "POST",
        "/api/voice/token",
        json={"mode": "briefing", "room_name": target["interview"]["room_name"]},
    )
    assert session["identity"].startswith("interviewer-")
    interviewer = Candidate(session["livekit_url"], session["token"])
    await interviewer.join(microphone=False)
    try:
        lines = await interviewer.wait_for(
            lambda: [m for m in interviewer.of_type("transcription") if "Priya" in m["message"]],
            90,
            "the briefing about the candidate",
        )
        await interviewer.wait_for(lambda: interviewer.first_agent_audio, 30, "the briefing aloud")
    finally:
        await interviewer.leave()
    assert lines[0]["isAI"] is True
    await stack.aadmin("POST", f"/api/interviews/{target['interview']['id']}/cancel")
