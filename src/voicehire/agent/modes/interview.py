"""The interview mode: the plan's stages, one LiveKit ``Agent`` per stage.

The stage agents' tools call into :class:`InterviewRuntime` (the session's userdata);
so do the timers (stage time budget, candidate silence, maximum duration) and the
inbound control messages. Every path that changes the stage goes through
:meth:`InterviewRuntime._enter_stage`; ending is the shared
:meth:`~voicehire.agent.runtime.SessionRuntime.end`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any

from livekit.agents import Agent, ToolError, llm
from pydantic import ValidationError

from voicehire.agent.launch import Mode, SessionRequest
from voicehire.agent.runtime import RuntimeOptions, SessionRuntime, runtime_options
from voicehire.agent.speech.turn import stage_endpointing
from voicehire.agent.stages import LobbyAgent, QuestionStageAgent, StageAgent
from voicehire.domain import prompts
from voicehire.domain.config import SessionConfig
from voicehire.domain.flow import InterviewFlow, TransitionError
from voicehire.domain.intents import ROLE_TOPICS, RoleAnswer, answer_role_question, classify
from voicehire.domain.messages import ControlMessage, QuestionMessage, StageMessage
from voicehire.domain.outcome import SessionOutcome
from voicehire.domain.plan import (
    BUILTIN_PLANS,
    PlanError,
    ResolvedPlan,
    Stage,
    load_plan,
    plan_for_session,
)
from voicehire.domain.question_bank import JobProfile
from voicehire.domain.transcript import SessionInfo, now_ms
from voicehire.settings import Settings
from voicehire.storage.objects import REPORTS, store_file

logger = logging.getLogger(__name__)

# Silent stages in a row (no answer, nudged, moved on) before the interview gives up.
MAX_SILENT_STAGES = 2
# A candidate's ``next_question`` (a page's or a room participant's control message) only
# skips what has been open a while: a question answered, or waited on this many seconds
# (a stage without questions: entered this long ago) ...
NEXT_QUESTION_MIN_WAIT = 20.0
# ... and at most once per this many seconds, so repeating it cannot skip to the end.
NEXT_QUESTION_INTERVAL = 30.0


def _now() -> float:
    return time.monotonic()


def resolve_plan(
    settings: Settings, config: SessionConfig, plan: str | None = None
) -> ResolvedPlan:
    """This session's plan: ``plan`` (the operator's: a built-in name or a file) or the
    metadata's, questions chosen by role and type, stage budgets from the timing
    settings (SELF_INTRO_TIMEOUT, ...). Metadata comes from outside, so it may only name
    a built-in plan: a path there would open any readable file on this machine."""
    if plan is None and config.plan is not None and config.plan not in BUILTIN_PLANS:
        raise PlanError(
            f"the session metadata may only name a built-in plan ({', '.join(BUILTIN_PLANS)}); "
            "plan files are chosen by the operator (voicehire interview --plan FILE)"
        )
    loaded = load_plan(
        plan or plan_for_session(config.plan, config.interview_type), config.language
    )
    job = config.extra.get("job")
    return loaded.resolve(
        role=config.interview_role,
        interview_type=config.interview_type,
        job=_job_profile(job),
        language=prompts.locale(config.language),
        timing={
            "self_intro_timeout": settings.self_intro_timeout,
            "past_experience_timeout": settings.past_experience_timeout,
        },
    )


def _job_profile(job: Any) -> JobProfile | None:
    """The job in the metadata, for choosing questions; a malformed one is logged and
    ignored (the plan's own question selection by role applies)."""
    if not isinstance(job, dict):
        return None
    try:
        return JobProfile.model_validate(job)
    except ValidationError as exc:
        logger.warning("job in the metadata is unusable, choosing questions by role: %s", exc)
        return None


def resolve_plan_or_default(
    settings: Settings, config: SessionConfig, plan: str | None = None
) -> tuple[ResolvedPlan, str | None]:
    """The session's plan, or the built-in ``full`` plan with the problem described (a
    room job never fails on bad metadata)."""
    try:
        return resolve_plan(settings, config, plan), None
    except PlanError as exc:
        problem = f"plan {config.plan or plan!r} unusable ({exc}); using the built-in 'full' plan"
        fallback = load_plan("full", config.language).resolve(
            role=config.interview_role,
            interview_type=config.interview_type,
            language=prompts.locale(config.language),
        )
        return fallback, problem


class InterviewRuntime(SessionRuntime):
    mode = "ai_interview"
    title = "Interview"
    no_show_reason = "candidate_no_show"

    def __init__(self, *, config: SessionConfig, plan: ResolvedPlan, **kwargs: Any) -> None:
        super().__init__(config=config, **kwargs)
        if config.interview_id is None:
            self.session_id = f"local-{now_ms()}"
        self.plan = plan
        self.flow = InterviewFlow(plan)
        self._stage_epoch = 0
        self._silent_stages = 0
        self._answered_in_stage = False
        # the closing stage asked for the candidate's questions (its opening line was said)
        self._closing_asked = False
        self._pending_question: str | None = None
        self._stage_timer: asyncio.Task[None] | None = None
        self._thinking = False
        # when the current question (or stage) opened, whether it was answered since, and
        # when the candidate last skipped (the next_question control message's limits)
        self._open_since: float | None = None
        self._answered_open = False
        self._last_skip: float | None = None
        self.next_question_min_wait = NEXT_QUESTION_MIN_WAIT
        self.next_question_interval = NEXT_QUESTION_INTERVAL

    @property
    def interview_id(self) -> str:
        return self.session_id

    @property
    def candidate_name(self) -> str:
        return self.person_name

    @property
    def language(self) -> str:
        """The interview's locale (``es``, ``fr``; ``en`` for languages without one)."""
        return prompts.locale(self.config.language)

    # --- hooks -------------------------------------------------------------------------------
    def session_info(self) -> SessionInfo:
        return SessionInfo(
            interview_id=self.session_id,
            participant_name=self.person_name,
            room_name=self.options.room_name,
            session_type=self.config.session_type,
            plan_id=self.plan.plan.id,
            role=self.config.interview_role,
            interview_type=self.config.interview_type,
        )

    def make_policy(self) -> llm.LLM[Any]:
        from voicehire.agent.policy import InterviewerPolicy

        policy = InterviewerPolicy()
        policy.bind(self)
        return policy

    def start(self) -> Agent:
        stage = self.flow.start()
        assert self.recorder is not None, "bind_io() first"
        self.recorder.open_stage(stage.id, stage.title)
        return self.make_agent(stage, None)

    def first_agent(self) -> Agent:
        """What the session starts with: a silent lobby when the front end will send
        ``start_interview`` (``waitForStart``), else the first stage."""
        return LobbyAgent() if self.config.wait_for_start else self.begin()

    def start_log(self) -> dict[str, Any]:
        return {
            "plan": self.plan.plan.id,
            "stages": self.plan.stage_ids(),
            "max_duration": self.config.max_duration,
        }

    @property
    def started(self) -> bool:
        return self.flow.state != "not_started"

    @property
    def accepting_utterances(self) -> bool:
        return self.started

    @property
    def awaiting_answer(self) -> bool:
        """True when the interview waits for the candidate: a question is open (or the
        closing stage asked for their questions) and nothing is being said. Not in the pause
        between entering the closing stage and saying its line: a candidate told to speak
        then would be talking over the interviewer, and the page's half-duplex microphone
        would lose the answer."""
        if self._ending or self.flow.state != "in_progress" or self.session is None:
            return False
        stage = self.flow.current_stage
        open_question = (
            stage.kind == "closing" and self._closing_asked
        ) or self.flow.current_question_id is not None
        return open_question and self.session.agent_state == "listening"

    def log_context(self) -> dict[str, Any]:
        stage = self.flow.current_stage.id if self.started else None
        return {"interview_id": self.session_id, "stage": stage}

    def stage_id(self) -> str:
        return self.flow.current_stage.id

    def answer_question_id(self, text: str) -> str | None:
        self._silent_stages = 0
        self._answered_open = True
        self._answered_in_stage = True
        intent = classify(text, self.language)
        self._thinking = intent.kind == "thinking"
        if not intent.is_answer:
            # A repeat request, a skip, a question about the role, an injection attempt
            # (declined, like off-topic turns)...: kept in the transcript under the open
            # question (the report flags it), never remembered as an answer (so the
            # interviewer cannot quote it back as "you mentioned earlier that...").
            return self.flow.current_question_id
        return self.flow.record_answer(text)

    def silence_is_thinking(self) -> bool:
        thinking, self._thinking = self._thinking, False
        return thinking

    @property
    def job_facts(self) -> dict[str, Any]:
        """What the job record says (metadata ``job``), for the candidate's questions."""
        job = self.config.extra.get("job")
        facts = dict(job) if isinstance(job, dict) else {}
        facts.setdefault("title", self.config.interview_role)
        return facts

    def role_answer(self, topic: str) -> RoleAnswer:
        """Answer a question about the role from the job record, or defer it honestly
        (deferred questions are listed in the report from the transcript)."""
        known = topic if topic in ROLE_TOPICS else "other"
        answer = answer_role_question(known, self.job_facts, self.language)  # type: ignore[arg-type]
        logger.info(
            "candidate asked about the role",
            extra={**self.log_context(), "topic": known, "deferred": answer.deferred},
        )
        return answer

    def agent_question_id(self) -> str | None:
        return self.flow.current_question_id

    def agent_line_kind(self, text: str) -> str:
        # The turn that opens a question may begin with a short lead-in spoken before the
        # tool ran; the question itself is the line that asks.
        if self._pending_question and "?" in text:
            self._pending_question = None
            return "question"
        return "speech"

    def nudge_line(self) -> str:
        return self.render("nudge")

    def max_duration_line(self) -> str:
        return self.render("max_duration")

    def manual_end_line(self) -> str:
        return self.render("manual_end")

    def ended_message_mode(self) -> str | None:
        return None  # the seed's interview_ended message has no mode

    async def on_silent_again(self) -> None:
        if not self._answered_in_stage:
            self._silent_stages += 1
        if self._silent_stages >= MAX_SILENT_STAGES:
            await self.end("candidate_unresponsive", line=self.render("unresponsive"))
        elif self.flow.current_stage.kind == "closing":
            await self.end("completed", line=self.render("goodbye"))
        else:
            await self.advance("silence", line=self.render("silence_move_on"))
            if self.session is not None and not self._ending:
                self.session.reset_away_timer()

    async def finalize(self, reason: str) -> str:
        self.flow.end(reason)
        self.cancel(self._stage_timer)
        return reason

    def transcript_metadata(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "plan": self.plan.plan.model_dump(mode="json"),
            "transitions": [
                {"from": t.from_stage, "to": t.to_stage, "reason": t.reason}
                for t in self.flow.transitions
            ],
        }

    async def produce_result(self, outcome: SessionOutcome, settings: Settings) -> dict[str, Any]:
        """The evaluation (scored after the goodbye), with its report in REPORT_DIR."""
        if not outcome.transcript:
            return {}
        from voicehire.evaluation.report import write_report
        from voicehire.evaluation.service import evaluate

        transcript, plan = outcome.transcript, self.plan.plan

        def score() -> tuple[dict[str, Any], list[Path]]:  # CPU-bound: off the event loop
            result = asyncio.run(evaluate(transcript, settings=settings, plan=plan))
            paths = write_report(result, settings.report_dir)
            return result.model_dump(mode="json"), [paths.json, paths.html]

        data, files = await asyncio.to_thread(score)
        for path in files:  # to TRANSCRIPT_BUCKET too, when one is set
            await store_file(settings, f"{REPORTS}/{path.name}", path)
        return data

    def header(self) -> str:
        return (
            f"VoiceHire interview — plan '{self.plan.plan.id}' "
            f"({' → '.join(self.plan.stage_ids())}), role {self.config.interview_role}, "
            f"candidate {self.candidate_name}"
        )

    def summary_lines(
        self, outcome: SessionOutcome, result: dict[str, Any], settings: Settings
    ) -> list[str]:
        lines = []
        if outcome.transcript:
            info = outcome.transcript["sessionInfo"]
            turns = len(outcome.transcript["fullConversation"])
            lines.append(
                f"summary:       {info['totalStages']} stages, {turns} turns, "
                f"{json.dumps(info['durationSeconds'])}s"
            )
        summary = result.get("summary") or {}
        if summary.get("overall_score") is not None:
            lines.append(
                f"evaluation:    overall {summary['overall_score']:.1f}/10, "
                f"recommendation {summary.get('recommendation')}"
            )
        if result:
            from voicehire.evaluation.report import report_stem

            stem = settings.report_dir / report_stem(self.session_id)
            lines.append(f"report (HTML): {stem.with_suffix('.html').resolve()}")
            lines.append(f"report (JSON): {stem.with_suffix('.json').resolve()}")
        return lines

    # --- prompts -------------------------------------------------------------------------------
    def make_agent(self, stage: Stage, chat_ctx: llm.ChatContext | None) -> StageAgent:
        cls = QuestionStageAgent if stage.kind == "questions" else StageAgent
        endpointing = stage_endpointing(*self.options.endpointing, stage.answer_style)
        return cls(
            stage,
            instructions=self.instructions_for(stage),
            chat_ctx=chat_ctx,
            endpointing=endpointing,
        )

    def instructions_for(self, stage: Stage) -> str:
        values = self._template_values(stage)
        key = "closing_instructions" if stage.kind == "closing" else "stage_instructions"
        return prompts.render(key, lang=self.language, **values)

    def _template_values(self, stage: Stage | None = None) -> dict[str, Any]:
        plan = self.plan.plan
        values: dict[str, Any] = {
            "candidate_name": self.candidate_name,
            "interviewer_name": plan.interviewer_name,
            "role": self.config.interview_role,
            "interview_type": self.config.interview_type,
            "minutes": max(1, round(self.config.max_duration / 60)),
            "stage_order": " → ".join(self.plan.stage_ids()),
        }
        values["persona"] = prompts.fill(plan.persona, values)
        if stage is not None:
            ids = self.plan.stage_ids()
            i = ids.index(stage.id)
            hints = [h for q in stage.questions for h in q.follow_ups]
            values.update(
                stage_id=stage.id,
                stage_title=stage.title,
                stage_goal=stage.goal or stage.title,
                next_stage=ids[i + 1] if i + 1 < len(ids) else "",
                follow_up_hints="; ".join(hints) if hints else "ask them to be specific",
            )
        return values

    def render(self, key: str, stage: Stage | None = None) -> str:
        return prompts.render(key, lang=self.language, **self._template_values(stage))

    def render_text(self, template: str, stage: Stage | None = None) -> str:
        return " ".join(prompts.fill(template, self._template_values(stage)).split())

    # --- stage life cycle ---------------------------------------------------------------------
    async def on_stage_entered(self, agent: StageAgent) -> None:
        stage = agent.stage
        epoch = self._stage_epoch
        self._silence_count = 0
        self._answered_in_stage = False
        self._closing_asked = False
        self.cancel(self._stage_timer)
        self._stage_timer = self.start_timer(self._stage_budget_timer(epoch, stage.time_budget))
        ids = self.plan.stage_ids()
        self.publish(
            StageMessage(
                stage=stage.id,
                title=stage.title,
                index=ids.index(stage.id),
                total=len(ids),
                timestamp=now_ms(),
            )
        )
        self.changed.notify()
        if stage.kind == "greeting":
            if stage.opening:
                await self.say(self.render_text(stage.opening, stage), kind="greeting")
            if epoch == self._stage_epoch and not self._ending:
                self.spawn(self.advance("greeting_done"))
        elif stage.kind == "closing":
            if stage.opening:
                await self.say(self.render_text(stage.opening, stage), kind="closing")
            if epoch == self._stage_epoch:
                self._closing_asked = True
                self.changed.notify()
        else:
            assert self.session is not None
            self.session.generate_reply(instructions=self.render("stage_start_instruction", stage))

    def _enter_stage(self, target: str, reason: str) -> StageAgent:
        """Validate and perform a transition; returns the new stage's agent."""
        self.flow.transition(target, reason)  # raises TransitionError when not allowed
        self._stage_epoch += 1
        self._pending_question = None
        self._opened()
        assert self.recorder is not None
        self.recorder.close_stage(reason)
        stage = self.flow.current_stage
        self.recorder.open_stage(stage.id, stage.title)
        chat_ctx = None
        if self.session is not None and self.session.current_agent is not None:
            chat_ctx = self.session.current_agent.chat_ctx.copy(
                exclude_function_call=True, exclude_instructions=True
            )
        self.changed.notify()
        return self.make_agent(stage, chat_ctx)

    async def advance(self, reason: str, line: str | None = None) -> None:
        """Move to the next stage from outside the LLM (greeting done, timeouts, silence)."""
        epoch = self._stage_epoch
        await self.wait_idle()
        if self._ending or epoch != self._stage_epoch:
            return  # something else moved the interview on meanwhile
        nxt = self.flow.next_stage
        if nxt is None:
            await self.end("completed")
            return
        if line:
            await self.say(line, kind="notice")
            if self._ending or epoch != self._stage_epoch:
                return
        agent = self._enter_stage(nxt.id, reason)
        assert self.session is not None
        self.session.update_agent(agent)

    # --- tools ------------------------------------------------------------------------------
    def tool_next_question(self) -> str:
        q = self.flow.next_question()
        if q is None:
            nxt = self.flow.next_stage
            next_stage = nxt.id if nxt else ""
            return prompts.render("no_more_questions", lang=self.language, next_stage=next_stage)
        self._pending_question = q.id
        self._opened()
        assert self.recorder is not None
        self.recorder.question_asked(q.id, q.text)
        self.publish(QuestionMessage(question=q.text, timestamp=now_ms()))
        self.changed.notify()
        return q.text

    def tool_transition(self, target: str, reason: str) -> Agent:
        if self._ending:
            raise ToolError("the interview is ending; no more transitions")
        try:
            return self._enter_stage(target, reason or "llm")
        except TransitionError as exc:
            raise ToolError(f"transition refused: {exc}") from None

    def tool_end_interview(self, reason: str) -> None:
        reason = reason if reason in ("completed", "candidate_request") else "completed"
        # End after the current turn (the goodbye) has been spoken.
        self.spawn(self.end(reason))

    # --- timers -------------------------------------------------------------------------------
    async def _stage_budget_timer(self, epoch: int, budget: float) -> None:
        await asyncio.sleep(budget)
        if self._ending or epoch != self._stage_epoch:
            return
        stage = self.flow.current_stage
        logger.info("stage time budget reached", extra={"stage": stage.id, "budget": budget})
        if stage.kind == "closing":
            await self.wait_idle()
            if not self._ending and epoch == self._stage_epoch:
                await self.end("completed", line=self.render("goodbye"))
        else:
            await self.advance("time_budget", line=self.render("time_up_move_on"))

    # --- control messages -----------------------------------------------------------------------
    def _opened(self) -> None:
        self._open_since = _now()
        self._answered_open = False

    def _skip_refused(self, now: float) -> str | None:
        """Why a candidate's ``next_question`` may not skip now (None: it may): once per
        ``next_question_interval``, and only what was answered or waited on for
        ``next_question_min_wait`` seconds."""
        if self._last_skip is not None and now - self._last_skip < self.next_question_interval:
            return "rate_limited"
        if not self._answered_open and (
            self._open_since is None or now - self._open_since < self.next_question_min_wait
        ):
            return "too_soon"
        return None

    async def on_control(self, message: ControlMessage) -> str:
        if message.type == "start_interview":
            if self.started:
                return "already_started"
            if self.session is None:
                return "no_session"
            self.session.update_agent(self.begin())
            return "started"
        if message.type == "next_question":
            if not self.started:
                return "not_started"
            refused = self._skip_refused(_now())
            if refused is not None:
                logger.info("next_question refused", extra={**self.log_context(), "why": refused})
                return refused
            self._last_skip = _now()
            await self.wait_idle()
            if self.flow.current_stage.kind == "questions" and self.flow.remaining_questions():
                question = self.tool_next_question()
                await self.say(question, kind="question")
                return "asked"
            await self.advance("next_question")
            return "advanced"
        return "unknown"


def interview_runtime(
    settings: Settings,
    config: SessionConfig,
    plan: ResolvedPlan,
    options: RuntimeOptions | None = None,
) -> InterviewRuntime:
    """An interview runtime for ``plan`` (the interviewer speaks with the plan's name)."""
    return InterviewRuntime(
        config=config,
        plan=plan,
        options=options or runtime_options(settings, agent_name=plan.plan.interviewer_name),
    )


async def build(request: SessionRequest) -> InterviewRuntime:
    if request.lenient:
        plan, problem = resolve_plan_or_default(request.settings, request.config, request.plan)
        if problem:
            request.problems.append(problem)
            logger.error("invalid session metadata", extra={"problem": problem})
    else:
        plan = resolve_plan(request.settings, request.config, request.plan)
    return interview_runtime(
        request.settings,
        request.config,
        plan,
        request.options(plan.plan.interviewer_name),
    )


MODE = Mode(name="ai_interview", label="Interview", build=build)
