"""Session configuration parsed from LiveKit job/room metadata (seed 000 format).

Metadata is written by other systems, so it is never trusted: a malformed document or
field yields a clear problem message and the safe default for that field, never an
exception that would crash the job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

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


# camelCase keys from the seed format, plus snake_case spellings other callers use.
_ALIASES: dict[str, tuple[str, ...]] = {
    "session_type": ("sessionType", "session_type", "mode"),
    "max_duration": ("maxDuration", "max_duration"),
    "enable_transcription": ("enableTranscription", "enable_transcription"),
    "enable_recording": ("enableRecording", "enable_recording"),
    "interview_role": ("interviewRole", "interview_role", "role", "job_title"),
    "interview_type": ("interviewType", "interview_type"),
    "interview_id": ("interviewId", "interview_id"),
    "candidate_id": ("candidateId", "candidate_id"),
    "candidate_name": ("candidateName", "candidate_name", "participantName"),
    "job_id": ("jobId", "job_id"),
    "plan": ("plan", "planId", "plan_id"),
    "language": ("language",),
    "wait_for_start": ("waitForStart", "wait_for_start"),
}


@dataclass(frozen=True)
class SessionConfig:
    session_type: SessionType = "ai_interview"
    max_duration: int = 1800
    enable_transcription: bool = True
    enable_recording: bool = False
    interview_role: str = "Software Engineer"
    interview_type: str = "technical"
    interview_id: str | None = None
    candidate_id: str | None = None
    candidate_name: str = "Candidate"
    job_id: str | None = None
    plan: str | None = None
    language: str = "en"
    # The agent holds the room silently until a start_interview control message.
    wait_for_start: bool = False
    # Everything else in the metadata (e.g. missing_required, briefing data), untouched.
    extra: dict[str, Any] = field(default_factory=dict)

    def call_metadata(self) -> tuple[CallMetadata, list[str]]:
        """The call inputs in the metadata, typed (and the problems found)."""
        return CallMetadata.lenient(self.extra)

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


@dataclass(frozen=True)
class ParsedConfig:
    config: SessionConfig
    problems: list[str]


def _as_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.strip().lower() in ("true", "false", "1", "0", "yes", "no"):
        return v.strip().lower() in ("true", "1", "yes")
    raise ValueError("expected true or false")


def _as_duration(v: Any) -> int:
    if isinstance(v, bool):
        raise ValueError("expected a number of seconds")
    n = int(float(v))
    if n < 10 or n > 6 * 3600:
        raise ValueError("must be between 10 and 21600 seconds")
    return n


def _as_text(v: Any) -> str:
    if not isinstance(v, str | int) or isinstance(v, bool):
        raise ValueError("expected text")
    text = str(v).strip()
    if not text or len(text) > 200:
        raise ValueError("must be 1 to 200 characters")
    return text


def _as_session_type(v: Any) -> SessionType:
    if v not in _session_types:
        raise ValueError(f"must be one of {', '.join(_session_types)}")
    return str(v)


_CONVERTERS = {
    "session_type": _as_session_type,
    "max_duration": _as_duration,
    "enable_transcription": _as_bool,
    "enable_recording": _as_bool,
    "interview_role": _as_text,
    "interview_type": lambda v: _as_text(v).lower(),
    "interview_id": _as_text,
    "candidate_id": _as_text,
    "candidate_name": _as_text,
    "job_id": _as_text,
    "plan": _as_text,
    "language": _as_text,
    "wait_for_start": _as_bool,
}


def parse_session_config(
    *documents: str | bytes | dict[str, Any] | None, default_max_duration: int = 1800
) -> ParsedConfig:
    """Merge metadata documents (later ones win: e.g. room metadata, then job metadata).

    Returns the configuration and the list of problems found; each problem names the
    field, what was wrong and which default was used instead.
    """
    problems: list[str] = []
    merged: dict[str, Any] = {}
    for raw in documents:
        if raw is None or raw == "" or raw == b"":
            continue
        if isinstance(raw, bytes | str):
            try:
                doc = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                problems.append(f"metadata is not valid JSON ({exc}); using defaults")
                continue
        else:
            doc = raw
        if not isinstance(doc, dict):
            problems.append(f"metadata must be a JSON object, got {type(doc).__name__}")
            continue
        merged.update(doc)

    values: dict[str, Any] = {"max_duration": default_max_duration}
    used_keys: set[str] = set()
    for name, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in merged:
                used_keys.add(alias)
                raw_value = merged[alias]
                if raw_value is None:
                    break
                try:
                    values[name] = _CONVERTERS[name](raw_value)
                except (ValueError, TypeError) as exc:
                    default = getattr(SessionConfig, name, None)
                    if name == "max_duration":
                        default = default_max_duration
                    problems.append(f"{alias}={raw_value!r} is invalid ({exc}); using {default!r}")
                break
    extra = {k: v for k, v in merged.items() if k not in used_keys}
    return ParsedConfig(SessionConfig(**values, extra=extra), problems)


class CallMetadata(BaseModel):
    """The inputs of a gap-filling call or a briefing that may come in the metadata
    (seed 002), with the spellings other systems use."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    candidate: dict[str, Any] | None = None
    missing_required: list[str] | None = Field(
        None, validation_alias=AliasChoices("missing_required", "missingRequired")
    )
    notes: str | list[str] | None = Field(
        None, validation_alias=AliasChoices("notes", "recruiterNotes", "recruiter_notes")
    )
    resume_summary: str | None = Field(
        None, validation_alias=AliasChoices("resume_summary", "resumeSummary")
    )
    job: dict[str, Any] | None = None
    field_specs: Any = Field(None, validation_alias=AliasChoices("fieldSpecs", "field_specs"))
    time_budget: float | None = Field(
        None, gt=0, validation_alias=AliasChoices("timeBudget", "time_budget")
    )
    gap_filling: dict[str, Any] | None = Field(
        None, validation_alias=AliasChoices("gapFilling", "gap_filling")
    )
    interviews: list[Any] | None = Field(
        None, validation_alias=AliasChoices("interviews", "earlierInterviews")
    )
    interviewer_name: str | None = Field(
        None, validation_alias=AliasChoices("interviewerName", "userName", "user_name")
    )

    @classmethod
    def lenient(cls, doc: dict[str, Any]) -> tuple[CallMetadata, list[str]]:
        """Parse ``doc`` field by field: an invalid field is dropped with a problem named,
        the rest is kept (metadata never crashes a job)."""
        problems: list[str] = []
        data = dict(doc)
        for _ in range(len(cls.model_fields) + 1):
            try:
                return cls.model_validate(data), problems
            except ValidationError as exc:
                for error in exc.errors():
                    key = str(error["loc"][0]) if error["loc"] else ""
                    if key in data:
                        problems.append(f"{key}={data.pop(key)!r} is invalid ({error['msg']})")
        return cls(), problems
