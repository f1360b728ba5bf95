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

# What happened, for the people reading the list and the report.
Outcome = Literal[
    "completed", "ended_early", "by_request", "unresponsive", "abandoned", "no_show", "cancelled"
]

# What each end reason means for the people reading the report.
OUTCOMES: dict[str, Outcome] = {
    "completed": "completed",
    "goodbye": "completed",
    "candidate_request": "by_request",
    "candidate_unresponsive": "unresponsive",
    "unresponsive": "unresponsive",
    "candidate_left": "abandoned",
    "abandoned": "abandoned",
    "no_show": "no_show",
    "candidate_no_show": "no_show",
    "participant_no_show": "no_show",
    "candidate_never_joined": "no_show",
    "join_timeout": "no_show",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "max_duration": "ended_early",
    "time_up": "ended_early",
    "manual_end": "ended_early",
    "job_shutdown": "ended_early",
    "server_shutdown": "ended_early",
    "error": "ended_early",
}
OUTCOME_LABELS: dict[Outcome, str] = {
    "completed": "Completed",
    "ended_early": "Ended early",
    "by_request": "Ended at the candidate's request",
    "unresponsive": "Candidate unresponsive",
    "abandoned": "Abandoned (candidate left and did not return)",
    "no_show": "No-show (the interview never started)",
    "cancelled": "Cancelled",
}


def outcome_for(end_reason: str | None, *, asked: int, answered: int) -> Outcome | None:
    """The outcome an end reason stands for; an interview "completed" with no answer at
    all is labelled unresponsive (the candidate never spoke to a question)."""
    if not end_reason:
        return None
    outcome = OUTCOMES.get(end_reason, "ended_early")
    if outcome == "completed" and asked and not answered:
        return "unresponsive"
    return outcome


def interview_outcome(
    status: str, end_reason: str | None, *, asked: int = 0, answered: int = 0
) -> Outcome | None:
    """The outcome of an interview record: None while it is scheduled or running, the
    end reason's outcome once it ended (a cancelled interview is "cancelled",
    unless nobody ever came: then it is a no-show)."""
    if status == "cancelled":
        return "no_show" if OUTCOMES.get(end_reason or "") == "no_show" else "cancelled"
    if status not in ("completed", "error"):
        return None
    return outcome_for(end_reason or status, asked=asked, answered=answered)


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
