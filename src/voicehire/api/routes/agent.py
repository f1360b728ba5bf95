"""Endpoints for the agent worker (M2M token with the ``agent`` scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from voicehire.api import services
from voicehire.api.deps import AgentDep, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import (
    ID_PATTERN,
    CandidateFieldsUpdate,
    CandidateOut,
    InterviewConfig,
    InterviewOut,
    JobOut,
    ResultOut,
    ResultUpload,
    StatusReport,
    TranscriptIndexEntry,
    TranscriptUpload,
    iso,
)
from voicehire.storage import repositories as repo

router = APIRouter(prefix="/api/agent", tags=["agent (M2M)"])
Id = Annotated[str, Path(pattern=ID_PATTERN)]


@router.get("/interviews/{interview_id}/config", response_model=InterviewConfig)
async def get_interview_config(interview_id: Id, session: SessionDep, _: AgentDep):
    """The interview's configuration; 409 when it has already ended (not startable)."""
    interview = await services.load_interview(session, interview_id)
    if repo.is_terminal(interview):
        raise ApiError(
            409,
            f"interview {interview_id} is {interview.status}; it cannot be started",
            code="not_startable",
        )
    related = await services.interview_config(session, interview)
    return InterviewConfig(
        interview_id=interview.id,
        room_name=interview.room_name,
        status=interview.status,
        mode=interview.mode,
        plan=interview.plan,
        interview_type=interview.interview_type,
        metadata=interview.room_metadata or {},
        candidate=CandidateOut.of(related["candidate"]) if related["candidate"] else None,
        job=JobOut.of(related["job"]) if related["job"] else None,
    )


@router.post("/interviews/{interview_id}/status", response_model=InterviewOut)
async def report_status(
    interview_id: Id, body: StatusReport, state: StateDep, session: SessionDep, _: AgentDep
):
    interview = await services.load_interview(session, interview_id)
    await services.change_status(state, session, interview, body.status, body.end_reason)
    return InterviewOut.of(interview)


@router.post(
    "/interviews/{interview_id}/transcripts", status_code=201, response_model=TranscriptIndexEntry
)
async def upload_transcript(
    interview_id: Id, body: TranscriptUpload, session: SessionDep, _: AgentDep
):
    interview = await services.load_interview(session, interview_id)
    if body.kind == "full" or repo.is_terminal(interview):
        stored = await repo.list_transcripts(session, interview_id)
        if any(t.kind == "full" for t in stored):
            raise ApiError(
                409,
                f"interview {interview_id} already has its full transcript; it is never replaced",
                code="transcript_final",
            )
    stage = body.document.get("stage", {}).get("stage") if body.kind == "stage" else None
    t = await repo.add_transcript(
        session,
        interview_id,
        kind=body.kind,
        name=body.name,
        document=body.document,
        stage=str(stage)[:100] if stage else None,
    )
    await session.commit()
    return TranscriptIndexEntry(
        id=t.id, kind=t.kind, name=t.name, stage=t.stage, created_at=iso(t.created_at)
    )


@router.put("/interviews/{interview_id}/result", response_model=ResultOut)
async def upload_result(interview_id: Id, body: ResultUpload, session: SessionDep, _: AgentDep):
    """Store the interview's result once. An interview's evaluation is checked against
    the evaluation schema; a stored result (and the human override kept in it) is never
    replaced by the agent (409), but the same upload again is accepted (retries)."""
    interview = await services.load_interview(session, interview_id)
    result = body.result
    if interview.mode == "ai_interview":
        from pydantic import ValidationError

        from voicehire.evaluation.models import EvaluationResult

        try:
            # the agent never speaks for the human: an override comes only from the dashboard
            evaluation = EvaluationResult.model_validate(result).model_copy(
                update={"override": None}
            )
            result = evaluation.model_dump(mode="json")
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ApiError(
                422, f"the result is not an evaluation ({where}: {first['msg']})", code="bad_result"
            ) from None
    existing = await repo.get_result(session, interview_id)
    if existing is not None:
        if existing.result == result:
            return ResultOut(
                interview_id=interview_id,
                result=existing.result,
                updated_at=iso(existing.updated_at),
            )
        raise ApiError(
            409,
            f"interview {interview_id} already has a result; the agent cannot replace it",
            code="result_final",
        )
    row = await repo.put_result(session, interview_id, result)
    await session.commit()
    return ResultOut(interview_id=interview_id, result=row.result, updated_at=iso(row.updated_at))


@router.get("/candidates/{candidate_id}", response_model=CandidateOut)
async def get_candidate(candidate_id: Id, session: SessionDep, _: AgentDep):
    return CandidateOut.of(await services.load_candidate(session, candidate_id))


@router.patch("/candidates/{candidate_id}/fields", response_model=CandidateOut)
async def update_candidate_fields(
    candidate_id: Id, body: CandidateFieldsUpdate, state: StateDep, session: SessionDep, _: AgentDep
):
    """Merge collected values into ``extracted_data``; they leave ``missing_required``."""
    candidate = await services.load_candidate(session, candidate_id)
    await repo.merge_candidate_fields(session, candidate, body.fields)
    await session.commit()
    active, _total = await repo.list_interviews(
        session, candidate_id=candidate_id, active_only=True, limit=100
    )
    for interview in active:
        await services.refresh_cache(state, interview, candidate)
    return CandidateOut.of(candidate)
