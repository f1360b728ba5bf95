"""Seed 003 agent-management endpoints, as aliases over interviews and the gateway."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from voicehire.api import auth, services
from voicehire.api.deps import AdminDep, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import ROOM_PATTERN, Body, Identifier, Name, ShortText
from voicehire.livekit_gateway import LiveKitGatewayError
from voicehire.storage import repositories as repo

router = APIRouter(prefix="/agents", tags=["agents (seed 003)"])
RoomName = Annotated[str, Path(pattern=ROOM_PATTERN)]


class StartAgentRequest(Body):
    room_name: Annotated[str, Field(pattern=ROOM_PATTERN)]
    job_title: Name = "Software Engineer"
    job_level: ShortText | None = None
    required_skills: list[Name] = Field(default_factory=list, max_length=100)
    candidate_id: Identifier | None = None
    job_id: Identifier | None = None


class AgentStatusResponse(BaseModel):
    room_name: str
    status: str
    participants: int
    duration_seconds: int
    interview_id: str
    interview_status: str


@router.post("/start")
async def start_agent(
    body: StartAgentRequest, state: StateDep, session: SessionDep, _: AdminDep
) -> dict[str, Any]:
    """Dispatch the agent into ``room_name`` (recording an interview for it if needed)."""
    gateway = services.livekit_required(state)
    interview = await repo.get_interview_by_room(session, body.room_name)
    if interview is not None:
        if repo.is_terminal(interview):
            raise ApiError(
                409, f"the interview in room {body.room_name!r} has ended ({interview.status})"
            )
        if interview.dispatch_id:
            raise ApiError(400, "Agent already active for this room")
        await services.release(session)
        try:
            await gateway.create_room(interview.room_name, interview.room_metadata or {})
            interview.dispatch_id = await gateway.dispatch_agent(
                interview.room_name, interview.room_metadata or {}
            )
        except LiveKitGatewayError as exc:
            raise ApiError(502, str(exc), code="livekit_error") from None
        await session.commit()
    else:
        candidate = (
            await services.load_candidate(session, body.candidate_id) if body.candidate_id else None
        )
        job = await services.load_job(session, body.job_id) if body.job_id else None
        extra: dict[str, Any] = {"requiredSkills": body.required_skills}
        if body.job_level:
            extra["jobLevel"] = body.job_level
        interview, _join = await services.start_session(
            state,
            session,
            candidate=candidate,
            job=job,
            role=job.title if job else body.job_title,
            extra=extra,
            room_name=body.room_name,
        )
    return {
        "status": "started",
        "room_name": interview.room_name,
        "agent_id": interview.dispatch_id,
        "interview_id": interview.id,
    }


@router.get("/{room_name}/status", response_model=AgentStatusResponse)
async def agent_status(room_name: RoomName, request: Request, state: StateDep, session: SessionDep):
    auth.require_room_access(state, request, room_name)
    interview = await repo.get_interview_by_room(session, room_name)
    if interview is None:
        raise ApiError(404, "No agent found for this room")
    participants = 0
    await services.release(session)
    if state.gateway is not None and not repo.is_terminal(interview):
        try:
            participants = len(await state.gateway.list_participants(room_name))
        except LiveKitGatewayError as exc:
            raise ApiError(502, str(exc), code="livekit_error") from None
    if repo.is_terminal(interview):
        status = "stopped"
    elif interview.status == "in_progress":
        status = "active"
    else:
        status = "waiting"
    duration = 0
    if interview.started_at is not None:
        started = interview.started_at
        if started.tzinfo is None:
            started = started.replace(tzinfo=UTC)
        end = interview.ended_at or datetime.now(UTC)
        if end.tzinfo is None:
            end = end.replace(tzinfo=UTC)
        duration = max(0, int((end - started).total_seconds()))
    return AgentStatusResponse(
        room_name=room_name,
        status=status,
        participants=participants,
        duration_seconds=duration,
        interview_id=interview.id,
        interview_status=interview.status,
    )


@router.delete("/{room_name}")
async def stop_agent(
    room_name: RoomName, state: StateDep, session: SessionDep, _: AdminDep
) -> dict[str, Any]:
    """Stop the agent: the room is deleted and the interview cancelled (``manual_stop``)."""
    interview = await repo.get_interview_by_room(session, room_name)
    if interview is None:
        raise ApiError(404, "No agent found for this room")
    await services.stop_session(state, session, interview, "manual_stop")
    return {"status": "stopped", "room_name": room_name, "interview_id": interview.id}


@router.get("")
async def list_agents(session: SessionDep, _: AdminDep) -> dict[str, Any]:
    rows, _total = await repo.list_interviews(session, active_only=True, limit=1000)
    rooms = [i.room_name for i in rows if i.dispatch_id]
    return {"active_agents": rooms, "count": len(rooms)}
