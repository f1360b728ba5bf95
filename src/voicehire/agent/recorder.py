"""Turns the conversation into stage-wise and full transcripts (seed 000 format)."""

from __future__ import annotations

import logging
from typing import Any

from voicehire.domain.transcript import (
    AskedQuestion,
    SessionInfo,
    StageTranscript,
    Utterance,
    full_document,
    full_file_name,
    now_ms,
    stage_document,
    stage_file_name,
)
from voicehire.storage.transcripts import TranscriptWriter

logger = logging.getLogger(__name__)


class TranscriptRecorder:
    def __init__(self, info: SessionInfo, writer: TranscriptWriter) -> None:
        self.info = info
        self.writer = writer
        self.stages: list[StageTranscript] = []
        self.full_path: str | None = None
        self.full_document: dict[str, Any] | None = None

    @property
    def current(self) -> StageTranscript | None:
        return self.stages[-1] if self.stages else None

    def open_stage(self, stage_id: str, title: str) -> None:
        self.stages.append(StageTranscript(stage=stage_id, title=title, started_at=now_ms()))

    def close_stage(self, end_reason: str) -> None:
        """End the current stage and queue its file without waiting for the write."""
        stage = self.current
        if stage is None or stage.ended_at is not None:
            return
        stage.ended_at = now_ms()
        stage.end_reason = end_reason
        doc = stage_document(self.info, stage, total_stages=len(self.stages))
        self.writer.queue_stage(
            stage_file_name(self.info.interview_id, stage.stage, stage.ended_at), doc
        )

    def add(self, utterance: Utterance) -> None:
        if self.current is None:
            logger.warning("utterance before any stage", extra={"text": utterance.message[:80]})
            return
        self.current.conversation.append(utterance)

    def question_asked(self, question_id: str, text: str) -> None:
        if self.current is not None:
            self.current.questions.append(
                AskedQuestion(id=question_id, text=text, asked_at=now_ms())
            )

    async def finish(self, end_reason: str, extra_metadata: dict[str, Any] | None = None) -> str:
        """Close the last stage and store everything (blocking, with retries)."""
        self.close_stage("interview_ended")
        self.info.ended_at = now_ms()
        self.info.end_reason = end_reason
        doc = full_document(self.info, self.stages, extra_metadata)
        self.full_document = doc
        self.full_path = await self.writer.finish(
            full_file_name(self.info.interview_id, self.info.ended_at), doc
        )
        return self.full_path
