"""The room side shared by every job (interview, gap-filling call, briefing): who is the
person the agent talks to, waiting for them, the agent's identity, inbound control
messages, and the person leaving."""

from __future__ import annotations

import asyncio
import logging

from livekit import rtc
from livekit.agents import JobContext

from voicehire.agent.engines import Engines, build_engines
from voicehire.agent.messages import ControlMessageError, parse_control_message
from voicehire.agent.platform_sync import (
    MirroredTranscriptStore,
    PlatformSync,
    PlatformTranscriptStore,
)
from voicehire.agent.runtime import SessionRuntime
from voicehire.logging_setup import redact_room
from voicehire.platform_client import PlatformClient
from voicehire.settings import Settings
from voicehire.storage.transcripts import LocalTranscriptStore, TranscriptWriter

logger = logging.getLogger(__name__)


def is_person(participant: rtc.RemoteParticipant, settings: Settings) -> bool:
    """The candidate (or interviewer): not an agent, not one of our agent identities."""
    return (
        participant.kind != rtc.ParticipantKind.PARTICIPANT_KIND_AGENT
        and not participant.identity.startswith(settings.agent_identity)
    )


async def wait_for_person(ctx: JobContext, settings: Settings) -> rtc.RemoteParticipant | None:
    """Wait up to AGENT_SESSION_TIMEOUT for the person, so nobody is greeted in an empty
    room. None when nobody came."""
    await ctx.connect()
    try:
        participant = await asyncio.wait_for(
            ctx.wait_for_participant(), timeout=settings.agent_session_timeout
        )
    except TimeoutError:
        logger.warning(
            "nobody joined; ending the job",
            extra={"room": redact_room(ctx.room.name), "waited": settings.agent_session_timeout},
        )
        return None
    logger.info("participant joined", extra={"identity": participant.identity})
    return participant


def agent_identity(ctx: JobContext, settings: Settings) -> str:
    try:
        return ctx.local_participant_identity or settings.agent_identity
    except Exception:  # a fake or not-yet-connected job has no token to read
        return settings.agent_identity


def wire_room(ctx: JobContext, runtime: SessionRuntime, settings: Settings) -> None:
    """Inbound control messages go to the runtime; the person leaving ends the session."""

    def on_data(packet: rtc.DataPacket) -> None:
        if packet.topic not in (None, "", "control", "transcription"):
            return
        try:
            message = parse_control_message(packet.data)
        except ControlMessageError as exc:
            if packet.topic == "control":
                logger.warning("ignored control message", extra={"problem": str(exc)})
            return
        runtime.spawn(runtime.handle_control(message))

    def on_left(participant: rtc.RemoteParticipant) -> None:
        if is_person(participant, settings) and not runtime.ended.is_set():
            logger.info("participant left", extra={"identity": participant.identity})
            runtime.spawn(runtime.end(f"{runtime.human_role}_left", speak=False))

    ctx.room.on("data_received", on_data)
    ctx.room.on("participant_disconnected", on_left)


def job_engines(ctx: JobContext, settings: Settings) -> Engines:
    """Engines for a room job, reusing the VAD the worker process prewarmed."""
    engines = build_engines(settings, audio_in=True, audio_out=True)
    vad = ctx.proc.userdata.get("vad") if ctx.proc.userdata else None
    if engines.stt is not None and vad is not None:
        engines.vad = vad
    return engines


def job_transcript_writer(
    settings: Settings, platform: PlatformClient | None, sync: PlatformSync | None
) -> TranscriptWriter:
    """Local transcript files, mirrored to the VoiceHire API when the job reports to it."""
    local = LocalTranscriptStore(settings.transcript_dir)
    if sync is None or platform is None:
        return TranscriptWriter.from_settings(settings, local)
    mirrored = MirroredTranscriptStore(
        local, PlatformTranscriptStore(platform, sync.interview_id, sync.outbox)
    )
    return TranscriptWriter.from_settings(settings, mirrored)
