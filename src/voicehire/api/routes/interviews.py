"""Interviews: create (room, dispatch, candidate token), list, get, cancel, re-issue a
token, and read transcripts and results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response

from voicehire.api import interview_list, mailer, services
from voicehire.api.deps import AdminDep, Limit, Offset, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.interview_list import Decision, Order, SortKey
from voicehire.api.schemas import (
    ID_PATTERN,
    INVITE_REMINDED_KEY,
    INVITE_SENT_KEY,
    CancelRequest,
    InterviewCreate,
    InterviewCreated,
    InterviewList,
    InterviewOut,
    InviteRequest,
    InviteSent,
    JoinInfo,
    Mode,
    ResultOut,
    Status,
    TranscriptIndexEntry,
    TranscriptOut,
    iso,
)
from voicehire.domain.outcome import Outcome
from voicehire.storage import repositories as repo

router = APIRouter(prefix="/api/interviews", tags=["interviews"])
InterviewId = Annotated[str, Path(pattern=ID_PATTERN)]


@router.post("", status_code=201, response_model=InterviewCreated)
async def create_interview(
    body: InterviewCreate, request: Request, state: StateDep, session: SessionDep, _: AdminDep
):
    candidate = await services.load_candidate(session, body.candidate_id)
    job = await services.load_job(session, body.job_id) if body.job_id else None
    interview, join = await services.start_session(
        state,
        session,
        candidate=candidate,
        job=job,
        mode=body.mode,
        plan=body.plan,
        interview_type=body.interview_type,
        max_duration=body.max_duration,
        language=body.language,
        dispatch=body.dispatch,
        enable_recording=body.enable_recording,
        base_url=str(request.base_url),
    )
    return InterviewCreated(interview=InterviewOut.of(interview), join=join)


@router.post("/{interview_id}/invite", response_model=InviteSent)
async def send_invite(
    interview_id: InterviewId,
    request: Request,
    state: StateDep,
    session: SessionDep,
    _: AdminDep,
    body: Annotated[InviteRequest | None, Body()] = None,
):
    """Email the candidate their link through SMTP. ``invite`` (also a resend) starts a
    fresh expiry of ``INVITE_TTL_HOURS``; ``reminder`` keeps the current one. The
    candidate page refuses an expired link (410) until an invite is sent again."""
    kind = (body or InviteRequest()).kind
    settings = state.settings
    interview = await services.load_interview(session, interview_id)
    if interview.status != "scheduled":
        raise ApiError(409, f"interview {interview_id} is {interview.status}; no invite is sent")
    candidate = (
        await services.load_candidate(session, interview.candidate_id)
        if interview.candidate_id
        else None
    )
    if candidate is None or not candidate.email:
        raise ApiError(422, "the candidate has no email address; add one first", code="no_email")
    if not settings.smtp_host:
        raise ApiError(
            503, "email is not configured: set SMTP_HOST (and SMTP_*)", code="smtp_not_configured"
        )
    meta = dict(interview.room_metadata or {})
    now = datetime.now(UTC)
    expires = services.invite_expiry(meta)
    if kind == "invite" or expires is None:
        expires = now + timedelta(hours=settings.invite_ttl_hours)
    link = services.join_info(state, interview, None, None, None, str(request.base_url)).join_url
    msg = mailer.invite_message(
        settings,
        to=candidate.email,
        candidate_name=candidate.name,
        role=str(meta.get("interviewRole") or ""),
        link=link,
        expires_at=expires,
        reminder=kind == "reminder",
    )
    try:
        await mailer.send(settings, msg)
    except mailer.MailError as exc:
        raise ApiError(502, str(exc), code="smtp_error") from None
    meta[services.INVITE_EXPIRES_KEY] = expires.isoformat()
    meta[INVITE_REMINDED_KEY if kind == "reminder" else INVITE_SENT_KEY] = now.isoformat()
    interview.room_metadata = meta
    await session.commit()
    return InviteSent(
        interview_id=interview.id,
        kind=kind,
        sent_to=candidate.email,
        join_url=link,
        sent_at=now.isoformat(),
        expires_at=expires.isoformat(),
    )


Search = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Words that must all appear in the candidate's name, "
        "the role or the outcome (case-insensitive)",
    ),
]
OutcomeFilter = Annotated[Outcome | None, Query(description="What happened")]
DecisionFilter = Annotated[
    Decision | None,
    Query(description="The decision: the human override if any, else the machine's"),
]


@dataclass
class ListFilters:
    """The filters, search and order the list and its CSV share (query parameters)."""

    status: Status | None = None
    mode: Mode | None = None
    candidate_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None
    job_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None
    q: Search = None
    outcome: OutcomeFilter = None
    recommendation: DecisionFilter = None
    sort: SortKey = "created"
    order: Order = "desc"


ListFiltersDep = Annotated[ListFilters, Depends()]


async def _select(
    session: Any,
    filters: ListFilters,
    *,
    stuck: bool | None = None,
    limit: int,
    offset: int,
) -> tuple[list[InterviewOut], int]:
    f = filters
    scan = interview_list.needs_scan(f.q, f.outcome, f.recommendation, f.sort, f.order)
    rows, total = await repo.list_interviews(
        session,
        stuck=stuck,
        status=f.status,
        mode=f.mode,
        candidate_id=f.candidate_id,
        job_id=f.job_id,
        limit=interview_list.SCAN_LIMIT if scan else limit,
        offset=0 if scan else offset,
    )
    results = await repo.results_for(session, [i.id for i in rows])
    items = [InterviewOut.of(i, results.get(i.id)) for i in rows]
    if not scan:
        return items, total
    chosen = interview_list.select(
        items,
        q=f.q,
        outcome=f.outcome,
        recommendation=f.recommendation,
        sort=f.sort,
        order=f.order,
    )
    return chosen[offset : offset + limit], len(chosen)


@router.get("", response_model=InterviewList)
async def list_interviews(
    session: SessionDep,
    _: AdminDep,
    filters: ListFiltersDep,
    stuck: Annotated[
        bool | None,
        Query(description="Only interviews stuck in progress (true) or only the others"),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Interviews, newest first unless sorted otherwise; rows without a value for the
    sort column (no score yet, not started) come last."""
    items, total = await _select(session, filters, stuck=stuck, limit=limit, offset=offset)
    return InterviewList(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The list as CSV"}},
)
async def export_interviews(session: SessionDep, _: AdminDep, filters: ListFiltersDep) -> Response:
    """The list with the same filters and order, every row (up to 5000), as CSV."""
    items, _total = await _select(session, filters, limit=interview_list.SCAN_LIMIT, offset=0)
    return Response(
        "\ufeff" + interview_list.to_csv(items),  # the BOM makes Excel read UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="interviews.csv"'},
    )


