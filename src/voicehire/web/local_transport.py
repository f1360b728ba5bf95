"""The local WebSocket transport: the browser talks to an agent session running inside
``voicehire serve`` (the embedded default, no LiveKit server).

The conversation is the same agent code as in a LiveKit room; only the I/O differs:

* outbound data messages (captions, questions, stage progress, the end) are numbered and
  kept, so a browser that reconnects asks for everything after the last number it saw
  and loses no line of the transcript;
* the agent's voice goes to :class:`BrowserAudioOutput`, which streams 16-bit PCM to the
  page and reports a segment played when the page says so (or, with no page listening,
  after the segment's duration);
* the candidate's microphone arrives as 16 kHz 16-bit PCM and feeds
  :class:`BrowserAudioInput` when an STT engine is configured; typed answers always work.

Protocol (JSON text frames unless noted):

* browser → server: ``hello {lastSeq}``, ``start``, ``answer {text}``, ``control {data:
  {type: end_interview | next_question | candidate_info, ...}}``, ``played {segment}``,
  binary microphone PCM (16 kHz mono int16).
* server → browser: ``session {...}`` (state after hello), numbered messages ``{seq,
  topic, message}``, ``agent_state {state}``, ``user_state {state}``, ``audio_start
  {segment, sampleRate}`` + binary PCM + ``audio_end {segment, duration}``,
  ``audio_clear {segment}``, ``error {code, message}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from livekit import rtc
from livekit.agents.voice import io

from voicehire.agent.engines import Engines, build_engines
from voicehire.agent.local_session import LocalRun, resolve_plan, start_local_session
from voicehire.agent.messages import ControlMessageError, parse_control_message
from voicehire.agent.runtime import InterviewOutcome
from voicehire.interview.config import SessionConfig, parse_session_config
from voicehire.settings import Settings
from voicehire.storage.transcripts import LocalTranscriptStore

logger = logging.getLogger(__name__)

MIC_SAMPLE_RATE = 16000
# Seconds a session waits for a dropped browser to come back before ending the interview.
RECONNECT_GRACE = 120.0
# Extra seconds after a segment's duration before it counts as played without the page.
PLAYBACK_SLACK = 2.0
# Seconds a finished session stays in memory for pages that reconnect late.
ENDED_KEPT = 600.0
# Seconds the agent must stay listening before the page is told it is the candidate's turn.
TURN_SETTLE = 0.25
# Session types the agent can always run.
DEFAULT_SUPPORTED = ("ai_interview",)

EngineFactory = Callable[[Settings, bool], Engines]


def supported_session_types() -> tuple[str, ...]:
    """The interview, plus the agent's call modes (gap-filling, briefing) when present."""
    try:
        from voicehire.agent.modes.session import MODES
    except ImportError:
        return DEFAULT_SUPPORTED
    return (*DEFAULT_SUPPORTED, *MODES)


def default_engines(settings: Settings, hearing: bool) -> Engines:
    return build_engines(settings, audio_in=hearing, audio_out=True)


