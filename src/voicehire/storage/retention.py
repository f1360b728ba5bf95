"""Deleting personal data: a candidate's on request, and old documents by retention.

Everything an interview leaves is found by its id: database rows (transcripts, result),
and files named ``interview_{id}...`` in the transcript, report and recording folders.
A deletion leaves a :class:`DeletionRecord` with counts only, never who it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from voicehire.domain.transcript import safe_file_part
from voicehire.storage.models import (
    AccommodationRequest,
    Candidate,
    DeletionRecord,
    Interview,
    Result,
    SelfIdentification,
    Transcript,
)
from voicehire.storage.objects import ObjectStore

DOCUMENT_KINDS = ("transcripts", "reports", "recordings")


def _stem(interview_id: str) -> str:
    return "interview_" + safe_file_part(interview_id)


def interview_files(interview_id: str, directory: Path | None) -> list[Path]:
    """Files of this interview in ``directory``: ``interview_{id}.*`` and
    ``interview_{id}_*`` (transcripts, reports), ``{id}.*`` (recordings)."""
    if directory is None or not Path(directory).is_dir():
        return []
    stem = _stem(interview_id)
    starts = (stem + "_", stem + ".", stem.removeprefix("interview_") + ".")
    return sorted(p for p in Path(directory).iterdir() if p.is_file() and p.name.startswith(starts))


def _unlink(paths: Iterable[Path]) -> int:
    n = 0
    for path in paths:
        path.unlink(missing_ok=True)
        n += 1
    return n


@dataclass(frozen=True)
class Folders:
    """Where an interview's documents live, per kind: folders on this machine and the
    object store (TRANSCRIPT_BUCKET) when one is configured."""

    transcripts: Path | None = None
    reports: Path | None = None
    recordings: Path | None = None
    objects: ObjectStore | None = None

    def of(self, kind: str) -> Path | None:
        folder: Path | None = getattr(self, kind)
        return folder


async def export_candidate(session: AsyncSession, candidate: Candidate) -> dict[str, Any]:
    """Everything stored about the candidate, as one JSON document."""
    interviews = (
        await session.scalars(
            select(Interview)
            .where(Interview.candidate_id == candidate.id)
            .order_by(Interview.created_at)
        )
    ).all()
    out: list[dict[str, Any]] = []
    for iv in interviews:
        transcripts = (
            await session.scalars(
                select(Transcript)
                .where(Transcript.interview_id == iv.id)
                .order_by(Transcript.created_at)
            )
        ).all()
        result = await session.get(Result, iv.id)
        requests = (
            await session.scalars(
                select(AccommodationRequest).where(AccommodationRequest.interview_id == iv.id)
            )
        ).all()
        out.append(
            {
                "id": iv.id,
                "mode": iv.mode,
                "plan": iv.plan,
                "status": iv.status,
                "end_reason": iv.end_reason,
                "created_at": iv.created_at.isoformat() if iv.created_at else None,
                "ended_at": iv.ended_at.isoformat() if iv.ended_at else None,
                "metadata": iv.room_metadata or {},
                "transcripts": [
                    {"kind": t.kind, "name": t.name, "stage": t.stage, "document": t.document}
                    for t in transcripts
                ],
                "result": result.result if result else None,
                "accommodation_requests": [
                    {"kind": r.kind, "note": r.note, "created_at": r.created_at.isoformat()}
                    for r in requests
                ],
            }
        )
    answers = (
        await session.scalars(
            select(SelfIdentification).where(SelfIdentification.candidate_id == candidate.id)
        )
    ).all()
    return {
        "candidate": {
            "id": candidate.id,
            "name": candidate.name,
            "email": candidate.email,
            "phone": candidate.phone,
            "profile": candidate.profile or {},
            "extracted_data": candidate.extracted_data or {},
            "missing_required": list(candidate.missing_required or []),
            "notes": candidate.notes,
            "resume_summary": candidate.resume_summary,
            "created_at": candidate.created_at.isoformat() if candidate.created_at else None,
        },
        "self_identification": {a.category: a.value for a in answers},
        "interviews": out,
    }


async def delete_candidate(
    session: AsyncSession, candidate: Candidate, folders: Folders
) -> DeletionRecord:
    """Delete the candidate, their interviews and calls with every document (rows and
    files), and their self-identification answers; record the counts."""
    ids = list(
        (
            await session.scalars(
                select(Interview.id).where(Interview.candidate_id == candidate.id)
            )
        ).all()
    )
    counts: Counter[str] = Counter(candidates=1, interviews=len(ids))
    # the object store first: when it cannot be reached nothing is deleted (raises), so
    # the request can simply be made again
    for iid in ids:
        for kind in DOCUMENT_KINDS:
            counts[f"{kind}_objects"] += await _delete_objects(folders, iid, kind)
    if ids:
        counts["transcripts"] += await _delete_rows(session, Transcript, ids)
        counts["results"] += await _delete_rows(session, Result, ids)
        counts["accommodation_requests"] += await _delete_rows(session, AccommodationRequest, ids)
    for iid in ids:
        for kind in DOCUMENT_KINDS:
            counts[f"{kind}_files"] += _unlink(interview_files(iid, folders.of(kind)))
    await session.execute(
        delete(SelfIdentification).where(SelfIdentification.candidate_id == candidate.id)
    )
    if ids:
        await session.execute(delete(Interview).where(Interview.id.in_(ids)))
    await session.delete(candidate)
    record = DeletionRecord(kind="candidate_request", counts=dict(counts))
    session.add(record)
    await session.flush()
    return record


async def _delete_objects(folders: Folders, interview_id: str, kind: str) -> int:
    if folders.objects is None:
        return 0
    return await folders.objects.delete(await folders.objects.interview_keys(interview_id, kind))


async def _delete_rows(session: AsyncSession, model: Any, interview_ids: Sequence[str]) -> int:
    result = await session.execute(delete(model).where(model.interview_id.in_(interview_ids)))
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class RetentionPolicy:
    """Days each kind of document is kept after the interview ended (None: kept)."""

    transcripts: int | None = None
    reports: int | None = None
    recordings: int | None = None

    def days(self, kind: str) -> int | None:
        value: int | None = getattr(self, kind)
        return value

    @property
    def active(self) -> bool:
        return any(self.days(k) is not None for k in DOCUMENT_KINDS)


async def purge_expired(
    session: AsyncSession, policy: RetentionPolicy, folders: Folders, now: datetime
) -> DeletionRecord | None:
    """Delete documents older than the policy allows; the interview record (status,
    outcome, dates) stays. Returns the deletion record, or None when nothing was due."""
    counts: Counter[str] = Counter()
    for kind in DOCUMENT_KINDS:
        days = policy.days(kind)
        if days is None:
            continue
        cutoff = now - timedelta(days=days)
        ids = list(
            (
                await session.scalars(
                    select(Interview.id).where(
                        Interview.ended_at.is_not(None), Interview.ended_at < cutoff
                    )
                )
            ).all()
        )
        if not ids:
            continue
        for iid in ids:
            counts[f"{kind}_objects"] += await _delete_objects(folders, iid, kind)
        if kind == "transcripts":
            counts["transcripts"] += await _delete_rows(session, Transcript, ids)
        elif kind == "reports":
            counts["results"] += await _delete_rows(session, Result, ids)
        for iid in ids:
            counts[f"{kind}_files"] += _unlink(interview_files(iid, folders.of(kind)))
    if not +counts:
        return None
    record = DeletionRecord(kind="retention", counts=dict(+counts))
    session.add(record)
    await session.flush()
    return record


async def deletion_records(session: AsyncSession, limit: int = 100) -> Sequence[DeletionRecord]:
    rows = await session.scalars(
        select(DeletionRecord).order_by(DeletionRecord.created_at.desc()).limit(limit)
    )
    return rows.all()
