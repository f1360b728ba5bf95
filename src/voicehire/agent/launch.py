"""The one way a session starts, whatever the transport (LiveKit room, terminal or
script, the browser's local WebSocket) and whatever the mode.

A transport builds a :class:`SessionRequest` (what to run), asks the mode registry for
the runtime (:func:`build_runtime`), and starts it with :func:`start_session` and a
:class:`SessionIO` (where transcripts, messages and audio go).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livekit import rtc
from livekit.agents import NOT_GIVEN, AgentSession
from livekit.agents.voice.io import AudioInput, AudioOutput, TextOutput
from livekit.agents.voice.room_io import RoomOptions

from voicehire.agent.engines import Engines, apply_language
from voicehire.agent.messages import MessageSink
from voicehire.agent.modes import mode_for
from voicehire.agent.recording import (
    attach_recorder,
    keep_when_closed,
    record_room,
    start_recorder,
)
from voicehire.agent.runtime import RuntimeOptions, SessionRuntime, runtime_options
from voicehire.agent.speech import turn as speech_turn
from voicehire.agent.speech.timing import track_turn_timing
from voicehire.domain.config import SessionConfig
from voicehire.settings import Settings
from voicehire.storage.transcripts import TranscriptWriter

if TYPE_CHECKING:
    from voicehire.platform_client import PlatformClient

logger = logging.getLogger(__name__)


@dataclass
class SessionRequest:
    """What to run: the settings, the session's configuration (parsed metadata), and
    where its inputs come from."""

    settings: Settings
    config: SessionConfig
    # The VoiceHire API (candidate records, interview configuration), when used.
    platform: PlatformClient | None = None
    # The API's interview record this session reports to.
    interview_id: str | None = None
    # The interview's plan by name or path (terminal), else the metadata's.
    plan: str | None = None
    # Where a candidate record given on the command line came from (names its saved copy).
    candidate_source: Path | None = None
    identity: str | None = None
    room_name: str = ""
    # Room jobs never fail on bad inputs: problems are logged and defaults used.
    lenient: bool = False
    problems: list[str] = field(default_factory=list)

    def options(self, agent_name: str) -> RuntimeOptions:
        return runtime_options(
            self.settings, agent_name=agent_name, identity=self.identity, room_name=self.room_name
        )


@dataclass(frozen=True)
class Mode:
    """One kind of session (see :mod:`voicehire.agent.modes`)."""

    name: str  # the sessionType
    label: str  # what a person calls it
    build: Callable[[SessionRequest], Awaitable[SessionRuntime]]
    # Whether the person may answer by voice in the browser (calls are typed there).
    hears_in_browser: bool = True


async def build_runtime(request: SessionRequest) -> SessionRuntime:
    """The runtime for ``request.config.session_type`` (raises ``UnknownMode``)."""
    return await mode_for(request.config.session_type).build(request)


@dataclass
class SessionIO:
    """Where a session's output goes and where the person's audio comes from."""

    writer: TranscriptWriter
    sink: MessageSink
    room: rtc.Room | None = None
    audio_input: AudioInput | None = None
    audio_output: AudioOutput | None = None
    # the agent's words as they are spoken (e.g. paced captions for the browser)
    text_output: TextOutput | None = None


async def start_session(
    runtime: SessionRuntime, engines: Engines, settings: Settings, io: SessionIO
) -> AgentSession[SessionRuntime]:
    """Start ``runtime``'s conversation on ``io``; returns once it is under way."""
    runtime.bind_io(io.writer, io.sink)
    apply_language(engines, settings, getattr(runtime.config, "language", "en") or "en")
    in_room = io.room is not None
    hearing = engines.stt is not None and (in_room or io.audio_input is not None)
    # Hearing sessions end a turn by the local end-of-turn model (VAD silence when it is
    # unavailable or TURN_DETECTION=vad), with MIN/MAX_ENDPOINTING_DELAY patience;
    # without STT the person answers in text (manual turns).
    turn_handling: dict[str, Any] = dict(speech_turn.turn_handling(settings, hearing=hearing))
    if not in_room:
        turn_handling["interruption"] = {
            **turn_handling.get("interruption", {}),
            "resume_false_interruption": False,
        }
    session: AgentSession[SessionRuntime] = AgentSession(
        userdata=runtime,
        llm=runtime.llm_for(engines.llm),
        stt=engines.stt if hearing and engines.stt is not None else NOT_GIVEN,
        vad=engines.vad if hearing and engines.vad is not None else NOT_GIVEN,
        tts=engines.tts if engines.tts is not None else NOT_GIVEN,
        user_away_timeout=settings.silence_timeout,
        turn_handling=turn_handling,  # type: ignore[arg-type]
    )
    if io.audio_input is not None:
        session.input.audio = io.audio_input
    if io.audio_output is not None and engines.tts is not None:
        session.output.audio = io.audio_output
    if io.text_output is not None:
        session.output.transcription = io.text_output
    runtime.attach(session)
    recording = runtime.config.enable_recording
    if hearing:
        track_turn_timing(session, runtime.options.endpointing)
    if io.room is None:
        recorder = attach_recorder(session, settings, runtime.session_id) if recording else None
        if recorder is not None:
            runtime.audio_recorder = recorder  # utterances' offsets count from its start
            await start_recorder(recorder, settings, runtime.session_id)
            keep_when_closed(session, settings, runtime.session_id, recorder)
        await session.start(agent=runtime.begin())
        return session
    record: dict[str, bool] | bool = False
    if recording:
        # RECORDING_BACKEND=egress: LiveKit Egress records the room; otherwise, or when
        # egress could not start, the framework's recorder does
        runtime.egress_id, record = await record_room(
            session, settings, runtime.session_id, io.room.name
        )
    await session.start(
        agent=runtime.first_agent(),
        room=io.room,
        room_options=RoomOptions(
            text_output=runtime.config.enable_transcription,
            # with no TTS engine the agent answers in text (lk.transcription / chat) only
            audio_output=engines.tts is not None,
            close_on_disconnect=True,
        ),
        record=record,  # type: ignore[arg-type]
    )
    return session
