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
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from livekit.agents import AgentSession, get_job_context
from livekit.agents.voice.recorder_io import RecorderIO

from voicehire.settings import Settings
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

_pending: set[asyncio.Task[Path | None]] = set()


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
