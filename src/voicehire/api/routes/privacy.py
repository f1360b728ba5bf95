"""A candidate's data on request: export everything as JSON, or delete it from every
store; the deletion log (counts only); a retention purge on demand."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from voicehire.api import services
from voicehire.api.deps import AdminDep, SessionDep, StateDep
from voicehire.api.retention import folders_of
from voicehire.api.schemas import ID_PATTERN, iso
from voicehire.storage import retention
from voicehire.storage.models import DeletionRecord

router = APIRouter(tags=["privacy"])
CandidateId = Annotated[str, Path(pattern=ID_PATTERN)]


class DeletionOut(BaseModel):
    """What was deleted and when; never whose."""

    id: str
    kind: str
    counts: dict[str, int]
    created_at: str | None

    @classmethod
    def of(cls, r: DeletionRecord) -> DeletionOut:
        return cls(id=r.id, kind=r.kind, counts=dict(r.counts), created_at=iso(r.created_at))


@router.get("/api/candidates/{candidate_id}/export")
async def export_candidate(
    candidate_id: CandidateId, session: SessionDep, _: AdminDep
) -> JSONResponse:
    """Everything stored about the candidate (profile, interviews and calls, transcripts,
    results, self-identification answers) as one JSON file."""
    candidate = await services.load_candidate(session, candidate_id)
    document: dict[str, Any] = await retention.export_candidate(session, candidate)
    return JSONResponse(
        document,
        headers={
            "Content-Disposition": f'attachment; filename="candidate-{candidate_id}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.delete("/api/candidates/{candidate_id}", response_model=DeletionOut)
async def delete_candidate(
    candidate_id: CandidateId, session: SessionDep, state: StateDep, _: AdminDep
) -> DeletionOut:
    """Delete the candidate and everything stored about them: interviews and calls,
    transcripts, results and reports, recordings, self-identification answers."""
    candidate = await services.load_candidate(session, candidate_id)
    record = await retention.delete_candidate(session, candidate, folders_of(state.settings))
    await session.commit()
    return DeletionOut.of(record)


@router.get("/api/deletions", response_model=list[DeletionOut])
async def list_deletions(session: SessionDep, _: AdminDep) -> list[DeletionOut]:
    return [DeletionOut.of(r) for r in await retention.deletion_records(session)]


@router.post("/api/retention/purge", response_model=DeletionOut | None)
async def purge_now(request: Request, _: AdminDep) -> DeletionOut | None:
    """Run the retention purge now (it also runs every RETENTION_PURGE_INTERVAL seconds)."""
    record = await request.app.state.retention.run_once()
    return DeletionOut.of(record) if record is not None else None
