"""Jobs (roles): title, level, required skills and the interview plan they use."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from voicehire.api import services
from voicehire.api.deps import AdminDep, Limit, Offset, SessionDep
from voicehire.api.schemas import ID_PATTERN, JobCreate, JobList, JobOut
from voicehire.storage import repositories as repo

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
JobId = Annotated[str, Path(pattern=ID_PATTERN)]


@router.post("", status_code=201, response_model=JobOut)
async def create_job(body: JobCreate, session: SessionDep, _: AdminDep):
    job = await repo.create_job(session, **body.model_dump())
    await session.commit()
    return JobOut.of(job)


@router.get("", response_model=JobList)
async def list_jobs(session: SessionDep, _: AdminDep, limit: Limit = 50, offset: Offset = 0):
    rows, total = await repo.list_jobs(session, limit=limit, offset=offset)
    return JobList(items=[JobOut.of(j) for j in rows], total=total, limit=limit, offset=offset)


@router.get("/{job_id}", response_model=JobOut)
async def get_job(job_id: JobId, session: SessionDep, _: AdminDep):
    return JobOut.of(await services.load_job(session, job_id))
