"""Gap-filling and briefing calls in a LiveKit room (the worker calls :func:`run_mode_job`
for ``sessionType`` ``gap_filling`` / ``briefing``).

Inputs, API first:

- **gap_filling**: with a VoiceHire API client and a ``candidateId``, the candidate
  record comes from ``GET /api/agent/candidates/{id}`` and every accepted value is saved
  at once with ``PATCH .../fields``. Without an API (or without a candidate id), the
  record comes from the job metadata (``candidate: {...}``, or ``missing_required`` /
  ``missingRequired`` plus ``candidateName``) and is saved as
  ``CANDIDATE_DIR/{candidateId}.json``. Extra field specs: ``FIELD_SPEC_FILES`` and
  the metadata's ``fieldSpecs``. Time budget: metadata ``timeBudget`` (seconds), else
  ``GAP_FILLING_TIME_BUDGET``.
- **briefing**: the candidate (API or metadata ``candidate``), the job (the API's
  interview configuration or metadata ``job``), earlier results (metadata ``interviews``)
  and gap-filling results (metadata ``gapFilling``, else what a gap-filling call saved
  in the record). Nothing is written to the candidate record.

With a :class:`~voicehire.agent.platform_sync.PlatformSync` (an API interview record of
this mode), the status is reported, transcripts are mirrored to it and the call's
result is uploaded as the interview's result.
"""

from __future__ import annotations

import logging
from typing import Any

from livekit.agents import AgentSession, JobContext
from livekit.agents.voice.room_io import RoomOptions

from voicehire.agent.messages import RoomSink
from voicehire.agent.modes.base import DEFAULT_AGENT_NAME, ModeOutcome, ModeRuntime
from voicehire.agent.modes.records import (
    PlatformCandidateSaver,
    field_registry,
    is_gap_filling_result,
)
from voicehire.agent.modes.session import (
    briefing_runtime,
    gap_filling_runtime,
    local_store_for,
    write_result,
)
from voicehire.agent.platform_sync import (
    PlatformSync,
)
from voicehire.agent.room import (
    agent_identity,
    job_engines,
    job_transcript_writer,
    wait_for_person,
    wire_room,
)
from voicehire.agent.runtime import RuntimeOptions
from voicehire.interview.config import SessionConfig
from voicehire.interview.fields import FieldSpecError
from voicehire.platform_client import PlatformClient, PlatformError
from voicehire.settings import Settings

logger = logging.getLogger(__name__)


def _meta(config: SessionConfig, *keys: str) -> Any:
    for key in keys:
        if config.extra.get(key) is not None:
            return config.extra[key]
    return None


async def _candidate(
    config: SessionConfig, platform: PlatformClient | None
) -> tuple[dict[str, Any], bool]:
    """The candidate record and whether it came from the API."""
    if platform is not None and config.candidate_id:
        try:
            return await platform.get_candidate(config.candidate_id), True
        except PlatformError as exc:
            logger.error(
                "could not fetch the candidate from the VoiceHire API; using the metadata",
                extra={"candidate_id": config.candidate_id, "error": str(exc)},
            )
    record = _meta(config, "candidate")
    candidate: dict[str, Any] = dict(record) if isinstance(record, dict) else {}
    candidate.setdefault("id", config.candidate_id)
    if config.candidate_name != "Candidate":
        candidate.setdefault("name", config.candidate_name)
    missing = _meta(config, "missing_required", "missingRequired")
    if isinstance(missing, list):
        candidate.setdefault("missing_required", missing)
    for key, aliases in (
        ("notes", ("notes", "recruiterNotes", "recruiter_notes")),
        ("resume_summary", ("resume_summary", "resumeSummary")),
    ):
        value = _meta(config, *aliases)
        if value is not None:
            candidate.setdefault(key, value)
    return candidate, False


async def _job(
    config: SessionConfig, platform: PlatformClient | None, sync: PlatformSync | None
) -> dict[str, Any] | None:
    job = _meta(config, "job")
    if isinstance(job, dict):
        return job
    if platform is not None and sync is not None:
        try:
            return (await platform.get_interview_config(sync.interview_id)).get("job")
        except PlatformError as exc:
            logger.error("could not fetch the job", extra={"error": str(exc)})
    return None


