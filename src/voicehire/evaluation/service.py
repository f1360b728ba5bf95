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

from voicehire.evaluation.answers import extract_answers, plan_from_transcript
from voicehire.evaluation.models import AnswerScore, EvaluationResult, StageTranscriptView
from voicehire.evaluation.report import ReportPaths, write_report
from voicehire.evaluation.scorer import Scorer
from voicehire.evaluation.summary import summarize
from voicehire.interview.plan import Plan
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
    failed = [a for a in answers if a.status == "error"]
    if failed and status == "completed":
        scored = [a for a in answers if a.status == "scored"]
        status = "partial" if scored else "failed"
        error = f"{len(failed)} of {len(answers)} answers could not be scored: {failed[0].error}"
    summary = summarize(answers, info, scorer_kind=scorer.info.kind)
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
