"""From per-answer scores to the interview summary, a recommendation and the outcome.

Scores: the overall score is the mean of the *answered* questions' overall scores
(0–10). A question that was not asked, not answered or skipped has no score and never
counts as 0. Competency scores come from each answer's anchored 1–5 levels.

Leaning (what the scores alone say): ``hire`` at 7 or more, ``maybe`` from 5,
``no_hire`` below 5. An interview in which fewer than half of the asked questions were
answered never leans ``hire``.

Confidence is an estimate of the chance that the leaning is right: a logistic function
of how far the overall score is from the nearest threshold, fitted on the dev split of
the interview-answer benchmark (``benchmarks/bench_interview.py`` prints its reliability
on the test split), times the share of questions answered. The recommendation is the
leaning only when the machine can stand behind it; otherwise it is ``needs_review``
with the reasons: confidence below ``REVIEW_BELOW``, integrity flags (pasted or
repeated text, instructions to the grader, answers off the question), too little
answered, or an interview that did not end normally.
"""

from __future__ import annotations

import math
from collections import defaultdict
from statistics import mean
from typing import Any

from voicehire.domain.outcome import OUTCOME_LABELS, Outcome
from voicehire.evaluation.models import (
    AnswerScore,
    InterviewSummary,
    MachineRecommendation,
    Recommendation,
)

HIRE_AT = 7.0
MAYBE_AT = 5.0
MIN_ANSWERED_FOR_HIRE = 0.5
# Confidence = sigmoid(CONF_A + CONF_B * margin) x answered share; margin is the distance
# (0–10 scale) from the overall score to the nearest threshold. Fitted per scorer kind
# on the benchmark's dev split; the LLM judge has no benchmark here, so it uses the
# offline scorer's curve (conservative).
CONFIDENCE_CURVES: dict[str, tuple[float, float]] = {
    "offline": (0.367, 1.437),
    "llm": (0.367, 1.437),
}
REVIEW_BELOW = 0.7
# Flags that stop the machine from recommending on its own.
INTEGRITY_FLAGS = ("instruction_to_grader_ignored", "duplicate_text", "does_not_address_question")


def confidence_for(overall: float, answered_share: float, scorer_kind: str) -> float:
    a, b = CONFIDENCE_CURVES.get(scorer_kind, CONFIDENCE_CURVES["offline"])
    margin = min(abs(overall - HIRE_AT), abs(overall - MAYBE_AT))
    if MAYBE_AT < overall < HIRE_AT:
        margin = min(margin, 1.0)  # "maybe" is a narrow band: never very sure of it
    return answered_share / (1.0 + math.exp(-(a + b * margin)))


# Which per-answer score speaks for a plan competency.
COMPETENCY_DIMENSION = {
    "technical_accuracy": "technical_accuracy",
    "problem_solving": "problem_solving",
    "communication": "communication_clarity",
    "communication_clarity": "communication_clarity",
}
COMPETENCY_LABELS = {
    "technical_accuracy": "Technical accuracy",
    "problem_solving": "Problem solving",
    "communication": "Communication",
    "collaboration": "Collaboration",
    "ownership": "Ownership",
}


def competency_label(name: str) -> str:
    return COMPETENCY_LABELS.get(name, name.replace("_", " ").capitalize())


def _dimension_score(answer: AnswerScore, competency: str) -> float | None:
    dim = COMPETENCY_DIMENSION.get(competency, "overall")
    value: float | None = getattr(answer.scores, dim)
    return value


