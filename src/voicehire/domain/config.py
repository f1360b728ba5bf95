"""Session metadata: what a session is told by the system that started it (seed 000).

:class:`SessionMetadata` is the one model of the metadata document: the seed's session
keys, the gap-filling and briefing inputs (seed 002), and whatever else other systems add.
Each key's accepted spellings are its field's ``AliasChoices`` (camelCase first, then the
snake_case and older spellings other callers use); the first spelling present wins.

Metadata is written by other systems, so it is never trusted: :func:`parse_session_config`
merges room, job and API metadata (later documents win) and checks every field on its
own. A malformed document or field yields a problem message naming it and the safe
default for that field only, never an exception that would crash the job.

``extra`` holds every key beyond the seed's session keys, exactly as sent (the call
inputs among them, which also have typed fields), so :meth:`SessionMetadata.to_metadata`
writes back what was read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from voicehire.domain.candidate import CandidateRecord

# The session types metadata may name: the built-in ones, plus any the agent's mode
# registry adds (``register_session_type``).
SessionType = str
SESSION_TYPES: tuple[str, ...] = ("ai_interview", "gap_filling", "briefing")
_session_types: list[str] = list(SESSION_TYPES)


def register_session_type(name: str) -> None:
    """Accept ``name`` as a ``sessionType`` (the agent registers each mode it runs)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", name):
        raise ValueError(f"session type {name!r} must be a lower-case identifier")
    if name not in _session_types:
        _session_types.append(name)


# --- field checks (their messages are the problems a job logs) --------------------------------


def _as_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.strip().lower() in ("true", "false", "1", "0", "yes", "no"):
        return v.strip().lower() in ("true", "1", "yes")
    raise ValueError("expected true or false")


# Metadata from other systems may ask for 10 s to 6 h; code (tests, the CLI) may set any
# positive length.
METADATA = {"source": "metadata"}


def _as_duration(v: Any, info: ValidationInfo) -> int:
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise ValueError("expected a number of seconds")
    n = int(float(v))
    if info.context == METADATA and (n < 10 or n > 6 * 3600):
        raise ValueError("must be between 10 and 21600 seconds")
    if n <= 0:
        raise ValueError("must be more than 0 seconds")
    return n


def _as_text(v: Any) -> str:
    if not isinstance(v, str | int) or isinstance(v, bool):
        raise ValueError("expected text")
    text = str(v).strip()
    if not text or len(text) > 200:
        raise ValueError("must be 1 to 200 characters")
    return text


def _as_lower_text(v: Any) -> str:
    return _as_text(v).lower()


def _as_session_type(v: Any) -> str:
    if v not in _session_types:
        raise ValueError(f"must be one of {', '.join(_session_types)}")
    return str(v)


