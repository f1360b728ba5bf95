"""One conversation in progress, whatever its mode: the single session lifecycle.

attach → begin → utterances → silence and maximum-duration timers → control messages
→ end (stop timers, closing line, finalize, publish, transcript finish, one
:class:`~voicehire.domain.outcome.SessionOutcome`, callbacks, shutdown).

A mode (the interview, a gap-filling call, a briefing) subclasses
:class:`SessionRuntime` and supplies only its hooks: the first agent, the lines it
says, how utterances map to stages and questions, what silence means, and its result.
Every path that ends a session goes through :meth:`SessionRuntime.end`, so it happens
once and is recorded once. The agents' tools reach the runtime as the session's
userdata (``RunContext[SessionRuntime].userdata``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from livekit.agents import Agent, AgentSession, llm
from livekit.agents.voice.events import (
    AgentStateChangedEvent,
    CloseEvent,
    CloseReason,
    ConversationItemAddedEvent,
    FunctionToolsExecutedEvent,
    UserStateChangedEvent,
)

from voicehire.agent.messages import MessageSink
from voicehire.agent.recorder import TranscriptRecorder
from voicehire.domain.config import SessionConfig
from voicehire.domain.messages import (
    ControlMessage,
    InterviewEndedMessage,
    TranscriptionMessage,
    WireModel,
)
from voicehire.domain.outcome import SessionOutcome
from voicehire.domain.transcript import SessionInfo, Utterance, now_ms
from voicehire.logging_setup import bind_context
from voicehire.settings import Settings
from voicehire.storage.transcripts import TranscriptWriteError, TranscriptWriter

logger = logging.getLogger(__name__)

# Seconds to wait for the agent to finish a turn before a timer acts anyway.
IDLE_WAIT = 15.0
BUSY_STATES = ("thinking", "speaking", "initializing")

EndCallback = Callable[[SessionOutcome], Awaitable[None]]


@dataclass
class RuntimeOptions:
    silence_timeout: float = 30.0
    agent_identity: str = "interview-agent"
    agent_name: str = "Interviewer"
    candidate_identity: str = "candidate"
    room_name: str = ""
    # MIN/MAX_ENDPOINTING_DELAY: stages scale them for their answers (speech/turn.py)
    endpointing: tuple[float, float] = (0.5, 3.0)


class Signal:
    """Wakes every waiter each time :meth:`notify` is called (state changed: look again)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, limit: float | None = None) -> bool:
        """True when notified, False when ``limit`` seconds passed first."""
        try:
            await asyncio.wait_for(self._event.wait(), limit)
        except TimeoutError:
            return False
        return True


