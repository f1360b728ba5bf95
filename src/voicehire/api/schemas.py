"""Request and response bodies of the control-plane API (the OpenAPI schema)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from voicehire.domain.outcome import OUTCOME_LABELS, Outcome, interview_outcome
from voicehire.domain.plan import BUILTIN_PLANS, Question
from voicehire.domain.prompts import LANGUAGES, locale
from voicehire.storage.repositories import is_stuck

Mode = Literal["ai_interview", "gap_filling", "briefing"]
Status = Literal["scheduled", "in_progress", "completed", "cancelled", "error"]

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
ROOM_PATTERN = r"^[A-Za-z0-9_.:=-]{1,200}$"
MAX_JSON_DEPTH = 32


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone UTF-16 surrogate: cannot be stored or shown
        raise ValueError("must be valid Unicode (no lone surrogates)") from None
    return value


Text = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_no_nul)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_nul),
]
ShortText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_nul)]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(_no_nul)]
Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise ValueError(f"text at {where} contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone UTF-16 surrogate: cannot be stored or shown
        raise ValueError(f"text at {where} is not valid Unicode (a lone surrogate)") from None


def _check_json(value: Any, depth: int = 0, path: str = "") -> None:
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels at {path or 'top'}")
    if isinstance(value, str):
        _check_text(value, path or "top")
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_text(k, f"key at {path or 'top'}")
            _check_json(v, depth + 1, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_json(v, depth + 1, f"{path}[{i}]")
    elif isinstance(value, float) and (value != value or value in (math.inf, -math.inf)):
        # NaN and Infinity are not JSON: they cannot be stored or read back
        raise ValueError(f"number at {path or 'top'} is {value!r}; JSON has no such number")


def _json_doc(value: dict[str, Any]) -> dict[str, Any]:
    _check_json(value)
    return value


JsonDoc = Annotated[dict[str, Any], AfterValidator(_json_doc)]


class ErrorOut(BaseModel):
    """Every 4xx/5xx body: a machine-readable code and a message naming the problem."""

    error: str
    message: str
    problems: list[dict[str, str]] | None = Field(
        None, description="For 422: one entry per invalid field"
    )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": desc}
    for code, desc in (
        (400, "Bad request"),
        (401, "Missing or wrong credential"),
        (403, "Credential not allowed here"),
        (404, "Not found"),
        (409, "Conflicts with the current state"),
        (413, "Body too large"),
        (422, "Invalid input"),
    )
}


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


# --- candidates ------------------------------------------------------------------------------


class CandidateCreate(Body):
    name: Name
    email: (
        Annotated[str, StringConstraints(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")] | None
    ) = None
    phone: Annotated[str, StringConstraints(max_length=64), AfterValidator(_no_nul)] | None = None
    profile: JsonDoc = Field(default_factory=dict)
    extracted_data: JsonDoc = Field(default_factory=dict)
    missing_required: list[FieldName] = Field(default_factory=list, max_length=200)
    notes: Text | None = None
    resume_summary: Text | None = None


class CandidateOut(BaseModel):
    id: str
    name: str
    email: str | None
    phone: str | None
    profile: dict[str, Any]
    extracted_data: dict[str, Any]
    missing_required: list[str]
    notes: str | None
    resume_summary: str | None
    created_at: str | None
    updated_at: str | None

    @classmethod
    def of(cls, c: Any) -> CandidateOut:
        return cls(
            id=c.id,
            name=c.name,
            email=c.email,
            phone=c.phone,
            profile=c.profile or {},
            extracted_data=c.extracted_data or {},
            missing_required=list(c.missing_required or []),
            notes=c.notes,
            resume_summary=c.resume_summary,
            created_at=iso(c.created_at),
            updated_at=iso(c.updated_at),
        )


class CandidateList(BaseModel):
    items: list[CandidateOut]
    total: int
    limit: int
    offset: int


class CandidateFieldsUpdate(Body):
    fields: JsonDoc = Field(description="Collected values merged into extracted_data")

    @field_validator("fields")
    @classmethod
    def _not_empty(cls, v: dict[str, Any]) -> dict[str, Any]:
        if not v:
            raise ValueError("give at least one field")
        if len(v) > 200:
            raise ValueError("at most 200 fields at once")
        for key in v:
            if not key or len(key) > 100:
                raise ValueError("field names must be 1 to 100 characters")
        return v


# --- jobs --------------------------------------------------------------------------------------


def _builtin_plan(v: str) -> str:
    if v not in BUILTIN_PLANS:
        raise ValueError(f"unknown plan {v!r}; use one of: {', '.join(BUILTIN_PLANS)}")
    return v


PlanName = Annotated[str, AfterValidator(_builtin_plan)]
InterviewType = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=100),
    AfterValidator(_no_nul),
]


class SalaryRange(Body):
    """A pay band the interviewer may tell a candidate who asks."""

    min: float = Field(ge=0, allow_inf_nan=False)
    max: float = Field(ge=0, allow_inf_nan=False)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        description="ISO 4217 code, e.g. EUR"
    )
    period: Literal["year", "month", "hour"] = "year"

    @model_validator(mode="after")
    def _ordered(self) -> SalaryRange:
        if self.max < self.min:
            raise ValueError("max must not be below min")
        return self


RemotePolicy = Literal["remote", "hybrid", "on-site"]


def _interview_language(value: str) -> str:
    if locale(value) != value.split("-")[0].lower():
        raise ValueError(
            f"there is no interviewer for the language {value!r}; "
            f"use one of {', '.join(LANGUAGES)} (a region such as es-MX is fine)"
        )
    return value


InterviewLanguage = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"),
    AfterValidator(_interview_language),
]


class JobFacts(Body):
    """What a candidate may ask about the role: answered from here, or deferred to the
    hiring team (and listed in the report) when a fact is not recorded."""

    location: ShortText | None = Field(None, description="Where the role is based")
    remote_policy: RemotePolicy | None = None
    salary_range: SalaryRange | None = None
    team: ShortText | None = Field(None, description="The team or department")
    process: Annotated[str, StringConstraints(max_length=1000), AfterValidator(_no_nul)] | None = (
        Field(None, description="The hiring process after this interview, in a sentence or two")
    )


class JobCreate(JobFacts):
    title: Name
    level: ShortText | None = None
    description: Text | None = None
    required_skills: list[Name] = Field(default_factory=list, max_length=100)
    plan: PlanName = "full"
    interview_type: InterviewType = "technical"
    language: InterviewLanguage = Field(
        "en",
        description="Interview language of the job's interviews: plan text, the "
        "interviewer's lines, speech recognition and synthesis, and the report (en, es or fr)",
    )
    custom_questions: list[Question] = Field(
        default_factory=list,
        max_length=20,
        description="The recruiter's own questions, each with a rubric (plan question format)",
    )


class JobUpdate(JobFacts):
    """Change a job's description and facts; fields left out stay as they are, a null
    clears a fact."""

    title: Name | None = None
    level: ShortText | None = None
    description: Text | None = None
    required_skills: list[Name] | None = Field(None, max_length=100)
    language: InterviewLanguage | None = None

    @field_validator("title")
    @classmethod
    def _title_kept(cls, v: str | None) -> str:
        if v is None:
            raise ValueError("a job needs a title; leave the field out to keep it")
        return v

    @field_validator("language")
    @classmethod
    def _language_kept(cls, v: str | None) -> str:
        if v is None:
            raise ValueError("a job needs a language; leave the field out to keep it")
        return v


class JobQuestionsUpdate(Body):
    custom_questions: list[Question] = Field(max_length=20)


class JobOut(BaseModel):
    id: str
    title: str
    level: str | None
    description: str | None
    required_skills: list[str]
    plan: str
    interview_type: str
    custom_questions: list[dict[str, Any]]
    generated_questions: list[dict[str, Any]]
    location: str | None
    remote_policy: str | None
    salary_range: dict[str, Any] | None
    team: str | None
    process: str | None
    language: str
    created_at: str | None

    @classmethod
    def of(cls, j: Any) -> JobOut:
        return cls(
            id=j.id,
            title=j.title,
            level=j.level,
            description=j.description,
            required_skills=list(j.required_skills or []),
            plan=j.plan,
            interview_type=j.interview_type,
            custom_questions=list(j.custom_questions or []),
            generated_questions=list(j.generated_questions or []),
            location=j.location,
            remote_policy=j.remote_policy,
            salary_range=j.salary_range,
            team=j.team,
            process=j.process,
            language=j.language or "en",
            created_at=iso(j.created_at),
        )


class JobList(BaseModel):
    items: list[JobOut]
    total: int
    limit: int
    offset: int


# --- interviews ----------------------------------------------------------------------------------


class InterviewCreate(Body):
    candidate_id: Identifier
    job_id: Identifier | None = None
    mode: Mode = "ai_interview"
    plan: PlanName | None = Field(None, description="Defaults to the job's plan")
    interview_type: InterviewType | None = Field(None, description="Defaults to the job's")
    max_duration: int | None = Field(None, ge=10, le=21600, description="Seconds")
    language: InterviewLanguage | None = Field(
        None, description="Defaults to the job's language (en without a job)"
    )
    dispatch: bool = Field(True, description="Dispatch the agent into the room now")
    enable_recording: bool = Field(
        False, description="Record the interview's audio (both sides, Ogg/Opus)"
    )


class JoinInfo(BaseModel):
    room_name: str
    livekit_url: str | None
    token: str | None = Field(description="Candidate LiveKit token; null without LiveKit")
    identity: str | None
    expires_at: str | None
    join_url: str


class InterviewVerdict(BaseModel):
    """The evaluation's headline, for deciding from the list."""

    overall_score: float | None = Field(description="0–10; null when nothing could be scored")
    recommendation: str | None = Field(
        description="The machine's: hire, maybe, no_hire or needs_review (not confident)"
    )
    needs_human_review: bool
    confidence: float | None
    override: str | None = Field(description="The human decision, when one was recorded")
    decision: str | None = Field(description="The human decision if any, else the machine's")
    flags: list[str]

    @classmethod
    def of(cls, result: dict[str, Any]) -> InterviewVerdict:
        summary = result.get("summary") or {}
        override = (result.get("override") or {}).get("recommendation")
        machine = summary.get("recommendation")
        return cls(
            overall_score=summary.get("overall_score"),
            recommendation=machine,
            needs_human_review=bool(summary.get("needs_human_review")),
            confidence=summary.get("confidence"),
            override=override,
            decision=override or machine,
            flags=[str(f) for f in result.get("flags") or []],
        )