def _as_positive_seconds(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise ValueError("expected a number of seconds")
    n = float(v)
    if not n > 0:
        raise ValueError("must be more than 0 seconds")
    return n


def _as_names(v: Any) -> list[str]:
    if not isinstance(v, list) or not all(isinstance(x, str | int) for x in v):
        raise ValueError("expected a list of names")
    return [str(x) for x in v]


Flag = Annotated[bool, BeforeValidator(_as_bool)]
Seconds = Annotated[int, BeforeValidator(_as_duration)]
Text = Annotated[str, BeforeValidator(_as_text)]
Names = Annotated[list[str], BeforeValidator(_as_names)]


def _aliases(*names: str) -> AliasChoices:
    return AliasChoices(*names)


# --- the model ----------------------------------------------------------------------------------


class CallMetadata(BaseModel):
    """The inputs of a gap-filling call or a briefing that may come in the metadata
    (seed 002). The candidate, job and results stay JSON documents here; the typed views
    are :meth:`candidate_record` and the briefing/gap-filling models."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    candidate: dict[str, Any] | None = Field(
        None, validation_alias=_aliases("candidate"), description="a candidate record"
    )
    missing_required: Names | None = Field(
        None, validation_alias=_aliases("missing_required", "missingRequired")
    )
    notes: str | list[str] | None = Field(
        None, validation_alias=_aliases("notes", "recruiterNotes", "recruiter_notes")
    )
    resume_summary: str | None = Field(
        None, validation_alias=_aliases("resumeSummary", "resume_summary")
    )
    job: dict[str, Any] | None = Field(None, validation_alias=_aliases("job"))
    field_specs: list[dict[str, Any]] | dict[str, Any] | None = Field(
        None,
        validation_alias=_aliases("fieldSpecs", "field_specs"),
        description="extra gap-filling field specs (a list, or a mapping by name)",
    )
    time_budget: Annotated[float, BeforeValidator(_as_positive_seconds)] | None = Field(
        None, validation_alias=_aliases("timeBudget", "time_budget"), description="seconds"
    )
    gap_filling: dict[str, Any] | None = Field(
        None,
        validation_alias=_aliases("gapFilling", "gap_filling"),
        description="an earlier gap-filling result",
    )
    interviews: list[Any] | None = Field(
        None,
        validation_alias=_aliases("interviews", "earlierInterviews"),
        description="earlier interview results",
    )
    interviewer_name: str | None = Field(
        None, validation_alias=_aliases("interviewerName", "userName", "user_name")
    )
    job_level: str | None = Field(None, validation_alias=_aliases("jobLevel", "job_level"))
    required_skills: Names | None = Field(
        None, validation_alias=_aliases("requiredSkills", "required_skills")
    )

    @classmethod
    def lenient(cls, doc: Mapping[str, Any]) -> tuple[CallMetadata, list[str]]:
        """Parse ``doc`` field by field: an invalid field is dropped with a problem named,
        the rest is kept (metadata never crashes a job)."""
        values, problems, _used = _check_fields(cls, doc, CALL_FIELDS)
        return cls.model_validate(values), problems

    def candidate_record(
        self, candidate_id: str | None = None, candidate_name: str | None = None
    ) -> CandidateRecord:
        """The candidate this metadata describes: ``candidate`` (a record), completed by
        ``missing_required``, ``notes``, ``resumeSummary`` and the session's candidate id
        and name where the record lacks them. A key of the wrong shape in ``candidate`` is
        left out (metadata never crashes a job)."""
        record: dict[str, Any] = dict(self.candidate or {})
        for key, value in (
            ("id", candidate_id),
            ("name", candidate_name),
            ("missing_required", self.missing_required),
            ("notes", self.notes),
            ("resume_summary", self.resume_summary),
        ):
            if value is not None:
                record.setdefault(key, value)
        return CandidateRecord.lenient(record)[0]


CALL_FIELDS: tuple[str, ...] = tuple(CallMetadata.model_fields)


class SessionMetadata(CallMetadata):
    """Every key of the session metadata (seed 000 session keys plus the call inputs)."""

    model_config = ConfigDict(
        populate_by_name=True,
        extra="ignore",
        frozen=True,
        # The document schema lists the keys; ``extra`` is not a key, any key is allowed.
        json_schema_extra=lambda schema: _document_schema(schema),
    )

    session_type: Annotated[SessionType, BeforeValidator(_as_session_type)] = Field(
        "ai_interview", validation_alias=_aliases("sessionType", "session_type", "mode")
    )
    max_duration: Seconds = Field(
        1800, validation_alias=_aliases("maxDuration", "max_duration"), description="seconds"
    )
    enable_transcription: Flag = Field(
        True, validation_alias=_aliases("enableTranscription", "enable_transcription")
    )
    enable_recording: Flag = Field(
        False, validation_alias=_aliases("enableRecording", "enable_recording")
    )
    interview_role: Text = Field(
        "Software Engineer",
        validation_alias=_aliases("interviewRole", "interview_role", "role", "job_title"),
    )
    interview_type: Annotated[str, BeforeValidator(_as_lower_text)] = Field(
        "technical", validation_alias=_aliases("interviewType", "interview_type")
    )
    interview_id: Text | None = Field(
        None, validation_alias=_aliases("interviewId", "interview_id")
    )
    candidate_id: Text | None = Field(
        None, validation_alias=_aliases("candidateId", "candidate_id")
    )
    candidate_name: Text = Field(
        "Candidate",
        validation_alias=_aliases("candidateName", "candidate_name", "participantName"),
    )
    job_id: Text | None = Field(None, validation_alias=_aliases("jobId", "job_id"))
    plan: Text | None = Field(None, validation_alias=_aliases("plan", "planId", "plan_id"))
    language: Text = Field("en", validation_alias=_aliases("language"))
    wait_for_start: Flag = Field(
        False,
        validation_alias=_aliases("waitForStart", "wait_for_start"),
        description="hold the room until a start_interview control message",
    )
    # Every key beyond the session keys above, as sent (see the module docstring).
    extra: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _resolve_spellings(cls, data: Any) -> Any:
        """Accept a metadata document (any spelling) or Python keywords plus ``extra``:
        session keys are taken out of ``extra``, call inputs are read from it (and a call
        input given by keyword is added to it, so ``to_metadata`` writes it)."""
        if not isinstance(data, Mapping):
            return data
        given = {k: v for k, v in data.items() if k != "extra"}
        extra_in = data.get("extra")
        extra: dict[str, Any] = dict(extra_in) if isinstance(extra_in, Mapping) else {}
        out: dict[str, Any] = {}
        for name in SESSION_FIELDS + CALL_FIELDS:
            spellings = _spellings(cls.model_fields[name], name)
            key = next((k for k in spellings if k in given), None)
            if key is not None:
                out[name] = given.pop(key)
                written = any(k in extra for k in spellings)
                if name in CALL_FIELDS and out[name] is not None and not written:
                    # as sent; a Python keyword is written in the metadata's own spelling
                    extra[spellings[0] if key == name else key] = _jsonable(out[name])
                continue
            key = next((k for k in spellings if k in extra), None)
            if key is None:
                continue
            if name in SESSION_FIELDS:
                value = extra.pop(key)
                if value is not None:
                    out[name] = value
            else:
                out[name] = extra[key]
        # Keys no field knows (in a document) stay, as sent, in extra.
        out["extra"] = {**given, **extra}
        return out

    def call_metadata(self) -> tuple[CallMetadata, list[str]]:
        """The call inputs, typed (checked when the metadata was parsed: no new problems)."""
        return self, []

    def candidate_record(
        self, candidate_id: str | None = None, candidate_name: str | None = None
    ) -> CandidateRecord:
        default_name = SessionMetadata.model_fields["candidate_name"].default
        name = self.candidate_name if self.candidate_name != default_name else None
        return super().candidate_record(candidate_id or self.candidate_id, candidate_name or name)

    def updated(self, **changes: Any) -> SessionMetadata:
        """A copy with ``changes`` (field names), validated like the original."""
        current = {n: getattr(self, n) for n in SESSION_FIELDS + CALL_FIELDS}
        return SessionMetadata.model_validate({**current, **changes, "extra": self.extra})

    def to_metadata(self) -> dict[str, Any]:
        """The seed-format JSON document for this configuration (room/job metadata)."""
        doc: dict[str, Any] = {
            "sessionType": self.session_type,
            "maxDuration": self.max_duration,
            "enableTranscription": self.enable_transcription,
            "enableRecording": self.enable_recording,
            "interviewRole": self.interview_role,
            "interviewType": self.interview_type,
            "candidateName": self.candidate_name,
            "language": self.language,
        }
        for key, camel in (
            ("interview_id", "interviewId"),
            ("candidate_id", "candidateId"),
            ("job_id", "jobId"),
            ("plan", "plan"),
        ):
            if getattr(self, key) is not None:
                doc[camel] = getattr(self, key)
        if self.wait_for_start:
            doc["waitForStart"] = True
        doc.update(self.extra)
        return doc


# The agent code has always called it SessionConfig.
SessionConfig = SessionMetadata

SESSION_FIELDS: tuple[str, ...] = tuple(
    n for n in SessionMetadata.model_fields if n not in CALL_FIELDS and n != "extra"
)


def _spellings(info: FieldInfo, name: str) -> list[str]:
    alias = info.validation_alias
    keys = [str(c) for c in alias.choices] if isinstance(alias, AliasChoices) else []
    return keys if name in keys else [*keys, name]


def _jsonable(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def _document_schema(schema: dict[str, Any]) -> None:
    schema.get("properties", {}).pop("extra", None)
    schema["additionalProperties"] = True


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:  # validators and constraints pydantic lifted off the annotation
        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


def _default(model: type[BaseModel], name: str) -> Any:
    info = model.model_fields[name]
    if info.default_factory is not None:
        return info.default_factory()  # type: ignore[call-arg]
    return None if info.default is PydanticUndefined else info.default


def _reason(error: Any) -> str:
    ctx = error.get("ctx") or {}
    if isinstance(ctx.get("error"), ValueError):
        return str(ctx["error"])
    return str(error["msg"])


def _check_fields(
    model: type[BaseModel],
    doc: Mapping[str, Any],
    names: tuple[str, ...],
    defaults: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[str], set[str]]:
    """Each field of ``names`` from ``doc`` on its own: (values, problems, keys read)."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    used: set[str] = set()
    for name in names:
        key = next((k for k in _spellings(model.model_fields[name], name) if k in doc), None)
        default = (defaults or {}).get(name, _default(model, name))
        values[name] = default
        if key is None:
            continue
        used.add(key)
        raw = doc[key]
        if raw is None:
            continue
        try:
            values[name] = _adapter(model, name).validate_python(raw, context=METADATA)
        except ValidationError as exc:
            problems.append(
                f"{key}={raw!r} is invalid ({_reason(exc.errors()[0])}); using {default!r}"
            )
    return values, problems, used


# --- the lenient parser ------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedConfig:
    config: SessionMetadata
    problems: list[str]


Document = str | bytes | Mapping[str, Any] | None


def _documents(documents: tuple[Document, ...], problems: list[str]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for raw in documents:
        if raw is None or raw == "" or raw == b"":
            continue
        doc: Any = raw
        if isinstance(raw, bytes | str):
            try:
                doc = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                problems.append(f"metadata is not valid JSON ({exc}); using defaults")
                continue
        if not isinstance(doc, Mapping):
            problems.append(f"metadata must be a JSON object, got {type(doc).__name__}")
            continue
        merged.update(doc)
    return merged


def parse_session_config(*documents: Document, default_max_duration: int = 1800) -> ParsedConfig:
    """Merge metadata documents (later ones win: e.g. room metadata, then job metadata,
    then the API's) and check every field on its own.

    Returns the configuration and the list of problems found; each problem names the
    field, what was wrong and which default was used instead. Never raises.
    """
    problems: list[str] = []
    merged = _documents(documents, problems)
    values, field_problems, used = _check_fields(
        SessionMetadata,
        merged,
        SESSION_FIELDS + CALL_FIELDS,
        defaults={"max_duration": default_max_duration},
    )
    problems.extend(field_problems)
    call_keys = {k for n in CALL_FIELDS for k in _spellings(SessionMetadata.model_fields[n], n)}
    extra = {k: v for k, v in merged.items() if k not in used or k in call_keys}
    config = SessionMetadata.model_validate({**values, "extra": extra})
    return ParsedConfig(config, problems)


__all__ = [
    "CALL_FIELDS",
    "SESSION_FIELDS",
    "SESSION_TYPES",
    "CallMetadata",
    "ParsedConfig",
    "SessionConfig",
    "SessionMetadata",
    "SessionType",
    "parse_session_config",
    "register_session_type",
]
