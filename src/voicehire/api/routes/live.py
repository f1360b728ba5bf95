"""Seed 004 endpoints used by the live-interview front end."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from voicehire.api import auth, services
from voicehire.api.deps import AdminDep, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import ROOM_PATTERN, Body, Identifier
from voicehire.livekit_gateway import LiveKitGatewayError
from voicehire.storage import repositories as repo

router = APIRouter(prefix="/api", tags=["live interview (seed 004)"])


class StartInterviewRequest(Body):
    candidateId: Identifier
    jobId: Identifier | None = None
    roomName: str | None = Field(
        None, max_length=200, description="Ignored: room names are generated, unguessable"
    )


class StartInterviewResponse(BaseModel):
    status: str
    interviewId: str
    roomName: str
    token: str | None
    identity: str | None
    livekitUrl: str | None
    agentDispatched: bool
    joinUrl: str


@router.post("/start-interview", response_model=StartInterviewResponse)
async def start_interview(
    body: StartInterviewRequest, request: Request, state: StateDep, session: SessionDep, _: AdminDep
):
    candidate = await services.load_candidate(session, body.candidateId)
    job = await services.load_job(session, body.jobId) if body.jobId else None
    interview, join = await services.start_session(
        state, session, candidate=candidate, job=job, base_url=str(request.base_url)
    )
    return StartInterviewResponse(
        status="success",
        interviewId=interview.id,
        roomName=interview.room_name,
        token=join.token,
        identity=join.identity,
        livekitUrl=join.livekit_url,
        agentDispatched=bool(interview.dispatch_id),
        joinUrl=join.join_url,
    )


@router.get("/agent-status")
async def agent_status(
    room: Annotated[str, Query(pattern=ROOM_PATTERN, description="Room name")],
    request: Request,
    state: StateDep,
    session: SessionDep,
) -> dict[str, Any]:
    """Whether the agent (identity ``AGENT_IDENTITY…`` / ``interview-agent…``) is in the room."""
    auth.require_room_access(state, request, room)
    interview = await repo.get_interview_by_room(session, room)
    if interview is None and state.gateway is None:
        raise ApiError(404, f"no interview uses room {room!r}")
    participants = []
    await services.release(session)
    if state.gateway is not None:
        try:
            participants = await state.gateway.list_participants(room)
        except LiveKitGatewayError as exc:
            raise ApiError(502, str(exc), code="livekit_error") from None
    return {
        "status": "success",
        "room": room,
        "agentConnected": any(p.is_agent for p in participants),
        "participants": [p.to_json() for p in participants],
        "roomMetadata": (interview.room_metadata if interview else None) or {},
        "interviewId": interview.id if interview else None,
        "interviewStatus": interview.status if interview else None,
    }