# An emailed invite's state, kept in the interview's metadata (times only: the address is
# the candidate record's, read when needed).
INVITE_EXPIRES_KEY = "inviteExpiresAt"
INVITE_SENT_KEY = "inviteSentAt"
INVITE_REMINDED_KEY = "inviteRemindedAt"


def metadata_time(meta: dict[str, Any], key: str) -> datetime | None:
    """An ISO time stored under ``key`` (UTC when it has no zone), or None."""
    value = meta.get(key)
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


class InviteState(BaseModel):
    """The emailed invite of an interview: when it was last sent (or resent), the last
    reminder, and until when its link works."""

    sent_at: str | None = Field(description="The last invite (or resend); null if none was sent")
    reminded_at: str | None = Field(description="The last reminder; null if none was sent")
    expires_at: str = Field(description="The link works until then (while scheduled)")
    expired: bool = Field(description="The link's expiry has passed")

    @classmethod
    def of(cls, meta: dict[str, Any]) -> InviteState | None:
        expires = metadata_time(meta, INVITE_EXPIRES_KEY)
        if expires is None:
            return None
        return cls(
            sent_at=iso(metadata_time(meta, INVITE_SENT_KEY)),
            reminded_at=iso(metadata_time(meta, INVITE_REMINDED_KEY)),
            expires_at=expires.isoformat(),
            expired=expires <= datetime.now(UTC),
        )


