"""The messages that cross the wire, as one typed contract.

* **Data messages** the agent publishes (LiveKit data channel, topic ``transcription``;
  the local WebSocket carries the same ones numbered): ``transcription`` (seed 000),
  ``question`` (seed 004), ``stage``, ``call_started``, ``field_update``,
  ``interview_ended``.
* **Control messages** a front end sends to the agent (seed 003): ``start_interview``,
  ``end_interview``, ``next_question``, ``candidate_info``. The seed sends their fields
  either flat or under ``data``; both are accepted.
* **Local WebSocket frames** between the browser and ``voicehire serve`` (the embedded
  default's transport): :data:`ServerFrame` and :data:`BrowserFrame`.

Every model dumps to the exact camelCase JSON published before these types existed
(``to_wire``), and JSON Schemas for the web app's TypeScript types come from
:mod:`voicehire.domain.schemas`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.alias_generators import to_camel

TRANSCRIPTION_TOPIC = "transcription"
# An inbound control message larger than this is refused (they are a few hundred bytes).
MAX_CONTROL_BYTES = 16 * 1024


class WireModel(BaseModel):
    """camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


# --- data messages (agent → front end) ---------------------------------------------------


class TranscriptionMessage(WireModel):
    """One line of the conversation, live (seed 000 plus stage, question and kind)."""

    type: Literal["transcription"] = "transcription"
    participant_id: str
    participant_name: str
    message: str
    timestamp: int = Field(description="milliseconds since the epoch")
    is_ai: bool = Field(alias="isAI")
    stage: str
    question_id: str | None = None
    kind: str = "speech"


class QuestionMessage(WireModel):
    """A planned question has been opened (seed 004)."""

    type: Literal["question"] = "question"
    question: str
    timestamp: int


class StageMessage(WireModel):
    """The interview entered a stage (``index`` counts from 0 of ``total``)."""

    type: Literal["stage"] = "stage"
    stage: str
    title: str
    index: int
    total: int
    timestamp: int


class CallStartedMessage(WireModel):
    """A gap-filling call or a briefing has started."""

    type: Literal["call_started"] = "call_started"
    mode: str
    timestamp: int


class FieldUpdateMessage(WireModel):
    """A gap-filling answer was recorded for a profile field."""

    type: Literal["field_update"] = "field_update"
    field: str
    label: str
    outcome: str
    status: str
    value: Any = None
    spoken: str | None = None
    saved: bool
    save_error: str | None = None


class InterviewEndedMessage(WireModel):
    """The session ended (an interview or a call), with why."""

    type: Literal["interview_ended"] = "interview_ended"
    reason: str
    mode: str | None = None
    timestamp: int

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


DataMessage = Annotated[
    TranscriptionMessage
    | QuestionMessage
    | StageMessage
    | CallStartedMessage
    | FieldUpdateMessage
    | InterviewEndedMessage,
    Field(discriminator="type"),
]
data_message_adapter: TypeAdapter[DataMessage] = TypeAdapter(DataMessage)


# --- control messages (front end → agent) -------------------------------------------------

ControlType = Literal["start_interview", "end_interview", "next_question", "candidate_info"]
CONTROL_TYPES: tuple[str, ...] = (
    "start_interview",
    "end_interview",
    "next_question",
    "candidate_info",
)


class ControlMessage(WireModel):
    """An inbound control message; ``data`` holds its fields (nested or flat on the wire)."""

    type: ControlType
    data: dict[str, Any] = Field(default_factory=dict)


class ControlMessageError(ValueError):
    """A control message that is not JSON, too large, or not one of :data:`CONTROL_TYPES`."""


