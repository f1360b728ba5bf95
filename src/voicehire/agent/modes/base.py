"""What the gap-filling and briefing calls share: one ``ModeRuntime`` per call.

Like :class:`voicehire.agent.runtime.InterviewRuntime` for interviews, it owns the call's
session wiring, live captions, the transcript (seed-000 files with a single stage named
after the mode), silence handling, the maximum duration, and the ending: every path
that ends the call goes through :meth:`ModeRuntime.end`, so it happens once and is
recorded once. Subclasses add the mode's agent, tools, lines and result.

The deterministic policies read the runtime (never change it); only tools, timers and
room events do.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import Agent, AgentSession, llm
from livekit.agents.voice.events import (
    ConversationItemAddedEvent,
    UserStateChangedEvent,
)

from voicehire.agent.local_llm import LocalLLM
from voicehire.agent.messages import ControlMessage, MessageSink
from voicehire.agent.recorder import TranscriptRecorder
from voicehire.agent.runtime import RuntimeOptions
from voicehire.agent.session_runtime import IDLE_WAIT, SessionRuntime
from voicehire.interview.config import SessionConfig
from voicehire.interview.transcript import SessionInfo, Utterance, now_ms
from voicehire.storage.transcripts import TranscriptWriteError, TranscriptWriter

logger = logging.getLogger(__name__)

DEFAULT_AGENT_NAME = "Alex"


@dataclass
class ModeOutcome:
    """How a call ended, its transcript and the mode's result document."""

    mode: str
    call_id: str
    end_reason: str
    transcript_path: str | None
    transcript: dict[str, Any] | None
    transcript_error: str | None
    result: dict[str, Any] = field(default_factory=dict)


EndCallback = Callable[[ModeOutcome], Awaitable[None]]


