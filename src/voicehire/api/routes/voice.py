"""Seed 002 voice endpoints: gap-filling and briefing sessions, and session status."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel

from voicehire.api import auth, services
from voicehire.api.deps import AdminDep, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import ID_PATTERN, ROOM_PATTERN, Body, Name
from voicehire.storage import repositories as repo
from voicehire.storage.cache import session_key

router = APIRouter(prefix="/api/voice", tags=["voice (seed 002)"])


class VoiceTokenRequest(Body):
    mode: str
    candidate_id: str | None = None
    room_name: str | None = None
    user_name: Name | None = None


class VoiceTokenResponse(BaseModel):
    token: str
    room_name: str
    livekit_url: str
    mode: str
    interview_id: str
    identity: str | None
    expires_at: str | None


@router.post("/token", response_model=VoiceTokenResponse)
async def voice_token(body: VoiceTokenRequest, state: StateDep, session: SessionDep, _: AdminDep):
    """A LiveKit token for a gap-filling call (needs ``candidate_id``) or an interviewer
    briefing (needs ``room_name`` of the interview to brief on)."""
    if body.mode == "gap_filling":
        if not body.candidate_id:
            raise ApiError(400, "candidate_id required for gap_filling mode")
        if not re.fullmatch(ID_PATTERN, body.candidate_id):
            raise ApiError(400, "candidate_id is not a valid id")
    elif body.mode == "briefing":
        if not body.room_name:
            raise ApiError(400, "room_name required for briefing mode")
        if not re.fullmatch(ROOM_PATTERN, body.room_name):
            raise ApiError(400, "room_name is not a valid room name")
    else:
        raise ApiError(400, f"mode must be 'gap_filling' or 'briefing', got {body.mode[:50]!r}")
    gateway = services.livekit_required(state)

    if body.mode == "gap_filling":
        candidate = await services.load_candidate(session, body.candidate_id or "")
        interview, join = await services.start_session(
            state,
            session,
            candidate=candidate,
            job=None,
            mode="gap_filling",
            participant_name=body.user_name or candidate.name,
        )
    else:
        target = await services.load_interview_by_room(session, body.room_name or "")
        related = await services.interview_config(session, target)
        candidate, job = related["candidate"], related["job"]
        briefing: dict[str, Any] = {
            "candidate_name": candidate.name if candidate else "Unknown",
            "role": (target.room_metadata or {}).get("interviewRole", "Not specified"),
            "resume_summary": candidate.resume_summary if candidate else None,
            "notes": candidate.notes if candidate else None,
        }
        interview, join = await services.start_session(
            state,
            session,
            candidate=candidate,
            job=job,
            mode="briefing",
            role=briefing["role"],
            extra={"briefing": briefing, "briefingFor": target.room_name},
            participant_name=body.user_name or "Interviewer",
            identity_prefix="interviewer-",
        )
    return VoiceTokenResponse(
        token=join.token or "",
        room_name=interview.room_name,
        livekit_url=gateway.client_url,
        mode=body.mode,
        interview_id=interview.id,
        identity=join.identity,
        expires_at=join.expires_at,
    )


@router.get("/session/{room_name}/status")
async def session_status(
    room_name: Annotated[str, Path(pattern=ROOM_PATTERN)],
    request: Request,
    state: StateDep,
    session: SessionDep,
) -> dict[str, Any]:
    """Current state of a voice session: status, extracted data, missing fields.

    A participant (the candidate's LiveKit token) sees only the session's own state:
    what the recruiter holds about them (extracted data, salary, scores) stays out."""
    principal = auth.require_room_access(state, request, room_name)
    visible = _participant_view if principal.kind == "room" else dict
    cached = await state.cache.get(session_key(room_name))
    if cached is not None and "extracted_data" in cached:
        return {**visible(cached), "source": "cache"}
    interview = await services.load_interview_by_room(session, room_name)
    candidate = (
        await repo.get_candidate(session, interview.candidate_id)
        if interview.candidate_id
        else None
    )
    snap = services.session_snapshot(interview, candidate)
    await state.cache.set(session_key(room_name), snap)
    return {**visible(snap), "source": "database"}


# What the candidate's page may know about its own session.
PARTICIPANT_FIELDS = ("room_name", "mode", "status", "end_reason", "job_title")


def _participant_view(snap: dict[str, Any]) -> dict[str, Any]:
    return {key: snap.get(key) for key in PARTICIPANT_FIELDS}
