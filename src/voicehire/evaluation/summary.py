"""From per-answer scores to the interview summary and a recommendation.

Recommendation rule (overall score is the mean of the answered questions' overall
scores, 0–10): ``hire`` at 7 or more, ``maybe`` from 5, ``no_hire`` below 5. An
interview in which fewer than half of the asked questions were answered is never a
``hire`` (there is too little to go on). When nothing could be scored the
recommendation is ``None``: no made-up verdict.

Confidence (0–1) grows with the distance of the overall score from the nearest
threshold and with the share of questions answered, and is scaled down for the offline
scorer, which agrees with human graders less than a strong LLM judge.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import mean
from typing import Any

from voicehire.evaluation.models import AnswerScore, InterviewSummary, Recommendation

HIRE_AT = 7.0
MAYBE_AT = 5.0
MIN_ANSWERED_FOR_HIRE = 0.5
OFFLINE_CONFIDENCE_FACTOR = 0.8

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
    return getattr(answer.scores, dim)


def _avg(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(mean(present), 2) if present else None


def recommend(overall: float | None, answered_share: float) -> Recommendation | None:
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
    answers: list[AnswerScore], session_info: dict[str, Any], *, scorer_kind: str
) -> InterviewSummary:
    scored = [a for a in answers if a.status == "scored" and a.scores.overall is not None]
    asked = len(answers)
    answered = sum(1 for a in answers if a.answer_text.strip())
    share = answered / asked if asked else 0.0
    overall = _avg([a.scores.overall for a in scored])
    scored_ids = {id(a) for a in scored}

    by_comp: dict[str, list[float | None]] = defaultdict(list)
    for a in answers:
        for comp in a.competencies:
            by_comp[comp].append(_dimension_score(a, comp) if id(a) in scored_ids else None)
    competency_scores = {c: _avg(v) for c, v in by_comp.items()}

    by_stage: dict[str, list[float | None]] = defaultdict(list)
    for a in answers:
        by_stage[a.stage].append(a.scores.overall if id(a) in scored_ids else None)
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
    unanswered = [a.question_id for a in answers if a.status == "unanswered"]
    if unanswered:
        improvements.insert(0, f"Did not answer {len(unanswered)} of {asked} questions")

    recommendation = recommend(overall, share)
    if overall is None:
        confidence = 0.0
        rationale = "No answer could be scored, so there is no recommendation."
    else:
        margin = min(abs(overall - HIRE_AT), abs(overall - MAYBE_AT))
        confidence = 0.5 * min(1.0, margin / 2.0) + 0.5 * share
        if scorer_kind == "offline":
            confidence *= OFFLINE_CONFIDENCE_FACTOR
        rationale = (
            f"Overall {overall:.1f}/10 over {len(scored)} scored of {asked} asked questions "
            f"(hire at {HIRE_AT:g}+, maybe at {MAYBE_AT:g}+)"
        )
        if overall >= HIRE_AT and recommendation == "maybe":
            rationale += "; fewer than half the questions were answered, so not a hire"
        rationale += "."
    duration = _duration(session_info)
    return InterviewSummary(
        overall_score=overall,
        competency_scores=competency_scores,
        stage_scores=stage_scores,
        strengths=list(dict.fromkeys(strengths))[:6],
        areas_for_improvement=list(dict.fromkeys(improvements))[:6],
        recommendation=recommendation,
        confidence=round(confidence, 2),
        rationale=rationale,
        duration_seconds=round(duration, 1),
        duration_minutes=round(duration / 60, 1),
        questions_asked=asked,
        questions_answered=answered,
    )
