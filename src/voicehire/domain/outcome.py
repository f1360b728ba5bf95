"""How a session ended: one outcome for interviews and calls alike."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

# Every reason a session can end with, and who decided it.
EndReason = Literal[
    "completed",  # the plan (or the call's fields) ran to its end
    "candidate_request",  # the candidate asked to stop
    "manual_end",  # an end_interview control message (recruiter or page)
    "max_duration",  # maxDuration / MAX_INTERVIEW_DURATION reached
    "time_up",  # a call's time budget ran out
    "candidate_left",  # the candidate left the room or closed the page
    "interviewer_left",  # the interviewer left a briefing
    "candidate_unresponsive",  # the candidate stayed silent through two stages
    "unresponsive",  # the person stayed silent after a nudge (calls)
    "job_shutdown",  # the worker shut the job down
    "server_shutdown",  # voicehire serve stopped
    "session_closed",  # the framework closed the session for another reason
    "error",  # the framework closed the session on an error
]
END_REASONS: tuple[str, ...] = EndReason.__args__  # type: ignore[attr-defined]


class SessionOutcome(BaseModel):
    """What a finished session leaves behind: why it ended, where its full transcript
    went (or why it could not be stored), and the mode's result document."""

    mode: str = Field(description="ai_interview, gap_filling, briefing, ...")
    session_id: str
    end_reason: str
    transcript_path: str | None = None
    transcript: dict[str, Any] | None = None
    transcript_error: str | None = None
    result: dict[str, Any] = Field(default_factory=dict)

    @property
    def stored(self) -> bool:
        return self.transcript_path is not None
