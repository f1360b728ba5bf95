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
from typing import Any, Protocol

from voicehire.domain.messages import (
    CONTROL_TYPES,
    TRANSCRIPTION_TOPIC,
    ControlMessage,
    ControlMessageError,
    parse_control_message,
)

__all__ = [
    "CONTROL_TYPES",
    "TRANSCRIPTION_TOPIC",
    "ControlMessage",
    "ControlMessageError",
    "FanOut",
    "ListSink",
    "MessageSink",
    "RoomSink",
    "parse_control_message",
]

logger = logging.getLogger(__name__)


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


class FanOut:
    """Sends every message to each of several sinks, in order."""

    def __init__(self, *sinks: MessageSink) -> None:
        self.sinks = sinks

    async def send(self, message: dict[str, Any], topic: str = TRANSCRIPTION_TOPIC) -> None:
        for sink in self.sinks:
            await sink.send(message, topic)