async def build_mode_runtime(
    config: SessionConfig,
    settings: Settings,
    *,
    platform: PlatformClient | None = None,
    sync: PlatformSync | None = None,
    options: RuntimeOptions | None = None,
) -> ModeRuntime:
    """The runtime for a gap-filling or briefing job (inputs as in the module doc)."""
    candidate, from_api = await _candidate(config, platform)
    if config.session_type == "gap_filling":
        try:
            registry = field_registry(settings.field_spec_paths, _meta(config, "fieldSpecs"))
        except FieldSpecError as exc:
            logger.error("field specs unusable; using the built-in ones", extra={"error": str(exc)})
            registry = field_registry()
        if from_api and platform is not None and config.candidate_id:
            saver: Any = PlatformCandidateSaver(platform, config.candidate_id, candidate)
        else:
            saver = local_store_for(settings, candidate)
        budget = _meta(config, "timeBudget", "time_budget")
        if not isinstance(budget, int | float) or isinstance(budget, bool) or budget <= 0:
            budget = None
        return gap_filling_runtime(
            settings,
            config,
            candidate,
            saver=saver,
            registry=registry,
            time_budget=budget,
            saved_to=saver.describe(),
            options=options,
        )
    gap = _meta(config, "gapFilling", "gap_filling")
    interviews = _meta(config, "interviews", "earlierInterviews")
    return briefing_runtime(
        settings,
        config,
        candidate,
        job=await _job(config, platform, sync),
        interviews=interviews if isinstance(interviews, list) else [],
        gap_filling=gap if is_gap_filling_result(gap) else None,
        interviewer_name=_meta(config, "interviewerName", "userName", "user_name"),
        options=options,
    )


async def run_mode_job(
    ctx: JobContext,
    config: SessionConfig,
    settings: Settings,
    *,
    platform: PlatformClient | None = None,
    sync: PlatformSync | None = None,
) -> ModeRuntime | None:
    """Run a ``gap_filling`` or ``briefing`` call in the job's room. Returns the runtime
    once the call is under way (None when nobody joined); the call then ends by itself,
    when the person leaves, or on job shutdown."""
    if config.session_type not in ("gap_filling", "briefing"):
        raise ValueError(f"run_mode_job runs gap_filling or briefing, not {config.session_type}")
    if not ctx.is_fake_job() and not await wait_for_person(ctx, settings):
        if sync is not None:
            await sync.report("cancelled", "participant_no_show")
        ctx.shutdown(reason="nobody joined")
        return None
    options = RuntimeOptions(
        silence_timeout=settings.silence_timeout,
        agent_identity=agent_identity(ctx, settings),
        agent_name=DEFAULT_AGENT_NAME,
        room_name=ctx.room.name,
    )
    runtime = await build_mode_runtime(
        config, settings, platform=platform, sync=sync, options=options
    )
    engines = job_engines(ctx, settings)
    writer = job_transcript_writer(settings, platform, sync)
    runtime.bind_io(writer, RoomSink(ctx.room))
    session: AgentSession = AgentSession(
        llm=runtime.llm_for(engines.llm),
        stt=engines.stt,
        tts=engines.tts,
        vad=engines.vad,
        user_away_timeout=settings.silence_timeout,
        turn_handling={} if engines.stt is not None else {"turn_detection": "manual"},
    )
    runtime.attach(session)
    wire_room(ctx, runtime, settings)

    async def after_call(outcome: ModeOutcome) -> None:
        write_result(outcome, settings.transcript_dir)
        if sync is not None:
            await sync.report_end(outcome.end_reason)
            await sync.upload_result(outcome.result)

    async def on_shutdown(reason: str = "") -> None:
        if not runtime.ended.is_set():
            await runtime.end("job_shutdown", speak=False)

    runtime.on_end(after_call)
    ctx.add_shutdown_callback(on_shutdown)
    if sync is not None:
        await sync.report("in_progress")
    await session.start(
        agent=runtime.begin(),
        room=ctx.room,
        room_options=RoomOptions(
            text_output=config.enable_transcription,
            # without a TTS engine the agent's lines go out as text only
            audio_output=engines.tts is not None,
            close_on_disconnect=True,
        ),
        record=config.enable_recording,
    )
    return runtime