def _avg(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(mean(present), 2) if present else None


def recommend(overall: float | None, answered_share: float) -> Recommendation | None:
    """What the scores alone point to."""
    if overall is None:
        return None
    if overall >= HIRE_AT:
        return "hire" if answered_share >= MIN_ANSWERED_FOR_HIRE else "maybe"
    return "maybe" if overall >= MAYBE_AT else "no_hire"


def _duration(info: dict[str, Any]) -> float:
    if info.get("durationSeconds") is not None:
        return float(info["durationSeconds"])
    if info.get("startedAt") and info.get("endedAt"):
        return (int(info["endedAt"]) - int(info["startedAt"])) / 1000
    return 0.0


def summarize(
    answers: list[AnswerScore],
    session_info: dict[str, Any],
    *,
    scorer_kind: str,
    outcome: Outcome | None = None,
    interview_flags: list[str] | None = None,
    not_asked: list[str] | None = None,
) -> InterviewSummary:
    scored = [a for a in answers if a.status == "scored" and a.scores.overall is not None]
    asked = len(answers)
    answered = sum(1 for a in answers if a.answer_text.strip())
    skipped = sum(1 for a in answers if a.status == "skipped")
    share = answered / asked if asked else 0.0
    overall = _avg([a.scores.overall for a in scored])

    by_comp: dict[str, list[float | None]] = defaultdict(list)
    for a in scored:
        for comp in a.competencies:
            level = a.competency_levels.get(comp)
            by_comp[comp].append(
                round(2.5 * (level - 1), 2) if level is not None else _dimension_score(a, comp)
            )
    competency_scores = {c: _avg(v) for c, v in by_comp.items()}

    by_stage: dict[str, list[float | None]] = defaultdict(list)
    for a in scored:
        by_stage[a.stage].append(a.scores.overall)
    stage_scores = {s: _avg(v) for s, v in by_stage.items()}

    strengths: list[str] = []
    improvements: list[str] = []
    for comp, score in sorted(competency_scores.items(), key=lambda kv: -(kv[1] or 0)):
        if score is not None and score >= HIRE_AT:
            strengths.append(f"Strong {competency_label(comp).lower()} ({score:.1f}/10)")
        elif score is not None and score < MAYBE_AT:
            improvements.append(f"Weak {competency_label(comp).lower()} ({score:.1f}/10)")
    for a in sorted(scored, key=lambda a: -(a.scores.overall or 0)):
        strengths += [f"{a.question_id}: {s}" for s in a.strengths[:2]]
    for a in sorted(scored, key=lambda a: a.scores.overall or 0):
        improvements += [f"{a.question_id}: {s}" for s in a.improvements[:2]]
    unanswered = [a.question_id for a in answers if a.status in ("unanswered", "skipped")]
    if unanswered:
        improvements.insert(0, f"No answer to {len(unanswered)} of {asked} questions asked")

    leaning = recommend(overall, share)
    reasons: list[str] = []
    flags = list(interview_flags or []) + [f for a in answers for f in a.flags]
    if overall is None:
        confidence = 0.0
        rationale = "No answer could be scored, so there is no recommendation."
    else:
        confidence = confidence_for(overall, share, scorer_kind)
        rationale = (
            f"Overall {overall:.1f}/10 over {len(scored)} answered of {asked} asked questions "
            f"(hire at {HIRE_AT:g}+, maybe at {MAYBE_AT:g}+)"
        )
        if overall >= HIRE_AT and leaning == "maybe":
            rationale += "; fewer than half the questions were answered, so not a hire"
        rationale += "."
        if confidence < REVIEW_BELOW:
            reasons.append(
                f"confidence {confidence:.0%} is below {REVIEW_BELOW:.0%} "
                "(the score is near a threshold or few questions were answered)"
            )
        for kind in INTEGRITY_FLAGS:
            n = sum(1 for f in flags if f.startswith(kind))
            if n:
                reasons.append(f"{n} answer flag(s): {kind.replace('_', ' ')}")
        if outcome and outcome != "completed":
            reasons.append(f"the interview did not complete normally ({OUTCOME_LABELS[outcome]})")
    recommendation: MachineRecommendation | None = leaning
    if leaning is not None and reasons:
        recommendation = "needs_review"
        rationale += " Needs human review: " + "; ".join(reasons) + "."
    duration = _duration(session_info)
    return InterviewSummary(
        overall_score=overall,
        competency_scores=competency_scores,
        stage_scores=stage_scores,
        strengths=list(dict.fromkeys(strengths))[:6],
        areas_for_improvement=list(dict.fromkeys(improvements))[:6],
        recommendation=recommendation,
        leaning=leaning,
        confidence=round(confidence, 2),
        needs_human_review=recommendation == "needs_review",
        review_reasons=reasons if recommendation == "needs_review" else [],
        rationale=rationale,
        duration_seconds=round(duration, 1),
        duration_minutes=round(duration / 60, 1),
        questions_asked=asked,
        questions_answered=answered,
        questions_skipped=skipped,
        questions_not_asked=list(not_asked or []),
    )
