"""Session configuration parsed from LiveKit job/room metadata (seed 000 format).

Metadata is written by other systems, so it is never trusted: a malformed document or
field yields a clear problem message and the safe default for that field, never an
exception that would crash the job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

SessionType = Literal["ai_interview", "gap_filling", "briefing"]
SESSION_TYPES: tuple[SessionType, ...] = ("ai_interview", "gap_filling", "briefing")

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
    # Everything else in the metadata (e.g. missing_required, briefing data), untouched.
    extra: dict[str, Any] = field(default_factory=dict)

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
    if v not in SESSION_TYPES:
        raise ValueError(f"must be one of {', '.join(SESSION_TYPES)}")
    return v


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
