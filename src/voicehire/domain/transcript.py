"""Stage-wise and full interview transcripts, in the JSON shape of seed 000.

File names: ``interview_{id}_stage_{name}_{timestamp}.json`` and
``interview_{id}_full_{timestamp}.json``. A full transcript holds ``sessionInfo``,
``stages``, ``fullConversation`` and ``metadata``. Each conversation entry has the same
fields as a live ``transcription`` data message, plus the stage and question it belongs to.

The models are camelCase on the wire and snake_case in Python. :meth:`to_json` of each
model writes exactly the documents this module wrote before it was typed (same keys, same
order), and :meth:`FullTranscript.model_validate` / :meth:`StageDocument.model_validate`
read them back, so readers use attributes instead of ``doc.get("stages")``.
"""

from __future__ import annotations

import re
import time
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    model_validator,
)
from pydantic.alias_generators import to_camel

TRANSCRIPT_VERSION = "1.0"
Role = Literal["agent", "candidate"]


def now_ms() -> int:
    return int(time.time() * 1000)


class TranscriptModel(BaseModel):
    """camelCase on the wire; unknown keys of a stored document are kept, not dropped."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        # Written documents always hold every field: required in the written schema.
        json_schema_serialization_defaults_required=True,
    )

    # Fields that may be given by position, in order (the models were dataclasses once).
    positional: ClassVar[tuple[str, ...]] = ()

    def __init__(self, /, *args: Any, **data: Any) -> None:
        if len(args) > len(self.positional):
            raise TypeError(
                f"{type(self).__name__} takes at most {len(self.positional)} positional "
                f"arguments ({', '.join(self.positional) or 'none'}), {len(args)} given"
            )
        for name, value in zip(self.positional, args, strict=False):
            if name in data:
                raise TypeError(f"{type(self).__name__} got {name!r} twice")
            data[name] = value
        super().__init__(**data)

    def to_json(self) -> dict[str, Any]:
        """The document as stored (camelCase, seed 000 key order)."""
        return self.model_dump(mode="json", by_alias=True)


def _seconds_between(start: int, end: int | None) -> float:
    return round(((end if end is not None else now_ms()) - start) / 1000, 3)


class Utterance(TranscriptModel):
    """One line of the conversation: a ``transcription`` data message (seed 000) plus the
    stage, the question it belongs to and what kind of line it is."""

    positional = (
        "role",
        "participant_id",
        "participant_name",
        "message",
        "timestamp",
        "stage",
        "question_id",
        "kind",
    )

    type: Literal["transcription"] = "transcription"
    participant_id: str = ""
    participant_name: str = ""
    message: str = ""
    timestamp: int = Field(0, description="milliseconds since the epoch")
    is_ai: bool = Field(False, alias="isAI", description="true for the agent's lines")
    stage: str = ""
    question_id: str | None = None
    kind: str = Field(
        "speech",
        description="speech, question, follow_up, nudge, notice, greeting, closing, ...",
    )
    offset_ms: int | None = Field(
        None,
        description="milliseconds from the start of the session's recording (from the "
        "session's start when it is not recorded) to when the line began to be spoken; "
        "null in transcripts written before it was recorded",
    )

    @model_validator(mode="before")
    @classmethod
    def _role(cls, data: Any) -> Any:
        # In Python the speaker is given as role="agent" | "candidate".
        if isinstance(data, dict) and "role" in data:
            data = dict(data)
            role = data.pop("role")
            if role not in ("agent", "candidate"):
                raise ValueError(f"role must be 'agent' or 'candidate', not {role!r}")
            data.setdefault("is_ai", role == "agent")
        return data

    @property
    def role(self) -> Role:
        return "agent" if self.is_ai else "candidate"

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Utterance:
        return cls.model_validate(d)


class AskedQuestion(TranscriptModel):
    positional = ("id", "text", "asked_at")

    id: str
    text: str
    asked_at: int


class StageTranscript(TranscriptModel):
    stage: str
    title: str = ""
    started_at: int
    ended_at: int | None = None
    duration_seconds: float | None = Field(
        None, description="computed from startedAt/endedAt when the document is written"
    )
    end_reason: str | None = Field(
        None, description="completed, time_budget, silence, interview_ended, ..."
    )
    questions: list[AskedQuestion] = Field(default_factory=list)
    conversation: list[Utterance] = Field(default_factory=list)

    @field_serializer("duration_seconds")
    def _duration(self, stored: float | None) -> float:
        if self.ended_at is None and stored is not None:
            return stored
        return self.elapsed_seconds

    @property
    def elapsed_seconds(self) -> float:
        """Seconds from the start to the end (or to now, while the stage runs)."""
        return _seconds_between(self.started_at, self.ended_at)

    def agent_lines(self) -> list[Utterance]:
        return [u for u in self.conversation if u.is_ai]

    def candidate_lines(self) -> list[Utterance]:
        return [u for u in self.conversation if not u.is_ai]


class SessionInfo(TranscriptModel):
    interview_id: str
    participant_name: str = ""
    room_name: str = ""
    session_type: str = "ai_interview"
    plan_id: str = ""
    role: str = Field("", alias="interviewRole")
    interview_type: str = ""
    started_at: int = Field(default_factory=now_ms)
    ended_at: int | None = None
    duration_seconds: float | None = Field(
        None, description="computed from startedAt/endedAt (or now) when written"
    )
    total_stages: int = 0
    end_reason: str | None = None

    @field_serializer("duration_seconds")
    def _duration(self, stored: float | None) -> float:
        # A stored document of a session still running keeps the figure it was written with.
        if self.ended_at is None and stored is not None:
            return stored
        return _seconds_between(self.started_at, self.ended_at)

    def to_json(self, total_stages: int | None = None) -> dict[str, Any]:
        info = (
            self if total_stages is None else self.model_copy(update={"total_stages": total_stages})
        )
        return info.model_dump(mode="json", by_alias=True)


class TranscriptMetadata(TranscriptModel):
    """``metadata`` of a stored document. Modes add their own keys (``plan``,
    ``transitions``, ``candidateInfo``, ``mode``, ``gapFilling``, ``briefing``, ...),
    kept as they are."""

    stored_at: int = Field(default_factory=lambda: int(time.time()), description="seconds")
    version: str = TRANSCRIPT_VERSION
    kind: Literal["stage", "full"] = "full"


class StageDocument(TranscriptModel):
    """A stage transcript file: the session so far and one finished stage."""

    session_info: SessionInfo
    stage: StageTranscript
    metadata: TranscriptMetadata = Field(default_factory=lambda: TranscriptMetadata(kind="stage"))


class FullTranscript(TranscriptModel):
    """The full transcript file: every stage and the whole conversation in time order."""

    session_info: SessionInfo
    stages: list[StageTranscript] = Field(default_factory=list)
    full_conversation: list[Utterance] = Field(default_factory=list)
    metadata: TranscriptMetadata = Field(default_factory=TranscriptMetadata)

    @classmethod
    def build(
        cls,
        info: SessionInfo,
        stages: list[StageTranscript],
        extra_metadata: dict[str, Any] | None = None,
    ) -> FullTranscript:
        conversation = sorted(
            (u for s in stages for u in s.conversation), key=lambda u: u.timestamp
        )
        return cls(
            session_info=info.model_copy(update={"total_stages": len(stages)}),
            stages=list(stages),
            full_conversation=conversation,
            metadata=TranscriptMetadata.model_validate({"kind": "full", **(extra_metadata or {})}),
        )

    def stage(self, stage_id: str) -> StageTranscript | None:
        return next((s for s in self.stages if s.stage == stage_id), None)

    def candidate_lines(self) -> list[Utterance]:
        return [u for u in self.full_conversation if not u.is_ai]

    def metadata_value(self, key: str) -> Any:
        """A mode's own metadata entry (``gapFilling``, ``briefing``, ``plan``, ...)."""
        return (self.metadata.model_extra or {}).get(key)

    @property
    def language(self) -> str:
        """The interview's language (``metadata.language``; English when absent)."""
        value = self.metadata_value("language")
        return value if isinstance(value, str) and value else "en"


def safe_file_part(part: str) -> str:
    """An id or stage as transcript and report file names spell it."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", part).strip("-") or "unknown"


def stage_file_name(interview_id: str, stage: str, timestamp_ms: int) -> str:
    iid, stage_part = safe_file_part(interview_id), safe_file_part(stage)
    return f"interview_{iid}_stage_{stage_part}_{timestamp_ms}.json"


def full_file_name(interview_id: str, timestamp_ms: int) -> str:
    return f"interview_{safe_file_part(interview_id)}_full_{timestamp_ms}.json"


def stage_document(info: SessionInfo, stage: StageTranscript, total_stages: int) -> dict[str, Any]:
    return StageDocument(
        session_info=info.model_copy(update={"total_stages": total_stages}), stage=stage
    ).to_json()


def full_document(
    info: SessionInfo, stages: list[StageTranscript], extra_metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    return FullTranscript.build(info, stages, extra_metadata).to_json()
