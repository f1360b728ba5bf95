"""One live session per room inside ``voicehire serve``, and the page attached to it.

Outbound data messages (captions, questions, stage progress, the end) are numbered and
kept, so a page that reconnects asks for everything after the last number it saw and
loses no line of the transcript. Numbers belong to a server *epoch*: after a restart
the page is told the epoch changed and starts again from the session's first message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from livekit.agents.voice.transcription import TranscriptSynchronizer

from voicehire.agent.engines import Engines, build_engines
from voicehire.agent.launch import SessionRequest, build_runtime
from voicehire.agent.local_run import LocalRun, start_local
from voicehire.agent.modes import UnknownMode, mode_for
from voicehire.domain.config import SessionConfig, parse_session_config
from voicehire.domain.messages import (
    AgentStateFrame,
    ControlMessageError,
    DataFrame,
    ErrorFrame,
    SessionFrame,
    StageMessage,
    StartedFrame,
    TurnFrame,
    UserStateFrame,
    WireModel,
    data_message_adapter,
    parse_control_message,
)
from voicehire.domain.outcome import SessionOutcome
from voicehire.settings import Settings
from voicehire.storage.objects import transcript_store
from voicehire.web.local.audio import BrowserAudioInput, BrowserAudioOutput, BrowserCaptionOutput

logger = logging.getLogger(__name__)

# Seconds a finished session stays in memory for pages that reconnect late.
ENDED_KEPT = 600.0
# Seconds the agent must stay listening before the page is told it is the candidate's turn.
TURN_SETTLE = 0.25
# Answers waiting while the agent still handles an earlier one (more are refused).
MAX_QUEUED_ANSWERS = 3
# What a recruiter watching the session is sent (never audio, turns or errors meant for
# the candidate's page).
WATCHED_FRAMES = frozenset({"session", "data", "agent_state", "user_state", "caption"})
# Seconds between keep-alive comments on a watcher's event stream.
WATCH_KEEPALIVE = 15.0

EngineFactory = Callable[[Settings, bool], Engines]


def default_engines(settings: Settings, hearing: bool) -> Engines:
    return build_engines(settings, audio_in=hearing, audio_out=True)


CANCELLED = "The hiring team has cancelled this interview. You can close this page."


class TransportError(RuntimeError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Connection:
    ws: Any
    queue: asyncio.Queue[tuple[str, Any] | None] = field(default_factory=asyncio.Queue)
    writer: asyncio.Task[None] | None = None


class LiveSession:
    """One session running in this process, and the page currently attached to it."""

    cancelled = False  # the hiring team cancelled the interview (it may not start)

    def __init__(self, manager: LiveSessionManager, room: str, interview_id: str) -> None:
        self.manager = manager
        self.room = room
        self.interview_id = interview_id
        self.run: LocalRun | None = None
        self.config: SessionConfig | None = None
        self.log: list[DataFrame] = []
        self.conn: Connection | None = None
        self.agent_state = "initializing"
        self.user_state = "listening"
        self.stage: StageMessage | None = None
        self.ended_reason: str | None = None
        self.mic: BrowserAudioInput | None = None
        self.speaker: BrowserAudioOutput | None = None
        self.hearing = False
        self.speaking_voice = False
        self.report_ready = False
        self._grace: asyncio.TimerHandle | None = None
        self._starting = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._turn_watch: asyncio.Task[None] | None = None
        self._answers: asyncio.Queue[str] = asyncio.Queue(maxsize=MAX_QUEUED_ANSWERS)
        self._answering: asyncio.Task[None] | None = None
        # recruiters watching (the dashboard's live view): one queue each
        self.watchers: set[asyncio.Queue[dict[str, Any] | None]] = set()

    @property
    def connected(self) -> bool:
        return self.conn is not None

    # MessageSink: every message the agent publishes
    async def send(self, message: dict[str, Any], topic: str = "transcription") -> None:
        parsed = data_message_adapter.validate_python(message)
        entry = DataFrame(seq=len(self.log) + 1, topic=topic, message=parsed)
        self.log.append(entry)
        if isinstance(parsed, StageMessage):
            self.stage = parsed
        elif parsed.type == "interview_ended":
            self.ended_reason = parsed.reason
        self.emit_live(entry)

    def emit_live(self, frame: WireModel) -> None:
        wire = frame.to_wire()
        self._put(("json", wire))
        if self.watchers and wire.get("type") in WATCHED_FRAMES:
            for queue in self.watchers:
                queue.put_nowait(wire)

    def emit_audio(self, pcm: bytes) -> None:
        self._put(("bytes", pcm))

    def error(self, code: str, message: str) -> None:
        self.emit_live(ErrorFrame(code=code, message=message))

    def _put(self, item: tuple[str, Any]) -> None:
        if self.conn is not None:
            self.conn.queue.put_nowait(item)

    def snapshot(self) -> SessionFrame:
        return SessionFrame(
            room=self.room,
            interview_id=self.interview_id,
            session_type=self.config.session_type if self.config else "",
            started=self.run is not None,
            ended=self.ended_reason is not None,
            end_reason=self.ended_reason,
            agent_state=self.agent_state,
            your_turn=self.your_turn,
            stage=self.stage,
            hearing=self.hearing,
            voice=self.speaking_voice,
            epoch=self.manager.epoch,
            last_seq=len(self.log),
        )

    async def attach(self, ws: Any, last_seq: int, epoch: str | None = None) -> None:
        """Make ``ws`` the page of this session and replay what it missed (everything,
        when the page's numbers come from an earlier server epoch)."""
        if epoch is not None and epoch != self.manager.epoch:
            last_seq = 0
        old = self.conn
        self.conn = Connection(ws)
        self.conn.writer = asyncio.create_task(self._write(self.conn))
        if old is not None:
            old.queue.put_nowait(("close", (4000, "the interview continues in another tab")))
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None
        self.emit_live(self.snapshot())
        for entry in self.log[max(0, last_seq) :]:
            self.emit_live(entry)

    def detach(self, conn: Connection) -> None:
        if self.conn is not conn:
            return
        self.conn = None
        conn.queue.put_nowait(None)
        if self.run is not None and not self.run.runtime.ended.is_set():
            logger.info("browser disconnected; waiting for it to come back", extra=self._log())
            self._grace = asyncio.get_running_loop().call_later(
                self.manager.reconnect_grace, self._gone
            )

    def _gone(self) -> None:
        self._grace = None
        if self.run is not None and not self.run.runtime.ended.is_set():
            logger.info("browser did not come back; ending the session", extra=self._log())
            runtime = self.run.runtime
            self._spawn(runtime.end(f"{runtime.human_role}_left", speak=False))

    async def _write(self, conn: Connection) -> None:
        try:
            while True:
                item = await conn.queue.get()
                if item is None:
                    return
                kind, payload = item
                if kind == "json":
                    await conn.ws.send_json(payload)
                elif kind == "bytes":
                    await conn.ws.send_bytes(payload)
                elif kind == "close":
                    code, reason = payload
                    await conn.ws.close(code=code, reason=reason)
                    return
        except Exception as exc:  # the socket went away; the reader notices too
            logger.info("browser socket closed while sending", extra={"error": repr(exc)})

    def _log(self) -> dict[str, Any]:
        return {"interview_id": self.interview_id}

    # --- starting and driving the session ------------------------------------------------
    async def start(self, metadata: dict[str, Any], plan_name: str | None) -> None:
        async with self._starting:
            if self.run is not None:
                return
            if self.cancelled:
                raise TransportError("ended", CANCELLED)
            settings = self.manager.settings
            parsed = parse_session_config(
                metadata, default_max_duration=settings.max_interview_duration
            )
            for problem in parsed.problems:
                logger.warning("interview metadata problem", extra={"problem": problem})
            config = parsed.config
            try:
                mode = mode_for(config.session_type)
            except UnknownMode as exc:
                raise TransportError("mode_not_supported", str(exc)) from None
            self.config = config
            runtime = await build_runtime(
                SessionRequest(
                    settings=settings,
                    config=config,
                    plan=plan_name,
                    platform=self.manager.platform,
                    interview_id=self.interview_id if self.manager.platform else None,
                )
            )
            engines = self.manager.engine_factory(settings, mode.hears_in_browser)
            self.hearing = engines.stt is not None and mode.hears_in_browser
            self.speaking_voice = engines.tts is not None
            self.mic = BrowserAudioInput() if self.hearing else None
            self.speaker = (
                BrowserAudioOutput(self, sample_rate=engines.tts.sample_rate)
                if engines.tts is not None
                else None
            )
            # captions paced with the speech, as LiveKit's synchronized transcription
            sync = (
                TranscriptSynchronizer(
                    next_in_chain_audio=self.speaker,
                    next_in_chain_text=BrowserCaptionOutput(self),
                )
                if self.speaker is not None
                else None
            )
            run = await start_local(
                settings,
                runtime,
                engines=engines,
                store=transcript_store(settings),
                audio_input=self.mic,
                audio_output=sync.audio_output if sync is not None else None,
                text_output=sync.text_output if sync is not None else None,
                sinks=[self],
            )
            self._started(run)

    def _started(self, run: LocalRun) -> None:
        self.run = run
        run.session.on("agent_state_changed", self._on_agent_state)
        run.session.on("user_state_changed", self._on_user_state)
        run.runtime.on_end(self._on_end)
        self.agent_state = run.session.agent_state
        self.emit_live(AgentStateFrame(state=self.agent_state))
        self.emit_live(StartedFrame(hearing=self.hearing, voice=self.speaking_voice))
        logger.info(
            "local web session started",
            extra={**self._log(), "session_type": self.config.session_type if self.config else ""},
        )

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _on_agent_state(self, ev: Any) -> None:
        self.agent_state = ev.new_state
        self.emit_live(AgentStateFrame(state=ev.new_state))
        if ev.new_state == "listening" and (self._turn_watch is None or self._turn_watch.done()):
            self._turn_watch = self._spawn(self._announce_turn())

    @property
    def your_turn(self) -> bool:
        return self.run is not None and self.run.runtime.awaiting_answer

    async def _announce_turn(self) -> None:
        """Tell the page when the session waits for the candidate's answer (a question is
        open and the interviewer has stopped talking), not at every pause."""
        if self.run is None:
            return
        if await self.run.runtime.wait_for_turn(TURN_SETTLE) and self.ended_reason is None:
            self.emit_live(TurnFrame())

    def _on_user_state(self, ev: Any) -> None:
        self.user_state = ev.new_state
        self.emit_live(UserStateFrame(state=ev.new_state))

    async def _on_end(self, outcome: SessionOutcome) -> None:
        self.ended_reason = outcome.end_reason
        if self.mic is not None:
            self.mic.close()
        # A page that comes back later still sees the ending; then the session is dropped.
        asyncio.get_running_loop().call_later(
            ENDED_KEPT, lambda: self.manager.sessions.pop(self.room, None)
        )
        await self.manager.on_session_end(self, outcome)

    async def answer(self, text: str) -> None:
        """A typed answer. Answers sent while the agent still handles an earlier one wait
        their turn (never two runs at once); past a few, the page is told to wait."""
        run = self.run
        text = text.strip()[:4000]
        if not text:
            return
        if run is None or run.runtime.ended.is_set() or run.runtime.ending:
            self._not_taken(text)
            return
        try:
            self._answers.put_nowait(text)
        except asyncio.QueueFull:
            self.error("busy", "Please wait for the interviewer to reply before answering again.")
            return
        if self._answering is None or self._answering.done():
            self._answering = self._spawn(self._answer_in_turn(run))

    async def _answer_in_turn(self, run: LocalRun) -> None:
        while not self._answers.empty():
            text = self._answers.get_nowait()
            if run.runtime.ending:
                self._not_taken(text)
                return
            try:
                await run.session.run(user_input=text)
            except RuntimeError as exc:  # the session closed meanwhile
                logger.info("answer not taken", extra={**self._log(), "error": str(exc)})
                self._not_taken(text)
                return

    def _not_taken(self, text: str) -> None:
        """The interview ended with answers still waiting: the page is told which, never
        left to think they were heard."""
        waiting = [text]
        while not self._answers.empty():
            waiting.append(self._answers.get_nowait())
        for answer in waiting:
            self.error(
                "not_taken",
                f"The interview ended before this answer was taken: {answer[:200]}",
            )

    async def control(self, data: dict[str, Any]) -> None:
        if self.run is None:
            return
        try:
            message = parse_control_message(json.dumps(data))
        except ControlMessageError as exc:
            self.error("bad_control", str(exc))
            return
        self._spawn(self._control(self.run, message))

    async def _control(self, run: LocalRun, message: Any) -> None:
        done = await run.runtime.handle_control(message)
        if done in ("too_soon", "rate_limited"):  # the candidate's next_question limits
            self.error(
                "next_question_refused",
                "Please answer the current question, or wait a little, before skipping it.",
            )

    async def watch_frames(self) -> AsyncIterator[dict[str, Any]]:
        """What the page of this session is shown, for a recruiter: the state, everything
        said so far, then every caption, stage and agent state as it happens; the stream
        ends after the interview's end. ``{}`` is a keep-alive."""
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        # taken at once with the queue's start: later frames come through the queue only
        self.watchers.add(queue)
        first = [self.snapshot().to_wire(), *(entry.to_wire() for entry in self.log)]
        over = any(e.message.type == "interview_ended" for e in self.log)
        try:
            for replayed in first:
                yield replayed
            if over:
                return
            while True:
                try:
                    frame = await asyncio.wait_for(queue.get(), WATCH_KEEPALIVE)
                except TimeoutError:
                    yield {}
                    continue
                if frame is None:
                    return
                yield frame
                message = frame.get("message")
                if isinstance(message, dict) and message.get("type") == "interview_ended":
                    return
        finally:
            self.watchers.discard(queue)

    async def end_by_recruiter(self) -> bool:
        """The recruiter's "End interview": the same control message as the candidate's
        button (the closing line, then the end with reason ``manual_end``)."""
        run = self.run
        if run is None or run.runtime.ended.is_set() or run.runtime.ending:
            return False
        self._spawn(run.runtime.handle_control(parse_control_message('{"type":"end_interview"}')))
        return True

    def cancel(self, reason: str) -> None:
        """The hiring team cancelled the interview: tell the page, end the session."""
        self.cancelled = True
        self.error("ended", CANCELLED)
        self._spawn(self._end_cancelled(reason))

    async def _end_cancelled(self, reason: str) -> None:
        async with self._starting:  # a start under way completes first
            run = self.run
        if run is None:  # never started: the page may not start it any more
            self.manager.sessions.pop(self.room, None)
            self._put(("close", (4000, "the interview was cancelled")))
        elif not run.runtime.ended.is_set():
            await run.runtime.end(reason, speak=False)

    async def close(self) -> None:
        if self._grace is not None:
            self._grace.cancel()
        if self.run is not None:
            if not self.run.runtime.ended.is_set():
                await self.run.runtime.end("server_shutdown", speak=False)
            with contextlib.suppress(Exception):
                await self.run.session.aclose()
        if self.conn is not None:
            self.conn.queue.put_nowait(None)


EndHook = Callable[[LiveSession, SessionOutcome], Any]


class LiveSessionManager:
    """Every local web session of this server process, by room."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sessions: dict[str, LiveSession] = {}
        self.engine_factory: EngineFactory = default_engines
        # Seconds a session waits for a dropped browser before ending it (RECONNECT_GRACE).
        self.reconnect_grace = settings.reconnect_grace
        self.end_hooks: list[EndHook] = []
        # Where call modes read and save candidate records (the API's database, in-process).
        self.platform: Any = None
        # Operators (and tests) can refuse new browser connections to a room for a while.
        self.blocked_rooms: set[str] = set()
        # Message numbers are only valid within one server process.
        self.epoch = uuid.uuid4().hex[:12]
        # The event loop serving the sessions (for work handed over from other threads).
        self.loop: asyncio.AbstractEventLoop | None = None

    def get_or_create(self, room: str, interview_id: str) -> LiveSession:
        self.loop = asyncio.get_running_loop()
        live = self.sessions.get(room)
        if live is None:
            live = self.sessions[room] = LiveSession(self, room, interview_id)
        return live

    def watch(self, room: str) -> AsyncIterator[dict[str, Any]] | None:
        """The frames of the room's session for the dashboard's live view; None when
        this process runs no session for the room."""
        live = self.sessions.get(room)
        return live.watch_frames() if live is not None else None

    async def end(self, room: str) -> bool:
        """End the room's running session as its "End interview" button does."""
        live = self.sessions.get(room)
        return await live.end_by_recruiter() if live is not None else False

    async def cancel(self, room: str, reason: str) -> None:
        """End the room's running session, if any (``POST /api/interviews/{id}/cancel``)."""
        live = self.sessions.get(room)
        if live is not None:
            live.cancel(reason)

    async def on_session_end(self, live: LiveSession, outcome: SessionOutcome) -> None:
        for hook in self.end_hooks:
            try:
                result = hook(live, outcome)
                if asyncio.iscoroutine(result):
                    await result
            except Exception:
                logger.exception("end-of-session hook failed", extra=live._log())

    async def aclose(self) -> None:
        for live in list(self.sessions.values()):
            with contextlib.suppress(Exception):
                await live.close()
        self.sessions.clear()
