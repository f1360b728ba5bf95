"""Evaluate a finished interview and write its report.

The agent calls :func:`evaluate_and_report` after the full transcript is written; it
never runs during the conversation. The scorer is the LLM judge when an LLM is
configured (``LLM_PROVIDER=openai``, or ``auto`` with ``OPENAI_API_KEY`` or
``OPENAI_BASE_URL`` set) and the offline scorer otherwise (no network).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from voicehire.domain.intents import FLAGGED, classify
from voicehire.domain.outcome import OUTCOME_LABELS, outcome_for
from voicehire.domain.plan import CompetencyScale, Plan, builtin_competency_scales
from voicehire.domain.transcript import FullTranscript
from voicehire.evaluation.answers import (
    AnswerItem,
    extract_answers,
    plan_from_transcript,
    read_transcript,
)
from voicehire.evaluation.flags import duplicate_text_flags
from voicehire.evaluation.models import (
    AnswerScore,
    CandidateTurn,
    EvaluationResult,
    StageTranscriptView,
)
from voicehire.evaluation.report import ReportPaths, write_report
from voicehire.evaluation.scorer import Scorer
from voicehire.evaluation.summary import summarize
from voicehire.settings import Settings

logger = logging.getLogger(__name__)

__all__ = ["ReportPaths", "evaluate", "evaluate_and_report", "llm_configured", "pick_scorer"]


def llm_configured(settings: Settings) -> bool:
    if settings.llm_provider == "openai":
        return True
    if settings.llm_provider == "policy":
        return False
    return bool(settings.openai_api_key or settings.openai_base_url)


def pick_scorer(settings: Settings) -> Scorer:
    """The LLM judge when an LLM is configured, the offline scorer otherwise."""
    if llm_configured(settings):
        from voicehire.evaluation.llm_judge import LLMJudge

        return LLMJudge.from_settings(settings)
    from voicehire.evaluation.offline import OfflineScorer

    return OfflineScorer()


def _stage_views(full: dict[str, Any]) -> list[StageTranscriptView]:
    views = []
    for st in full.get("stages") or []:
        lines = [
            {
                "isAI": bool(e.get("isAI")),
                "message": str(e.get("message", "")),
                "timestamp": e.get("timestamp"),
                "questionId": e.get("questionId"),
                "kind": e.get("kind", "speech"),
            }
            for e in st.get("conversation") or []
        ]
        views.append(
            StageTranscriptView(
                stage=str(st.get("stage", "")), title=str(st.get("title", "")), lines=lines
            )
        )
    return views


def _candidate_turns(doc: FullTranscript) -> tuple[list[CandidateTurn], list[CandidateTurn]]:
    """Role questions (for the recruiter) and flagged turns, from every stage."""
    questions: list[CandidateTurn] = []
    flagged: list[CandidateTurn] = []
    for stage in doc.stages:
        for e in stage.candidate_lines():
            msg = e.message.strip()
            if e.kind != "speech" or not msg:
                continue
            intent = classify(msg)
            turn = CandidateTurn(
                kind="injection" if intent.injection and intent.is_answer else intent.kind,
                text=msg,
                stage=stage.stage,
                question_id=e.question_id,
                topic=intent.topic,
            )
            if intent.kind == "role_question":
                questions.append(turn)
            elif intent.kind in FLAGGED or intent.injection:
                flagged.append(turn)
    return questions, flagged


def _not_asked(plan: Plan | None, items: list[AnswerItem]) -> list[str]:
    if plan is None:
        return []
    asked = {it.question_id for it in items}
    return [q.id for s in plan.stages for q in s.questions if q.id not in asked]


def _add_anchors(answers: list[AnswerScore], scales: dict[str, CompetencyScale]) -> None:
    for a in answers:
        a.anchors = {
            c: scales[c].anchor(level) for c, level in a.competency_levels.items() if c in scales
        }


async def evaluate(
    full_transcript: dict[str, Any],
    *,
    settings: Settings,
    plan: Plan | None = None,
    scorer: Scorer | None = None,
) -> EvaluationResult:
    """Score every answer of a full transcript and summarise the interview."""
    info = full_transcript.get("sessionInfo") or {}
    plan = plan or plan_from_transcript(full_transcript)
    items = extract_answers(full_transcript, plan)
    duplicates = duplicate_text_flags(items)
    scorer = scorer or pick_scorer(settings)
    status, error = "completed", None
    try:
        answers: list[AnswerScore] = await scorer.score(items)
    except Exception as exc:
        logger.exception(
            "evaluation failed", extra={"interview_id": info.get("interviewId"), "error": str(exc)}
        )
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        answers = [
            AnswerScore(
                question_id=it.question_id,
                stage=it.stage,
                question_text=it.question_text,
                competencies=it.competencies,
                answer_text=it.answer_text,
                status="error" if it.answered else "unanswered",
                error=error if it.answered else None,
            )
            for it in items
        ]
    for a in answers:
        a.flags += duplicates.get(a.question_id, [])
    _add_anchors(answers, plan.scales() if plan else builtin_competency_scales())
    failed = [a for a in answers if a.status == "error"]
    if failed and status == "completed":
        scored = [a for a in answers if a.status == "scored"]
        status = "partial" if scored else "failed"
        error = f"{len(failed)} of {len(answers)} answers could not be scored: {failed[0].error}"
    role_questions, flagged_turns = _candidate_turns(read_transcript(full_transcript))
    answered = sum(1 for it in items if it.answered)
    outcome = outcome_for(info.get("endReason"), asked=len(items), answered=answered)
    interview_flags = [f"{t.kind}: {t.text}" for t in flagged_turns if t.kind != "injection"]
    summary = summarize(
        answers,
        info,
        scorer_kind=scorer.info.kind,
        outcome=outcome,
        interview_flags=interview_flags,
        not_asked=_not_asked(plan, items),
    )
    if status == "failed":
        summary.recommendation = None
        summary.confidence = 0.0
        summary.rationale = f"Evaluation failed, so there is no recommendation ({error})."
    return EvaluationResult(
        interview_id=str(info.get("interviewId") or "unknown"),
        plan_id=str(info.get("planId") or (plan.id if plan else "")),
        role=str(info.get("interviewRole") or ""),
        interview_type=str(info.get("interviewType") or ""),
        participant_name=str(info.get("participantName") or ""),
        end_reason=info.get("endReason"),
        outcome=outcome,
        outcome_label=OUTCOME_LABELS[outcome] if outcome else "",
        candidate_questions=role_questions,
        flagged_turns=flagged_turns,
        flags=interview_flags,
        status=status,
        error=error,
        scorer=scorer.info,
        answers=answers,
        summary=summary,
        stages=_stage_views(full_transcript),
    )


async def evaluate_and_report(
    full_transcript: dict[str, Any],
    *,
    settings: Settings,
    out_dir: Path,
    plan: Plan | None = None,
    scorer: Scorer | None = None,
) -> ReportPaths:
    """Evaluate a finished interview and write ``interview_{id}.json`` and ``.html``
    into ``out_dir``. Returns where they were written. Never raises because the scorer
    failed: the report then carries status ``failed`` and the error."""
    result = await evaluate(full_transcript, settings=settings, plan=plan, scorer=scorer)
    paths = write_report(result, out_dir)
    logger.info(
        "interview report written",
        extra={
            "interview_id": result.interview_id,
            "status": result.status,
            "recommendation": result.summary.recommendation,
            "json": str(paths.json),
            "html": str(paths.html),
        },
    )
    return paths
