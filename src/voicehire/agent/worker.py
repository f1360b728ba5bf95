"""The LiveKit Agents worker: ``voicehire agent dev|start|console``.

The worker registers with an explicit ``AGENT_NAME``, so it only joins rooms it is
dispatched to (by the VoiceHire API or a token's room configuration). Each job reads the
seed-format metadata from the dispatch and the room, runs the interview in the room,
publishes live transcription on the ``transcription`` data topic, obeys inbound control
messages, and ends when the candidate leaves.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass
from typing import Any

from livekit.agents import AgentSession, JobContext, JobProcess, JobRequest, WorkerOptions, cli
from livekit.agents.voice.room_io import RoomOptions

from voicehire.agent.engines import build_stt, build_vad
from voicehire.agent.local_session import resolve_plan
from voicehire.agent.messages import RoomSink
from voicehire.agent.modes.base import ModeRuntime
from voicehire.agent.platform_sync import (
    InterviewRefused,
    PlatformSync,
)
from voicehire.agent.room import (
    agent_identity,
    job_engines,
    job_transcript_writer,
    wait_for_person,
    wire_room,
)
from voicehire.agent.runtime import InterviewOutcome, InterviewRuntime, RuntimeOptions
from voicehire.agent.stages import LobbyAgent
from voicehire.interview.config import SessionConfig, parse_session_config
from voicehire.interview.plan import PlanError, ResolvedPlan, load_plan
from voicehire.logging_setup import configure_logging
from voicehire.platform_client import PlatformClient, PlatformError
from voicehire.settings import Settings, get_settings

logger = logging.getLogger(__name__)

# Seconds the job waits for a running evaluation when it shuts down.
EVALUATION_WAIT = 120.0


@dataclass
class JobSetup:
    config: SessionConfig
    plan: ResolvedPlan
    problems: list[str]


def prepare_job(
    ctx: JobContext, settings: Settings, api_metadata: dict[str, Any] | None = None
) -> JobSetup:
    """Session configuration and plan for a job: room metadata, then the dispatch's job
    metadata, then (when the API is used) the API's, later ones winning. Never raises on
    bad metadata: every problem is logged with what was wrong, and the default is used."""
    room_metadata = ctx.job.room.metadata if ctx.job.room is not None else ""
    parsed = parse_session_config(
        room_metadata,
        ctx.job.metadata,
        api_metadata,
        default_max_duration=settings.max_interview_duration,
    )
    problems = list(parsed.problems)
    config = parsed.config
    try:
        plan = resolve_plan(settings, config, None)
    except PlanError as exc:
        problems.append(f"plan {config.plan!r} unusable ({exc}); using the built-in 'full' plan")
        plan = load_plan("full").resolve(
            role=config.interview_role, interview_type=config.interview_type
        )
    for problem in problems:
        logger.error(
            "invalid session metadata",
            extra={"job_id": ctx.job.id, "room": ctx.job.room.name, "problem": problem},
        )
    return JobSetup(config, plan, problems)


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
) -> InterviewRuntime | ModeRuntime | None:
    """Set up and start the job's session (an interview, or a gap-filling or briefing
    call, by ``sessionType``); returns its runtime (None if refused or nobody joined)."""
    setup = prepare_job(ctx, settings)
    sync = None
    if platform is not None and setup.config.interview_id:
        sync = PlatformSync(platform, setup.config.interview_id)
        try:
            api_metadata = await sync.fetch_metadata()
        except InterviewRefused as exc:
            logger.error(
                "interview refused by the VoiceHire API; leaving the room",
                extra={"interview_id": setup.config.interview_id, "error": str(exc)},
            )
            ctx.shutdown(reason="interview not startable")
            return None
        if api_metadata:
            setup = prepare_job(ctx, settings, api_metadata)
    config = setup.config
    if config.session_type in ("gap_filling", "briefing"):
        from voicehire.agent.modes.job import run_mode_job

        return await run_mode_job(ctx, config, settings, platform=platform, sync=sync)
    if not ctx.is_fake_job() and not await wait_for_person(ctx, settings):
        if sync is not None:
            await sync.report("cancelled", "candidate_no_show")
        ctx.shutdown(reason="candidate did not join")
        return None

    engines = job_engines(ctx, settings)
    writer = job_transcript_writer(settings, platform, sync)
    runtime = InterviewRuntime(
        config=config,
        plan=setup.plan,
        writer=writer,
        sink=RoomSink(ctx.room),
        options=RuntimeOptions(
            silence_timeout=settings.silence_timeout,
            agent_identity=agent_identity(ctx, settings),
            agent_name=setup.plan.plan.interviewer_name,
            room_name=ctx.room.name,
        ),
    )
    if engines.policy is not None:
        engines.policy.bind(runtime)
    session: AgentSession = AgentSession(
        llm=engines.llm,
        stt=engines.stt,
        tts=engines.tts,
        vad=engines.vad,
        user_away_timeout=settings.silence_timeout,
        # Without speech-to-text the candidate answers by chat (lk.chat); no turn detector.
        turn_handling={} if engines.stt is not None else {"turn_detection": "manual"},
    )
    runtime.attach(session)
    wire_room(ctx, runtime, settings)
    evaluation: list[asyncio.Task[Any]] = []

    async def after_interview(outcome: InterviewOutcome) -> None:
        if sync is not None:
            await sync.report_end(outcome.end_reason)
        if outcome.transcript:
            # Scored after the goodbye, off the conversation; the job waits for it on exit.
            evaluation.append(asyncio.ensure_future(_evaluate(outcome, setup, settings, sync)))

    async def on_shutdown(reason: str = "") -> None:
        if not runtime.ended.is_set():
            await runtime.end("job_shutdown", speak=False)
        if evaluation:
            await asyncio.wait(evaluation, timeout=EVALUATION_WAIT)

    runtime.on_end(after_interview)
    ctx.add_shutdown_callback(on_shutdown)
    if sync is not None:
        await sync.report("in_progress")
    first = LobbyAgent() if config.extra.get("waitForStart") else runtime.begin()
    await session.start(
        agent=first,
        room=ctx.room,
        room_options=RoomOptions(
            text_output=config.enable_transcription,
            # with no TTS engine the agent answers in text (lk.transcription / chat) only
            audio_output=engines.tts is not None,
            close_on_disconnect=True,
        ),
        record=config.enable_recording,
    )
    return runtime


async def _evaluate(
    outcome: InterviewOutcome, setup: JobSetup, settings: Settings, sync: PlatformSync | None
) -> None:
    from voicehire.evaluation.report import write_report
    from voicehire.evaluation.service import evaluate

    try:
        result = await evaluate(outcome.transcript or {}, settings=settings, plan=setup.plan.plan)
        write_report(result, settings.transcript_dir / "reports")
        if sync is not None:
            await sync.upload_result(result.model_dump(mode="json"))
    except Exception:
        logger.exception("evaluation failed", extra={"interview_id": outcome.interview_id})


async def request_handler(req: JobRequest) -> None:
    """Accept every dispatch with an identity that front ends recognise (seed 004)."""
    settings = get_settings()
    await req.accept(
        identity=f"{settings.agent_identity}-{req.id[-8:]}",
        name="VoiceHire interviewer",
        attributes={"voicehire.role": "interviewer"},
    )


def prewarm(proc: JobProcess) -> None:
    if build_stt(get_settings()) is not None:
        proc.userdata["vad"] = build_vad()


def worker_options(settings: Settings) -> WorkerOptions:
    kwargs: dict[str, Any] = {}
    if settings.livekit_configured:
        kwargs.update(
            ws_url=settings.livekit_url,
            api_key=settings.livekit_api_key,
            api_secret=settings.livekit_api_secret,
        )
    return WorkerOptions(
        entrypoint_fnc=entrypoint,
        request_fnc=request_handler,
        prewarm_fnc=prewarm,
        agent_name=settings.agent_name,
        **kwargs,
    )


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
    cli.run_app(worker_options(settings))
    return 0
