"""Data-channel messages: what the agent publishes and which control messages it accepts.

Outbound (topic ``transcription``): ``{"type": "transcription", "participantId",
"participantName", "message", "timestamp" (ms), "isAI"}`` (seed 000), ``{"type":
"question", "question", "timestamp"}`` (seed 004), plus ``stage`` and ``interview_ended``
progress messages. Inbound control messages (seed 003): ``start_interview``,
``end_interview``, ``next_question``, ``candidate_info``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Protocol

logger = logging.getLogger(__name__)

TRANSCRIPTION_TOPIC = "transcription"
CONTROL_TYPES = ("start_interview", "end_interview", "next_question", "candidate_info")


class MessageSink(Protocol):
    """Where outbound messages go: a LiveKit room, the terminal, a WebSocket, a list."""

    async def send(self, message: dict[str, Any], topic: str = TRANSCRIPTION_TOPIC) -> None: ...


class ListSink:
    """Keeps every message; used by the terminal runner's JSON log and by tests."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any], topic: str = TRANSCRIPTION_TOPIC) -> None:
        self.messages.append({**message, "_topic": topic})

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("type") == kind]


class RoomSink:
    """Publishes reliably on the room's data channel."""

    def __init__(self, room: Any) -> None:
        self._room = room

    async def send(self, message: dict[str, Any], topic: str = TRANSCRIPTION_TOPIC) -> None:
        payload = json.dumps(message).encode()
        try:
            await self._room.local_participant.publish_data(payload, reliable=True, topic=topic)
        except Exception as exc:  # the conversation goes on without live captions
            logger.warning(
                "could not publish data message",
                extra={"message_type": message.get("type"), "error": repr(exc)},
            )


@dataclass
class ControlMessage:
    type: str
    data: dict[str, Any]


class ControlMessageError(ValueError):
    pass


def parse_control_message(payload: bytes | str) -> ControlMessage:
    """Parse an inbound control message, with a clear error for anything malformed."""
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
    return ControlMessage(doc["type"], data)