def _duration(started: datetime | None, ended: datetime | None) -> float | None:
    if started is None:
        return None
    start = started if started.tzinfo else started.replace(tzinfo=UTC)
    end = ended or datetime.now(UTC)
    end = end if end.tzinfo else end.replace(tzinfo=UTC)
    return max(0.0, round((end - start).total_seconds(), 1))


class InterviewOut(BaseModel):
    id: str
    candidate_id: str | None
    job_id: str | None
    plan: str
    mode: str
    interview_type: str
    room_name: str
    status: str
    end_reason: str | None
    outcome: Outcome | None = Field(
        description="What happened (completed, ended_early, by_request, unresponsive, "
        "abandoned, no_show, cancelled); null while scheduled or running"
    )
    outcome_label: str | None = Field(description="The outcome in words, for people")
    verdict: InterviewVerdict | None = Field(description="The evaluation's headline, once scored")
    duration_seconds: float | None = Field(
        None, description="From start to end (so far, while running); null before it started"
    )
    metadata: dict[str, Any]
    dispatch_id: str | None
    agent_joined_at: str | None
    created_at: str | None
    started_at: str | None
    ended_at: str | None
    updated_at: str | None
    stuck: bool = Field(
        False, description="In progress long past its maximum duration with no end reported"
    )
    invite: InviteState | None = Field(
        None, description="The emailed invite (POST .../invite); null if none was emailed"
    )

    @classmethod
    def of(cls, i: Any, result: dict[str, Any] | None = None) -> InterviewOut:
        summary = (result or {}).get("summary") or {}
        outcome = interview_outcome(
            i.status,
            i.end_reason,
            asked=int(summary.get("questions_asked") or 0),
            answered=int(summary.get("questions_answered") or 0),
        )
        return cls(
            id=i.id,
            candidate_id=i.candidate_id,
            job_id=i.job_id,
            plan=i.plan,
            mode=i.mode,
            interview_type=i.interview_type,
            room_name=i.room_name,
            status=i.status,
            end_reason=i.end_reason,
            outcome=outcome,
            outcome_label=OUTCOME_LABELS[outcome] if outcome else None,
            verdict=InterviewVerdict.of(result) if result and "summary" in result else None,
            duration_seconds=_duration(i.started_at, i.ended_at),
            metadata=i.room_metadata or {},
            dispatch_id=i.dispatch_id,
            agent_joined_at=iso(i.agent_joined_at),
            created_at=iso(i.created_at),
            started_at=iso(i.started_at),
            ended_at=iso(i.ended_at),
            updated_at=iso(i.updated_at),
            stuck=is_stuck(i),
            invite=InviteState.of(i.room_metadata or {}),
        )


