"""Run a whole interview on this machine: no LiveKit server, no keys, no network.

The same stage agents, tools, timers and transcripts as in a LiveKit room; only the I/O
differs. The candidate types answers in the terminal, or a scripted candidate (a YAML
file of answers, pauses and silences) answers unattended. What the agent says is printed
and, when a TTS engine is available, also recorded to a WAV file next to the transcripts.
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

from voicehire.agent.audio_io import WavFileAudioOutput
from voicehire.agent.candidate_script import CandidateScript
from voicehire.agent.engines import Engines, build_engines
from voicehire.agent.messages import ListSink, MessageSink
from voicehire.agent.runtime import InterviewOutcome, InterviewRuntime, RuntimeOptions
from voicehire.interview.config import SessionConfig
from voicehire.interview.plan import ResolvedPlan, load_plan, plan_for_session
from voicehire.settings import Settings
from voicehire.storage.transcripts import TranscriptStore, TranscriptWriter

logger = logging.getLogger(__name__)


class ConsolePrinter:
    """Prints the conversation and the interview's progress for a person to follow."""

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
        elif kind == "interview_ended":
            self._print(f"\n── interview ended ({message['reason']}) ──")

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


class _FanOut:
    def __init__(self, *sinks: Any) -> None:
        self.sinks = sinks

    async def send(self, message: dict[str, Any], topic: str = "transcription") -> None:
        for sink in self.sinks:
            await sink.send(message, topic)


def resolve_plan(settings: Settings, config: SessionConfig, plan: str | None) -> ResolvedPlan:
    """This session's plan: named or from the metadata, questions chosen by role and
    type, stage budgets from the timing settings (SELF_INTRO_TIMEOUT, ...)."""
    loaded = load_plan(plan or plan_for_session(config.plan, config.interview_type))
    return loaded.resolve(
        role=config.interview_role,
        interview_type=config.interview_type,
        timing={
            "self_intro_timeout": settings.self_intro_timeout,
            "past_experience_timeout": settings.past_experience_timeout,
        },
    )


@dataclass
class LocalRun:
    runtime: InterviewRuntime
    session: AgentSession
    messages: ListSink
    audio: WavFileAudioOutput | None


async def start_local_session(
    settings: Settings,
    config: SessionConfig,
    *,
    plan: ResolvedPlan,
    engines: Engines | None = None,
    store: TranscriptStore | None = None,
    out: TextIO | None = None,
    audio_path: Path | None = None,
    realtime_audio: bool = False,
    audio_input: AudioInput | None = None,
    audio_output: AudioOutput | None = None,
    sinks: list[MessageSink] | None = None,
) -> LocalRun:
    """Start a session running the interview (returns once it is under way).

    Answers are typed (``session.run(user_input=...)``) unless ``audio_input`` is given:
    then the candidate speaks into it and the engines' VAD and STT hear them. The agent's
    speech goes to ``audio_output`` (default: a WAV file at ``audio_path``) when a TTS
    engine is available. Every outbound message (captions, questions, stage progress,
    the end) also goes to each of ``sinks``.
    """
    engines = engines or build_engines(settings, audio_in=False, audio_out=True)
    messages = ListSink()
    sinks = [messages, *(sinks or [])]
    if out is not None:
        sinks.append(ConsolePrinter(out, plan.plan.interviewer_name))
    writer = TranscriptWriter.from_settings(settings, store)
    runtime = InterviewRuntime(
        config=config,
        plan=plan,
        writer=writer,
        sink=_FanOut(*sinks),
        options=RuntimeOptions(
            silence_timeout=settings.silence_timeout,
            agent_identity=settings.agent_identity,
            agent_name=plan.plan.interviewer_name,
        ),
    )
    if engines.policy is not None:
        engines.policy.bind(runtime)
    hearing = audio_input is not None and engines.stt is not None
    session: AgentSession = AgentSession(
        llm=engines.llm,
        tts=engines.tts,
        stt=engines.stt if hearing else None,
        vad=engines.vad if hearing else None,
        user_away_timeout=settings.silence_timeout,
        turn_handling={
            "turn_detection": "vad" if hearing else "manual",
            "interruption": {"resume_false_interruption": False},
        },
    )
    if audio_input is not None:
        session.input.audio = audio_input
    audio = None
    if engines.tts is not None:
        if audio_output is not None:
            session.output.audio = audio_output
        else:
            audio = WavFileAudioOutput(
                audio_path, sample_rate=engines.tts.sample_rate, realtime=realtime_audio
            )
            session.output.audio = audio
    runtime.attach(session)
    await session.start(agent=runtime.begin())
    return LocalRun(runtime, session, messages, audio)


async def wait_for_turn(run: LocalRun, settle: float = 0.2) -> bool:
    """Wait until the interview waits for the candidate's answer (see
    :attr:`InterviewRuntime.awaiting_answer`) and has for ``settle`` seconds.

    Returns False when the interview ended instead.
    """
    loop = asyncio.get_running_loop()
    ready_since: float | None = None
    while not run.runtime.ended.is_set():
        if run.runtime.awaiting_answer:
            ready_since = ready_since or loop.time()
            if loop.time() - ready_since >= settle:
                return True
        else:
            ready_since = None
        await asyncio.sleep(0.02)
    return False


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
        if step.say:
            await answer(run, step.say)
    # The script is over: give the agent time to close, then treat it as leaving.
    await _sleep_unless_ended(run, after_script)
    if not run.runtime.ended.is_set():
        await run.runtime.end("candidate_left", speak=False)


async def drive_terminal(run: LocalRun, read_line: Callable[[], str]) -> None:
    while True:
        if not await wait_for_turn(run):
            return
        try:
            line = await asyncio.to_thread(read_line)
        except EOFError:
            await run.runtime.end("candidate_left", speak=False)
            return
        if run.runtime.ended.is_set():
            return
        if line.strip():
            await answer(run, line.strip())


async def _sleep_unless_ended(run: LocalRun, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(run.runtime.ended.wait(), timeout=seconds)


async def run_local_interview(
    settings: Settings,
    config: SessionConfig,
    *,
    plan: ResolvedPlan,
    script: CandidateScript | None = None,
    out: TextIO = sys.stdout,
    read_line: Callable[[], str] = input,
    audio_path: Path | None = None,
) -> InterviewOutcome:
    run = await start_local_session(
        settings,
        config,
        plan=plan,
        out=out,
        audio_path=audio_path,
        realtime_audio=script is None,
    )
    try:
        if script is not None:
            await drive_script(run, script, after_script=settings.silence_timeout * 2 + 5)
        else:
            await drive_terminal(run, read_line)
        await run.runtime.ended.wait()
    finally:
        if not run.runtime.ended.is_set():
            await run.runtime.end("candidate_left", speak=False)
        await run.session.aclose()
        if run.audio is not None:
            saved = run.audio.save()
            if saved:
                print(f"agent audio:   {saved} ({run.audio.seconds_written:.1f}s)", file=out)
    assert run.runtime.outcome is not None
    return run.runtime.outcome
