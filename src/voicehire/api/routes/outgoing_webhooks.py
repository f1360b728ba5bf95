"""Outgoing webhooks: endpoints, the delivery log, and replay (admin).

Events (``interview.completed``, ``interview.evaluated``, ``interview.overridden``,
``candidate.updated``) are signed with HMAC-SHA256; see the README's "Webhooks out"."""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field, field_validator

from voicehire.api import webhooks_out
from voicehire.api.deps import AdminDep, Limit, Offset, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import ID_PATTERN, iso
from voicehire.storage import webhook_outbox as outbox
from voicehire.storage.models import WebhookDelivery, WebhookEndpoint

router = APIRouter(prefix="/api/webhooks", tags=["webhooks out"])
Id = Annotated[str, Path(pattern=ID_PATTERN)]
EventType = Literal[
    "interview.completed", "interview.evaluated", "interview.overridden", "candidate.updated"
]
DeliveryStatus = Literal["pending", "delivered", "failed"]


class EndpointCreate(BaseModel):
    url: str = Field(min_length=8, max_length=2000, description="http:// or https:// URL")
    events: list[EventType] = Field(
        default_factory=list, description="Events to send; empty means every event"
    )
    secret: str | None = Field(
        None,
        min_length=16,
        max_length=200,
        description="HMAC-SHA256 signing key; generated (and shown once) when omitted",
    )
    description: str | None = Field(None, max_length=500)

    @field_validator("url")
    @classmethod
    def _http(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return v


class EndpointOut(BaseModel):
    id: str
    url: str
    events: list[str]
    description: str | None
    source: Literal["api", "settings"]
    active: bool
    created_at: str | None

    @classmethod
    def of(cls, row: WebhookEndpoint) -> EndpointOut:
        return cls(
            id=row.id,
            url=row.url,
            events=list(row.events or []),
            description=row.description,
            source="api",
            active=row.active,
            created_at=iso(row.created_at),
        )


class EndpointCreated(EndpointOut):
    secret: str = Field(description="The signing key; store it now, it is not shown again")


class AttemptOut(BaseModel):
    attempt: int
    at: str
    status_code: int | None = Field(None, alias="statusCode")
    error: str | None = None
    duration_ms: float | None = Field(None, alias="durationMs")

    model_config = {"populate_by_name": True}


class DeliveryOut(BaseModel):
    id: str
    event_id: str
    event_type: str
    endpoint_id: str
    url: str
    status: DeliveryStatus
    attempts: int
    max_attempts: int
    next_attempt_at: str | None
    last_status_code: int | None
    last_error: str | None
    replay_of: str | None
    created_at: str | None
    delivered_at: str | None

    @classmethod
    def fields_of(cls, row: WebhookDelivery) -> dict[str, Any]:
        return {
            "id": row.id,
            "event_id": row.event_id,
            "event_type": row.event_type,
            "endpoint_id": row.endpoint_id,
            "url": row.url,
            "status": row.status,
            "attempts": row.attempts,
            "max_attempts": row.max_attempts,
            "next_attempt_at": iso(row.next_attempt_at) if row.status == "pending" else None,
            "last_status_code": row.last_status_code,
            "last_error": row.last_error,
            "replay_of": row.replay_of,
            "created_at": iso(row.created_at),
            "delivered_at": iso(row.delivered_at),
        }

    @classmethod
    def of(cls, row: WebhookDelivery) -> DeliveryOut:
        return cls(**cls.fields_of(row))


class DeliveryDetail(DeliveryOut):
    body: str = Field(description="The exact JSON document sent (and signed)")
    attempt_log: list[AttemptOut]

    @classmethod
    def of(cls, row: WebhookDelivery) -> DeliveryDetail:
        return cls(
            **cls.fields_of(row),
            body=row.body,
            attempt_log=[AttemptOut.model_validate(a) for a in row.attempt_log or []],
        )


class DeliveryList(BaseModel):
    items: list[DeliveryOut]
    total: int
    limit: int
    offset: int


@router.get("/endpoints", response_model=list[EndpointOut])
async def list_endpoints(state: StateDep, session: SessionDep, _: AdminDep):
    """Every endpoint: those from WEBHOOK_URLS (source ``settings``) and those added here."""
    configured = [
        EndpointOut(
            id=webhooks_out.settings_endpoint_id(url),
            url=url,
            events=[],
            description="WEBHOOK_URLS",
            source="settings",
            active=True,
            created_at=None,
        )
        for url in state.settings.webhook_url_list
    ]
    rows = await outbox.list_endpoints(session)
    return [*configured, *(EndpointOut.of(r) for r in rows)]


@router.post("/endpoints", status_code=201, response_model=EndpointCreated)
async def create_endpoint(body: EndpointCreate, session: SessionDep, _: AdminDep):
    secret = body.secret or "whsec_" + secrets.token_urlsafe(32)
    row = await outbox.create_endpoint(
        session,
        url=body.url,
        secret=secret,
        events=list(dict.fromkeys(body.events)),
        description=body.description,
    )
    await session.commit()
    return EndpointCreated(**EndpointOut.of(row).model_dump(), secret=secret)


@router.delete("/endpoints/{endpoint_id}", status_code=204)
async def delete_endpoint(endpoint_id: Id, session: SessionDep, _: AdminDep) -> Response:
    """Stop sending to an endpoint. Its delivery log stays; pending deliveries fail."""
    if endpoint_id.startswith(webhooks_out.SETTINGS_ENDPOINT_PREFIX):
        raise ApiError(
            409, "this endpoint comes from WEBHOOK_URLS; remove it there", code="from_settings"
        )
    row = await outbox.get_endpoint(session, endpoint_id)
    if row is None or not row.active:
        raise ApiError(404, f"webhook endpoint {endpoint_id!r} not found")
    row.active = False
    await session.commit()
    return Response(status_code=204)


@router.get("/deliveries", response_model=DeliveryList)
async def list_deliveries(
    session: SessionDep,
    _: AdminDep,
    status: DeliveryStatus | None = None,
    event_type: EventType | None = None,
    event_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    endpoint_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """The delivery log, newest first: each (event, endpoint) with its attempts and outcome."""
    rows, total = await outbox.list_deliveries(
        session,
        status=status,
        event_type=event_type,
        event_id=event_id,
        endpoint_id=endpoint_id,
        limit=limit,
        offset=offset,
    )
    return DeliveryList(
        items=[DeliveryOut.of(r) for r in rows], total=total, limit=limit, offset=offset
    )


@router.get("/deliveries/{delivery_id}", response_model=DeliveryDetail)
async def get_delivery(delivery_id: Id, session: SessionDep, _: AdminDep):
    row = await outbox.get_delivery(session, delivery_id)
    if row is None:
        raise ApiError(404, f"webhook delivery {delivery_id!r} not found")
    return DeliveryDetail.of(row)


@router.post("/deliveries/{delivery_id}/replay", status_code=202, response_model=DeliveryOut)
async def replay_delivery(delivery_id: Id, state: StateDep, session: SessionDep, _: AdminDep):
    """Send the same event (same id and body, freshly signed) to its endpoint again, as a
    new delivery; the original stays in the log."""
    row = await outbox.get_delivery(session, delivery_id)
    if row is None:
        raise ApiError(404, f"webhook delivery {delivery_id!r} not found")
    if await webhooks_out.secret_for(session, state.settings, row.endpoint_id) is None:
        raise ApiError(
            409,
            f"the endpoint of delivery {delivery_id!r} was removed; add it again to replay",
            code="endpoint_removed",
        )
    new = outbox.replay(session, row, url=row.url)
    await session.commit()
    state.webhooks.wake()
    return DeliveryOut.of(new)
