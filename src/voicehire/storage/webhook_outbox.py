"""The outgoing-webhook outbox: endpoints added through the API, and one delivery row per
(event, endpoint) written in the same transaction as the change it announces.

A delivery is *claimed* by setting ``locked_until`` with a conditional UPDATE, so two API
processes never send the same attempt; a process that dies mid-attempt loses its lease and
the row is picked up again when the lease expires. Nothing here talks HTTP: the dispatcher
in ``voicehire.api.webhooks_out`` does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from voicehire.storage.models import WebhookDelivery, WebhookEndpoint, new_id, utcnow

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
DELIVERY_STATUSES = (PENDING, DELIVERED, FAILED)
ATTEMPT_LOG_LIMIT = 20


@dataclass(frozen=True)
class Target:
    """Where an event goes: an endpoint's id and URL (its secret is looked up on send)."""

    endpoint_id: str
    url: str
    events: frozenset[str] = frozenset()  # empty: every event

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events


def event_body(event_id: str, event_type: str, created_at: datetime, data: dict[str, Any]) -> str:
    """The JSON document every endpoint receives for one event (compact, stable key order)."""
    document = {
        "id": event_id,
        "type": event_type,
        "createdAt": created_at.isoformat(),
        "data": data,
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True, default=str)


def enqueue(
    session: AsyncSession,
    event_type: str,
    data: dict[str, Any],
    targets: Sequence[Target],
    *,
    max_attempts: int,
) -> list[WebhookDelivery]:
    """Add one pending delivery per target that wants ``event_type``; the caller commits
    (so the event is stored exactly when the change it announces is)."""
    now = utcnow()
    event_id = "evt_" + new_id()
    body = event_body(event_id, event_type, now, data)
    rows = []
    for target in targets:
        if not target.wants(event_type):
            continue
        row = WebhookDelivery(
            id="dlv_" + new_id(),
            event_id=event_id,
            event_type=event_type,
            endpoint_id=target.endpoint_id,
            url=target.url,
            body=body,
            status=PENDING,
            attempts=0,
            max_attempts=max_attempts,
            next_attempt_at=now,
            attempt_log=[],
            created_at=now,
        )
        session.add(row)
        rows.append(row)
    return rows


async def claim_due(
    session: AsyncSession, *, now: datetime, lease: timedelta, limit: int = 20
) -> list[WebhookDelivery]:
    """Pending deliveries whose time has come, each leased to the caller until
    ``now + lease`` (a row another process holds is skipped)."""
    free = or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now)
    due = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now, free)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.created_at)
        .limit(limit)
    )
    ids = list((await session.execute(due)).scalars())
    claimed: list[str] = []
    for delivery_id in ids:
        result = await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == PENDING, free)
            .values(locked_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            claimed.append(delivery_id)
    await session.commit()
    if not claimed:
        return []
    rows = await session.execute(
        select(WebhookDelivery)
        .where(WebhookDelivery.id.in_(claimed))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.created_at)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())


def record_attempt(
    delivery: WebhookDelivery,
    *,
    at: datetime,
    ok: bool,
    status_code: int | None,
    error: str | None,
    duration_ms: float,
    retry_at: datetime | None,
) -> None:
    """Note one attempt; the delivery is done, failed for good, or due again at ``retry_at``."""
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error
    delivery.locked_until = None
    entry: dict[str, Any] = {
        "attempt": delivery.attempts,
        "at": at.isoformat(),
        "statusCode": status_code,
        "error": error,
        "durationMs": round(duration_ms, 1),
    }
    delivery.attempt_log = [*(delivery.attempt_log or []), entry][-ATTEMPT_LOG_LIMIT:]
    if ok:
        delivery.status = DELIVERED
        delivery.delivered_at = at
    elif retry_at is None or delivery.attempts >= delivery.max_attempts:
        delivery.status = FAILED
    else:
        delivery.next_attempt_at = retry_at


async def next_due_at(session: AsyncSession) -> datetime | None:
    """When the earliest pending delivery is due (None: nothing pending)."""
    value = await session.scalar(
        select(func.min(WebhookDelivery.next_attempt_at)).where(WebhookDelivery.status == PENDING)
    )
    return value if isinstance(value, datetime) else None


async def list_deliveries(
    session: AsyncSession,
    *,
    status: str | None = None,
    event_type: str | None = None,
    event_id: str | None = None,
    endpoint_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[WebhookDelivery], int]:
    query = select(WebhookDelivery)
    if status:
        query = query.where(WebhookDelivery.status == status)
    if event_type:
        query = query.where(WebhookDelivery.event_type == event_type)
    if event_id:
        query = query.where(WebhookDelivery.event_id == event_id)
    if endpoint_id:
        query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.execute(
        query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows.scalars()), int(total or 0)


async def get_delivery(session: AsyncSession, delivery_id: str) -> WebhookDelivery | None:
    return await session.get(WebhookDelivery, delivery_id)


def replay(session: AsyncSession, original: WebhookDelivery, *, url: str) -> WebhookDelivery:
    """A new pending delivery of the same event (same event id and body) to ``url``."""
    now = utcnow()
    row = WebhookDelivery(
        id="dlv_" + new_id(),
        event_id=original.event_id,
        event_type=original.event_type,
        endpoint_id=original.endpoint_id,
        url=url,
        body=original.body,
        status=PENDING,
        attempts=0,
        max_attempts=original.max_attempts,
        next_attempt_at=now,
        attempt_log=[],
        replay_of=original.id,
        created_at=now,
    )
    session.add(row)
    return row


# --- endpoints added through the API ---------------------------------------------------


async def create_endpoint(
    session: AsyncSession,
    *,
    url: str,
    secret: str,
    events: list[str],
    description: str | None,
) -> WebhookEndpoint:
    row = WebhookEndpoint(
        id="whe_" + new_id(),
        url=url,
        secret=secret,
        events=events,
        description=description,
        active=True,
        created_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    return row


async def list_endpoints(
    session: AsyncSession, *, active_only: bool = False
) -> list[WebhookEndpoint]:
    query = select(WebhookEndpoint).order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    if active_only:
        query = query.where(WebhookEndpoint.active.is_(True))
    return list((await session.execute(query)).scalars())


async def get_endpoint(session: AsyncSession, endpoint_id: str) -> WebhookEndpoint | None:
    return await session.get(WebhookEndpoint, endpoint_id)
