"""Stage-wise and full interview transcripts, in the JSON shape of seed 000.

File names: ``interview_{id}_stage_{name}_{timestamp}.json`` and
``interview_{id}_full_{timestamp}.json``. A full transcript holds ``sessionInfo``,
``stages``, ``fullConversation`` and ``metadata``. Each conversation entry has the same
fields as a live ``transcription`` data message, plus the stage and question it belongs to.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Literal

TRANSCRIPT_VERSION = "1.0"
Role = Literal["agent", "candidate"]


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Utterance:
    role: Role
    participant_id: str
    participant_name: str
    message: str
    timestamp: int  # ms since the epoch
    stage: str
    question_id: str | None = None
    kind: str = "speech"  # speech | question | follow_up | nudge | notice

    @property
    def is_ai(self) -> bool:
        return self.role == "agent"

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "transcription",
            "participantId": self.participant_id,
            "participantName": self.participant_name,
            "message": self.message,
            "timestamp": self.timestamp,
            "isAI": self.is_ai,
            "stage": self.stage,
            "questionId": self.question_id,
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Utterance:
        return cls(
            role="agent" if d.get("isAI") else "candidate",
            participant_id=str(d.get("participantId", "")),
            participant_name=str(d.get("participantName", "")),
            message=str(d.get("message", "")),
            timestamp=int(d.get("timestamp", 0)),
            stage=str(d.get("stage", "")),
            question_id=d.get("questionId"),
            kind=str(d.get("kind", "speech")),
        )


@dataclass
class AskedQuestion:
    id: str
    text: str
    asked_at: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "askedAt": self.asked_at}


@dataclass
class StageTranscript:
    stage: str
    title: str
    started_at: int
    ended_at: int | None = None
    end_reason: str | None = None  # completed | time_budget | silence | interview_ended ...
    questions: list[AskedQuestion] = field(default_factory=list)
    conversation: list[Utterance] = field(default_factory=list)

    @property
    def duration_seconds(self) -> float:
        end = self.ended_at if self.ended_at is not None else now_ms()
        return round((end - self.started_at) / 1000, 3)

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "title": self.title,
            "startedAt": self.started_at,
            "endedAt": self.ended_at,
            "durationSeconds": self.duration_seconds,
            "endReason": self.end_reason,
            "questions": [q.to_json() for q in self.questions],
            "conversation": [u.to_json() for u in self.conversation],
        }


@dataclass
class SessionInfo:
    interview_id: str
    participant_name: str
    room_name: str = ""
    session_type: str = "ai_interview"
    plan_id: str = ""
    role: str = ""
    interview_type: str = ""
    started_at: int = field(default_factory=now_ms)
    ended_at: int | None = None
    end_reason: str | None = None

    def to_json(self, total_stages: int) -> dict[str, Any]:
        end = self.ended_at if self.ended_at is not None else now_ms()
        return {
            "interviewId": self.interview_id,
            "participantName": self.participant_name,
            "roomName": self.room_name,
            "sessionType": self.session_type,
            "planId": self.plan_id,
            "interviewRole": self.role,
            "interviewType": self.interview_type,
            "startedAt": self.started_at,
            "endedAt": self.ended_at,
            "durationSeconds": round((end - self.started_at) / 1000, 3),
            "totalStages": total_stages,
            "endReason": self.end_reason,
        }


def _safe(part: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", part).strip("-") or "unknown"


def stage_file_name(interview_id: str, stage: str, timestamp_ms: int) -> str:
    return f"interview_{_safe(interview_id)}_stage_{_safe(stage)}_{timestamp_ms}.json"


def full_file_name(interview_id: str, timestamp_ms: int) -> str:
    return f"interview_{_safe(interview_id)}_full_{timestamp_ms}.json"


def stage_document(info: SessionInfo, stage: StageTranscript, total_stages: int) -> dict[str, Any]:
    return {
        "sessionInfo": info.to_json(total_stages),
        "stage": stage.to_json(),
        "metadata": {"storedAt": int(time.time()), "version": TRANSCRIPT_VERSION, "kind": "stage"},
    }


def full_document(
    info: SessionInfo, stages: list[StageTranscript], extra_metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    conversation = sorted((u for s in stages for u in s.conversation), key=lambda u: u.timestamp)
    return {
        "sessionInfo": info.to_json(len(stages)),
        "stages": [s.to_json() for s in stages],
        "fullConversation": [u.to_json() for u in conversation],
        "metadata": {
            "storedAt": int(time.time()),
            "version": TRANSCRIPT_VERSION,
            "kind": "full",
            **(extra_metadata or {}),
        },
    }