class ModeRuntime(SessionRuntime):
    mode = "mode"
    title = "Call"
    human_role = "candidate"  # who the agent talks to (for logs)

    def __init__(self, *, config: SessionConfig, options: RuntimeOptions | None = None) -> None:
        super().__init__()
        self.config = config
        self.options = options or RuntimeOptions(agent_name=DEFAULT_AGENT_NAME)
        self.call_id = config.interview_id or f"{self.mode.replace('_', '-')}-{now_ms()}"
        self.participant_name = config.candidate_name
        self.recorder: TranscriptRecorder | None = None
        self.outcome: ModeOutcome | None = None
        self._opened = False  # the agent's opening turn has been spoken
        self._silence_count = 0
        self._timers: list[asyncio.Task[Any]] = []
        self._on_end: list[EndCallback] = []
        self.candidate_info: dict[str, Any] = {}

    def log_context(self) -> dict[str, Any]:
        return {"mode": self.mode, "call_id": self.call_id}

    # --- to implement ---------------------------------------------------------------------
    def make_agent(self) -> Agent:
        raise NotImplementedError

    def make_policy(self) -> LocalLLM:
        """The embedded default's deterministic policy, bound to this runtime."""
        raise NotImplementedError

    def opening_instruction(self) -> str:
        raise NotImplementedError

    async def greet(self) -> None:
        """Fixed lines said before the LLM's first turn (none by default)."""

    def nudge_line(self) -> str:
        return "Are you still there?"

    def silence_end(self) -> tuple[str, str]:
        """(end reason, line) when the person stays silent after the nudge."""
        return "unresponsive", "It seems I've lost you. Goodbye!"

    def closing_line(self) -> str:
        return "Thank you. Goodbye!"

    def question_id(self) -> str | None:
        return None

    def time_budget(self) -> float | None:
        """Seconds after which the call closes politely (None: only maxDuration)."""
        return None

    async def finalize(self, reason: str) -> str:
        """Called once when the call ends, before the transcript is stored; returns the
        end reason to record."""
        return reason

    def result(self, transcript: dict[str, Any] | None) -> dict[str, Any]:
        return {}

    def transcript_metadata(self) -> dict[str, Any]:
        return {}

    # --- wiring ---------------------------------------------------------------------------
    @property
    def started(self) -> bool:
        return self.recorder is not None and bool(self.recorder.stages)

    @property
    def awaiting_answer(self) -> bool:
        """True when the call waits for the person to speak (the opening has been said and
        the agent is listening)."""
        if self._ending or not self._opened or self.session is None:
            return False
        return self.session.agent_state == "listening"

    def on_end(self, callback: EndCallback) -> None:
        self._on_end.append(callback)

    def bind_io(self, writer: TranscriptWriter, sink: MessageSink) -> None:
        self.sink = sink
        self.recorder = TranscriptRecorder(
            SessionInfo(
                interview_id=self.call_id,
                participant_name=self.participant_name,
                room_name=self.options.room_name,
                session_type=self.mode,
                plan_id=self.mode,
                role=self.config.interview_role,
                interview_type=self.mode,
            ),
            writer,
        )

    def llm_for(self, engine: llm.LLM) -> llm.LLM:
        """The LLM to run: a cloud or test model as given; the embedded default's
        interviewer policy is swapped for this mode's policy."""
        from voicehire.agent.policy import InterviewerPolicy

        return self.make_policy() if isinstance(engine, InterviewerPolicy) else engine

    def attach(self, session: AgentSession) -> None:
        assert self.recorder is not None, "bind_io() first"
        self.session = session
        session.on("conversation_item_added", self._on_item)
        session.on("user_state_changed", self._on_user_state)
        session.on("close", self._on_close)
        session.on("function_tools_executed", self._on_tools)

    def begin(self) -> Agent:
        """Open the call's single transcript stage and start its timers; returns the agent
        to pass to ``session.start``."""
        assert self.recorder is not None, "bind_io() first"
        self.recorder.open_stage(self.mode, self.title)
        self._timers.append(self.spawn(self._max_duration_timer(self.config.max_duration)))
        budget = self.time_budget()
        if budget is not None:
            self._timers.append(self.spawn(self._budget_timer(budget)))
        logger.info(
            "call started",
            extra={"mode": self.mode, "call_id": self.call_id, "time_budget": budget},
        )
        return self.make_agent()

    async def on_enter(self) -> None:
        """The agent's ``on_enter``: fixed greeting, then the LLM's opening turn."""
        self._publish({"type": "call_started", "mode": self.mode, "timestamp": now_ms()})
        await self.greet()
        if self._ending or self.session is None:
            return
        handle = self.session.generate_reply(instructions=self.opening_instruction())
        self.spawn(self._mark_opened(handle))

    async def _mark_opened(self, handle: Any) -> None:
        with contextlib.suppress(Exception):
            await handle
        self._opened = True

    def _on_item(self, ev: ConversationItemAddedEvent) -> None:
        item = ev.item
        if getattr(item, "type", None) != "message" or item.role not in ("user", "assistant"):
            return
        text = (item.text_content or "").strip()
        if not text or self.recorder is None:
            return
        if item.role == "user":
            self._silence_count = 0
            utt = Utterance(
                role="candidate",
                participant_id=self.options.candidate_identity,
                participant_name=self.participant_name,
                message=text,
                timestamp=now_ms(),
                stage=self.mode,
                question_id=self.question_id(),
            )
        else:
            kind = self._pending_kinds.pop(text, None) or self.agent_line_kind(text)
            utt = Utterance(
                role="agent",
                participant_id=self.options.agent_identity,
                participant_name=self.options.agent_name,
                message=text,
                timestamp=now_ms(),
                stage=self.mode,
                question_id=self.question_id(),
                kind=kind,
            )
        self.recorder.add(utt)
        if self.config.enable_transcription:
            self._publish(utt.to_json())

    def agent_line_kind(self, text: str) -> str:
        return "speech"

    def _on_user_state(self, ev: UserStateChangedEvent) -> None:
        if ev.new_state == "away" and self._opened and not self._ending:
            self.spawn(self._on_silence())

    async def _on_silence(self) -> None:
        if self._ending or self.session is None:
            return
        self._silence_count += 1
        logger.info("silence", extra={"mode": self.mode, "count": self._silence_count})
        if self._silence_count == 1:
            await self.say(self.nudge_line(), kind="nudge")
            if self.session is not None and not self._ending:
                self.session.reset_away_timer()
            return
        reason, line = self.silence_end()
        await self.end(reason, line=line)

    # --- timers ---------------------------------------------------------------------------
    async def _budget_timer(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        if self._ending:
            return
        logger.info("call time budget reached", extra={"mode": self.mode, "budget": seconds})
        await self.wait_idle()
        if not self._ending:
            await self.end("time_up", line=self.closing_line())

    async def _max_duration_timer(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        if not self._ending:
            logger.info("maximum call duration reached", extra={"max_duration": seconds})
            await self.end("max_duration", line=self.closing_line(), wait=5.0)

    # --- tools and control messages -------------------------------------------------------
    def tool_end_call(self, reason: str) -> None:
        # End after the current turn (the goodbye) has been spoken.
        self.spawn(self.end(reason or "completed"))

    async def handle_control(self, message: ControlMessage) -> str:
        """``end_interview`` ends the call, ``candidate_info`` updates the name; the
        interview's ``start_interview`` / ``next_question`` don't apply to this mode."""
        logger.info("control message", extra={"type": message.type, "mode": self.mode})
        if self._ending:
            return "ignored_call_ending"
        if message.type == "end_interview":
            await self.end("manual_end", line=self.closing_line())
            return "ended"
        if message.type == "candidate_info":
            name = message.data.get("name") or message.data.get("candidateName")
            if isinstance(name, str) and name.strip():
                self.participant_name = name.strip()[:200]
                if self.recorder is not None:
                    self.recorder.info.participant_name = self.participant_name
            self.candidate_info.update(message.data)
            return "updated"
        return "not_applicable"

    # --- ending ---------------------------------------------------------------------------
    async def end(
        self, reason: str, *, line: str | None = None, speak: bool = True, wait: float = IDLE_WAIT
    ) -> ModeOutcome:
        """End the call once: closing line, the mode's result, transcripts (blocking, with
        retries), listeners, then close the session. Later calls wait for the first one."""
        if self._ending:
            await self.ended.wait()
            assert self.outcome is not None
            return self.outcome
        self._ending = True
        for timer in self._timers:
            if timer is not asyncio.current_task() and not timer.done():
                timer.cancel()
        if speak and self.session is not None:
            await self.wait_idle(wait)
            if line:
                await self.say(line, kind="goodbye")
        try:
            reason = await self.finalize(reason)
        except Exception:
            logger.exception("finishing the call's result failed", extra={"mode": self.mode})
        self._publish(
            {"type": "interview_ended", "reason": reason, "mode": self.mode, "timestamp": now_ms()}
        )
        path = error = None
        assert self.recorder is not None
        metadata = {"mode": self.mode, "candidateInfo": self.candidate_info}
        metadata.update(self.transcript_metadata())
        try:
            path = await self.recorder.finish(reason, metadata)
        except TranscriptWriteError as exc:
            error = str(exc)
            logger.error("full transcript could not be stored", extra={"error": error})
        transcript = getattr(self.recorder, "full_document", None)
        self.outcome = ModeOutcome(
            mode=self.mode,
            call_id=self.call_id,
            end_reason=reason,
            transcript_path=path,
            transcript=transcript,
            transcript_error=error,
            result=self.result(transcript),
        )
        logger.info(
            "call ended", extra={"mode": self.mode, "call_id": self.call_id, "reason": reason}
        )
        for callback in self._on_end:
            try:
                await callback(self.outcome)
            except Exception:
                logger.exception("end-of-call callback failed")
        self.ended.set()
        if self.session is not None:
            with contextlib.suppress(RuntimeError):
                self.session.shutdown(drain=True)
        return self.outcome


def conversation(transcript: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((transcript or {}).get("fullConversation") or [])
