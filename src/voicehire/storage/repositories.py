"""Queries and state changes on the control-plane tables. Routes call these; these never
know about HTTP. Every function takes an ``AsyncSession``; callers commit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from voicehire.domain.candidate import STATUS_KEY, CandidateRecord, ExtractedData
from voicehire.domain.fields import FieldRegistry
from voicehire.storage.models import (
    ALLOWED_TRANSITIONS,
    TERMINAL_STATUSES,
    Candidate,
    Interview,
    Job,
    M2MClient,
    Result,
    Transcript,
    utcnow,
)

logger = logging.getLogger(__name__)

# An interview still in progress this long after its maximum duration has no agent
# running it any more (the agent's end was lost or it died): it is "stuck".
STUCK_GRACE = timedelta(minutes=10)
# End reasons that mean something went wrong rather than a finished interview.
ERROR_END_REASONS = frozenset({"error", "job_shutdown", "server_shutdown"})


class InvalidTransition(ValueError):
    """A status change the interview lifecycle does not allow."""

    def __init__(self, current: str, requested: str) -> None:
        allowed = sorted(ALLOWED_TRANSITIONS.get(current, ()))
        super().__init__(
            f"interview is {current!r}; it cannot become {requested!r}"
            + (f" (allowed next: {', '.join(allowed)})" if allowed else " (it has ended)")
        )
        self.current = current
        self.requested = requested


# --- candidates -------------------------------------------------------------------------


async def create_candidate(session: AsyncSession, **fields: Any) -> Candidate:
    candidate = Candidate(**fields)
    session.add(candidate)
    await session.flush()
    return candidate


async def get_candidate(session: AsyncSession, candidate_id: str) -> Candidate | None:
    return await session.get(Candidate, candidate_id)


async def list_candidates(
    session: AsyncSession, *, limit: int = 50, offset: int = 0
) -> tuple[Sequence[Candidate], int]:
    total = await session.scalar(select(func.count()).select_from(Candidate))
    rows = await session.scalars(
        select(Candidate)
        .order_by(Candidate.created_at.desc(), Candidate.id)
        .limit(limit)
        .offset(offset)
    )
    return rows.all(), int(total or 0)


async def merge_candidate_fields(
    session: AsyncSession,
    candidate: Candidate,
    fields: dict[str, Any],
    registry: FieldRegistry | None = None,
) -> None:
    """Merge collected answers into ``extracted_data``; those fields are no longer missing.
    Names are compared as field specs (``registry``, else the built-in specs), so a value
    saved as ``expected_salary`` fills a missing ``salary_expectation``.

    The row is locked and re-read first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite
    has one writer), so concurrent merges of different fields all survive."""
    await session.refresh(candidate, with_for_update=True)
    data = dict(candidate.extracted_data or {})
    data.update(fields)
    candidate.extracted_data = data
    record = CandidateRecord(
        extracted_data=ExtractedData.model_validate(
            {k: v for k, v in data.items() if k != STATUS_KEY}
        ),
        missing_required=list(candidate.missing_required or []),
    )
    candidate.missing_required = record.missing_fields(registry)
    candidate.updated_at = utcnow()
    await session.flush()


# --- jobs ---------------------------------------------------------------------------------


async def create_job(session: AsyncSession, **fields: Any) -> Job:
    job = Job(**fields)
    session.add(job)
    await session.flush()
    return job


async def get_job(session: AsyncSession, job_id: str) -> Job | None:
    return await session.get(Job, job_id)


async def list_jobs(
    session: AsyncSession, *, limit: int = 50, offset: int = 0
) -> tuple[Sequence[Job], int]:
    total = await session.scalar(select(func.count()).select_from(Job))
    rows = await session.scalars(
        select(Job).order_by(Job.created_at.desc(), Job.id).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


# --- interviews -----------------------------------------------------------------------------


async def create_interview(session: AsyncSession, **fields: Any) -> Interview:
    interview = Interview(**fields)
    session.add(interview)
    await session.flush()
    return interview


async def get_interview(session: AsyncSession, interview_id: str) -> Interview | None:
    return await session.get(Interview, interview_id)


async def get_interview_by_room(session: AsyncSession, room_name: str) -> Interview | None:
    return await session.scalar(select(Interview).where(Interview.room_name == room_name))


async def list_interviews(
    session: AsyncSession,
    *,
    status: str | None = None,
    candidate_id: str | None = None,
    job_id: str | None = None,
    mode: str | None = None,
    active_only: bool = False,
    stuck: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Sequence[Interview], int]:
    query = select(Interview)
    if stuck is not None:
        # few interviews are in progress at once; their limits live in JSON metadata
        running = (await session.scalars(query.where(Interview.status == "in_progress"))).all()
        ids = [i.id for i in running if is_stuck(i) == stuck]
        query = (
            query.where(Interview.id.in_(ids))
            if stuck
            else query.where((Interview.status != "in_progress") | Interview.id.in_(ids))
        )
    if status:
        query = query.where(Interview.status == status)
    if candidate_id:
        query = query.where(Interview.candidate_id == candidate_id)
    if job_id:
        query = query.where(Interview.job_id == job_id)
    if mode:
        query = query.where(Interview.mode == mode)
    if active_only:
        query = query.where(Interview.status.in_(("scheduled", "in_progress")))
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(Interview.created_at.desc(), Interview.id).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


def status_changes(
    interview: Interview, status: str, end_reason: str | None = None
) -> dict[str, Any]:
    """The column values a lifecycle change sets on ``interview`` as it is now; empty when
    nothing changes (the same status reported again).

    Raises :class:`InvalidTransition` for a change the lifecycle forbids.
    """
    if status == interview.status:
        if end_reason and not interview.end_reason:
            return {"end_reason": end_reason, "updated_at": utcnow()}
        return {}
    if status not in ALLOWED_TRANSITIONS.get(interview.status, frozenset()):
        raise InvalidTransition(interview.status, status)
    now = utcnow()
    changes: dict[str, Any] = {"status": status, "updated_at": now}
    if status == "in_progress" and interview.started_at is None:
        changes["started_at"] = now
    if status in TERMINAL_STATUSES:
        changes["ended_at"] = now
        if end_reason or not interview.end_reason:
            changes["end_reason"] = end_reason or status
    elif end_reason:
        changes["end_reason"] = end_reason
    return changes


async def set_status(
    session: AsyncSession, interview: Interview, status: str, end_reason: str | None = None
) -> bool:
    """Apply a lifecycle change as a compare-and-set on the stored row: the update only
    applies if the status (and end reason) are still what the change was decided on; if
    another writer changed them first, the change is decided again on the stored row, so
    a finished interview is never overwritten. Returns False when nothing changed.

    Raises :class:`InvalidTransition` for a change the lifecycle forbids.
    """
    for _attempt in range(10):
        changes = status_changes(interview, status, end_reason)
        if not changes:
            return False
        expected_reason = (
            Interview.end_reason.is_(None)
            if interview.end_reason is None
            else Interview.end_reason == interview.end_reason
        )
        result = await session.execute(
            update(Interview)
            .where(
                Interview.id == interview.id,
                Interview.status == interview.status,
                expected_reason,
            )
            .values(**changes)
            .execution_options(synchronize_session=False)
        )
        await session.refresh(interview)
        if getattr(result, "rowcount", 0) == 1:
            return True
    raise InvalidTransition(interview.status, status)


def is_terminal(interview: Interview) -> bool:
    return interview.status in TERMINAL_STATUSES


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def is_stuck(interview: Interview, now: datetime | None = None) -> bool:
    """In progress long past its maximum duration (plus :data:`STUCK_GRACE`): no agent
    is running it and its end never arrived."""
    if interview.status != "in_progress":
        return False
    started = interview.started_at or interview.created_at
    if started is None:
        return False
    try:
        limit = int((interview.room_metadata or {}).get("maxDuration") or 1800)
    except (TypeError, ValueError):
        limit = 1800
    now = now or utcnow()
    return now - _aware(started) > timedelta(seconds=limit) + STUCK_GRACE


async def scheduled_interviews(session: AsyncSession) -> Sequence[Interview]:
    """Interviews still waiting for their candidate (status ``scheduled``)."""
    return (await session.scalars(select(Interview).where(Interview.status == "scheduled"))).all()


async def ended_without_result(
    session: AsyncSession, *, ended_before: datetime
) -> list[tuple[str, dict[str, Any]]]:
    """Interviews (mode ``ai_interview``) that ended before ``ended_before`` with a full
    transcript but no result: (interview id, the full transcript document)."""
    rows = await session.execute(
        select(Interview.id, Transcript.document)
        .join(Transcript, Transcript.interview_id == Interview.id)
        .outerjoin(Result, Result.interview_id == Interview.id)
        .where(
            Interview.mode == "ai_interview",
            Interview.status.in_(tuple(TERMINAL_STATUSES)),
            Interview.ended_at < ended_before,
            Transcript.kind == "full",
            Result.interview_id.is_(None),
        )
    )
    return [(str(iid), dict(doc or {})) for iid, doc in rows.all()]


async def reconcile_interviews(session: AsyncSession) -> tuple[list[Interview], list[Interview]]:
    """Run when the API starts. An interview not ended although its full transcript is
    stored (its end status was lost or is still on its way) is ended as the transcript
    says; stuck interviews are logged. Returns (ended, stuck)."""
    open_ = (
        await session.scalars(
            select(Interview).where(Interview.status.in_(("scheduled", "in_progress")))
        )
    ).all()
    ended: list[Interview] = []
    for interview in open_:
        full = await session.scalar(
            select(Transcript)
            .where(Transcript.interview_id == interview.id, Transcript.kind == "full")
            .limit(1)
        )
        if full is None:
            continue
        info = (full.document or {}).get("sessionInfo") or {}
        reason = str(info.get("endReason") or "completed")[:200]
        status = "error" if reason in ERROR_END_REASONS else "completed"
        try:
            changed = await set_status(session, interview, status, reason)
        except InvalidTransition:
            continue
        if changed:
            ended.append(interview)
            logger.warning(
                "interview ended from its stored transcript (its end status never arrived)",
                extra={"interview_id": interview.id, "status": status, "end_reason": reason},
            )
    await session.commit()
    stuck = [i for i in open_ if i not in ended and is_stuck(i)]
    for interview in stuck:
        logger.warning(
            "interview stuck in progress: past its maximum duration with no end reported",
            extra={"interview_id": interview.id, "started_at": str(interview.started_at)},
        )
    return ended, stuck


# --- transcripts and results ---------------------------------------------------------------------


async def add_transcript(
    session: AsyncSession,
    interview_id: str,
    *,
    kind: str,
    name: str,
    document: dict[str, Any],
    stage: str | None = None,
) -> Transcript:
    """Store a transcript document; uploading the same name again replaces it (retries)."""
    existing = await session.scalar(
        select(Transcript).where(Transcript.interview_id == interview_id, Transcript.name == name)
    )
    if existing is not None:
        existing.document = document
        existing.kind = kind
        existing.stage = stage
        existing.created_at = utcnow()
        await session.flush()
        return existing
    transcript = Transcript(
        interview_id=interview_id, kind=kind, name=name, document=document, stage=stage
    )
    session.add(transcript)
    await session.flush()
    return transcript


async def list_transcripts(session: AsyncSession, interview_id: str) -> Sequence[Transcript]:
    rows = await session.scalars(
        select(Transcript)
        .where(Transcript.interview_id == interview_id)
        .order_by(Transcript.created_at, Transcript.name)
    )
    return rows.all()


async def get_transcript(
    session: AsyncSession, interview_id: str, transcript_id: str
) -> Transcript | None:
    return await session.scalar(
        select(Transcript).where(
            Transcript.interview_id == interview_id, Transcript.id == transcript_id
        )
    )


async def put_result(session: AsyncSession, interview_id: str, result: dict[str, Any]) -> Result:
    row = await session.get(Result, interview_id)
    if row is None:
        row = Result(interview_id=interview_id, result=result)
        session.add(row)
    else:
        row.result = result
        row.updated_at = utcnow()
    await session.flush()
    return row


async def get_result(session: AsyncSession, interview_id: str) -> Result | None:
    return await session.get(Result, interview_id)


async def results_for(
    session: AsyncSession, interview_ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """The stored result documents of these interviews (those that have one), by id."""
    if not interview_ids:
        return {}
    rows = await session.scalars(select(Result).where(Result.interview_id.in_(interview_ids)))
    return {row.interview_id: row.result for row in rows}


# --- machine clients -----------------------------------------------------------------------------

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64)
        expected = base64.b64decode(digest_b64)
    except ValueError:
        return False
    digest = hashlib.scrypt(secret.encode(), salt=salt, dklen=len(expected), **_SCRYPT)
    return hmac.compare_digest(digest, expected)


async def create_m2m_client(
    session: AsyncSession, client_id: str, secret_hash: str, scopes: str = "agent"
) -> M2MClient:
    """Store a machine client; pass ``hash_secret(secret)`` (slow: run it off the loop)."""
    client = M2MClient(client_id=client_id, secret_hash=secret_hash, scopes=scopes)
    session.add(client)
    await session.flush()
    return client


async def get_m2m_client(session: AsyncSession, client_id: str) -> M2MClient | None:
    return await session.get(M2MClient, client_id)
