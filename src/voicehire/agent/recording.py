"""Recording a session's audio (``enableRecording: true``): both sides as one Ogg/Opus
file, the person on the left channel and the agent on the right, by livekit-agents' own
recorder (``RecorderIO``).

In a LiveKit room the framework records (``AgentSession.start(record=...)``) into the
job's session directory; elsewhere (terminal, browser) :func:`attach_recorder` wraps the
session's audio input and output itself. Either way, once the session has closed (the
recorder has finished the file) the recording is copied to ``RECORDING_DIR/<id>.ogg`` and
uploaded to ``recordings/<id>.ogg`` in TRANSCRIPT_BUCKET when one is set (spooled while
the store is down). :func:`wait_for_recordings` lets a process wait for that before it
exits.

With ``RECORDING_BACKEND=egress`` a room is recorded by LiveKit Egress instead (a
room-composite, audio-only Ogg/Opus file uploaded by the egress service straight to the
same ``recordings/<id>.ogg`` key in TRANSCRIPT_BUCKET), started as the session starts and
stopped when it closes. When egress cannot start (no bucket, or the deployment has no
egress service) a warning says why and the agent's recorder records the room instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from livekit.agents import AgentSession, get_job_context
from livekit.agents.voice.recorder_io import RecorderIO

from voicehire.livekit_gateway import EgressTarget, LiveKitGateway, LiveKitGatewayError
from voicehire.settings import Settings, reveal
from voicehire.storage.objects import (
    copy_file,
    object_store,
    recording_key,
    recording_path,
    store_file,
)

logger = logging.getLogger(__name__)

# Audio only: the framework's other recording features upload to LiveKit Cloud.
RECORD_AUDIO_ONLY: dict[str, bool] = {
    "audio": True,
    "traces": False,
    "logs": False,
    "transcript": False,
}

_pending: set[asyncio.Task[Any]] = set()


def room_record_option(enabled: bool) -> dict[str, bool] | bool:
    """What ``AgentSession.start(record=...)`` gets in a room."""
    return dict(RECORD_AUDIO_ONLY) if enabled else False


def attach_recorder(
    session: AgentSession[Any], settings: Settings, interview_id: str
) -> RecorderIO | None:
    """Wrap the session's audio input and output in a recorder (before ``start``).
    None when the session lacks audio one way (nothing to record both sides of)."""
    if session.input.audio is None or session.output.audio is None:
        logger.warning(
            "enableRecording needs audio both ways (a microphone and a TTS engine); "
            "this session is not recorded",
            extra={"interview_id": interview_id},
        )
        return None
    recorder = RecorderIO(agent_session=session)
    session.input.audio = recorder.record_input(session.input.audio)
    session.output.audio = recorder.record_output(session.output.audio)
    return recorder


async def start_recorder(recorder: RecorderIO, settings: Settings, interview_id: str) -> None:
    target = recording_path(settings, interview_id)
    await recorder.start(output_path=target.with_name(target.name + ".recording.ogg"))


def keep_when_closed(
    session: AgentSession[Any],
    settings: Settings,
    interview_id: str,
    recorder: RecorderIO | None = None,
) -> None:
    """When the session closes, finish the recording and store it (in the background;
    :func:`wait_for_recordings` waits for it)."""

    def on_close(_event: Any) -> None:
        source: Path | None = None
        if recorder is None:
            # the framework's recorder (rooms): the job's session directory is removed as
            # the job ends, so the file is copied out now, before anything else runs
            try:
                source = get_job_context().session_directory / "audio.ogg"
                if source.is_file():
                    target = recording_path(settings, interview_id)
                    source = copy_file(source, target.with_name(target.name + ".recording.ogg"))
            except Exception as exc:
                logger.error(
                    "the session's recording could not be saved",
                    extra={"interview_id": interview_id, "error": repr(exc)},
                )
                return
        task = asyncio.ensure_future(_finish(settings, interview_id, recorder, source))
        _pending.add(task)
        task.add_done_callback(_pending.discard)

    session.once("close", on_close)


def egress_target(settings: Settings, interview_id: str) -> EgressTarget | None:
    """Where LiveKit Egress uploads ``interview_id``'s recording: the storage's own
    bucket and key (``TRANSCRIPT_BUCKET``, its prefix, ``S3_*``); None without a bucket."""
    if not settings.transcript_bucket:
        return None
    return EgressTarget(
        bucket=settings.transcript_bucket,
        key=settings.transcript_bucket_prefix + recording_key(interview_id),
        region=settings.s3_region,
        endpoint=settings.s3_endpoint_url or "",
        access_key=settings.s3_access_key_id or "",
        secret=reveal(settings.s3_secret_access_key) or "",
    )


async def start_room_egress(
    settings: Settings,
    room: str,
    interview_id: str,
    gateway: LiveKitGateway | None = None,
) -> str | None:
    """With ``RECORDING_BACKEND=egress``, start LiveKit Egress recording ``room``; returns
    its egress id. None when the agent's recorder is to record the room instead: the
    backend is ``agent``, or egress could not start (the warning says why)."""
    if settings.recording_backend != "egress":
        return None
    fallback = "; the agent's recorder records this interview instead"
    target = egress_target(settings, interview_id)
    if target is None:
        logger.warning(
            "RECORDING_BACKEND=egress needs TRANSCRIPT_BUCKET (LiveKit Egress uploads the "
            "recording there)" + fallback,
            extra={"interview_id": interview_id},
        )
        return None
    own = gateway is None
    gateway = gateway or LiveKitGateway.from_settings(settings)
    if gateway is None:
        logger.warning(
            "RECORDING_BACKEND=egress needs LIVEKIT_URL, LIVEKIT_API_KEY and "
            "LIVEKIT_API_SECRET" + fallback,
            extra={"interview_id": interview_id},
        )
        return None
    try:
        # the session starts only after this: a server without an egress service takes
        # about 20 s to refuse, so the wait is bounded
        return await asyncio.wait_for(
            gateway.start_audio_egress(room, target), settings.recording_egress_timeout
        )
    except TimeoutError:
        logger.warning(
            f"LiveKit Egress did not answer within {settings.recording_egress_timeout:g} s "
            "(RECORDING_EGRESS_TIMEOUT; does this deployment run an egress service?)" + fallback,
            extra={"interview_id": interview_id},
        )
        return None
    except LiveKitGatewayError as exc:
        logger.warning(
            "LiveKit Egress did not start (does this deployment run an egress service?)" + fallback,
            extra={"interview_id": interview_id, "error": str(exc)},
        )
        return None
    finally:
        if own:
            await gateway.aclose()


async def record_room(
    session: AgentSession[Any], settings: Settings, interview_id: str, room: str
) -> tuple[str | None, dict[str, bool] | bool]:
    """Set up the recording of a room's session (before ``start``): LiveKit Egress when
    ``RECORDING_BACKEND=egress`` and it starts (stopped when the session closes), else the
    framework's recorder (stored when the session closes). Returns the egress id (None
    when the agent records) and what ``AgentSession.start(record=...)`` gets."""
    egress_id = await start_room_egress(settings, room, interview_id)
    if egress_id is not None:
        stop_egress_when_closed(session, settings, interview_id, egress_id, room)
        return egress_id, False
    keep_when_closed(session, settings, interview_id)
    return None, room_record_option(True)


def stop_egress_when_closed(
    session: AgentSession[Any], settings: Settings, interview_id: str, egress_id: str, room: str
) -> None:
    """When the session closes, stop the room's egress (in the background;
    :func:`wait_for_recordings` waits for it)."""

    def on_close(_event: Any) -> None:
        task = asyncio.ensure_future(stop_room_egress(settings, interview_id, egress_id, room))
        _pending.add(task)
        task.add_done_callback(_pending.discard)

    session.once("close", on_close)


async def stop_room_egress(
    settings: Settings,
    interview_id: str,
    egress_id: str,
    room: str,
    gateway: LiveKitGateway | None = None,
) -> None:
    own = gateway is None
    gateway = gateway or LiveKitGateway.from_settings(settings)
    if gateway is None:
        return None
    try:
        await gateway.stop_egress(egress_id, room)
        logger.info(
            "recording by LiveKit Egress stopped",
            extra={
                "interview_id": interview_id,
                "egress_id": egress_id,
                "key": recording_key(interview_id),
            },
        )
    except LiveKitGatewayError as exc:
        # an egress already ended (the room closed first) is not an error worth more
        logger.warning(
            "LiveKit Egress could not be stopped",
            extra={"interview_id": interview_id, "egress_id": egress_id, "error": str(exc)},
        )
    finally:
        if own:
            await gateway.aclose()
    return None


async def _finish(
    settings: Settings, interview_id: str, recorder: RecorderIO | None, source: Path | None
) -> Path | None:
    try:
        if recorder is not None:
            await recorder.aclose()
            source = recorder.output_path
        if source is None or not source.is_file() or source.stat().st_size == 0:
            logger.warning(
                "the session produced no recording", extra={"interview_id": interview_id}
            )
            return None
        target = recording_path(settings, interview_id)
        source.replace(target)
        stored = await store_file(settings, recording_key(interview_id), target)
        logger.info(
            "recording stored",
            extra={
                "interview_id": interview_id,
                "file": str(target),
                "uri": stored.uri if stored else None,
                "bytes": target.stat().st_size,
            },
        )
        return target
    except Exception:
        logger.exception("the session's recording could not be stored")
        return None


async def wait_for_recordings(within: float = 60.0) -> list[Path | None]:
    """Wait (up to ``within`` seconds) for recordings still being stored."""
    tasks = list(_pending)
    if not tasks:
        return []
    done, _ = await asyncio.wait(tasks, timeout=within)
    results: list[Path | None] = []
    for task in done:
        with contextlib.suppress(Exception):
            results.append(task.result())
    return results


def resume_uploads(settings: Settings) -> None:
    """Upload, in the background, what an earlier process left in the spool."""
    objects = object_store(settings)
    if objects is not None and objects.spooled():
        logger.info("uploading spooled objects", extra={"waiting": len(objects.spooled())})
        objects.start_draining()


async def settle_uploads(settings: Settings, within: float = 60.0) -> bool:
    """Before the process exits: wait for recordings being stored and the spool's upload
    (up to ``within`` seconds each). False when something is left in the spool (the next
    process, or ``voicehire storage drain``, uploads it)."""
    await wait_for_recordings(within)
    objects = object_store(settings)
    if objects is None:
        return True
    drained = await objects.wait_drained(within)
    if not drained:
        logger.warning(
            "the object store is unreachable; uploads wait in the spool",
            extra={"spool": str(objects.config.spool_dir), "waiting": len(objects.spooled())},
        )
    return drained