@router.get("/{interview_id}", response_model=InterviewOut)
async def get_interview(interview_id: InterviewId, session: SessionDep, _: AdminDep):
    interview = await services.load_interview(session, interview_id)
    row = await repo.get_result(session, interview_id)
    return InterviewOut.of(interview, row.result if row else None)


@router.post("/{interview_id}/cancel", response_model=InterviewOut)
async def cancel_interview(
    interview_id: InterviewId,
    state: StateDep,
    session: SessionDep,
    _: AdminDep,
    body: Annotated[CancelRequest | None, Body()] = None,
):
    interview = await services.load_interview(session, interview_id)
    if repo.is_terminal(interview):
        raise ApiError(
            409,
            f"interview {interview_id} has already ended ({interview.status}); nothing to cancel",
            code="invalid_transition",
        )
    reason = (body.reason if body else None) or "cancelled_by_admin"
    await services.stop_session(state, session, interview, reason)
    return InterviewOut.of(interview)


@router.post("/{interview_id}/token", response_model=JoinInfo)
async def new_candidate_token(
    interview_id: InterviewId, request: Request, state: StateDep, session: SessionDep, _: AdminDep
):
    """A fresh short-lived candidate token for an interview that has not ended."""
    interview = await services.load_interview(session, interview_id)
    if repo.is_terminal(interview):
        raise ApiError(
            409, f"interview {interview_id} has ended ({interview.status}); no token is issued"
        )
    candidate = (
        await repo.get_candidate(session, interview.candidate_id)
        if interview.candidate_id
        else None
    )
    token, identity, expires = services.issue_token(
        state, interview, candidate, dispatch=bool(interview.dispatch_id)
    )
    return services.join_info(state, interview, token, identity, expires, str(request.base_url))


@router.get("/{interview_id}/transcripts", response_model=list[TranscriptIndexEntry])
async def list_transcripts(interview_id: InterviewId, session: SessionDep, _: AdminDep):
    await services.load_interview(session, interview_id)
    rows = await repo.list_transcripts(session, interview_id)
    return [
        TranscriptIndexEntry(
            id=t.id, kind=t.kind, name=t.name, stage=t.stage, created_at=iso(t.created_at)
        )
        for t in rows
    ]


@router.get("/{interview_id}/transcripts/{transcript_id}", response_model=TranscriptOut)
async def get_transcript(
    interview_id: InterviewId,
    transcript_id: Annotated[str, Path(pattern=ID_PATTERN)],
    session: SessionDep,
    _: AdminDep,
):
    t = await repo.get_transcript(session, interview_id, transcript_id)
    if t is None:
        raise ApiError(404, f"transcript {transcript_id!r} of interview {interview_id!r} not found")
    return TranscriptOut(
        id=t.id,
        kind=t.kind,
        name=t.name,
        stage=t.stage,
        created_at=iso(t.created_at),
        document=t.document,
    )


@router.get("/{interview_id}/result", response_model=ResultOut)
async def get_result(interview_id: InterviewId, session: SessionDep, _: AdminDep):
    await services.load_interview(session, interview_id)
    row = await repo.get_result(session, interview_id)
    if row is None:
        raise ApiError(404, f"interview {interview_id!r} has no result yet")
    return ResultOut(interview_id=interview_id, result=row.result, updated_at=iso(row.updated_at))


@router.get(
    "/{interview_id}/report.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The report as PDF"}},
)
async def report_pdf(interview_id: InterviewId, session: SessionDep, _: AdminDep) -> Response:
    """The evaluation report as a PDF (rendered here, with fpdf2)."""
    from voicehire.evaluation.report_pdf import render_pdf

    interview, result = await services.load_evaluation(
        session,
        interview_id,
        missing=ApiError(404, f"interview {interview_id!r} has no evaluation yet"),
    )
    meta = interview.room_metadata or {}
    body = render_pdf(
        result,
        candidate=str(meta.get("candidateName") or ""),
        role=str(meta.get("interviewRole") or ""),
    )
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="interview_{interview_id}.pdf"'},
    )