def parse_control_message(payload: bytes | str) -> ControlMessage:
    """Parse an inbound control message, with a clear error for anything malformed."""
    size = len(payload.encode() if isinstance(payload, str) else payload)
    if size > MAX_CONTROL_BYTES:
        raise ControlMessageError(
            f"control message is {size} bytes; the limit is {MAX_CONTROL_BYTES}"
        )
    try:
        doc = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ControlMessageError(f"control message is not JSON: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("type"), str):
        raise ControlMessageError("control message must be a JSON object with a string 'type'")
    if doc["type"] not in CONTROL_TYPES:
        raise ControlMessageError(
            f"unknown control message type {doc['type']!r}; expected one of "
            + ", ".join(CONTROL_TYPES)
        )
    data = doc.get("data", {k: v for k, v in doc.items() if k != "type"})
    if not isinstance(data, dict):
        raise ControlMessageError("control message 'data' must be an object")
    return ControlMessage(type=doc["type"], data=data)


# --- the local WebSocket (browser ↔ voicehire serve) --------------------------------------


class SessionFrame(WireModel):
    """The session's state, sent after ``hello``."""

    type: Literal["session"] = "session"
    room: str
    interview_id: str
    session_type: str
    started: bool
    ended: bool
    end_reason: str | None
    agent_state: str
    your_turn: bool
    stage: StageMessage | None
    hearing: bool
    voice: bool
    epoch: str = Field(description="changes when the server restarts; numbering starts again")
    last_seq: int


class DataFrame(WireModel):
    """A numbered data message; a page that reconnects asks for those after ``lastSeq``."""

    type: Literal["data"] = "data"
    seq: int
    topic: str
    message: DataMessage

    def to_wire(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "seq": self.seq,
            "topic": self.topic,
            "message": self.message.to_wire(),
        }


class AgentStateFrame(WireModel):
    type: Literal["agent_state"] = "agent_state"
    state: str


class UserStateFrame(WireModel):
    type: Literal["user_state"] = "user_state"
    state: str


class StartedFrame(WireModel):
    type: Literal["started"] = "started"
    hearing: bool
    voice: bool


class TurnFrame(WireModel):
    """The interview waits for the candidate's answer."""

    type: Literal["turn"] = "turn"


class AudioStartFrame(WireModel):
    type: Literal["audio_start"] = "audio_start"
    segment: int
    sample_rate: int


class AudioEndFrame(WireModel):
    type: Literal["audio_end"] = "audio_end"
    segment: int
    duration: float


class AudioClearFrame(WireModel):
    type: Literal["audio_clear"] = "audio_clear"
    segment: int


class CaptionFrame(WireModel):
    """The interviewer's words as they are spoken, paced with the audio (live only, never
    replayed); the whole line follows as a ``transcription`` data message."""

    type: Literal["caption"] = "caption"
    text: str


class ErrorFrame(WireModel):
    type: Literal["error"] = "error"
    code: str
    message: str


ServerFrame = Annotated[
    SessionFrame
    | DataFrame
    | AgentStateFrame
    | UserStateFrame
    | StartedFrame
    | TurnFrame
    | AudioStartFrame
    | AudioEndFrame
    | AudioClearFrame
    | CaptionFrame
    | ErrorFrame,
    Field(discriminator="type"),
]


class HelloFrame(WireModel):
    type: Literal["hello"] = "hello"
    last_seq: int = 0
    epoch: str | None = None


class StartFrame(WireModel):
    type: Literal["start"] = "start"


class AnswerFrame(WireModel):
    type: Literal["answer"] = "answer"
    text: str = Field(max_length=4000)


class ControlFrame(WireModel):
    type: Literal["control"] = "control"
    data: dict[str, Any]


class PlayedFrame(WireModel):
    type: Literal["played"] = "played"
    segment: int


BrowserFrame = Annotated[
    HelloFrame | StartFrame | AnswerFrame | ControlFrame | PlayedFrame,
    Field(discriminator="type"),
]
browser_frame_adapter: TypeAdapter[BrowserFrame] = TypeAdapter(BrowserFrame)


def parse_browser_frame(doc: Any) -> BrowserFrame:
    """A frame from the page; raises ``ValueError`` naming what was wrong."""
    try:
        return browser_frame_adapter.validate_python(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"bad message from the page ({where}: {first['msg']})") from None
