"""Typed results of an interview evaluation (stored and served as JSON documents).

``EvaluationResult.model_dump(mode="json")`` is the stored document. Scores are on a
0–10 scale. A score is ``None`` when it could not be produced (the answer is missing or
the scorer failed): VoiceHire never fills a gap with a made-up default score.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from voicehire.domain.outcome import Outcome

Recommendation = Literal["hire", "maybe", "no_hire"]
# The machine may also say it is not sure: a person must look before anyone acts.
MachineRecommendation = Literal["hire", "maybe", "no_hire", "needs_review"]
ScoreDimension = Literal["technical_accuracy", "communication_clarity", "problem_solving"]
DIMENSIONS: tuple[ScoreDimension, ...] = (
    "technical_accuracy",
    "communication_clarity",
    "problem_solving",
)
RESULT_VERSION = "1.0"


def _now() -> datetime:
    return datetime.now(UTC)


class DimensionScores(BaseModel):
    technical_accuracy: float | None = Field(None, ge=0, le=10)
    communication_clarity: float | None = Field(None, ge=0, le=10)
    problem_solving: float | None = Field(None, ge=0, le=10)
    overall: float | None = Field(None, ge=0, le=10)


class KeyPointCoverage(BaseModel):
    """One rubric indicator and the evidence for it."""

    text: str
    covered: bool
    similarity: float = Field(description="How clearly the answer shows it, 0–1")
    evidence: str | None = Field(None, description="The candidate's words that show it")
    competency: str = ""
    kind: str = "content"


class AnswerScore(BaseModel):
    """One question's answer and its scores."""

    question_id: str
    stage: str
    question_text: str
    competencies: list[str] = Field(default_factory=list)
    answer_text: str = Field("", description="The candidate's words for this question")
    status: Literal["scored", "unanswered", "skipped", "error"] = Field(
        "scored", description="unanswered: asked, no answer; skipped: the candidate asked to skip"
    )
    error: str | None = None
    scores: DimensionScores = Field(default_factory=DimensionScores)
    competency_levels: dict[str, float] = Field(
        default_factory=dict, description="Each rubric competency on its anchored 1–5 scale"
    )
    anchors: dict[str, str] = Field(
        default_factory=dict, description="The scale's description of the level reached"
    )
    key_points: list[KeyPointCoverage] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(
        default_factory=list, description="Verbatim quotes from the candidate's answer"
    )
    feedback: str = ""
    flags: list[str] = Field(
        default_factory=list,
        description="Things a reviewer should know, e.g. text that tried to instruct the grader",
    )
    signals: dict[str, float] = Field(
        default_factory=dict, description="Offline scorer inputs: coverage, relevance, words"
    )


class HumanOverride(BaseModel):
    """A person's recommendation, kept next to (never replacing) the machine's."""

    recommendation: Recommendation
    note: str = Field(min_length=1)
    by: str = ""
    at: datetime = Field(default_factory=_now)


class InterviewSummary(BaseModel):
    overall_score: float | None = Field(None, ge=0, le=10)
    competency_scores: dict[str, float | None] = Field(default_factory=dict)
    stage_scores: dict[str, float | None] = Field(default_factory=dict)
    strengths: list[str] = Field(default_factory=list)
    areas_for_improvement: list[str] = Field(default_factory=list)
    recommendation: MachineRecommendation | None = Field(
        None,
        description="Machine recommendation; needs_review when it is not confident enough to "
        "act on; None when evaluation failed",
    )
    leaning: Recommendation | None = Field(
        None, description="What the scores alone point to (also when review is needed)"
    )
    confidence: float = Field(
        0.0, ge=0, le=1, description="Estimated chance that the leaning is right"
    )
    needs_human_review: bool = False
    review_reasons: list[str] = Field(default_factory=list)
    rationale: str = ""
    duration_seconds: float = 0.0
    duration_minutes: float = 0.0
    questions_asked: int = 0
    questions_answered: int = 0
    questions_skipped: int = 0
    questions_not_asked: list[str] = Field(
        default_factory=list, description="Plan questions never reached (not scored)"
    )


class CandidateTurn(BaseModel):
    """A candidate turn the report shows the recruiter: a question about the role, or a
    turn that was declined and flagged (off-topic, a request for the rubric, an injection)."""

    kind: str
    text: str
    stage: str = ""
    question_id: str | None = None
    topic: str | None = None


class ScorerInfo(BaseModel):
    kind: Literal["offline", "llm"]
    name: str
    model: str = ""
    version: str = RESULT_VERSION


class StageTranscriptView(BaseModel):
    """The stage's conversation, for the report (candidate and interviewer lines)."""

    stage: str
    title: str
    lines: list[dict[str, object]] = Field(default_factory=list)


class EvaluationResult(BaseModel):
    interview_id: str
    plan_id: str = ""
    role: str = ""
    interview_type: str = ""
    participant_name: str = ""
    end_reason: str | None = None
    outcome: Outcome | None = Field(None, description="What happened, from the end reason")
    outcome_label: str = ""
    candidate_questions: list[CandidateTurn] = Field(
        default_factory=list, description="Questions about the role, for the recruiter"
    )
    flagged_turns: list[CandidateTurn] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list, description="Interview-level flags")
    status: Literal["completed", "partial", "failed"] = "completed"
    error: str | None = None
    scorer: ScorerInfo
    created_at: datetime = Field(default_factory=_now)
    answers: list[AnswerScore] = Field(default_factory=list)
    summary: InterviewSummary = Field(default_factory=InterviewSummary)
    override: HumanOverride | None = None
    stages: list[StageTranscriptView] = Field(default_factory=list)
    version: str = RESULT_VERSION

    @property
    def final_recommendation(self) -> MachineRecommendation | None:
        """The human's recommendation when there is one, otherwise the machine's."""
        return self.override.recommendation if self.override else self.summary.recommendation

    def with_override(
        self, recommendation: Recommendation, note: str, by: str = ""
    ) -> EvaluationResult:
        """A copy carrying a human override; the machine's recommendation stays as it was."""
        return self.model_copy(
            update={"override": HumanOverride(recommendation=recommendation, note=note, by=by)}
        )
