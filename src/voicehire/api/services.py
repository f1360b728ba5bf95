"""Use cases shared by the resource API and the seed-compatible aliases.

Routes stay thin: they validate input, call one of these, and shape the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from voicehire.api import schemas, webhooks_out
from voicehire.api.errors import ApiError, not_found
from voicehire.api.schemas import CandidateOut, InterviewOut, JoinInfo
from voicehire.api.state import AppState
from voicehire.domain.candidate import STATUS_KEY, CandidateRecord, ExtractedData
from voicehire.domain.config import SessionConfig
from voicehire.domain.fields import FieldRegistry, load_field_specs
from voicehire.domain.plan import plan_for_session
from voicehire.evaluation.models import EvaluationResult
from voicehire.livekit_gateway import CANDIDATE_PREFIX, LiveKitGatewayError, new_room_name
from voicehire.storage import repositories as repo
from voicehire.storage.cache import session_key
from voicehire.storage.models import Candidate, Interview, Job, new_id

logger = logging.getLogger(__name__)

ROOM_PREFIX = {
    "ai_interview": "interview",
    "gap_filling": "voice-gap-filling",
    "briefing": "voice-briefing",
}


_registries: dict[tuple[str, ...], FieldRegistry] = {}


def field_registry(state: AppState) -> FieldRegistry:
    """The gap-filling field specs: built-in plus ``FIELD_SPEC_FILES`` (loaded once)."""
    paths = tuple(str(p) for p in state.settings.field_spec_paths)
    if paths not in _registries:
        _registries[paths] = load_field_specs(paths)
    return _registries[paths]


def field_names(state: AppState, names: Iterable[str], where: str) -> list[str]:
    """``names`` as field spec names; a name no spec knows is refused (422) with the
    list of valid names."""
    registry = field_registry(state)
    known, unknown = registry.normalise(names)
    if unknown:
        valid = sorted(registry)
        raise ApiError(
            422,
            f"{where}: unknown field name(s) {', '.join(repr(n[:60]) for n in unknown[:10])}; "
            f"use one of: {', '.join(valid)} (or add a spec in FIELD_SPEC_FILES)",
            code="unknown_field",
            extra={"unknown": unknown[:50], "valid": valid},
        )
    return known


def field_values(state: AppState, fields: dict[str, Any]) -> dict[str, Any]:
    """Collected values keyed by field spec name (``gap_filling_status`` kept, its keys
    normalised too); unknown names are refused like :func:`field_names`."""
    values = {k: v for k, v in fields.items() if k != STATUS_KEY}
    field_names(state, values, "fields")
    registry = field_registry(state)
    out: dict[str, Any] = {registry.spec_name(k) or k: v for k, v in values.items()}
    if STATUS_KEY in fields:
        status = fields[STATUS_KEY]
        if isinstance(status, dict):
            status = {registry.spec_name(k) or k: v for k, v in status.items()}
        out[STATUS_KEY] = status
    return out


def missing_fields(state: AppState, candidate: Candidate) -> list[str]:
    """The candidate's missing required fields that hold no value yet, as spec names."""
    registry = field_registry(state)
    record = CandidateRecord(
        extracted_data=ExtractedData.model_validate(
            {k: v for k, v in (candidate.extracted_data or {}).items() if k != STATUS_KEY}
        ),
        missing_required=list(candidate.missing_required or []),
    )
    return [registry.spec_name(f) or f for f in record.missing_fields(registry)]


INVITE_EXPIRES_KEY = schemas.INVITE_EXPIRES_KEY


def invite_expiry(meta: dict[str, Any]) -> datetime | None:
    """When an emailed invite link stops working (None: no emailed invite, no expiry)."""
    return schemas.metadata_time(meta, INVITE_EXPIRES_KEY)


def livekit_required(state: AppState):
    if state.gateway is None:
        raise ApiError(
            503,
            "LiveKit is not configured: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET",
            code="livekit_not_configured",
        )
    return state.gateway


