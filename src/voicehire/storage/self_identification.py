"""Candidates' voluntary self-identification answers and the outcomes a bias audit reads."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from voicehire.storage.models import Interview, Result, SelfIdentification


async def save_answers(session: AsyncSession, candidate_id: str, answers: dict[str, str]) -> None:
    """Store (or replace) the candidate's answer per category."""
    for category, value in answers.items():
        row = await session.get(SelfIdentification, (candidate_id, category))
        if row is None:
            session.add(
                SelfIdentification(candidate_id=candidate_id, category=category, value=value)
            )
        else:
            row.value = value


async def answers_of(session: AsyncSession, candidate_id: str) -> dict[str, str]:
    rows = await session.scalars(
        select(SelfIdentification).where(SelfIdentification.candidate_id == candidate_id)
    )
    return {r.category: r.value for r in rows}


async def job_outcomes(
    session: AsyncSession, job_id: str, category: str
) -> list[tuple[str | None, str | None]]:
    """(answer, final decision) per candidate interviewed for the job by the AI
    interviewer: the candidate's latest evaluated interview; the decision is the human
    override when there is one, else the machine's recommendation."""
    query = (
        select(Interview.candidate_id, Result.result, SelfIdentification.value)
        .join(Result, Result.interview_id == Interview.id)
        .outerjoin(
            SelfIdentification,
            (SelfIdentification.candidate_id == Interview.candidate_id)
            & (SelfIdentification.category == category),
        )
        .where(Interview.job_id == job_id, Interview.mode == "ai_interview")
        .order_by(Interview.created_at)
    )
    latest: dict[str, tuple[str | None, str | None]] = {}
    for candidate_id, result, value in await session.execute(query):
        if candidate_id is None:
            continue
        override = (result.get("override") or {}).get("recommendation")
        machine = (result.get("summary") or {}).get("recommendation")
        latest[candidate_id] = (value, override or machine)
    return list(latest.values())