class InterviewCreated(BaseModel):
    interview: InterviewOut
    join: JoinInfo


class InterviewList(BaseModel):
    items: list[InterviewOut]
    total: int
    limit: int
    offset: int


class CancelRequest(Body):
    reason: ShortText | None = None


class InviteRequest(Body):
    kind: Literal["invite", "reminder"] = Field(
        "invite", description="invite (or resend: a fresh expiry) or reminder (same expiry)"
    )


class InviteSent(BaseModel):
    interview_id: str
    kind: str
    sent_to: str
    join_url: str
    sent_at: str
    expires_at: str


class TranscriptIndexEntry(BaseModel):
    id: str
    kind: str
    name: str
    stage: str | None
    created_at: str | None


class TranscriptOut(TranscriptIndexEntry):
    document: dict[str, Any]


class ResultOut(BaseModel):
    interview_id: str
    result: dict[str, Any]
    updated_at: str | None


# --- agent (M2M) ---------------------------------------------------------------------------------


class StatusReport(Body):
    status: Status
    end_reason: ShortText | None = None


class TranscriptUpload(Body):
    kind: Literal["stage", "full"]
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,300}$")]
    document: JsonDoc

    @model_validator(mode="after")
    def _shape(self) -> TranscriptUpload:
        doc = self.document
        if not isinstance(doc.get("sessionInfo"), dict):
            raise ValueError("document.sessionInfo must be an object")
        if self.kind == "full":
            if not isinstance(doc.get("stages"), list):
                raise ValueError("a full transcript needs document.stages (a list)")
            if not isinstance(doc.get("fullConversation"), list):
                raise ValueError("a full transcript needs document.fullConversation (a list)")
        elif not isinstance(doc.get("stage"), dict):
            raise ValueError("a stage transcript needs document.stage (an object)")
        return self


class ResultUpload(Body):
    result: JsonDoc


class InterviewConfig(BaseModel):
    interview_id: str
    room_name: str
    status: str
    mode: str
    plan: str
    interview_type: str
    metadata: dict[str, Any]
    candidate: CandidateOut | None
    job: JobOut | None


# --- M2M -----------------------------------------------------------------------------------------


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str


class M2MClientCreate(Body):
    client_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@-]{3,200}$")]
    scopes: Annotated[str, StringConstraints(pattern=r"^[a-z:_ ]{1,200}$")] = "agent"


class M2MClientCreated(BaseModel):
    client_id: str
    client_secret: str = Field(description="Shown once; only a hash is stored")
    scopes: str
