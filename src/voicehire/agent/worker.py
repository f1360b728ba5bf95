"""The LiveKit Agents worker: ``voicehire agent dev|start|console``.

The worker registers with an explicit ``AGENT_NAME``, so it only joins rooms it is
dispatched to (by the VoiceHire API or a token's room configuration). Each job reads
the seed-format metadata from the dispatch and the room (and the API's, when it reports
to one), builds the session for its ``sessionType`` from the mode registry, runs it in
the room, and ends when the person leaves.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import Any

from livekit.agents import AgentServer, JobContext, JobProcess, JobRequest, cli

from voicehire.agent.engines import build_stt, build_vad
from voicehire.agent.launch import SessionIO, SessionRequest, build_runtime, start_session
from voicehire.agent.messages import RoomSink
from voicehire.agent.platform_sync import InterviewRefused, PlatformSync, platform_deliverer
from voicehire.agent.room import (
    agent_identity,
    job_engines,
    job_transcript_writer,
    wait_for_person,
    wire_room,
)
from voicehire.agent.runtime import SessionRuntime
from voicehire.agent.speech import turn as speech_turn
from voicehire.domain.config import ParsedConfig, parse_session_config
from voicehire.domain.outcome import SessionOutcome
from voicehire.logging_setup import bind_context, configure_logging, redact_room
from voicehire.platform_client import PlatformClient, PlatformError
from voicehire.settings import Settings, get_settings, reveal
from voicehire.storage.outbox import Outbox

logger = logging.getLogger(__name__)

# Seconds the job waits for a running evaluation or result upload when it shuts down.
RESULT_WAIT = 120.0


def job_config(
    ctx: JobContext, settings: Settings, api_metadata: dict[str, Any] | None = None
) -> ParsedConfig:
    """Session configuration for a job: room metadata, then the dispatch's job metadata,
    then (when the API is used) the API's, later ones winning. Never raises on bad
    metadata: every problem is logged with what was wrong, and the default is used."""
    room_metadata = ctx.job.room.metadata if ctx.job.room is not None else ""
    parsed = parse_session_config(
        room_metadata,
        ctx.job.metadata,
        api_metadata,
        default_max_duration=settings.max_interview_duration,
    )
    _log_problems(ctx, parsed.problems)
    return parsed


def _log_problems(ctx: JobContext, problems: list[str]) -> None:
    for problem in problems:
        logger.error(
            "invalid session metadata",
            extra={
                "job_id": ctx.job.id,
                "room": redact_room(ctx.job.room.name),
                "problem": problem,
            },
        )


async def entrypoint(ctx: JobContext) -> None:
    settings = get_settings()
    platform = _platform_client(settings)
    try:
        await run_job(ctx, settings, platform)
    finally:
        if platform is not None:
            ctx.add_shutdown_callback(platform.aclose)


def _platform_client(settings: Settings) -> PlatformClient | None:
    try:
        return PlatformClient.from_settings(settings)
    except PlatformError as exc:  # misconfigured: run from metadata alone, loudly
        logger.error("VoiceHire API not used", extra={"error": str(exc)})
        return None


async def run_job(
    ctx: JobContext, settings: Settings, platform: PlatformClient | None
) -> SessionRuntime | None:
    """Set up and start the job's session (any mode, by ``sessionType``); returns its
    runtime once under way (None if refused or nobody joined)."""
    parsed = job_config(ctx, settings)
    sync = None
    if platform is not None and parsed.config.interview_id:
        sync = PlatformSync(platform, parsed.config.interview_id, agent_outbox(settings))
        try:
            api_metadata = await sync.fetch_metadata()
        except InterviewRefused as exc:
            logger.error(
                "interview refused by the VoiceHire API; leaving the room",
                extra={"interview_id": parsed.config.interview_id, "error": str(exc)},
            )
            ctx.shutdown(reason="interview not startable")
            return None
        if api_metadata:
            parsed = job_config(ctx, settings, api_metadata)
    config = parsed.config
    # The LiveKit Agents CLI writes these fields itself (not through our handlers).
    fields = {"interview_id": config.interview_id, "room": redact_room(ctx.room.name)}
    ctx.log_context_fields = {**ctx.log_context_fields, **fields}
    bind_context(fields)
    request = SessionRequest(
        settings=settings,
        config=config,
        platform=platform,
        interview_id=sync.interview_id if sync is not None else None,
        identity=agent_identity(ctx, settings),
        room_name=ctx.room.name,
        lenient=True,
        problems=list(parsed.problems),
    )
    runtime = await build_runtime(request)
    _log_problems(ctx, request.problems[len(parsed.problems) :])
    if not ctx.is_fake_job():
        person = await wait_for_person(ctx, settings)
        if person is None:
            if sync is not None:
                await sync.report("cancelled", runtime.no_show_reason)
            ctx.shutdown(reason="nobody joined")
            return None
        # captions name the person by their LiveKit identity
        runtime.options.candidate_identity = person.identity

    deliveries: list[asyncio.Task[Any]] = []

    async def deliver(outcome: SessionOutcome) -> None:
        try:
            result = await runtime.produce_result(outcome, settings)
            if sync is not None and result:
                await sync.upload_result(result)
        except Exception:
            logger.exception("the session's result was not produced", extra=fields)
        # the end's status, transcript and result are retried until the API has them;
        # what is still queued when the job is gone, the worker process delivers
        if sync is not None and not await sync.flush(within=RESULT_WAIT):
            logger.warning(
                "the interview's end is not stored yet; the worker keeps retrying it",
                extra=fields,
            )

    async def after_end(outcome: SessionOutcome) -> None:
        if sync is not None:
            await sync.report_end(outcome.end_reason)
        # Scored/written after the goodbye, off the conversation; the job waits for it
        # as it shuts down, and the agent leaves the room now the session is over.
        deliveries.append(asyncio.ensure_future(deliver(outcome)))
        ctx.shutdown(reason=f"session ended: {outcome.end_reason}")

    async def on_shutdown(reason: str = "") -> None:
        if not runtime.ended.is_set():
            await runtime.end("job_shutdown", speak=False)
        if deliveries:
            await asyncio.wait(deliveries, timeout=RESULT_WAIT)

    runtime.on_end(after_end)
    ctx.add_shutdown_callback(on_shutdown)
    wire_room(ctx, runtime, settings)
    if sync is not None:
        await sync.report("in_progress")
    io = SessionIO(
        writer=job_transcript_writer(settings, platform, sync),
        sink=RoomSink(ctx.room),
        room=ctx.room,
    )
    await start_session(runtime, job_engines(ctx, settings), settings, io)
    return runtime


async def request_handler(req: JobRequest) -> None:
    """Accept every dispatch with an identity that front ends recognise (seed 004)."""
    settings = get_settings()
    await req.accept(
        identity=f"{settings.agent_identity}-{req.id[-8:]}",
        name="VoiceHire interviewer",
        attributes={"voicehire.role": "interviewer"},
    )


def prewarm(proc: JobProcess) -> None:
    """Load what every job of this process needs before it is dispatched: the VAD and,
    when turns end by the local model, that model."""
    settings = get_settings()
    if build_stt(settings) is not None:
        proc.userdata["vad"] = build_vad()
        if settings.turn_detection != "vad" and speech_turn.turn_model_installed():
            from livekit.local_inference import init_eot

            init_eot()


def build_server(settings: Settings) -> AgentServer:
    """The worker: explicit dispatch by AGENT_NAME, the VAD prewarmed per process."""
    kwargs: dict[str, Any] = {}
    if settings.livekit_configured:
        kwargs.update(
            ws_url=settings.livekit_url,
            api_key=settings.livekit_api_key,
            api_secret=reveal(settings.livekit_api_secret),
        )
    server = AgentServer(setup_fnc=prewarm, **kwargs)
    server.rtc_session(agent_name=settings.agent_name, on_request=request_handler)(entrypoint)
    return server


def run_worker(argv: list[str]) -> int:
    settings = get_settings()
    # The LiveKit Agents CLI prints logs itself (readable in dev/console, JSON in start).
    configure_logging(settings.log_level, settings.log_format, settings.log_file, console=False)
    if not argv or argv[0] in ("-h", "--help"):
        print(
            "usage: voicehire agent {dev,start,console,download-files} [options]\n\n"
            "  dev      run the worker against LIVEKIT_URL with hot reload\n"
            "  start    run the worker in production mode\n"
            "  console  talk to the agent in this terminal (microphone and speaker)\n\n"
            f"The worker registers as AGENT_NAME={settings.agent_name!r} (explicit dispatch)."
        )
        return 0 if argv else 2
    if argv[0] in ("dev", "start") and not settings.livekit_configured:
        print(
            "voicehire: `voicehire agent dev|start` needs LIVEKIT_URL, LIVEKIT_API_KEY and "
            "LIVEKIT_API_SECRET. Without a LiveKit server, run `voicehire interview` instead.",
            file=sys.stderr,
        )
        return 2
    sys.argv = ["voicehire agent", *argv]
    if argv[0] in ("dev", "start"):
        start_outbox_thread(settings)
    cli.run_app(build_server(settings))
    return 0


def agent_outbox(settings: Settings) -> Outbox:
    """The worker's outbox (``OUTBOX_DIR``/agent; `voicehire serve` uses ``/serve``)."""
    return Outbox(settings.outbox_dir / "agent", max_delay=60.0)


def start_outbox_thread(settings: Settings) -> threading.Thread | None:
    """Deliver the outbox (``OUTBOX_DIR``) for as long as the worker runs: the ends of
    interviews whose jobs are gone (the API was down, the job was killed) are retried
    with backoff until the API has stored them."""
    try:
        platform = PlatformClient.from_settings(settings)
    except PlatformError:
        return None
    if platform is None:
        return None
    client = platform

    async def drain_forever() -> None:
        await agent_outbox(settings).run(platform_deliverer(client))

    thread = threading.Thread(
        target=lambda: asyncio.run(drain_forever()), name="voicehire-outbox", daemon=True
    )
    thread.start()
    return thread