def session_snapshot(interview: Interview, candidate: Candidate | None = None) -> dict[str, Any]:
    """What the session cache holds for a room (seed 003's ``session:{room}``)."""
    meta = interview.room_metadata or {}
    snap: dict[str, Any] = {
        "room_name": interview.room_name,
        "interview_id": interview.id,
        "mode": interview.mode,
        "status": interview.status,
        "end_reason": interview.end_reason,
        "candidate_id": interview.candidate_id,
        "job_id": interview.job_id,
        "job_title": meta.get("interviewRole"),
        "job_level": meta.get("jobLevel"),
        "required_skills": meta.get("requiredSkills", []),
    }
    if candidate is not None:
        snap["extracted_data"] = candidate.extracted_data or {}
        snap["missing_required"] = list(candidate.missing_required or [])
    return snap


async def refresh_cache(state: AppState, interview: Interview, candidate: Candidate | None = None):
    await state.cache.set(session_key(interview.room_name), session_snapshot(interview, candidate))


def build_metadata(
    *,
    interview_id: str,
    mode: str,
    candidate: Candidate | None,
    job: Job | None,
    plan: str,
    interview_type: str,
    max_duration: int,
    language: str,
    role: str | None = None,
    extra: dict[str, Any] | None = None,
    enable_recording: bool = False,
) -> dict[str, Any]:
    extra = dict(extra or {})
    if job is not None:
        if job.level:
            extra.setdefault("jobLevel", job.level)
        extra.setdefault("requiredSkills", list(job.required_skills or []))
        # The job record the interviewer chooses questions from and answers the
        # candidate's questions about the role with (domain/question_bank.JobProfile).
        extra.setdefault(
            "job",
            {
                "title": job.title,
                "level": job.level,
                "required_skills": list(job.required_skills or []),
                "description": job.description or "",
                "custom_questions": list(job.custom_questions or []),
                "generated_questions": list(job.generated_questions or []),
                "location": job.location,
                "remote_policy": job.remote_policy,
                "salary_range": job.salary_range,
                "team": job.team,
                "process": job.process,
            },
        )
    if mode == "gap_filling" and candidate is not None:
        extra.setdefault("missing_required", list(candidate.missing_required or []))
    config = SessionConfig(
        session_type=mode,
        max_duration=max_duration,
        interview_role=role or (job.title if job else "Software Engineer"),
        interview_type=interview_type,
        interview_id=interview_id,
        candidate_id=candidate.id if candidate else None,
        candidate_name=candidate.name if candidate else "Candidate",
        job_id=job.id if job else None,
        plan=plan,
        language=language,
        enable_recording=enable_recording,
        extra=extra,
    )
    return config.to_metadata()


async def start_session(
    state: AppState,
    session: AsyncSession,
    *,
    candidate: Candidate | None,
    job: Job | None,
    mode: str = "ai_interview",
    plan: str | None = None,
    interview_type: str | None = None,
    max_duration: int | None = None,
    language: str | None = None,
    role: str | None = None,
    extra: dict[str, Any] | None = None,
    enable_recording: bool = False,
    room_name: str | None = None,
    dispatch: bool = True,
    participant_name: str | None = None,
    identity_prefix: str = CANDIDATE_PREFIX,
    base_url: str | None = None,
) -> tuple[Interview, JoinInfo]:
    """Record an interview, create its LiveKit room, dispatch the agent, issue the token.

    The interview is committed before the agent is dispatched, so an agent asking for its
    configuration always finds it. If LiveKit refuses, the interview ends in ``error``
    and the caller gets a 502 naming the LiveKit failure.
    """
    if mode == "gap_filling":
        missing = missing_fields(state, candidate) if candidate is not None else []
        if not missing:
            raise ApiError(
                409,
                "this candidate has no missing required fields; a gap-filling call would "
                "have nothing to ask",
                code="nothing_missing",
            )
        extra = {**(extra or {}), "missing_required": missing}
    interview_type = interview_type or (job.interview_type if job else "technical")
    plan = plan or (job.plan if job else plan_for_session(None, interview_type))
    max_duration = max_duration or state.settings.max_interview_duration
    language = language or (job.language if job else None) or "en"
    interview_id = new_id()
    room_name = room_name or new_room_name(ROOM_PREFIX.get(mode, "interview"))
    metadata = build_metadata(
        interview_id=interview_id,
        mode=mode,
        candidate=candidate,
        job=job,
        plan=plan,
        interview_type=interview_type,
        max_duration=max_duration,
        language=language,
        role=role,
        extra=extra,
        enable_recording=enable_recording,
    )
    interview = await repo.create_interview(
        session,
        id=interview_id,
        candidate_id=candidate.id if candidate else None,
        job_id=job.id if job else None,
        plan=plan,
        mode=mode,
        interview_type=interview_type,
        room_name=room_name,
        room_metadata=metadata,
    )
    await session.commit()
    logger.info(
        "interview created",
        extra={"interview_id": interview.id, "room": room_name, "mode": mode},
    )

    token = identity = expires_at = None
    gateway = state.gateway
    if gateway is not None:
        try:
            await gateway.create_room(room_name, metadata)
            if dispatch:
                interview.dispatch_id = await gateway.dispatch_agent(room_name, metadata)
        except LiveKitGatewayError as exc:
            await repo.set_status(session, interview, "error", "livekit_error")
            await session.commit()
            raise ApiError(
                502,
                f"interview {interview.id} could not be started: {exc}",
                code="livekit_error",
                extra={"interview_id": interview.id},
            ) from None
        await session.commit()
        token, identity, expires_at = issue_token(
            state, interview, candidate, participant_name, identity_prefix, dispatch
        )
    await refresh_cache(state, interview, candidate)
    return interview, join_info(state, interview, token, identity, expires_at, base_url)


