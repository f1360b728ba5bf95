"""Jobs (roles): title, level, required skills, description, the interview plan they use,
and the job's own questions (the recruiter's, and those generated from the description)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Path

from voicehire.api import services
from voicehire.api.deps import AdminDep, Limit, Offset, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import (
    ID_PATTERN,
    JobCreate,
    JobList,
    JobOut,
    JobQuestionsUpdate,
    JobUpdate,
)
from voicehire.storage import repositories as repo

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/api/jobs", tags=["jobs"])
JobId = Annotated[str, Path(pattern=ID_PATTERN)]


@router.post("", status_code=201, response_model=JobOut)
async def create_job(body: JobCreate, session: SessionDep, _: AdminDep) -> JobOut:
    fields = body.model_dump(mode="json")
    fields["custom_questions"] = [q | {"source": "custom"} for q in fields["custom_questions"]]
    job = await repo.create_job(session, **fields)
    await session.commit()
    return JobOut.of(job)


@router.get("", response_model=JobList)
async def list_jobs(
    session: SessionDep, _: AdminDep, limit: Limit = 50, offset: Offset = 0
) -> JobList:
    rows, total = await repo.list_jobs(session, limit=limit, offset=offset)
    return JobList(items=[JobOut.of(j) for j in rows], total=total, limit=limit, offset=offset)


@router.get("/{job_id}", response_model=JobOut)
async def get_job(job_id: JobId, session: SessionDep, _: AdminDep) -> JobOut:
    return JobOut.of(await services.load_job(session, job_id))


@router.patch("/{job_id}", response_model=JobOut)
async def update_job(job_id: JobId, body: JobUpdate, session: SessionDep, _: AdminDep) -> JobOut:
    """Change the job's description or the facts candidates may ask about. Interviews
    created afterwards use the new values; running ones keep what they started with."""
    job = await services.load_job(session, job_id)
    for name, value in body.model_dump(mode="json", exclude_unset=True).items():
        setattr(job, name, value)
    await session.commit()
    return JobOut.of(job)


@router.put("/{job_id}/questions", response_model=JobOut)
async def set_custom_questions(
    job_id: JobId, body: JobQuestionsUpdate, session: SessionDep, _: AdminDep
) -> JobOut:
    """Replace the job's custom questions (asked first in the technical stage)."""
    job = await services.load_job(session, job_id)
    job.custom_questions = [
        q.model_dump(mode="json") | {"source": "custom"} for q in body.custom_questions
    ]
    await session.commit()
    return JobOut.of(job)


@router.post("/{job_id}/questions/generate", response_model=JobOut)
async def generate_job_questions(
    job_id: JobId, session: SessionDep, state: StateDep, _: AdminDep
) -> JobOut:
    """Generate technical questions from the job description with the configured LLM and
    store them with the job. 409 when no LLM is configured; 502 when the model gives no
    valid questions (the job is left unchanged)."""
    from voicehire.domain.question_bank import JobProfile
    from voicehire.evaluation.question_generation import (
        QuestionGenerationError,
        generate_for_settings,
    )
    from voicehire.evaluation.service import llm_configured

    job = await services.load_job(session, job_id)
    if not llm_configured(state.settings):
        raise ApiError(
            409,
            "no LLM is configured (set LLM_PROVIDER=openai and OPENAI_API_KEY or "
            "OPENAI_BASE_URL); questions come from the built-in bank and custom questions",
        )
    profile = JobProfile(
        title=job.title,
        level=job.level,
        required_skills=list(job.required_skills or []),
        description=job.description or "",
    )
    try:
        questions = await generate_for_settings(profile, state.settings)
    except QuestionGenerationError as exc:
        logger.warning("question generation failed", extra={"job_id": job_id, "error": str(exc)})
        raise ApiError(502, f"question generation failed: {exc}") from None
    job.generated_questions = [q.model_dump(mode="json") for q in questions]
    await session.commit()
    return JobOut.of(job)