class SessionRuntime:
    """The shared lifecycle. Subclasses set :attr:`mode` and implement the hooks below."""

    mode: ClassVar[str] = "session"
    title: ClassVar[str] = "Session"
    human_role: ClassVar[str] = "candidate"  # who the agent talks to: "<role>_left"
    no_show_reason: ClassVar[str] = "participant_no_show"  # nobody joined the room

    def __init__(self, *, config: SessionConfig, options: RuntimeOptions | None = None) -> None:
        self.config = config
        self.options = options or RuntimeOptions()
        self.session_id = config.interview_id or f"{self.mode.replace('_', '-')}-{now_ms()}"
        self.person_name = config.candidate_name  # who the agent talks to
        self.candidate_info: dict[str, Any] = {}
        self.session: AgentSession[Any] | None = None
        self.sink: MessageSink | None = None
        self.recorder: TranscriptRecorder | None = None
        # the audio recorder a transport wrapped around the session (enableRecording)
        self.audio_recorder: Any = None
        # LiveKit Egress recording the room (RECORDING_BACKEND=egress), when it started
        self.egress_id: str | None = None
        self.outcome: SessionOutcome | None = None
        self.ended = asyncio.Event()
        self.changed = Signal()  # agent state, conversation or flow changed
        self._ending = False
        self._idle = asyncio.Event()
        self._silence_count = 0
        self.user_turns = 0  # the person's utterances so far
        self._pending_kinds: dict[str, str] = {}  # fixed lines said, by text -> kind
        self._timers: list[asyncio.Task[Any]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._on_end: list[EndCallback] = []

    # --- hooks a mode implements ---------------------------------------------------------
    def session_info(self) -> SessionInfo:
        """The transcript's ``sessionInfo`` (plan, role, type)."""
        return SessionInfo(
            interview_id=self.session_id,
            participant_name=self.person_name,
            room_name=self.options.room_name,
            session_type=self.mode,
            plan_id=self.mode,
            role=self.config.interview_role,
            interview_type=self.mode,
        )

    def start(self) -> Agent:
        """Open the first transcript stage and return the first agent."""
        raise NotImplementedError

    def make_policy(self) -> llm.LLM[Any]:
        """The embedded default's deterministic policy for this mode, bound to this runtime."""
        raise NotImplementedError

    @property
    def accepting_utterances(self) -> bool:
        return self.recorder is not None and self.recorder.current is not None

    @property
    def awaiting_answer(self) -> bool:
        """True when the session waits for the person to speak."""
        return not self._ending and self.agent_state == "listening"

    def stage_id(self) -> str:
        return self.mode

    def answer_question_id(self, text: str) -> str | None:
        """Record a user utterance with the mode's state; returns the question it answers."""
        return None

    def agent_question_id(self) -> str | None:
        return None

    def agent_line_kind(self, text: str) -> str:
        return "speech"

    def silence_is_thinking(self) -> bool:
        """True (once) when the silence follows "let me think": no nudge yet."""
        return False

    def nudge_line(self) -> str:
        return "Are you still there?"

    async def on_silent_again(self) -> None:
        """The person stayed silent after the nudge."""
        await self.end("unresponsive", line="It seems I've lost you. Goodbye!")

    def max_duration_line(self) -> str:
        return "We've reached the time limit. Thank you. Goodbye!"

    async def on_control(self, message: ControlMessage) -> str:
        """Mode-specific control messages (``start_interview``, ``next_question``)."""
        return "not_applicable"

    async def finalize(self, reason: str) -> str:
        """Called once when the session ends, before the transcript is stored; returns the
        end reason to record."""
        return reason

    def transcript_metadata(self) -> dict[str, Any]:
        return {}

    def result(self, transcript: dict[str, Any] | None) -> dict[str, Any]:
        """The mode's result document (a call's fields, a briefing's answers)."""
        return {}

    async def produce_result(self, outcome: SessionOutcome, settings: Settings) -> dict[str, Any]:
        """After the end (off the conversation): the result document to store with the
        session (the API's interview result). Calls write their result file."""
        from voicehire.agent.modes.records import write_result

        write_result(outcome, settings.transcript_dir)
        return outcome.result

    def header(self) -> str:
        """One line introducing the session in the terminal."""
        return f"VoiceHire {self.title.lower()} — {self.person_name}"

    def summary_lines(
        self, outcome: SessionOutcome, result: dict[str, Any], settings: Settings
    ) -> list[str]:
        """What the terminal prints after the session about its result."""
        path = settings.transcript_dir / f"{outcome.mode}_{outcome.session_id}_result.json"
        return [f"result:        {path}"] if result and path.exists() else []

    def log_context(self) -> dict[str, Any]:
        """Fields that identify this conversation in every log line."""
        return {"interview_id": self.session_id, "mode": self.mode}

    # --- wiring ----------------------------------------------------------------------------
    @property
    def ending(self) -> bool:
        """True from the moment the session starts to end (before ``ended`` is set)."""
        return self._ending

    @property
    def started(self) -> bool:
        return self.recorder is not None and bool(self.recorder.stages)

    @property
    def agent_state(self) -> str:
        return self.session.agent_state if self.session is not None else "initializing"

    def on_end(self, callback: EndCallback) -> None:
        self._on_end.append(callback)

    def bind_io(self, writer: TranscriptWriter, sink: MessageSink) -> None:
        """Where transcripts and outbound messages go (set by the session starter)."""
        self.sink = sink
        self.recorder = TranscriptRecorder(self.session_info(), writer)

    def llm_for(self, engine: llm.LLM[Any]) -> llm.LLM[Any]:
        """The LLM to run: a cloud or test model as given; the embedded default's policy
        is replaced by this mode's policy, bound to this runtime."""
        from voicehire.agent.policy import InterviewerPolicy

        return self.make_policy() if isinstance(engine, InterviewerPolicy) else engine

    def attach(self, session: AgentSession[Any]) -> None:
        self.session = session
        bind_context(self.log_context())
        session.on("conversation_item_added", self._on_item)
        session.on("user_state_changed", self._on_user_state)
        session.on("agent_state_changed", self._on_agent_state)
        session.on("close", self._on_close)
        session.on("function_tools_executed", self._on_tools)

    def begin(self) -> Agent:
        """Start the session: the first agent (pass it to ``session.start`` or
        ``session.update_agent``) and the maximum-duration timer."""
        agent = self.start()
        self.start_timer(self._max_duration_timer(self.config.max_duration))
        logger.info("session started", extra={**self.log_context(), **self.start_log()})
        self.changed.notify()
        return agent

    def first_agent(self) -> Agent:
        """What a room session starts with (the interview may wait in a lobby)."""
        return self.begin()

    def start_log(self) -> dict[str, Any]:
        return {"max_duration": self.config.max_duration}

    # --- speech ------------------------------------------------------------------------------
    async def say(self, text: str, *, kind: str = "speech") -> None:
        """Speak a fixed line (not from the LLM); recorded with ``kind`` in the transcript."""
        if self.session is None:
            return
        self._pending_kinds[text] = kind
        try:
            await self.session.say(text, allow_interruptions=kind != "goodbye")
        except RuntimeError as exc:  # session closing
            logger.info("could not speak", extra={"text": text[:80], "error": str(exc)})

    async def wait_idle(self, limit: float = IDLE_WAIT) -> None:
        """Wait until the agent is neither thinking nor speaking (bounded)."""
        if self.session is None or self.session.agent_state not in BUSY_STATES:
            return
        self._idle.clear()
        try:
            await asyncio.wait_for(self._idle.wait(), limit)
        except TimeoutError:
            logger.warning("agent still busy; acting anyway", extra={"waited": limit})

    async def wait_for_turn(self, settle: float = 0.2) -> bool:
        """Wait until the session waits for the person's answer and has for ``settle``
        seconds (not every pause between two sentences). False when it ended instead."""
        while not self.ended.is_set():
            if self.awaiting_answer:
                if not await self.changed.wait(settle):
                    return True
            else:
                # Woken by every state change; the timeout only bounds a missed wake-up.
                await self.changed.wait(1.0)
        return False

    # --- session events -----------------------------------------------------------------------
    def _on_agent_state(self, ev: AgentStateChangedEvent) -> None:
        if ev.new_state not in BUSY_STATES:
            self._idle.set()
        self.changed.notify()

    def _on_item(self, ev: ConversationItemAddedEvent) -> None:
        item = ev.item
        if not isinstance(item, llm.ChatMessage) or item.role not in ("user", "assistant"):
            return
        text = (item.text_content or "").strip()
        if not text or not self.accepting_utterances:
            return
        offset_ms = self.offset_ms(item)
        if item.role == "user":
            self.user_turns += 1
            question_id = self.answer_question_id(text)
            self._silence_count = 0
            utt = Utterance(
                role="candidate",
                participant_id=self.options.candidate_identity,
                participant_name=self.person_name,
                message=text,
                timestamp=now_ms(),
                stage=self.stage_id(),
                question_id=question_id,
                offset_ms=offset_ms,
            )
        else:
            kind = self._pending_kinds.pop(text, None) or self.agent_line_kind(text)
            utt = Utterance(
                role="agent",
                participant_id=self.options.agent_identity,
                participant_name=self.options.agent_name,
                message=text,
                timestamp=now_ms(),
                stage=self.stage_id(),
                question_id=self.agent_question_id(),
                kind=kind,
                offset_ms=offset_ms,
            )
        assert self.recorder is not None
        self.recorder.add(utt)
        if self.config.enable_transcription:
            self.publish(TranscriptionMessage.model_validate(utt.to_json()))
        self.changed.notify()

    def offset_ms(self, item: llm.ChatMessage) -> int | None:
        """When the line began to be spoken (the framework's ``started_speaking_at``, else
        now), in milliseconds from the start of the recording (``recording_started_at``,
        epoch seconds, set when the session is recorded) or else of the session."""
        metrics = getattr(item, "metrics", None) or {}
        spoken = metrics.get("started_speaking_at") or time.time()
        origin = self.recording_started_at()
        if origin is None:
            if self.recorder is None:
                return None
            origin = self.recorder.info.started_at / 1000
        return max(0, round((spoken - origin) * 1000))

    def recording_started_at(self) -> float | None:
        """Epoch seconds at which the session's audio recording started (None when it is
        not recorded): the framework's recorder (rooms) or the one the transport wrapped
        around the session (browser, terminal)."""
        recorder = self.audio_recorder or getattr(self.session, "_recorder_io", None)
        started = getattr(recorder, "recording_started_at", None) if recorder else None
        return float(started) if isinstance(started, int | float) else None

    def _on_user_state(self, ev: UserStateChangedEvent) -> None:
        if ev.new_state == "away" and self.started and not self._ending:
            self.spawn(self._on_silence())

    async def _on_silence(self) -> None:
        if self._ending or self.session is None:
            return
        self._silence_count += 1
        logger.info(
            "person silent",
            extra={
                **self.log_context(),
                "count": self._silence_count,
                "silence_timeout": self.options.silence_timeout,
            },
        )
        if self._silence_count == 1 and self.silence_is_thinking():
            # The person said they were thinking: wait once more instead of nudging.
            self._silence_count = 0
            if self.session is not None and not self._ending:
                self.session.reset_away_timer()
            return
        if self._silence_count == 1:
            await self.say(self.nudge_line(), kind="nudge")
            if self.session is not None and not self._ending:
                self.session.reset_away_timer()
            return
        self._silence_count = 0
        await self.on_silent_again()

    def _on_tools(self, ev: FunctionToolsExecutedEvent) -> None:
        for call, output in zip(ev.function_calls, ev.function_call_outputs, strict=False):
            error = output is not None and output.is_error
            (logger.warning if error else logger.info)(
                "tool call",
                extra={
                    **self.log_context(),
                    "tool": call.name,
                    "arguments": call.arguments,
                    "error": output.output if error and output is not None else None,
                },
            )
        self.changed.notify()

    def _on_close(self, ev: CloseEvent) -> None:
        if self._ending:
            return
        reason = {
            CloseReason.PARTICIPANT_DISCONNECTED: f"{self.human_role}_left",
            CloseReason.ERROR: "error",
            CloseReason.JOB_SHUTDOWN: "job_shutdown",
        }.get(ev.reason, "session_closed")
        if ev.error is not None:
            logger.error(
                "session closed on error", extra={**self.log_context(), "error": repr(ev.error)}
            )
        self.spawn(self.end(reason, speak=False))

    # --- timers ---------------------------------------------------------------------------
    def start_timer(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        """A timer task, cancelled when the session ends."""
        task = self.spawn(coro)
        self._timers.append(task)
        return task

    async def _max_duration_timer(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        if self._ending:
            return
        logger.info("maximum duration reached", extra={"max_duration": seconds})
        await self.end("max_duration", line=self.max_duration_line(), wait=5.0)

    # --- control messages -----------------------------------------------------------------
    async def handle_control(self, message: ControlMessage) -> str:
        """Apply an inbound control message; returns what was done (for logs and tests)."""
        logger.info("control message", extra={**self.log_context(), "type": message.type})
        if message.type == "start_interview":
            return await self.on_control(message)
        if self._ending:
            return "ignored_session_ending"
        if message.type == "end_interview":
            await self.end("manual_end", line=self.manual_end_line())
            return "ended"
        if message.type == "candidate_info":
            self.update_candidate_info(message.data)
            return "updated"
        return await self.on_control(message)

    def manual_end_line(self) -> str:
        return "Thank you. Goodbye!"

    def update_candidate_info(self, data: dict[str, Any]) -> None:
        """Extra facts about the candidate from the front end. The name is the server's
        (room metadata / API): a candidate_info message only fills it when none was set."""
        name = data.get("name") or data.get("candidateName")
        if (
            isinstance(name, str)
            and name.strip()
            and self.config.candidate_name == SessionConfig().candidate_name
            and self.person_name == self.config.candidate_name
        ):
            self.person_name = name.strip()[:200]
            if self.recorder is not None:
                self.recorder.info.participant_name = self.person_name
        self.candidate_info.update(data)

    # --- ending -----------------------------------------------------------------------------
    async def end(
        self, reason: str, *, line: str | None = None, speak: bool = True, wait: float = IDLE_WAIT
    ) -> SessionOutcome:
        """End the session once: closing line, the mode's result, transcripts (blocking,
        with retries), listeners, then close the session. Later calls wait for the first."""
        if self._ending:
            await self.ended.wait()
            assert self.outcome is not None
            return self.outcome
        self._ending = True
        self.changed.notify()
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
            logger.exception("finishing the session's result failed", extra=self.log_context())
        self.publish(
            InterviewEndedMessage(reason=reason, mode=self.ended_message_mode(), timestamp=now_ms())
        )
        path = error = None
        metadata: dict[str, Any] = {"candidateInfo": self.candidate_info, "usage": self.usage()}
        if self.egress_id is not None:  # the recording is LiveKit Egress's (RECORDING_BACKEND)
            metadata["recording"] = {"backend": "egress", "egressId": self.egress_id}
        metadata.update(self.transcript_metadata())
        assert self.recorder is not None, "bind_io() first"
        try:
            path = await self.recorder.finish(reason, metadata)
        except TranscriptWriteError as exc:
            error = str(exc)
            logger.error("full transcript could not be stored", extra={"error": error})
        transcript = self.recorder.full_document
        self.outcome = SessionOutcome(
            mode=self.mode,
            session_id=self.session_id,
            end_reason=reason,
            transcript_path=path,
            transcript=transcript,
            transcript_error=error,
            result=self.result(transcript),
        )
        logger.info("session ended", extra={**self.log_context(), "reason": reason})
        for callback in self._on_end:
            try:
                await callback(self.outcome)
            except Exception:
                logger.exception("end-of-session callback failed", extra=self.log_context())
        self.ended.set()
        self.changed.notify()
        if self.session is not None:
            with contextlib.suppress(RuntimeError):
                self.session.shutdown(drain=True)
        return self.outcome

    def ended_message_mode(self) -> str | None:
        return self.mode

    def usage(self) -> list[dict[str, Any]]:
        """What the session's models used (tokens, characters, audio seconds), per model."""
        if self.session is None:
            return []
        try:
            return [u.model_dump(mode="json") for u in self.session.usage.model_usage]
        except Exception as exc:  # usage is informative; never lose a transcript over it
            logger.warning("session usage unavailable", extra={"error": repr(exc)})
            return []

    # --- helpers ------------------------------------------------------------------------------
    def publish(self, message: WireModel) -> None:
        if self.sink is not None:
            self.spawn(self.sink.send(message.to_wire()))

    def spawn(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        """Run ``coro`` in the background; its failure is logged, never lost."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error(
                "background task failed", exc_info=task.exception(), extra=self.log_context()
            )

    @staticmethod
    def cancel(task: asyncio.Task[Any] | None) -> None:
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()


def runtime_options(
    settings: Settings, *, agent_name: str, identity: str | None = None, room_name: str = ""
) -> RuntimeOptions:
    return RuntimeOptions(
        silence_timeout=settings.silence_timeout,
        agent_identity=identity or settings.agent_identity,
        agent_name=agent_name,
        room_name=room_name,
        endpointing=(settings.min_endpointing_delay, settings.max_endpointing_delay),
    )