class TransportError(RuntimeError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- audio I/O --------------------------------------------------------------------------


class BrowserAudioInput(io.AudioInput):
    """Microphone frames pushed by the page (16 kHz mono int16)."""

    def __init__(self) -> None:
        super().__init__(label="browser-mic")
        self._queue: asyncio.Queue[rtc.AudioFrame | None] = asyncio.Queue(maxsize=500)
        self.frames_received = 0

    def push(self, pcm: bytes) -> None:
        if len(pcm) < 2:
            return
        pcm = pcm[: len(pcm) // 2 * 2]
        frame = rtc.AudioFrame(
            data=pcm,
            sample_rate=MIC_SAMPLE_RATE,
            num_channels=1,
            samples_per_channel=len(pcm) // 2,
        )
        self.frames_received += 1
        if self._queue.full():  # the pipeline stalled: keep the newest audio
            with contextlib.suppress(asyncio.QueueEmpty):
                self._queue.get_nowait()
        self._queue.put_nowait(frame)

    def close(self) -> None:
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(None)

    async def __anext__(self) -> rtc.AudioFrame:
        frame = await self._queue.get()
        if frame is None:
            raise StopAsyncIteration
        return frame


class BrowserAudioOutput(io.AudioOutput):
    """Streams the agent's speech to the page; a segment counts as played when the page
    reports it, or after its duration (plus slack) when no page is listening."""

    def __init__(self, live: LiveSession, *, sample_rate: int) -> None:
        super().__init__(
            label="browser-speaker",
            capabilities=io.AudioOutputCapabilities(pause=False),
            sample_rate=sample_rate,
        )
        self.live = live
        self._segment = 0
        self._open = False
        self._samples = 0
        self._pending: dict[int, tuple[float, asyncio.TimerHandle | None]] = {}
        self.segments_played = 0

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)
        if not self._open:
            self._open = True
            self._segment += 1
            self._samples = 0
            self.on_playback_started(created_at=time.time())
            self.live.emit_live(
                {"type": "audio_start", "segment": self._segment, "sampleRate": frame.sample_rate}
            )
        data = np.frombuffer(frame.data, dtype=np.int16)
        if frame.num_channels > 1:
            data = data.reshape(-1, frame.num_channels)[:, 0]
        self._samples += len(data)
        self.live.emit_audio(data.tobytes())

    def flush(self) -> None:
        super().flush()
        if not self._open:
            return
        self._open = False
        segment = self._segment
        duration = self._samples / (self.sample_rate or 22050)
        self.live.emit_live({"type": "audio_end", "segment": segment, "duration": duration})
        wait = duration + (PLAYBACK_SLACK if self.live.connected else 0.0)
        handle = asyncio.get_running_loop().call_later(wait, self._finish, segment, duration, False)
        self._pending[segment] = (duration, handle)

    def clear_buffer(self) -> None:
        if self._open:
            self._open = False
            self._pending[self._segment] = (self._samples / (self.sample_rate or 22050), None)
        for segment in list(self._pending):
            self.live.emit_live({"type": "audio_clear", "segment": segment})
            duration, _ = self._pending[segment]
            self._finish(segment, duration, True)

    def played(self, segment: int) -> None:
        """The page finished playing ``segment``."""
        if segment in self._pending:
            duration, _ = self._pending[segment]
            self._finish(segment, duration, False)

    def _finish(self, segment: int, duration: float, interrupted: bool) -> None:
        entry = self._pending.pop(segment, None)
        if entry is None:
            return
        _, handle = entry
        if handle is not None:
            handle.cancel()
        if not interrupted:
            self.segments_played += 1
        self.on_playback_finished(playback_position=duration, interrupted=interrupted)


# --- one live session per room ------------------------------------------------------------


@dataclass
class Connection:
    ws: Any
    queue: asyncio.Queue[tuple[str, Any] | None] = field(default_factory=asyncio.Queue)
    writer: asyncio.Task[None] | None = None


class LiveSession:
    """One interview running in this process, and the browser currently attached to it."""

    def __init__(self, manager: LiveSessionManager, room: str, interview_id: str) -> None:
        self.manager = manager
        self.room = room
        self.interview_id = interview_id
        self.run: LocalRun | None = None
        self.config: SessionConfig | None = None
        self.log: list[dict[str, Any]] = []
        self.conn: Connection | None = None
        self.agent_state = "initializing"
        self.user_state = "listening"
        self.stage: dict[str, Any] | None = None
        self.ended_reason: str | None = None
        self.mic: BrowserAudioInput | None = None
        self.speaker: BrowserAudioOutput | None = None
        self.hearing = False
        self.speaking_voice = False
        self.report_ready = False
        self._grace: asyncio.TimerHandle | None = None
        self._starting = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._turn_check: asyncio.TimerHandle | None = None

    @property
    def connected(self) -> bool:
        return self.conn is not None

    # MessageSink: every message the agent publishes
    async def send(self, message: dict[str, Any], topic: str = "transcription") -> None:
        entry = {"seq": len(self.log) + 1, "topic": topic, "message": message}
        self.log.append(entry)
        if message.get("type") == "stage":
            self.stage = message
        elif message.get("type") == "interview_ended":
            self.ended_reason = str(message.get("reason"))
        self._put(("json", {"type": "data", **entry}))

    def emit_live(self, message: dict[str, Any]) -> None:
        self._put(("json", message))

    def emit_audio(self, pcm: bytes) -> None:
        self._put(("bytes", pcm))

    def _put(self, item: tuple[str, Any]) -> None:
        if self.conn is not None:
            self.conn.queue.put_nowait(item)

    def snapshot(self) -> dict[str, Any]:
        return {
            "type": "session",
            "room": self.room,
            "interviewId": self.interview_id,
            "started": self.run is not None,
            "ended": self.ended_reason is not None,
            "endReason": self.ended_reason,
            "agentState": self.agent_state,
            "yourTurn": self.your_turn,
            "stage": self.stage,
            "hearing": self.hearing,
            "voice": self.speaking_voice,
            "lastSeq": len(self.log),
        }

    async def attach(self, ws: Any, last_seq: int) -> None:
        """Make ``ws`` the page of this session and replay what it missed."""
        old = self.conn
        self.conn = Connection(ws)
        self.conn.writer = asyncio.create_task(self._write(self.conn))
        if old is not None:
            old.queue.put_nowait(("close", (4000, "the interview was opened in another tab")))
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None
        self._put(("json", self.snapshot()))
        for entry in self.log[max(0, last_seq) :]:
            self._put(("json", {"type": "data", **entry}))

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
            logger.info("browser did not come back; ending the interview", extra=self._log())
            self._spawn(self.run.runtime.end("candidate_left", speak=False))

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
        return {"room": self.room, "interview_id": self.interview_id}

    # --- starting and driving the interview ----------------------------------------------
    async def start(self, metadata: dict[str, Any], plan_name: str | None) -> None:
        async with self._starting:
            if self.run is not None:
                return
            settings = self.manager.settings
            parsed = parse_session_config(
                metadata, default_max_duration=settings.max_interview_duration
            )
            for problem in parsed.problems:
                logger.warning("interview metadata problem", extra={"problem": problem})
            config = parsed.config
            if config.session_type not in supported_session_types():
                raise TransportError(
                    "mode_not_supported",
                    f"The agent cannot run {config.session_type.replace('_', '-')} sessions "
                    "yet; only interviews are available on this server.",
                )
            self.config = config
            engines = self.manager.engine_factory(settings, True)
            if config.session_type != "ai_interview":
                await self._start_call(config, engines)
                return
            plan = resolve_plan(settings, config, plan_name)
            self.hearing = engines.stt is not None
            if not self.hearing:
                engines.vad = None
            self.speaking_voice = engines.tts is not None
            self.mic = BrowserAudioInput() if self.hearing else None
            self.speaker = (
                BrowserAudioOutput(self, sample_rate=engines.tts.sample_rate)
                if engines.tts is not None
                else None
            )
            store = LocalTranscriptStore(Path(settings.transcript_dir))
            run = await start_local_session(
                settings,
                config,
                plan=plan,
                engines=engines,
                store=store,
                audio_input=self.mic,
                audio_output=self.speaker,
                sinks=[self],
            )
            self._started(run)

    async def _start_call(self, config: SessionConfig, engines: Engines) -> None:
        """A gap-filling call or a briefing (the agent's call modes); typed replies."""
        from voicehire.agent.modes.job import build_mode_runtime
        from voicehire.agent.modes.session import start_mode_session

        settings = self.manager.settings
        platform = self.manager.platform
        runtime = await build_mode_runtime(
            config,
            settings,
            platform=platform,
            sync=_InterviewRef(self.interview_id) if platform is not None else None,
        )
        self.hearing = False
        self.speaking_voice = engines.tts is not None
        self.speaker = (
            BrowserAudioOutput(self, sample_rate=engines.tts.sample_rate)
            if engines.tts is not None
            else None
        )
        run = await start_mode_session(
            settings,
            runtime,
            engines=engines,
            store=LocalTranscriptStore(Path(settings.transcript_dir)),
            audio_output=self.speaker,
            sinks=[self],
        )
        self._started(run)

    def _started(self, run: Any) -> None:
        self.run = run
        run.session.on("agent_state_changed", self._on_agent_state)
        run.session.on("user_state_changed", self._on_user_state)
        run.runtime.on_end(self._on_end)
        self.agent_state = run.session.agent_state
        self.emit_live({"type": "agent_state", "state": self.agent_state})
        self.emit_live({"type": "started", "hearing": self.hearing, "voice": self.speaking_voice})
        logger.info(
            "local web session started",
            extra={**self._log(), "session_type": self.config.session_type if self.config else ""},
        )

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _on_agent_state(self, ev: Any) -> None:
        self.agent_state = ev.new_state
        self.emit_live({"type": "agent_state", "state": ev.new_state})
        if self._turn_check is not None:
            self._turn_check.cancel()
            self._turn_check = None
        if ev.new_state == "listening":
            self._turn_check = asyncio.get_running_loop().call_later(TURN_SETTLE, self._check_turn)

    @property
    def your_turn(self) -> bool:
        return self.run is not None and self.run.runtime.awaiting_answer

    def _check_turn(self) -> None:
        """Tell the page when the interview waits for the candidate's answer (a question
        is open and the interviewer has stopped talking), not at every pause."""
        if self.agent_state != "listening" or self.ended_reason is not None:
            return
        if self.your_turn:
            self.emit_live({"type": "turn"})
        else:  # e.g. the opening line is still being recorded: look again shortly
            self._turn_check = asyncio.get_running_loop().call_later(TURN_SETTLE, self._check_turn)

    def _on_user_state(self, ev: Any) -> None:
        self.user_state = ev.new_state
        self.emit_live({"type": "user_state", "state": ev.new_state})

    async def _on_end(self, outcome: InterviewOutcome) -> None:
        self.ended_reason = outcome.end_reason
        if self.mic is not None:
            self.mic.close()
        # A page that comes back later still sees the ending; then the session is dropped.
        asyncio.get_running_loop().call_later(
            ENDED_KEPT, lambda: self.manager.sessions.pop(self.room, None)
        )
        await self.manager.on_interview_end(self, outcome)

    async def answer(self, text: str) -> None:
        run = self.run
        if run is None or run.runtime.ended.is_set() or getattr(run.runtime, "_ending", False):
            return
        text = text.strip()[:4000]
        if text:
            self._spawn(run.session.run(user_input=text))

    async def control(self, data: dict[str, Any]) -> None:
        if self.run is None:
            return
        try:
            message = parse_control_message(json.dumps(data))
        except ControlMessageError as exc:
            self.emit_live({"type": "error", "code": "bad_control", "message": str(exc)})
            return
        self._spawn(self.run.runtime.handle_control(message))

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


@dataclass
class _InterviewRef:
    interview_id: str


EndHook = Callable[[LiveSession, InterviewOutcome], Any]


class LiveSessionManager:
    """Every local web session of this server process, by room."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sessions: dict[str, LiveSession] = {}
        self.engine_factory: EngineFactory = default_engines
        self.reconnect_grace = RECONNECT_GRACE
        self.end_hooks: list[EndHook] = []
        # Where call modes read and save candidate records (the API's database, in-process).
        self.platform: Any = None
        # Tests (and operators) can refuse new browser connections to a room for a while.
        self.blocked_rooms: set[str] = set()
        self.loop: asyncio.AbstractEventLoop | None = None

    def get_or_create(self, room: str, interview_id: str) -> LiveSession:
        self.loop = asyncio.get_running_loop()
        live = self.sessions.get(room)
        if live is None:
            live = self.sessions[room] = LiveSession(self, room, interview_id)
        return live

    async def on_interview_end(self, live: LiveSession, outcome: InterviewOutcome) -> None:
        for hook in self.end_hooks:
            try:
                result = hook(live, outcome)
                if asyncio.iscoroutine(result):
                    await result
            except Exception:
                logger.exception("end-of-interview hook failed", extra=live._log())

    async def drop_connection(self, room: str) -> bool:
        """Close the page's socket as a network failure would (the session goes on)."""
        live = self.sessions.get(room)
        if live is None or live.conn is None:
            return False
        conn = live.conn
        with contextlib.suppress(Exception):
            await conn.ws.close(code=1012, reason="connection dropped")
        live.detach(conn)
        return True

    async def aclose(self) -> None:
        for live in list(self.sessions.values()):
            with contextlib.suppress(Exception):
                await live.close()
        self.sessions.clear()
