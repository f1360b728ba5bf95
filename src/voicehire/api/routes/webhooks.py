"""LiveKit webhooks: participant joined/left and room finished drive the interview status."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession

from voicehire.api import services
from voicehire.api.deps import SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.state import AppState
from voicehire.livekit_gateway import WebhookVerificationError, is_agent_identity
from voicehire.storage import repositories as repo
from voicehire.storage.models import utcnow

logger = logging.getLogger(__name__)
REPLAY_WINDOW = 24 * 3600  # seconds an event id is remembered (a webhook token lives 5 min)
router = APIRouter(tags=["webhooks"])

_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/webhook+json": {"schema": {"type": "object"}}},
    }
}


@router.post("/webhooks/livekit", openapi_extra=_BODY)
async def livekit_webhook(request: Request, state: StateDep, session: SessionDep) -> dict[str, Any]:
    """Signed by LiveKit with the API secret; anything that does not verify gets 401."""
    if state.gateway is None:
        raise ApiError(
            503, "webhooks need LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET to verify"
        )
    raw = await request.body()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(401, "webhook body is not UTF-8; signature cannot match") from None
    try:
        event = state.gateway.verify_webhook(body, request.headers.get("authorization"))
    except WebhookVerificationError as exc:
        logger.warning("webhook rejected", extra={"error": str(exc)})
        raise ApiError(401, str(exc), code="invalid_signature") from None

    room = event.room.name
    kind = event.event
    # LiveKit retries deliveries and a captured one can be replayed (its signature stays
    # valid): apply each event id once.
    seen_key = f"webhook:{event.id}" if event.id else None
    if seen_key and not await state.cache.add(seen_key, {"event": kind}, ttl=REPLAY_WINDOW):
        logger.info("webhook replay ignored", extra={"webhook_event": kind, "event_id": event.id})
        return {"handled": False, "event": kind, "reason": "duplicate event id"}
    try:
        return await _apply(state, session, kind, room, event)
    except BaseException:
        if seen_key:  # not applied: a retry of this id must still be able to apply it
            await state.cache.delete(seen_key)
        raise


async def _apply(
    state: AppState, session: AsyncSession, kind: str, room: str, event: Any
) -> dict[str, Any]:
    assert state.gateway is not None
    interview = await repo.get_interview_by_room(session, room) if room else None
    if interview is None:
        return {"handled": False, "event": kind, "reason": "no interview for this room"}

    identity = event.participant.identity if event.HasField("participant") else ""
    is_agent = bool(identity) and is_agent_identity(
        identity, state.gateway.agent_identity, "AGENT" if event.participant.kind == 4 else ""
    )
    changed = False
    try:
        if kind == "participant_joined" and identity:
            if is_agent:
                if interview.agent_joined_at is None:
                    interview.agent_joined_at = utcnow()
                    await session.commit()
                    changed = True
            elif interview.status == "scheduled":
                changed = await services.change_status(state, session, interview, "in_progress")
        elif kind == "participant_left" and identity and not is_agent:
            if interview.status == "in_progress":
                changed = await services.change_status(
                    state, session, interview, "completed", "candidate_left"
                )
        elif kind == "room_finished" and not repo.is_terminal(interview):
            if interview.status == "in_progress":
                changed = await services.change_status(
                    state, session, interview, "completed", "room_finished"
                )
            else:
                changed = await services.change_status(
                    state, session, interview, "cancelled", "room_finished_before_start"
                )
    except ApiError as exc:  # e.g. a late event for an interview that already ended
        logger.info(
            "webhook ignored", extra={"webhook_event": kind, "room": room, "why": exc.message}
        )
    # (`event` as a key would replace the message: structlog renders `event` as it)
    logger.info(
        "webhook handled",
        extra={"webhook_event": kind, "room": room, "identity": identity, "changed": changed},
    )
    return {"handled": True, "event": kind, "changed": changed, "status": interview.status}
