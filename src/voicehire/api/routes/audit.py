"""Bias audits: a candidate's voluntary self-identification (through their interview
link), and per job the selection rates by group with impact ratios, as JSON or CSV."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field, model_validator

from voicehire.api import services
from voicehire.api.deps import AdminDep, SessionDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import ID_PATTERN, ROOM_PATTERN, Body
from voicehire.domain.bias_audit import CATEGORIES, CATEGORY_LABELS, AuditReport, audit
from voicehire.storage import repositories as repo
from voicehire.storage import self_identification as self_id

router = APIRouter(tags=["bias audit"])
Category = Literal["sex", "race_ethnicity", "age_band"]


class SelfIdOption(BaseModel):
    value: str
    label: str


class SelfIdCategory(BaseModel):
    category: str
    label: str
    options: list[SelfIdOption]


class SelfIdQuestion(BaseModel):
    """The voluntary question a candidate page may show (every category optional)."""

    notice: str
    categories: list[SelfIdCategory]


class SelfIdAnswers(Body):
    answers: dict[Category, str] = Field(
        description="Category → one of its option values; leave a category out to skip it"
    )

    @model_validator(mode="after")
    def _known_values(self) -> SelfIdAnswers:
        for category, value in self.answers.items():
            if value not in CATEGORIES[category]:
                valid = ", ".join(CATEGORIES[category])
                raise ValueError(f"{category}: {value!r} is not one of: {valid}")
        return self


class GroupOut(BaseModel):
    group: str
    label: str
    decided: int = Field(description="Candidates with a decision (hire, maybe, no_hire)")
    selected: int = Field(description="Of those, decided 'hire'")
    pending: int = Field(description="Waiting for a human review (left out of the rate)")
    selection_rate: float | None
    impact_ratio: float | None = Field(description="Rate / the highest group's rate")
    below_four_fifths: bool
    small_group: bool = Field(description="Fewer than 5 decided: the rate says little")


class BiasAuditOut(BaseModel):
    job_id: str
    category: str
    notice: str
    groups: list[GroupOut]

    @classmethod
    def of(cls, job_id: str, report: AuditReport) -> BiasAuditOut:
        return cls(
            job_id=job_id,
            category=report.category,
            notice=report.notice,
            groups=[
                GroupOut(
                    group=r.group,
                    label=r.label,
                    decided=r.decided,
                    selected=r.selected,
                    pending=r.pending,
                    selection_rate=r.selection_rate,
                    impact_ratio=r.impact_ratio,
                    below_four_fifths=r.adverse,
                    small_group=r.small,
                )
                for r in report.rows
            ],
        )


QUESTION_NOTICE = (
    "Optional and voluntary. Your answers are kept apart from your interview: the "
    "interviewer and the scoring never see them. They are used only to check, in "
    "aggregate, that the hiring process treats every group fairly."
)


@router.get("/api/self-identification", response_model=SelfIdQuestion)
async def self_identification_question() -> SelfIdQuestion:
    return SelfIdQuestion(
        notice=QUESTION_NOTICE,
        categories=[
            SelfIdCategory(
                category=c,
                label=CATEGORY_LABELS[c],
                options=[SelfIdOption(value=v, label=label) for v, label in options.items()],
            )
            for c, options in CATEGORIES.items()
        ],
    )


@router.put("/api/self-identification/{room}", status_code=204)
async def save_self_identification(
    room: Annotated[str, Path(pattern=ROOM_PATTERN)], body: SelfIdAnswers, session: SessionDep
) -> Response:
    """The candidate's answers, through their interview link (the link is the credential)."""
    interview = await repo.get_interview_by_room(session, room)
    if interview is None or interview.candidate_id is None:
        raise ApiError(404, "this interview link is not valid", code="unknown_room")
    answers = {str(category): value for category, value in body.answers.items()}
    await self_id.save_answers(session, interview.candidate_id, answers)
    await session.commit()
    return Response(status_code=204)


async def _report(session: SessionDep, job_id: str, category: str) -> AuditReport:
    await services.load_job(session, job_id)
    return audit(category, await self_id.job_outcomes(session, job_id, category))


@router.get("/api/jobs/{job_id}/bias-audit", response_model=BiasAuditOut)
async def bias_audit(
    job_id: Annotated[str, Path(pattern=ID_PATTERN)],
    session: SessionDep,
    _: AdminDep,
    category: Annotated[Category, Query()] = "sex",
) -> BiasAuditOut:
    """Selection rates by self-reported group for this job, with impact ratios."""
    return BiasAuditOut.of(job_id, await _report(session, job_id, category))


@router.get("/api/jobs/{job_id}/bias-audit.csv", response_class=Response)
async def bias_audit_csv(
    job_id: Annotated[str, Path(pattern=ID_PATTERN)],
    session: SessionDep,
    _: AdminDep,
    category: Annotated[Category, Query()] = "sex",
) -> Response:
    out = BiasAuditOut.of(job_id, await _report(session, job_id, category))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = list(GroupOut.model_fields)
    writer.writerow(["category", *columns])
    for group in out.groups:
        writer.writerow([category, *(group.model_dump()[c] for c in columns)])
    writer.writerow([])
    writer.writerow([out.notice])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="bias-audit-{job_id}-{category}.csv"'
        },
    )
