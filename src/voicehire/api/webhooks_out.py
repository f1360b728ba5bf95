"""Signed webhooks out: events written to the outbox with the change they announce, and
the dispatcher that delivers them (HMAC-SHA256 over ``{timestamp}.{body}``), retrying
with exponential backoff until the receiver answers 2xx or the attempts run out.

Endpoints come from ``WEBHOOK_URLS`` (signed with ``WEBHOOK_SECRET``) and from
``POST /api/webhooks/endpoints`` (each with its own secret). The dispatcher runs inside
every API process; the outbox's leases keep two processes from sending the same attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from voicehire import __version__
from voicehire.settings import Settings
from voicehire.storage import webhook_outbox as outbox
from voicehire.storage.db import Database
from voicehire.storage.models import WebhookDelivery, utcnow

logger = logging.getLogger(__name__)

INTERVIEW_COMPLETED = "interview.completed"
INTERVIEW_EVALUATED = "interview.evaluated"
INTERVIEW_OVERRIDDEN = "interview.overridden"
CANDIDATE_UPDATED = "candidate.updated"
EVENT_TYPES = (INTERVIEW_COMPLETED, INTERVIEW_EVALUATED, INTERVIEW_OVERRIDDEN, CANDIDATE_UPDATED)

SIGNATURE_HEADER = "X-VoiceHire-Signature"
TIMESTAMP_HEADER = "X-VoiceHire-Timestamp"
EVENT_HEADER = "X-VoiceHire-Event"
EVENT_ID_HEADER = "X-VoiceHire-Event-Id"
DELIVERY_HEADER = "X-VoiceHire-Delivery"
SETTINGS_ENDPOINT_PREFIX = "cfg_"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: ``v1=`` + hex HMAC-SHA256 of ``{timestamp}.{body}``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def settings_endpoint_id(url: str) -> str:
    """A stable id for an endpoint from WEBHOOK_URLS (the same URL keeps its id)."""
    return SETTINGS_ENDPOINT_PREFIX + hashlib.sha256(url.encode()).hexdigest()[:16]


def retry_delay(attempts: int, base: float, cap: float) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt: base, 2·base, 4·base, …"""
    return float(min(cap, base * (2 ** max(0, attempts - 1))))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def targets(session: AsyncSession, settings: Settings) -> list[outbox.Target]:
    found = [outbox.Target(settings_endpoint_id(u), u) for u in settings.webhook_url_list]
    for row in await outbox.list_endpoints(session, active_only=True):
        found.append(outbox.Target(row.id, row.url, frozenset(row.events or ())))
    return found


async def secret_for(session: AsyncSession, settings: Settings, endpoint_id: str) -> str | None:
    """The key an endpoint's deliveries are signed with (None: the endpoint is gone)."""
    if endpoint_id.startswith(SETTINGS_ENDPOINT_PREFIX):
        return settings.webhook_secret
    row = await outbox.get_endpoint(session, endpoint_id)
    return row.secret if row is not None and row.active else None


class WebhookDispatcher:
    """Delivers due outbox rows; woken when an event is committed, else polls."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._client: httpx.AsyncClient | None = None
        self.lease = timedelta(seconds=settings.webhook_timeout * 2 + 30)

    # --- writing events ---------------------------------------------------------------

    async def emit(
        self, session: AsyncSession, event_type: str, data: dict[str, Any]
    ) -> list[WebhookDelivery]:
        """Put ``event_type`` in the outbox for every endpoint that wants it. The rows are
        part of ``session``'s transaction: committed with the change, or not at all."""
        rows = outbox.enqueue(
            session,
            event_type,
            data,
            await targets(session, self.settings),
            max_attempts=self.settings.webhook_max_attempts,
        )
        if rows:
            event.listen(session.sync_session, "after_commit", self._after_commit, once=True)
        return rows

    def _after_commit(self, _session: Any) -> None:
        self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    # --- the loop ---------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._client = httpx.AsyncClient(
                timeout=self.settings.webhook_timeout,
                follow_redirects=False,
                headers={"User-Agent": f"VoiceHire-Webhooks/{__version__}"},
            )
            self._task = asyncio.create_task(self._run(), name="webhook-dispatcher")

    async def stop(self) -> None:
        """Let the attempts in flight finish (their outcome is recorded, so no lease is
        left to expire), then stop; cancel only if they outlast one request timeout."""
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True
            self._wake.set()
            try:
                await asyncio.wait_for(task, timeout=self.settings.webhook_timeout + 5)
            except TimeoutError:
                pass  # wait_for cancelled it
            except Exception:
                logger.exception("webhook dispatcher stopped with an error")
            self._stopping = False
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self.deliver_due()
                wait = await self._seconds_to_next()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("webhook dispatcher pass failed; trying again")
                wait = self.settings.webhook_poll_interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)

    async def _seconds_to_next(self) -> float:
        poll = self.settings.webhook_poll_interval
        async with self.db.sessionmaker() as session:
            due = await outbox.next_due_at(session)
        if due is None:
            return poll
        return max(0.0, min(poll, (_aware(due) - utcnow()).total_seconds()))

    async def deliver_due(self) -> int:
        """Send every delivery that is due now; returns how many were attempted."""
        attempted = 0
        while not self._stopping:
            async with self.db.sessionmaker() as session:
                batch = await outbox.claim_due(session, now=utcnow(), lease=self.lease)
            if not batch:
                return attempted
            await asyncio.gather(*(self._attempt(row.id) for row in batch))
            attempted += len(batch)
        return attempted

    async def _attempt(self, delivery_id: str) -> None:
        async with self.db.sessionmaker() as session:
            delivery = await outbox.get_delivery(session, delivery_id)
            if delivery is None or delivery.status != outbox.PENDING:
                return
            secret = await secret_for(session, self.settings, delivery.endpoint_id)
            started = time.perf_counter()
            ok: bool
            code: int | None
            error: str | None
            if secret is None:
                ok, code, error = False, None, "the endpoint was removed or has no signing key"
                retry = False
            else:
                ok, code, error = await self._post(delivery, secret)
                retry = True
            now = utcnow()
            outbox.record_attempt(
                delivery,
                at=now,
                ok=ok,
                status_code=code,
                error=error,
                duration_ms=(time.perf_counter() - started) * 1000,
                retry_at=(
                    now
                    + timedelta(
                        seconds=retry_delay(
                            delivery.attempts + 1,
                            self.settings.webhook_retry_base,
                            self.settings.webhook_retry_max,
                        )
                    )
                    if retry
                    else None
                ),
            )
            await session.commit()
        log = logger.info if ok else logger.warning
        log(
            "webhook delivered" if ok else "webhook attempt failed",
            extra={
                "delivery_id": delivery.id,
                "event": delivery.event_type,
                "url": delivery.url,
                "attempt": delivery.attempts,
                "status_code": code,
                "error": error,
                "outcome": delivery.status,
            },
        )

    async def _post(
        self, delivery: WebhookDelivery, secret: str
    ) -> tuple[bool, int | None, str | None]:
        assert self._client is not None
        body = delivery.body.encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(secret, timestamp, body),
            EVENT_HEADER: delivery.event_type,
            EVENT_ID_HEADER: delivery.event_id,
            DELIVERY_HEADER: delivery.id,
        }
        try:
            response = await self._client.post(delivery.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return False, None, f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__
        if 200 <= response.status_code < 300:
            return True, response.status_code, None
        return False, response.status_code, f"HTTP {response.status_code}: {response.text[:200]}"
