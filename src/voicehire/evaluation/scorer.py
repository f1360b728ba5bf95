"""The scorer interface: answers in, per-answer scores out.

Two implementations: :class:`~voicehire.evaluation.offline.OfflineScorer` (embedded
default, no network) and :class:`~voicehire.evaluation.llm_judge.LLMJudge` (an
OpenAI-compatible model). Both return one :class:`AnswerScore` per item, in order, and
mark unanswered questions ``unanswered`` instead of scoring them.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from voicehire.evaluation.answers import AnswerItem
from voicehire.evaluation.models import AnswerScore, ScorerInfo


@runtime_checkable
class Scorer(Protocol):
    info: ScorerInfo

    async def score(self, items: list[AnswerItem]) -> list[AnswerScore]:
        """Score each answer; never raises for one bad answer (it gets status ``error``)."""
        ...


def unanswered(item: AnswerItem) -> AnswerScore:
    """No score for a question without an answer ("no answer", or skipped on request)."""
    return AnswerScore(
        question_id=item.question_id,
        stage=item.stage,
        question_text=item.question_text,
        competencies=item.competencies,
        answer_text="",
        status="skipped" if item.skipped else "unanswered",
        improvements=[
            "The candidate asked to skip this question."
            if item.skipped
            else "No answer was given to this question."
        ],
    )


def instruction_flags(item: AnswerItem) -> list[str]:
    """Flags for sentences in the answer that were addressed to the grader."""
    return [f"instruction_to_grader_ignored: {sentence}" for sentence in item.answer.dropped]