def issue_token(
    state: AppState,
    interview: Interview,
    candidate: Candidate | None,
    participant_name: str | None = None,
    identity_prefix: str = CANDIDATE_PREFIX,
    dispatch: bool = True,
) -> tuple[str, str, str]:
    gateway = livekit_required(state)
    ttl = state.settings.vh_candidate_token_ttl
    participant_id = candidate.id if candidate else interview.id
    token = gateway.candidate_token(
        interview.room_name,
        participant_id=participant_id,
        name=participant_name or (candidate.name if candidate else "Candidate"),
        ttl_seconds=ttl,
        dispatch_metadata=(interview.room_metadata or {}) if dispatch else None,
        prefix=identity_prefix,
    )
    expires_at = (datetime.now(UTC) + timedelta(seconds=ttl)).isoformat()
    return token, identity_prefix + participant_id, expires_at


def join_info(
    state: AppState,
    interview: Interview,
    token: str | None,
    identity: str | None,
    expires_at: str | None,
    base_url: str | None = None,
) -> JoinInfo:
    """``base_url`` is the address the request came to (``request.base_url``); the
    ``VH_PUBLIC_URL`` setting, when set, wins (a proxy in front knows the public name)."""
    base = (state.settings.vh_public_url or base_url or "").rstrip("/")
    return JoinInfo(
        room_name=interview.room_name,
        livekit_url=state.gateway.client_url if state.gateway else None,
        token=token,
        identity=identity,
        expires_at=expires_at,
        join_url=f"{base}/join/{interview.room_name}",
    )


async def load_interview(session: AsyncSession, interview_id: str) -> Interview:
    interview = await repo.get_interview(session, interview_id)
    if interview is None:
        raise not_found("interview", interview_id)
    return interview


async def load_evaluation(
    session: AsyncSession,
    interview_id: str,
    *,
    missing: ApiError,
    not_evaluation: ApiError | None = None,
) -> tuple[Interview, EvaluationResult]:
    """The interview (404 when unknown) and its stored result as an evaluation.

    ``missing`` is raised when it has no result yet (each route words that its own way);
    ``not_evaluation`` when the stored result does not validate as an evaluation (by
    default a 409 naming the interview)."""
    interview = await load_interview(session, interview_id)
    row = await repo.get_result(session, interview_id)
    if row is None:
        raise missing
    try:
        result = EvaluationResult.model_validate(row.result)
    except Exception:
        raise not_evaluation or ApiError(
            409, f"interview {interview_id!r} has a result that is not an evaluation"
        ) from None
    return interview, result


