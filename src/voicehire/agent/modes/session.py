"""Building and running a gap-filling or briefing call on this machine (the embedded
default), the same way ``agent/local_session.py`` runs interviews: typed or scripted
input, printed (and optionally synthesized) output, the same runtime as in a room."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from livekit.agents import AgentSession
from livekit.agents.voice.io import AudioOutput

from voicehire.agent.audio_io import WavFileAudioOutput
from voicehire.agent.candidate_script import CandidateScript
from voicehire.agent.engines import Engines, build_engines
from voicehire.agent.local_session import ConsolePrinter, LocalRun, drive_script, drive_terminal
from voicehire.agent.messages import ListSink, MessageSink
from voicehire.agent.modes.base import DEFAULT_AGENT_NAME, ModeOutcome, ModeRuntime
from voicehire.agent.modes.briefing import BriefingRuntime
from voicehire.agent.modes.gap_filling import GapFillingRuntime
from voicehire.agent.modes.records import (
    LocalCandidateStore,
    briefing_data,
    candidate_name,
    field_registry,
    missing_fields,
)
from voicehire.agent.runtime import RuntimeOptions
from voicehire.interview.config import SessionConfig
from voicehire.interview.fields import FieldRegistry
from voicehire.interview.gap_filling import Saver
from voicehire.settings import Settings
from voicehire.storage.transcripts import TranscriptStore, TranscriptWriter

logger = logging.getLogger(__name__)

MODES = ("gap_filling", "briefing")


class CallPrinter(ConsolePrinter):
    """The conversation, each saved field, and the end of the call, for a person to follow."""

    async def send(self, message: dict[str, Any], topic: str = "transcription") -> None:
        kind = message.get("type")
        if kind == "field_update":
            value = f" = {message['spoken']}" if message.get("spoken") else ""
            saved = "" if message.get("saved") else f" (NOT SAVED: {message.get('saveError')})"
            if message["outcome"] in ("reask",):
                return
            self._print(f"   [{message['field']}: {message['status']}{value}{saved}]")
        elif kind == "interview_ended":
            self._print(f"\n── call ended ({message['reason']}) ──")
        elif kind == "transcription":
            await super().send(message, topic)


class FanOut:
    def __init__(self, *sinks: MessageSink) -> None:
        self.sinks = sinks

    async def send(self, message: dict[str, Any], topic: str = "transcription") -> None:
        for sink in self.sinks:
            await sink.send(message, topic)


def gap_filling_runtime(
    settings: Settings,
    config: SessionConfig,
    candidate: Mapping[str, Any],
    *,
    saver: Saver | None,
    registry: FieldRegistry | None = None,
    missing: list[str] | None = None,
    time_budget: float | None = None,
    today: date | None = None,
    saved_to: str | None = None,
    options: RuntimeOptions | None = None,
) -> GapFillingRuntime:
    name = candidate_name(candidate)
    if name and config.candidate_name == "Candidate":
        config = config.updated(candidate_name=name)
    return GapFillingRuntime(
        config=config,
        registry=registry or field_registry(settings.field_spec_paths),
        missing=missing if missing is not None else missing_fields(candidate),
        saver=saver,
        time_budget=time_budget or settings.gap_filling_time_budget,
        today=today,
        saved_to=saved_to,
        options=options or _options(settings),
    )


def briefing_runtime(
    settings: Settings,
    config: SessionConfig,
    candidate: Mapping[str, Any],
    *,
    job: Mapping[str, Any] | None = None,
    interviews: list[Any] | None = None,
    gap_filling: Mapping[str, Any] | None = None,
    interviewer_name: str | None = None,
    options: RuntimeOptions | None = None,
) -> BriefingRuntime:
    data = briefing_data(candidate, job=job, interviews=interviews or [], gap_filling=gap_filling)
    return BriefingRuntime(
        config=config,
        data=data,
        interviewer_name=interviewer_name,
        options=options or _options(settings),
    )


def _options(settings: Settings, room_name: str = "") -> RuntimeOptions:
    return RuntimeOptions(
        silence_timeout=settings.silence_timeout,
        agent_identity=settings.agent_identity,
        agent_name=DEFAULT_AGENT_NAME,
        room_name=room_name,
    )


@dataclass
class ModeRun(LocalRun):
    runtime: ModeRuntime  # type: ignore[assignment]
    extra: dict[str, Any] = field(default_factory=dict)


async def start_mode_session(
    settings: Settings,
    runtime: ModeRuntime,
    *,
    engines: Engines | None = None,
    store: TranscriptStore | None = None,
    out: TextIO | None = None,
    audio_path: Path | None = None,
    realtime_audio: bool = False,
    audio_output: AudioOutput | None = None,
    sinks: list[MessageSink] | None = None,
) -> ModeRun:
    """Start a text-input session running ``runtime``'s call (returns once it is under
    way). The person's turns are typed: ``session.run(user_input=...)``."""
    engines = engines or build_engines(settings, audio_in=False, audio_out=True)
    messages = ListSink()
    all_sinks: list[MessageSink] = [messages, *(sinks or [])]
    if out is not None:
        all_sinks.append(CallPrinter(out, runtime.options.agent_name))
    writer = TranscriptWriter.from_settings(settings, store)
    runtime.bind_io(writer, FanOut(*all_sinks))
    session: AgentSession = AgentSession(
        llm=runtime.llm_for(engines.llm),
        tts=engines.tts,
        user_away_timeout=settings.silence_timeout,
        turn_handling={
            "turn_detection": "manual",
            "interruption": {"resume_false_interruption": False},
        },
    )
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
    return ModeRun(runtime, session, messages, audio)  # type: ignore[arg-type]


async def run_local_call(
    settings: Settings,
    runtime: ModeRuntime,
    *,
    script: CandidateScript | None = None,
    out: TextIO = sys.stdout,
    read_line: Callable[[], str] = input,
    audio_path: Path | None = None,
    result_dir: Path | None = None,
) -> tuple[ModeOutcome, Path | None]:
    """Run one call to its end (scripted or typed); returns the outcome and the result
    file written to ``result_dir`` (default: the transcript directory)."""
    run = await start_mode_session(
        settings, runtime, out=out, audio_path=audio_path, realtime_audio=script is None
    )
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
    outcome = run.runtime.outcome
    assert outcome is not None
    return outcome, write_result(outcome, result_dir or settings.transcript_dir)


def write_result(outcome: ModeOutcome, directory: Path) -> Path | None:
    """``{mode}_{call_id}_result.json`` with the mode's result document."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{outcome.mode}_{outcome.call_id}_result.json"
        path.write_text(json.dumps(outcome.result, ensure_ascii=False, indent=2), "utf-8")
        return path
    except OSError as exc:
        logger.error("could not write the call result", extra={"error": str(exc)})
        return None


def local_store_for(
    settings: Settings, candidate: Mapping[str, Any], source: Path | None = None
) -> LocalCandidateStore:
    """Where a call without the API saves the candidate: ``CANDIDATE_DIR/{id}.json``
    (``id`` from the record, else the input file's name)."""
    ident = str(candidate.get("id") or (source.stem if source else "") or "candidate")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in ident)
    return LocalCandidateStore(settings.candidate_dir / f"{safe}.json", candidate)
