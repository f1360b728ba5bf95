"""Watching a running interview from the dashboard, and ending it.

- In a LiveKit room the recruiter joins as a *hidden observer* (a token that subscribes
  only and is invisible to the candidate and the agent) and reads the data the candidate
  page reads (``transcription``/``stage``/``interview_ended`` data messages, the agent's
  ``lk.agent.state`` attribute, ``lk.transcription`` streams).
- A session this process runs itself (the browser transport of ``voicehire serve``) is
  streamed as server-sent events: the same frames its candidate page gets (state,
  numbered data messages, agent state, captions), never its audio.
- "End interview" sends the agent the same ``end_interview`` control message as the
  candidate's own button: the interviewer says its closing line, the candidate's page
  shows the end, and the session ends with reason ``manual_end`` ("Ended early").

Every endpoint takes the admin credential, as the rest of the dashboard's calls.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from voicehire.api import services
from voicehire.api.deps import AdminDep, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import ID_PATTERN
from voicehire.livekit_gateway import LiveKitGatewayError
from voicehire.storage import repositories as repo

router = APIRouter(prefix="/api/interviews", tags=["live view"])
InterviewId = Annotated[str, Path(pattern=ID_PATTERN)]

OBSERVER_TTL = 900


class LiveAccess(BaseModel):
    """How the dashboard watches this interview while it runs."""

    interview_id: str
    status: str
    running: bool = Field(description="False once the interview has ended (or never started)")
    transport: Literal["livekit", "local", "none"] = Field(
        description="livekit: join the room with the observer token; local: read "
        "events_url (server-sent events); none: nothing to watch"
    )
    livekit_url: str | None = None
    observer_token: str | None = Field(
        None, description="Hidden, subscribe-only LiveKit token for this room (15 minutes)"
    )
    events_url: str | None = None


class Ended(BaseModel):
    interview_id: str
    ended: bool
    how: Literal["livekit", "local"]


async def _watchable(state: Any, room: str) -> AsyncIterator[dict[str, Any]] | None:
    for watch in state.live_session_watchers:
        frames = watch(room)
        if frames is not None:
            return frames
    return None


@router.get("/{interview_id}/live", response_model=LiveAccess)
async def live_access(
    interview_id: InterviewId, state: StateDep, session: SessionDep, _: AdminDep
) -> LiveAccess:
    """Where to watch the interview live: an observer token for its LiveKit room, or the
    event stream of the session this server runs."""
    interview = await services.load_interview(session, interview_id)
    running = not repo.is_terminal(interview)
    base = LiveAccess(
        interview_id=interview.id, status=interview.status, running=running, transport="none"
    )
    # (a watcher's stream that is never iterated starts nothing)
    if await _watchable(state, interview.room_name) is not None:
        return base.model_copy(
            update={
                "transport": "local",
                "events_url": f"/api/interviews/{interview.id}/live/events",
            }
        )
    if state.gateway is not None and running:
        return base.model_copy(
            update={
                "transport": "livekit",
                "livekit_url": state.gateway.client_url,
                "observer_token": state.gateway.observer_token(
                    interview.room_name, ttl_seconds=OBSERVER_TTL
                ),
            }
        )
    return base


@router.get(
    "/{interview_id}/live/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Session frames"}},
)
async def live_events(
    interview_id: InterviewId, state: StateDep, session: SessionDep, _: AdminDep
) -> StreamingResponse:
    """Server-sent events of a session this server runs: one JSON frame per event (the
    session's state first, then everything said so far, then each new caption, stage and
    agent state), ending after the interview's end."""
    interview = await services.load_interview(session, interview_id)
    room = interview.room_name
    await services.release(session)
    frames = await _watchable(state, room)
    if frames is None:
        raise ApiError(
            404,
            f"interview {interview_id!r} has no session running in this server; a LiveKit "
            "interview is watched with the observer token of GET /api/interviews/{id}/live",
        )

    async def events() -> AsyncIterator[str]:
        async for frame in frames:
            yield f"data: {json.dumps(frame)}\n\n" if frame else ": keep-alive\n\n"

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.post("/{interview_id}/end", response_model=Ended)
async def end_interview(
    interview_id: InterviewId, state: StateDep, session: SessionDep, _: AdminDep
) -> Ended:
    """End a running interview now, as its own "End interview" button does: the
    interviewer closes, the candidate sees the end, the outcome is "Ended early"
    (end reason ``manual_end``) and the evaluation runs on what was said."""
    interview = await services.load_interview(session, interview_id)
    if repo.is_terminal(interview):
        raise ApiError(
            409,
            f"interview {interview_id} has already ended ({interview.status}); nothing to end",
            code="invalid_transition",
        )
    room = interview.room_name
    await services.release(session)
    for stop in state.live_session_stoppers:
        if await stop(room):
            return Ended(interview_id=interview_id, ended=True, how="local")
    if state.gateway is None:
        raise ApiError(
            409,
            f"interview {interview_id} is not running in this server and LiveKit is not "
            "configured; to stop it from starting, cancel it instead",
            code="not_running",
        )
    try:
        await state.gateway.send_control(room, {"type": "end_interview"})
    except LiveKitGatewayError as exc:
        raise ApiError(502, str(exc), code="livekit_error") from None
    return Ended(interview_id=interview_id, ended=True, how="livekit")
