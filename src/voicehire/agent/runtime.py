"""One interview in progress: the flow, the timers, the transcripts and the ending.

The stage agents' tools call into this object; so do the timers (stage time budget,
candidate silence, maximum duration), the inbound control messages and the room (the
candidate leaving). Every path that changes the stage goes through
:meth:`InterviewRuntime._enter_stage`, and every path that ends the interview goes
through :meth:`InterviewRuntime.end`, so each happens once and is recorded once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from livekit.agents import Agent, AgentSession, ToolError, llm
from livekit.agents.voice.events import (
    ConversationItemAddedEvent,
    UserStateChangedEvent,
)

from voicehire.agent.messages import ControlMessage, MessageSink
from voicehire.agent.recorder import TranscriptRecorder
from voicehire.agent.session_runtime import IDLE_WAIT, SessionRuntime
from voicehire.agent.stages import QuestionStageAgent, StageAgent
from voicehire.interview import prompts
from voicehire.interview.config import SessionConfig
from voicehire.interview.flow import InterviewFlow, TransitionError
from voicehire.interview.plan import ResolvedPlan, Stage
from voicehire.interview.transcript import SessionInfo, Utterance, now_ms
from voicehire.storage.transcripts import TranscriptWriteError, TranscriptWriter

logger = logging.getLogger(__name__)

EndCallback = Callable[["InterviewOutcome"], Awaitable[None]]

# Silent stages in a row (no answer, nudged, moved on) before the interview gives up.
MAX_SILENT_STAGES = 2


@dataclass
class InterviewOutcome:
    interview_id: str
    end_reason: str
    transcript_path: str | None
    transcript: dict[str, Any] | None
    transcript_error: str | None


@dataclass
class RuntimeOptions:
    silence_timeout: float = 30.0
    agent_identity: str = "interview-agent"
    agent_name: str = "Interviewer"
    candidate_identity: str = "candidate"
    room_name: str = ""


class InterviewRuntime(SessionRuntime):
    def __init__(
        self,
        *,
        config: SessionConfig,
        plan: ResolvedPlan,
        writer: TranscriptWriter,
        sink: MessageSink,
        options: RuntimeOptions | None = None,
    ) -> None:
        super().__init__(sink)
        self.config = config
        self.plan = plan
        self.options = options or RuntimeOptions()
        self.flow = InterviewFlow(plan)
        self.candidate_name = config.candidate_name
        self.candidate_info: dict[str, Any] = {}
        interview_id = config.interview_id or f"local-{now_ms()}"
        self.recorder = TranscriptRecorder(
            SessionInfo(
                interview_id=interview_id,
                participant_name=config.candidate_name,
                room_name=self.options.room_name,
                session_type=config.session_type,
                plan_id=plan.plan.id,
                role=config.interview_role,
                interview_type=config.interview_type,
            ),
            writer,
        )
        self.outcome: InterviewOutcome | None = None
        self._stage_epoch = 0
        self._silence_count = 0
        self._silent_stages = 0
        self._answered_in_stage = False
        self._pending_question: str | None = None
        self._stage_timer: asyncio.Task[None] | None = None
        self._max_timer: asyncio.Task[None] | None = None
        self._on_end: list[EndCallback] = []

    @property
    def interview_id(self) -> str:
        return self.recorder.info.interview_id

    @property
    def started(self) -> bool:
        return self.flow.state != "not_started"

    @property
    def awaiting_answer(self) -> bool:
        """True when the interview waits for the candidate: a question is open (or the
        closing stage asked for their questions) and nothing is being said."""
        if self._ending or self.flow.state != "in_progress" or self.session is None:
            return False
        stage = self.flow.current_stage
        open_question = stage.kind == "closing" or self.flow.current_question_id is not None
        return open_question and self.session.agent_state == "listening"

    def log_context(self) -> dict[str, Any]:
        stage = self.flow.current_stage.id if self.started else None
        return {"interview_id": self.interview_id, "stage": stage}

    def on_end(self, callback: EndCallback) -> None:
        self._on_end.append(callback)

    # --- wiring -----------------------------------------------------------------------------
    def attach(self, session: AgentSession) -> None:
        self.session = session
        session.on("conversation_item_added", self._on_item)
        session.on("user_state_changed", self._on_user_state)
        session.on("close", self._on_close)
        session.on("function_tools_executed", self._on_tools)

    def begin(self) -> Agent:
        """Start the interview: the first stage's agent (pass it to ``session.start`` or
        ``session.update_agent``) and the maximum-duration timer."""
        stage = self.flow.start()
        self.recorder.open_stage(stage.id, stage.title)
        self._max_timer = self.spawn(self._max_duration_timer(self.config.max_duration))
        logger.info(
            "interview started",
            extra={
                "interview_id": self.interview_id,
                "plan": self.plan.plan.id,
                "stages": self.plan.stage_ids(),
                "max_duration": self.config.max_duration,
            },
        )
        return self.make_agent(stage, None)

    def make_agent(self, stage: Stage, chat_ctx: llm.ChatContext | None) -> StageAgent:
        cls = QuestionStageAgent if stage.kind == "questions" else StageAgent
        return cls(self, stage, chat_ctx=chat_ctx)

    def instructions_for(self, stage: Stage) -> str:
        values = self._template_values(stage)
        key = "closing_instructions" if stage.kind == "closing" else "stage_instructions"
        return prompts.render(key, **values)

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
        return prompts.render(key, **self._template_values(stage))

    # --- stage life cycle ---------------------------------------------------------------------
    async def on_stage_entered(self, agent: StageAgent) -> None:
        stage = agent.stage
        epoch = self._stage_epoch
        self._silence_count = 0
        self._answered_in_stage = False
        self._cancel(self._stage_timer)
        self._stage_timer = self.spawn(self._stage_budget_timer(epoch, stage.time_budget))
        ids = self.plan.stage_ids()
        self._publish(
            {
                "type": "stage",
                "stage": stage.id,
                "title": stage.title,
                "index": ids.index(stage.id),
                "total": len(ids),
                "timestamp": now_ms(),
            }
        )
        if stage.kind == "greeting":
            if stage.opening:
                await self.say(self.render_text(stage.opening, stage), kind="greeting")
            if epoch == self._stage_epoch and not self._ending:
                self.spawn(self.advance("greeting_done"))
        elif stage.kind == "closing":
            if stage.opening:
                await self.say(self.render_text(stage.opening, stage), kind="closing")
        else:
            assert self.session is not None
            self.session.generate_reply(instructions=self.render("stage_start_instruction", stage))

    def render_text(self, template: str, stage: Stage | None = None) -> str:
        return " ".join(prompts.fill(template, self._template_values(stage)).split())

    def _enter_stage(self, target: str, reason: str) -> StageAgent:
        """Validate and perform a transition; returns the new stage's agent."""
        self.flow.transition(target, reason)  # raises TransitionError when not allowed
        self._stage_epoch += 1
        self._pending_question = None
        self.recorder.close_stage(reason)
        stage = self.flow.current_stage
        self.recorder.open_stage(stage.id, stage.title)
        chat_ctx = None
        if self.session is not None and self.session.current_agent is not None:
            chat_ctx = self.session.current_agent.chat_ctx.copy(
                exclude_function_call=True, exclude_instructions=True
            )
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
            return prompts.render("no_more_questions", next_stage=nxt.id if nxt else "")
        self._pending_question = q.id
        self.recorder.question_asked(q.id, q.text)
        self._publish({"type": "question", "question": q.text, "timestamp": now_ms()})
        return q.text

    def tool_transition(self, agent: StageAgent, target: str, reason: str) -> Agent:
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

    # --- session events -------------------------------------------------------------------------
    def _on_item(self, ev: ConversationItemAddedEvent) -> None:
        item = ev.item
        if getattr(item, "type", None) != "message" or item.role not in ("user", "assistant"):
            return
        text = (item.text_content or "").strip()
        if not text or self.flow.state == "not_started":
            return
        stage_id = self.flow.current_stage.id
        if item.role == "user":
            question_id = self.flow.record_answer(text)
            self._silence_count = 0
            self._silent_stages = 0
            self._answered_in_stage = True
            utt = Utterance(
                role="candidate",
                participant_id=self.options.candidate_identity,
                participant_name=self.candidate_name,
                message=text,
                timestamp=now_ms(),
                stage=stage_id,
                question_id=question_id,
            )
        else:
            kind = self._pending_kinds.pop(text, None)
            if kind is None:
                # The turn that opens a question may begin with a short lead-in spoken
                # before the tool ran; the question itself is the line that asks.
                if self._pending_question and "?" in text:
                    kind = "question"
                    self._pending_question = None
                else:
                    kind = "speech"
            utt = Utterance(
                role="agent",
                participant_id=self.options.agent_identity,
                participant_name=self.options.agent_name,
                message=text,
                timestamp=now_ms(),
                stage=stage_id,
                question_id=self.flow.current_question_id,
                kind=kind,
            )
        self.recorder.add(utt)
        if self.config.enable_transcription:
            msg = utt.to_json()
            self._publish(msg)

    def _on_user_state(self, ev: UserStateChangedEvent) -> None:
        if ev.new_state == "away" and self.started and not self._ending:
            self.spawn(self._on_silence())

    # --- timers -------------------------------------------------------------------------------
    async def _on_silence(self) -> None:
        if self._ending or self.session is None:
            return
        self._silence_count += 1
        stage = self.flow.current_stage
        logger.info(
            "candidate silent",
            extra={
                "stage": stage.id,
                "count": self._silence_count,
                "silence_timeout": self.options.silence_timeout,
            },
        )
        if self._silence_count == 1:
            await self.say(self.render("nudge"), kind="nudge")
            self.session.reset_away_timer()
            return
        self._silence_count = 0
        if not self._answered_in_stage:
            self._silent_stages += 1
        if self._silent_stages >= MAX_SILENT_STAGES:
            await self.end("candidate_unresponsive", line=self.render("unresponsive"))
        elif stage.kind == "closing":
            await self.end("completed", line=self.render("goodbye"))
        else:
            await self.advance("silence", line=self.render("silence_move_on"))
            if self.session is not None and not self._ending:
                self.session.reset_away_timer()

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

    async def _max_duration_timer(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        if self._ending:
            return
        logger.info("maximum interview duration reached", extra={"max_duration": seconds})
        await self.end("max_duration", line=self.render("max_duration"), wait=5.0)

    # --- control messages -----------------------------------------------------------------------
    async def handle_control(self, message: ControlMessage) -> str:
        """Apply an inbound control message; returns what was done (for logs and tests)."""
        logger.info("control message", extra={"type": message.type})
        if message.type == "start_interview":
            if self.started:
                return "already_started"
            if self.session is None:
                return "no_session"
            self.session.update_agent(self.begin())
            return "started"
        if self._ending:
            return "ignored_interview_ending"
        if message.type == "end_interview":
            await self.end("manual_end", line=self.render("manual_end"))
            return "ended"
        if message.type == "next_question":
            if not self.started:
                return "not_started"
            await self.wait_idle()
            if self.flow.current_stage.kind == "questions" and self.flow.remaining_questions():
                question = self.tool_next_question()
                await self.say(question, kind="question")
                return "asked"
            await self.advance("next_question")
            return "advanced"
        if message.type == "candidate_info":
            name = message.data.get("name") or message.data.get("candidateName")
            if isinstance(name, str) and name.strip():
                self.candidate_name = name.strip()[:200]
                self.recorder.info.participant_name = self.candidate_name
            self.candidate_info.update(message.data)
            return "updated"
        return "unknown"

    # --- ending -----------------------------------------------------------------------------
    async def end(
        self, reason: str, *, line: str | None = None, speak: bool = True, wait: float = IDLE_WAIT
    ) -> InterviewOutcome:
        """End the interview once: say the closing line, store transcripts (with retries),
        notify listeners and close the session. Later calls wait for the first one."""
        if self._ending:
            await self.ended.wait()
            assert self.outcome is not None
            return self.outcome
        self._ending = True
        self.flow.end(reason)
        self._cancel(self._stage_timer)
        if asyncio.current_task() is not self._max_timer:
            self._cancel(self._max_timer)
        if speak and self.session is not None:
            await self.wait_idle(wait)
            if line:
                await self.say(line, kind="goodbye")
        self._publish({"type": "interview_ended", "reason": reason, "timestamp": now_ms()})
        path = error = None
        metadata = {
            "plan": self.plan.plan.model_dump(mode="json"),
            "transitions": [
                {"from": t.from_stage, "to": t.to_stage, "reason": t.reason}
                for t in self.flow.transitions
            ],
            "candidateInfo": self.candidate_info,
        }
        try:
            path = await self.recorder.finish(reason, metadata)
        except TranscriptWriteError as exc:
            error = str(exc)
            logger.error("full transcript could not be stored", extra={"error": error})
        self.outcome = InterviewOutcome(
            interview_id=self.interview_id,
            end_reason=reason,
            transcript_path=path,
            transcript=getattr(self.recorder, "full_document", None),
            transcript_error=error,
        )
        for callback in self._on_end:
            try:
                await callback(self.outcome)
            except Exception:
                logger.exception("end-of-interview callback failed")
        self.ended.set()
        if self.session is not None:
            with contextlib.suppress(RuntimeError):
                self.session.shutdown(drain=True)
        return self.outcome
