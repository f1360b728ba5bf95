"""An interview end to end on the real server with the real worker.

The API creates the interview (room with seed metadata, explicit dispatch); the server
dispatches the worker; a candidate joins with the API's token as a ``livekit.rtc``
participant, hears the interviewer, answers aloud (espeak-ng through an ``AudioSource``;
the worker's STT is the OpenAI plugin against the local transcription endpoint), answers
by typing (``lk.chat``), sends control messages, and leaves. The run is recorded once
(module fixture); each test checks one thing a user would notice.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from livekit.protocol.room import ListRoomsRequest
from tests.livekit_server.candidate import Candidate, agents_in, poll, speech

from voicehire.agent.modes.interview import NEXT_QUESTION_MIN_WAIT

SPOKEN = (
    "I am a backend engineer at Acme Payments. I build ledger services in Python and Go "
    "and I lead a team of three engineers."
)
TYPED = "Before that I spent four years at Globex building a billing system in Java."
TRANSCRIPTION_KEYS = {"type", "participantId", "participantName", "message", "timestamp", "isAI"}


@dataclass
class Run:
    interview: dict[str, Any]
    join: dict[str, Any]
    room_metadata: dict[str, Any] = field(default_factory=dict)
    max_participants: int = 0
    candidate: Candidate | None = None
    agent_identity: str = ""
    agent_status: dict[str, Any] = field(default_factory=dict)
    agents_status: dict[str, Any] = field(default_factory=dict)
    status_during: dict[str, Any] = field(default_factory=dict)
    questions_before_next: int = 0
    final: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)
    api_transcripts: list[dict[str, Any]] = field(default_factory=list)
    full_transcript: dict[str, Any] = field(default_factory=dict)
    webhook_events: list[str] = field(default_factory=list)
    recording: bytes = b""


async def create_interview(stack: Any, name: str = "Ada Lovelace", **fields: Any) -> dict:
    cand = (await stack.aadmin("POST", "/api/candidates", json={"name": name})).json()
    res = await stack.aadmin(
        "POST", "/api/interviews", json={"candidate_id": cand["id"], "plan": "mock", **fields}
    )
    assert res.status_code == 201, res.text
    return res.json()


async def interview_scenario(stack: Any, tmp: Path) -> Run:
    created = await create_interview(stack, enable_recording=True)
    run = Run(created["interview"], created["join"])
    room = run.interview["room_name"]
    async with stack.lk_api() as lk:
        rooms = (await lk.room.list_rooms(ListRoomsRequest(names=[room]))).rooms
    assert len(rooms) == 1, f"room {room} was not created on the server"
    run.room_metadata = json.loads(rooms[0].metadata)
    run.max_participants = rooms[0].max_participants

    cand = run.candidate = Candidate(run.join["livekit_url"], run.join["token"])
    await cand.join()
    try:
        (run.agent_identity,) = await cand.wait_for(lambda: agents_in(cand), 60, "the agent")
        await cand.wait_for(lambda: cand.of_type("question"), 60, "the first question")
        await cand.wait_for(lambda: cand.first_agent_audio, 30, "the interviewer's voice")
        run.agent_status = (await stack.aadmin("GET", f"/api/agent-status?room={room}")).json()
        run.agents_status = (await stack.aadmin("GET", f"/agents/{room}/status")).json()

        # A spoken answer: WebRTC audio -> the worker's VAD and STT -> a caption.
        stack.stt.say_next(SPOKEN)
        await cand.say(speech(SPOKEN, tmp))
        await cand.wait_for(
            lambda: [m for m in cand.of_type("transcription") if "Acme" in m["message"]],
            60,
            "the spoken answer's caption",
        )
        # The candidate corrects their name; later captions use it.
        await cand.send_control({"type": "candidate_info", "data": {"name": "Ada King"}})
        await asyncio.sleep(1.0)
        # A typed answer through the framework's text input.
        await cand.type_answer(TYPED)
        await cand.wait_for(
            lambda: [m for m in cand.of_type("transcription") if "Globex" in m["message"]],
            60,
            "the typed answer's caption",
        )
        run.status_during = (
            await stack.aadmin("GET", f"/api/interviews/{run.interview['id']}")
        ).json()
        # next_question moves the interview on: another question or the next stage, once
        # the open question has been waited on for the candidate's minimum (rate limit).
        run.questions_before_next = len(cand.of_type("question")) + len(cand.of_type("stage"))
        await asyncio.sleep(NEXT_QUESTION_MIN_WAIT + 1.0)
        await cand.send_control({"type": "next_question"})
        await cand.wait_for(
            lambda: (
                len(cand.of_type("question")) + len(cand.of_type("stage"))
                > run.questions_before_next
            ),
            60,
            "the next question after next_question",
        )
    finally:
        await cand.leave()

    iid = run.interview["id"]
    run.final = await poll(
        lambda: _json(stack.aadmin("GET", f"/api/interviews/{iid}")),
        lambda v: v.get("status") in ("completed", "error", "cancelled"),
        60,
        "the interview to end in the API",
    )
    run.result = await poll(
        lambda: _json(stack.aadmin("GET", f"/api/interviews/{iid}/result")),
        lambda v: "result" in v,
        120,
        "the evaluation result in the API",
    )
    run.api_transcripts = await poll(
        lambda: _json(stack.aadmin("GET", f"/api/interviews/{iid}/transcripts")),
        lambda v: any(t.get("kind") == "full" for t in v),
        30,
        "the full transcript in the API",
    )
    full = sorted(stack.transcripts.glob(f"interview_{iid}_full_*.json"))
    assert full, f"no full transcript in {stack.transcripts}"
    run.full_transcript = json.loads(full[-1].read_text())
    recording = await poll(
        lambda: stack.aadmin("GET", f"/api/interviews/{iid}/recording"),
        lambda r: r.status_code == 200,
        60,
        "the recording in the API",
    )
    run.recording = recording.content
    run.webhook_events = await poll(
        lambda: _async(lambda: webhook_events(stack, room)),
        lambda v: "room_finished" in v,
        60,
        "room_finished to reach the API",
    )
    return run


async def _json(request: Any) -> Any:
    return (await request).json()


async def _async(fn: Any) -> Any:
    return fn()


def webhook_events(stack: Any, room: str) -> list[str]:
    """The webhooks the API verified and handled for ``room``, from its JSON log (the
    handler logs the event's kind in the ``webhook_event`` field; room names are logged
    redacted, as ``logging_setup.redact_room`` spells them)."""
    from voicehire.logging_setup import redact_room

    events = []
    for line in (stack.workdir / "api.log").read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        logged_room = entry.get("room")
        if entry.get("logger") == "voicehire.api.routes.webhooks" and logged_room in (
            room,
            redact_room(room),
        ):
            events.append(entry.get("webhook_event", ""))
    return events


@pytest.fixture(scope="module")
def run(stack: Any, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return asyncio.run(interview_scenario(stack, tmp_path_factory.mktemp("speech")))


def test_api_creates_the_room_with_seed_metadata_and_dispatches_the_worker(run: Run) -> None:
    assert run.room_metadata["sessionType"] == "ai_interview"
    assert run.room_metadata["interviewId"] == run.interview["id"]
    assert run.room_metadata["candidateName"] == "Ada Lovelace"
    assert run.max_participants == 2  # the candidate and the agent
    assert run.interview["dispatch_id"].startswith("AD_")
    assert run.agent_identity.startswith("interview-agent")


def test_candidate_hears_the_interviewer(run: Run) -> None:
    cand = run.candidate
    assert cand is not None
    assert cand.agent_loud_frames > 100  # > 1 s of audible speech frames
    assert len(cand.agent_speech_starts) >= 2  # spoke more than once


def test_captions_of_both_sides_in_the_seed_shape(run: Run) -> None:
    cand = run.candidate
    assert cand is not None
    lines = cand.of_type("transcription")
    ai = [m for m in lines if m["isAI"]]
    person = [m for m in lines if not m["isAI"]]
    assert ai and person
    for m in lines:
        assert m.keys() >= TRANSCRIPTION_KEYS
        assert isinstance(m["timestamp"], int) and m["timestamp"] > 1_600_000_000_000
        assert isinstance(m["message"], str) and m["message"]
    assert all(m["participantId"] == run.agent_identity for m in ai)
    assert any(m["message"] == SPOKEN for m in person)
    assert any(m["message"] == TYPED for m in person)
    # the captions come over the data channel from the agent, on the `transcription` topic
    assert {r.topic for r in cand.data} == {"transcription"}
    # Packets come over the data channel, a participant's arrival and departure over the
    # signalling socket: a packet that overtakes the agent's arrival (or outlives its
    # departure) has no known sender in the SDK (""). Every other packet is the agent's.
    senders = [r.sender for r in cand.data]
    assert set(senders) - {""} == {run.agent_identity}
    known = [i for i, sender in enumerate(senders) if sender]
    assert all(sender for sender in senders[known[0] : known[-1] + 1]), senders


def test_candidate_captions_carry_the_candidates_identity(run: Run) -> None:
    cand = run.candidate
    assert cand is not None
    person = [m for m in cand.of_type("transcription") if not m["isAI"]]
    assert person and all(m["participantId"] == run.join["identity"] for m in person)


def test_the_spoken_answer_went_through_webrtc_into_the_workers_stt(run: Run, stack: Any) -> None:
    heard = [h for h in stack.stt.heard if h.text == SPOKEN]
    assert heard, "the worker never sent the candidate's speech to its STT"
    # espeak says SPOKEN in about 7-8 s; the worker's VAD cut about that much audio
    assert 4.0 < heard[0].seconds < 15.0
    assert heard[0].rms > 500  # speech, not silence


def test_question_and_stage_messages(run: Run) -> None:
    cand = run.candidate
    assert cand is not None
    questions = cand.of_type("question")
    assert questions and all(q["question"] and isinstance(q["timestamp"], int) for q in questions)
    stages = [m["stage"] for m in cand.of_type("stage")]
    assert stages[:2] == ["greeting", "self_introduction"]


def test_candidate_info_cannot_rename_the_candidate(run: Run) -> None:
    """The server (the API's candidate record) names the candidate; a candidate_info
    message from the page is kept as information, never as a new name (issue 12)."""
    cand = run.candidate
    assert cand is not None
    typed = [m for m in cand.of_type("transcription") if m["message"] == TYPED]
    assert typed and typed[0]["participantName"] == "Ada Lovelace"
    assert run.full_transcript["metadata"]["candidateInfo"]["name"] == "Ada King"


def test_agent_status_endpoints_see_the_real_room(run: Run) -> None:
    status = run.agent_status
    assert status["agentConnected"] is True
    identities = {p["identity"]: p for p in status["participants"]}
    assert identities[run.agent_identity]["isAgent"] is True
    assert identities[run.join["identity"]]["isAgent"] is False
    assert run.agents_status["participants"] == 2
    assert run.agents_status["status"] == "active"


def test_leaving_ends_the_interview_with_candidate_left(run: Run) -> None:
    assert run.status_during["status"] == "in_progress"
    assert run.final["status"] == "completed"
    assert run.final["end_reason"] == "candidate_left"


def test_full_transcript_written_and_mirrored_to_the_api(run: Run) -> None:
    doc = run.full_transcript
    said = [e["message"] for e in doc["fullConversation"]]
    assert SPOKEN in said and TYPED in said
    assert doc["sessionInfo"]["endReason"] == "candidate_left"
    assert {t["kind"] for t in run.api_transcripts} >= {"full"}


def test_evaluation_result_uploaded(run: Run) -> None:
    result = run.result["result"]
    assert result["interview_id"] == run.interview["id"]
    assert result["answers"], "the evaluation scored no answer"


def test_real_signed_webhooks_reached_the_api(run: Run) -> None:
    events = run.webhook_events
    for kind in ("room_started", "participant_joined", "participant_left", "room_finished"):
        assert kind in events, f"{kind} webhook not handled by the API: {events}"
    # participant_joined of the agent is only recorded from the webhook
    assert run.final["agent_joined_at"] is not None


def test_the_recording_has_both_voices(run: Run, tmp_path: Path) -> None:
    """enableRecording: the framework's recorder in the room, Ogg/Opus, candidate left and
    interviewer right, served by the API."""
    from tests.agent.test_recording import decode, loud_seconds

    path = tmp_path / "recording.ogg"
    path.write_bytes(run.recording)
    pcm, rate, codec, fmt = decode(path)
    assert (fmt, codec, pcm.shape[0]) == ("ogg", "opus", 2)
    assert loud_seconds(pcm[0], rate) > 2  # the spoken answer, through WebRTC
    assert loud_seconds(pcm[1], rate) > 3  # the interviewer's questions