async def load_interview_by_room(session: AsyncSession, room_name: str) -> Interview:
    interview = await repo.get_interview_by_room(session, room_name)
    if interview is None:
        raise ApiError(404, f"no interview uses room {room_name!r}")
    return interview


async def load_candidate(session: AsyncSession, candidate_id: str) -> Candidate:
    candidate = await repo.get_candidate(session, candidate_id)
    if candidate is None:
        raise not_found("candidate", candidate_id)
    return candidate


async def load_job(session: AsyncSession, job_id: str) -> Job:
    job = await repo.get_job(session, job_id)
    if job is None:
        raise not_found("job", job_id)
    return job


async def change_status(
    state: AppState,
    session: AsyncSession,
    interview: Interview,
    status: str,
    end_reason: str | None = None,
) -> bool:
    end_reason_only = status == interview.status
    try:
        changed = await repo.set_status(session, interview, status, end_reason)
    except repo.InvalidTransition as exc:
        raise ApiError(409, str(exc), code="invalid_transition") from None
    if changed:
        if status == "completed" and not end_reason_only:
            await emit(
                state,
                session,
                webhooks_out.INTERVIEW_COMPLETED,
                {"interview": interview_data(interview)},
            )
        await session.commit()
        logger.info(
            "interview status changed",
            extra={"interview_id": interview.id, "status": status, "end_reason": end_reason},
        )
    await refresh_cache(state, interview)
    return changed


async def release(session: AsyncSession) -> None:
    """End the session's transaction so its connection goes back to the pool before a
    slow call (LiveKit, password hashing). Loaded objects stay usable."""
    await session.commit()


async def stop_session(
    state: AppState, session: AsyncSession, interview: Interview, reason: str
) -> Interview:
    """Cancel the interview (if still open) and delete its room so the agent leaves."""
    if not repo.is_terminal(interview):
        await change_status(state, session, interview, "cancelled", reason)
    await release(session)
    if state.gateway is not None:
        try:
            await state.gateway.delete_room(interview.room_name)
        except LiveKitGatewayError as exc:
            logger.warning(
                "room not deleted", extra={"room": interview.room_name, "error": str(exc)}
            )
    for end_live in state.live_session_enders:  # a session this process runs itself
        try:
            await end_live(interview.room_name, reason)
        except Exception:
            logger.exception("live session not ended", extra={"interview_id": interview.id})
    return interview


async def interview_config(session: AsyncSession, interview: Interview) -> dict[str, Any]:
    candidate = (
        await repo.get_candidate(session, interview.candidate_id)
        if interview.candidate_id
        else None
    )
    job = await repo.get_job(session, interview.job_id) if interview.job_id else None
    return {"candidate": candidate, "job": job}


# --- outgoing webhooks -------------------------------------------------------------------


def interview_data(interview: Interview) -> dict[str, Any]:
    return InterviewOut.of(interview).model_dump(mode="json")


def candidate_data(candidate: Candidate) -> dict[str, Any]:
    return CandidateOut.of(candidate).model_dump(mode="json")


async def emit(
    state: AppState, session: AsyncSession, event_type: str, data: dict[str, Any]
) -> None:
    """Write ``event_type`` to the webhook outbox in ``session``'s transaction; it is sent
    once the caller commits."""
    await state.webhooks.emit(session, event_type, data)


async def candidate_results(session: AsyncSession, candidate_id: str) -> list[dict[str, Any]]:
    """The candidate's finished, evaluated interviews, newest first: each evaluation
    (with the human override kept in it) plus the interview's kind and date. What a
    briefing about the candidate is made from."""
    rows, _total = await repo.list_interviews(
        session, candidate_id=candidate_id, mode="ai_interview", limit=20
    )
    out: list[dict[str, Any]] = []
    for interview in rows:
        if not repo.is_terminal(interview):
            continue
        stored = await repo.get_result(session, interview.id)
        if stored is None or not isinstance(stored.result, dict):
            continue
        ended = interview.ended_at or interview.created_at
        out.append(
            {
                **stored.result,
                "interview_type": stored.result.get("interview_type") or interview.interview_type,
                "date": ended.date().isoformat() if ended else None,
            }
        )
    return out
