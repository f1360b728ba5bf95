"""What a candidate is told about AI in the interview, and their request for an
accommodation instead of it (another format, or an interview with a person), as NYC
Local Law 144 and the EU AI Act expect of AI used in hiring."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from voicehire.api.deps import AdminDep, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import ID_PATTERN, ROOM_PATTERN, Body, Text, iso
from voicehire.storage import repositories as repo
from voicehire.storage.models import AccommodationRequest, Candidate, Interview

router = APIRouter(tags=["notices and accommodations"])

AI_NOTICE = (
    "This interview is conducted by an AI interviewer. Your spoken answers are "
    "transcribed, and an automated evaluator scores them against the job's criteria "
    "(the skills the role needs and how clearly you explain your experience). A person "
    "at the hiring team reviews every result and makes the decision. You may ask for "
    "another format or an interview with a person instead; asking does not count "
    "against you."
)
Kind = Literal["alternative_format", "human_interview", "other"]
KIND_LABELS: dict[str, str] = {
    "alternative_format": "Another format (for example written answers, or more time)",
    "human_interview": "An interview with a person instead of the AI interviewer",
    "other": "Something else",
}


class AccommodationOption(BaseModel):
    value: str
    label: str


class CandidateNotice(BaseModel):
    ai_notice: str
    notice: str | None = Field(description="The organisation's own notice, if configured")
    accommodation_contact: str | None
    accommodation_options: list[AccommodationOption]


class AccommodationIn(Body):
    kind: Kind
    note: Text | None = None


class AccommodationOut(BaseModel):
    id: str
    interview_id: str
    candidate_id: str | None
    candidate_name: str | None = Field(
        None, description="Who asked (for the hiring team's list; None without a candidate)"
    )
    kind: str
    kind_label: str
    note: str | None
    created_at: str | None


@router.get("/api/candidate-notice", response_model=CandidateNotice)
async def candidate_notice(state: StateDep) -> CandidateNotice:
    settings = state.settings
    return CandidateNotice(
        ai_notice=settings.ai_notice_text or AI_NOTICE,
        notice=settings.candidate_notice_text,
        accommodation_contact=settings.accommodation_contact,
        accommodation_options=[
            AccommodationOption(value=k, label=v) for k, v in KIND_LABELS.items()
        ],
    )


@router.post("/api/accommodations/{room}", status_code=201, response_model=AccommodationOut)
async def request_accommodation(
    room: Annotated[str, Path(pattern=ROOM_PATTERN)], body: AccommodationIn, session: SessionDep
) -> AccommodationOut:
    """The candidate asks, through their interview link, for an alternative."""
    interview = await repo.get_interview_by_room(session, room)
    if interview is None:
        raise ApiError(404, "this interview link is not valid", code="unknown_room")
    row = AccommodationRequest(interview_id=interview.id, kind=body.kind, note=body.note)
    session.add(row)
    await session.commit()
    # the candidate's own answer: no name (the link alone must not reveal whose it is)
    return _out(row, interview.candidate_id, None)


@router.get("/api/accommodations", response_model=list[AccommodationOut])
async def list_accommodations(
    session: SessionDep,
    _: AdminDep,
    candidate_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
) -> list[AccommodationOut]:
    """Every request (or one candidate's), newest first, for the hiring team to act on."""
    query = (
        select(AccommodationRequest, Interview.candidate_id, Candidate.name)
        .join(Interview, Interview.id == AccommodationRequest.interview_id)
        .outerjoin(Candidate, Candidate.id == Interview.candidate_id)
        .order_by(AccommodationRequest.created_at.desc())
    )
    if candidate_id is not None:
        query = query.where(Interview.candidate_id == candidate_id)
    rows = await session.execute(query)
    return [_out(req, cid, name) for req, cid, name in rows]


def _out(row: AccommodationRequest, candidate_id: str | None, name: str | None) -> AccommodationOut:
    return AccommodationOut(
        id=row.id,
        interview_id=row.interview_id,
        candidate_id=candidate_id,
        candidate_name=name,
        kind=row.kind,
        kind_label=KIND_LABELS.get(row.kind, row.kind),
        note=row.note,
        created_at=iso(row.created_at),
    )
