"""The interview's stage flow: which stage is current, which question is open, which
answers belong to it, and which transitions are allowed.

The agent layer asks this object before it changes anything, so the rules live in one
place: forward only, one stage at a time, or straight to the closing stage; never back,
never to the current stage, never once the interview has ended.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from voicehire.domain.plan import Question, ResolvedPlan, Stage

logger = logging.getLogger(__name__)

FlowState = Literal["not_started", "in_progress", "ended"]


class TransitionError(ValueError):
    """A transition the plan does not allow; the message says which ones are allowed."""


@dataclass
class Transition:
    from_stage: str | None
    to_stage: str
    reason: str
    at: float


@dataclass
class QuestionState:
    question: Question
    asked_at: float
    answers: list[str] = field(default_factory=list)
    follow_ups_used: int = 0


_WORD = re.compile(r"[A-Za-z][A-Za-z+#.\-]*[A-Za-z+#]|[A-Za-z]")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


class InterviewFlow:
    def __init__(self, plan: ResolvedPlan, *, clock: Callable[[], float] = time.monotonic):
        self.plan = plan
        self._clock = clock
        self.state: FlowState = "not_started"
        self.stage_index = -1
        self.transitions: list[Transition] = []
        self.questions: dict[str, QuestionState] = {}
        self._asked_order: dict[str, list[str]] = {}  # stage id -> question ids asked
        self.current_question_id: str | None = None
        self.end_reason: str | None = None
        self.stage_entered_at: float | None = None
        self.stage_answers: dict[str, list[str]] = {}  # candidate text per stage, in order

    # --- stages ---------------------------------------------------------------------------
    @property
    def current_stage(self) -> Stage:
        if self.stage_index < 0:
            raise RuntimeError("the interview has not started")
        return self.plan.stages[self.stage_index]

    @property
    def next_stage(self) -> Stage | None:
        i = self.stage_index + 1
        return self.plan.stages[i] if i < len(self.plan.stages) else None

    @property
    def closing_stage(self) -> Stage:
        return self.plan.stages[-1]

    def start(self) -> Stage:
        if self.state != "not_started":
            raise TransitionError("the interview has already started")
        self.state = "in_progress"
        self._enter(0, "start")
        return self.current_stage

    def allowed_targets(self) -> list[str]:
        if self.state != "in_progress":
            return []
        targets: list[str] = []
        if self.next_stage is not None:
            targets.append(self.next_stage.id)
        if self.current_stage.kind != "closing" and self.closing_stage.id not in targets:
            targets.append(self.closing_stage.id)
        return targets

    def check_transition(self, target: str) -> str | None:
        """None when ``target`` is allowed now; otherwise why not (for the LLM and the log)."""
        if self.state == "not_started":
            return "the interview has not started"
        if self.state == "ended":
            return "the interview has already ended"
        ids = self.plan.stage_ids()
        if target not in ids:
            return f"there is no stage {target!r}; stages are {', '.join(ids)}"
        if target == self.current_stage.id:
            return f"the interview is already in stage {target!r}"
        if ids.index(target) < self.stage_index:
            return f"stage {target!r} is already finished; the interview only moves forward"
        allowed = self.allowed_targets()
        if target not in allowed:
            return (
                f"cannot jump from {self.current_stage.id!r} to {target!r}; "
                f"allowed: {', '.join(allowed)}"
            )
        return None

    def transition(self, target: str, reason: str) -> Stage:
        problem = self.check_transition(target)
        if problem:
            logger.warning(
                "transition refused",
                extra={
                    "from_stage": self.current_stage.id if self.stage_index >= 0 else None,
                    "to_stage": target,
                    "reason": reason,
                    "problem": problem,
                },
            )
            raise TransitionError(problem)
        self._enter(self.plan.stage_ids().index(target), reason)
        return self.current_stage

    def _enter(self, index: int, reason: str) -> None:
        prev = self.plan.stages[self.stage_index].id if self.stage_index >= 0 else None
        self.stage_index = index
        self.current_question_id = None
        self.stage_entered_at = self._clock()
        stage = self.plan.stages[index]
        self.transitions.append(Transition(prev, stage.id, reason, self.stage_entered_at))
        self._asked_order.setdefault(stage.id, [])
        self.stage_answers.setdefault(stage.id, [])
        logger.info(
            "stage transition",
            extra={"from_stage": prev, "to_stage": stage.id, "reason": reason},
        )

    def end(self, reason: str) -> bool:
        """Mark the interview ended; False if it already was (the first reason wins)."""
        if self.state == "ended":
            return False
        self.state = "ended"
        self.end_reason = reason
        logger.info("interview ended", extra={"end_reason": reason})
        return True

    @property
    def stage_elapsed(self) -> float:
        return 0.0 if self.stage_entered_at is None else self._clock() - self.stage_entered_at

    # --- questions and answers ---------------------------------------------------------------
    def remaining_questions(self) -> list[Question]:
        if self.state != "in_progress":
            return []
        asked = set(self._asked_order.get(self.current_stage.id, []))
        return [q for q in self.current_stage.questions if q.id not in asked]

    def next_question(self) -> Question | None:
        """Open the stage's next planned question (None when the stage has no more)."""
        remaining = self.remaining_questions()
        if not remaining:
            return None
        q = remaining[0]
        self.questions[q.id] = QuestionState(q, self._clock())
        self._asked_order[self.current_stage.id].append(q.id)
        self.current_question_id = q.id
        logger.info("question asked", extra={"stage": self.current_stage.id, "question_id": q.id})
        return q

    @property
    def current_question(self) -> QuestionState | None:
        return self.questions.get(self.current_question_id) if self.current_question_id else None

    def next_follow_up(self) -> str | None:
        """The open question's next unused follow-up hint, marking it used."""
        qs = self.current_question
        if qs is None or qs.follow_ups_used >= len(qs.question.follow_ups):
            return None
        hint = qs.question.follow_ups[qs.follow_ups_used]
        qs.follow_ups_used += 1
        return hint

    def record_answer(self, text: str) -> str | None:
        """Attach candidate speech to the open question (if any); returns its id."""
        text = text.strip()
        if not text or self.state != "in_progress":
            return None
        self.stage_answers[self.current_stage.id].append(text)
        qs = self.current_question
        if qs is None:
            return None
        qs.answers.append(text)
        return qs.question.id

    def asked_in_stage(self, stage_id: str) -> list[str]:
        return list(self._asked_order.get(stage_id, []))

    def earlier_answers(self, stage_id: str) -> list[str]:
        return list(self.stage_answers.get(stage_id, []))
