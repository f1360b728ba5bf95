"""Candidates: profile, extracted data, missing required fields, notes, resume summary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from voicehire.api import services
from voicehire.api.deps import AdminDep, Limit, Offset, SessionDep, StateDep
from voicehire.api.schemas import ID_PATTERN, CandidateCreate, CandidateList, CandidateOut
from voicehire.storage import repositories as repo

router = APIRouter(prefix="/api/candidates", tags=["candidates"])
CandidateId = Annotated[str, Path(pattern=ID_PATTERN)]


@router.post("", status_code=201, response_model=CandidateOut)
async def create_candidate(
    body: CandidateCreate, state: StateDep, session: SessionDep, _: AdminDep
):
    """A candidate. ``missing_required`` names gap-filling field specs (aliases and other
    spellings are stored under the spec's name); an unknown name is refused (422) with
    the list of valid names."""
    fields = body.model_dump()
    fields["missing_required"] = services.field_names(
        state, body.missing_required, "missing_required"
    )
    candidate = await repo.create_candidate(session, **fields)
    await session.commit()
    return CandidateOut.of(candidate)


@router.get("", response_model=CandidateList)
async def list_candidates(session: SessionDep, _: AdminDep, limit: Limit = 50, offset: Offset = 0):
    rows, total = await repo.list_candidates(session, limit=limit, offset=offset)
    return CandidateList(
        items=[CandidateOut.of(c) for c in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{candidate_id}", response_model=CandidateOut)
async def get_candidate(candidate_id: CandidateId, session: SessionDep, _: AdminDep):
    return CandidateOut.of(await services.load_candidate(session, candidate_id))
