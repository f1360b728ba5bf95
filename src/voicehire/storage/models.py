"""Database tables of the control plane (SQLAlchemy 2 declarative models).

The schema is owned by the Alembic migrations in ``storage/migrations``; these models
must stay in step with them (``tests/storage/test_db.py`` checks that they do).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

INTERVIEW_STATUSES = ("scheduled", "in_progress", "completed", "cancelled", "error")
TERMINAL_STATUSES = frozenset({"completed", "cancelled", "error"})
# Which status may follow which; a status may always be reported again (idempotent).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    "scheduled": frozenset({"in_progress", "completed", "cancelled", "error"}),
    "in_progress": frozenset({"completed", "cancelled", "error"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
    "error": frozenset(),
}
MODES = ("ai_interview", "gap_filling", "briefing")


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return secrets.token_hex(12)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}  # noqa: RUF012


class Candidate(Base):
    __tablename__ = "candidates"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(64))
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extracted_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    missing_required: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    resume_summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    plan: Mapped[str] = mapped_column(String(200), default="full")
    interview_type: Mapped[str] = mapped_column(String(100), default="technical")
    # Plan questions (id, text, rubric, ...) as JSON: the recruiter's own, and those
    # generated from the description by the configured LLM.
    custom_questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    generated_questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Facts a candidate may ask the interviewer about (unset: deferred to the hiring team).
    location: Mapped[str | None] = mapped_column(String(200))
    remote_policy: Mapped[str | None] = mapped_column(String(32))
    salary_range: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    team: Mapped[str | None] = mapped_column(String(200))
    process: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Interview(Base):
    __tablename__ = "interviews"
    __table_args__ = (
        Index("ix_interviews_status", "status"),
        Index("ix_interviews_candidate_id", "candidate_id"),
        Index("ix_interviews_job_id", "job_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    candidate_id: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("candidates.id", ondelete="SET NULL")
    )
    job_id: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("jobs.id", ondelete="SET NULL")
    )
    plan: Mapped[str] = mapped_column(String(200), default="full")
    mode: Mapped[str] = mapped_column(String(32), default="ai_interview")
    interview_type: Mapped[str] = mapped_column(String(100), default="technical")
    room_name: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(32), default="scheduled")
    end_reason: Mapped[str | None] = mapped_column(String(200))
    room_metadata: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dispatch_id: Mapped[str | None] = mapped_column(String(200))
    agent_joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Transcript(Base):
    """Index of transcript documents (stage-wise and full) uploaded by the agent."""

    __tablename__ = "transcripts"
    __table_args__ = (Index("ix_transcripts_interview_id", "interview_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    interview_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("interviews.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16))  # stage | full
    name: Mapped[str] = mapped_column(String(300))
    stage: Mapped[str | None] = mapped_column(String(100))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Result(Base):
    __tablename__ = "results"

    interview_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True
    )
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class M2MClient(Base):
    """A machine client allowed the client-credentials grant; only a hash of the secret."""

    __tablename__ = "m2m_clients"

    client_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(300))
    scopes: Mapped[str] = mapped_column(String(300), default="agent")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfIdentification(Base):
    """A candidate's voluntary answer to one self-identification category (bias audits).

    Kept apart from interviews and results: neither the interviewer nor the scorer reads it.
    """

    __tablename__ = "self_identifications"

    candidate_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class DeletionRecord(Base):
    """That personal data was deleted, and how much: never whose (no name, no id)."""

    __tablename__ = "deletion_records"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32))  # candidate_request | retention
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AccommodationRequest(Base):
    """A candidate asked for an alternative to the AI interview (another format, a person)."""

    __tablename__ = "accommodation_requests"
    __table_args__ = (Index("ix_accommodation_requests_interview_id", "interview_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_id)
    interview_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("interviews.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
