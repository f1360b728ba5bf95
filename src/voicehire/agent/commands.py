"""``voicehire interview`` and ``voicehire call`` (the embedded default, one runner for
every mode) and ``voicehire agent`` (the LiveKit worker)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from voicehire.domain.config import SessionConfig, parse_session_config
from voicehire.domain.plan import PlanError
from voicehire.logging_setup import configure_logging
from voicehire.settings import Settings, load_settings

CALL_MODES = ("gap_filling", "briefing")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "interview",
        help="run a whole interview here (no keys, no network): type answers, or --answers FILE",
        description="Run an interview on the embedded default. Type your answers, or pass a "
        "scripted candidate with --answers. Transcripts go to TRANSCRIPT_DIR (transcripts/).",
    )
    p.add_argument("--answers", type=Path, help="YAML file with a scripted candidate's answers")
    p.add_argument("--plan", help="built-in plan (full, mock) or a plan YAML file")
    p.add_argument("--role", help="role interviewed for (default: Software Engineer)")
    p.add_argument(
        "--type", dest="interview_type", help="interview type: technical, behavioral, mock"
    )
    p.add_argument("--name", help="candidate name")
    p.add_argument("--metadata", help="session metadata JSON in the seed format")
    p.add_argument("--transcripts", type=Path, help="transcript directory")
    p.add_argument("--max-duration", type=int, help="maximum interview length in seconds")
    p.add_argument("--no-audio", action="store_true", help="text only: don't synthesize speech")
    p.add_argument("--reports", type=Path, help="report directory (default: REPORT_DIR)")
    p.add_argument("--no-report", action="store_true", help="skip the evaluation report")
    p.set_defaults(func=_interview)

    c = subparsers.add_parser(
        "call",
        help="run a gap-filling call or an interviewer briefing here (no keys, no network)",
        description="Run the agent's other modes on the embedded default. gap_filling: the "
        "agent calls the candidate about the fields their record lists as missing_required "
        "and saves each answer as it is given (to CANDIDATE_DIR/{id}.json). briefing: the "
        "agent briefs the interviewer, then answers questions from the candidate's data "
        "only. Type your replies, or script them with --answers.",
    )
    c.add_argument("--mode", required=True, choices=CALL_MODES, help="which call to run")
    c.add_argument(
        "--candidate",
        required=True,
        type=Path,
        help="candidate record (JSON/YAML, API candidate schema; or a bundle with "
        "candidate, job, interviews, gap_filling)",
    )
    c.add_argument("--answers", type=Path, help="YAML file of scripted replies")
    c.add_argument("--job", type=Path, help="briefing: the job (JSON/YAML)")
    c.add_argument(
        "--result",
        type=Path,
        action="append",
        default=[],
        help="briefing: an earlier interview evaluation or gap-filling result (repeatable)",
    )
    c.add_argument(
        "--fields",
        type=Path,
        action="append",
        default=[],
        help="gap_filling: extra field spec YAML (repeatable; adds to FIELD_SPEC_FILES)",
    )
    c.add_argument(
        "--time-budget",
        type=float,
        help="gap_filling: seconds the call aims for (default GAP_FILLING_TIME_BUDGET=150)",
    )
    c.add_argument("--interviewer", help="briefing: the interviewer's name")
    c.add_argument("--transcripts", type=Path, help="transcript and result directory")
    c.add_argument("--candidates", type=Path, help="where to save candidate records")
    c.add_argument("--no-audio", action="store_true", help="text only: don't synthesize speech")
    c.set_defaults(func=_call)

    a = subparsers.add_parser(
        "agent",
        help="run the LiveKit agent worker: voicehire agent dev|start|console",
        description="The LiveKit Agents worker (explicit dispatch by AGENT_NAME). Arguments "
        "after `agent` go to the LiveKit Agents CLI (dev, start, console, download-files).",
        add_help=False,
    )
    a.set_defaults(func=_agent, accepts_extra_args=True)


def _fail(message: str) -> int:
    print(f"voicehire: {message}", file=sys.stderr)
    return 2


def _settings(overrides: dict[str, Any]) -> tuple[Settings, Path]:
    settings = load_settings()
    if overrides:
        settings = settings.model_copy(update=overrides)
    log_file = settings.log_file or settings.transcript_dir / "voicehire.log.jsonl"
    configure_logging(
        settings.log_level,
        settings.log_format,
        log_file,
        console_level="WARNING" if settings.log_format == "console" else None,
    )
    return settings, log_file


def _interview(args: argparse.Namespace, rest: list[str]) -> int:
    # Inputs are checked before the (slow to import) agent runtime is loaded.
    from voicehire.agent.candidate_script import ScriptError, load_script
    from voicehire.domain.plan import load_plan, plan_for_session

    overrides: dict[str, Any] = {}
    script = None
    if args.answers is not None:
        try:
            script = load_script(args.answers)
        except ScriptError as exc:
            return _fail(str(exc))
        if script.silence_timeout:
            overrides["silence_timeout"] = script.silence_timeout
    if args.transcripts:
        overrides["transcript_dir"] = args.transcripts
    if args.reports:
        overrides["report_dir"] = args.reports
    if args.no_audio:
        overrides["tts_provider"] = "none"
    cli_meta: dict[str, object] = {}
    for key, value in (
        ("interviewRole", args.role),
        ("interviewType", args.interview_type),
        ("candidateName", args.name or (script.name if script else None)),
        ("maxDuration", args.max_duration),
    ):
        if value is not None:
            cli_meta[key] = value
    settings, log_file = _settings(overrides)
    parsed = parse_session_config(
        args.metadata, cli_meta, default_max_duration=settings.max_interview_duration
    )
    for problem in parsed.problems:
        print(f"voicehire: metadata: {problem}", file=sys.stderr)
    config = parsed.config
    if config.session_type != "ai_interview":
        return _fail("voicehire interview runs interviews; use voicehire call for other modes")
    try:
        load_plan(args.plan or plan_for_session(config.plan, config.interview_type))
    except PlanError as exc:
        return _fail(str(exc))
    return _run(
        settings,
        config,
        script=script,
        log_file=log_file,
        # the command line is the operator's: a plan file named there (or in --metadata)
        # is trusted, unlike a plan path in a room's metadata
        plan=args.plan or config.plan,
        evaluate=not args.no_report,
    )


def _call(args: argparse.Namespace, rest: list[str]) -> int:
    from voicehire.agent.candidate_script import ScriptError, load_script
    from voicehire.agent.modes.records import (
        RecordError,
        field_registry,
        is_gap_filling_result,
        load_bundle,
        load_document,
        missing_fields,
    )
    from voicehire.domain.fields import FieldSpecError

    overrides: dict[str, Any] = {}
    script = None
    try:
        bundle = load_bundle(args.candidate)
        job = bundle.get("job")
        if args.job is not None:
            job = load_document(args.job, "job file")
            if not isinstance(job, dict):
                raise RecordError(f"{args.job}: expected a job (a mapping with 'title')")
        interviews = list(bundle.get("interviews") or [])
        gap = bundle.get("gap_filling")
        for path in args.result:
            doc = load_document(path, "result file")
            if not isinstance(doc, dict):
                raise RecordError(f"{path}: expected a result document (a mapping)")
            if is_gap_filling_result(doc):
                gap = doc
            else:
                interviews.append(doc)
        if args.answers is not None:
            script = load_script(args.answers)
    except (RecordError, ScriptError) as exc:
        return _fail(str(exc))
    if script is not None and script.silence_timeout:
        overrides["silence_timeout"] = script.silence_timeout
    if args.transcripts:
        overrides["transcript_dir"] = args.transcripts
    if args.candidates:
        overrides["candidate_dir"] = args.candidates
    if args.no_audio:
        overrides["tts_provider"] = "none"
    if args.time_budget is not None:
        if args.time_budget <= 0:
            return _fail("--time-budget must be a positive number of seconds")
        overrides["gap_filling_time_budget"] = args.time_budget
    candidate = bundle["candidate"]
    if args.mode == "gap_filling":
        base = load_settings()
        overrides["field_spec_paths"] = [*base.field_spec_paths, *args.fields]
        try:
            field_registry(overrides["field_spec_paths"])
        except FieldSpecError as exc:
            return _fail(str(exc))
        if not missing_fields(candidate):
            print(
                f"Nothing to ask: {args.candidate} lists no missing_required fields without a "
                "value."
            )
            return 0
    settings, log_file = _settings(overrides)
    # The call's inputs travel as metadata, exactly as a room job receives them.
    extra: dict[str, Any] = {"candidate": candidate}
    if args.mode == "briefing":
        extra.update(
            job=job if isinstance(job, dict) else None,
            interviews=interviews,
            gapFilling=gap if is_gap_filling_result(gap) else None,
            interviewerName=args.interviewer,
        )
    config = SessionConfig(
        session_type=args.mode,
        candidate_id=candidate.get("id"),
        max_duration=settings.max_interview_duration,
        extra={k: v for k, v in extra.items() if v is not None},
    )
    return _run(settings, config, script=script, log_file=log_file, candidate_source=args.candidate)


def _run(
    settings: Settings,
    config: SessionConfig,
    *,
    script: Any,
    log_file: Path,
    plan: str | None = None,
    candidate_source: Path | None = None,
    evaluate: bool = True,
) -> int:
    """The one terminal runner: build the mode's runtime, run it to its end, produce its
    result (an evaluation report, a call's result file) and say where everything went."""
    from voicehire.agent.launch import SessionRequest, build_runtime
    from voicehire.agent.local_run import SpokenScriptError, run_local

    async def session() -> tuple[Any, dict[str, Any]]:
        request = SessionRequest(
            settings=settings, config=config, plan=plan, candidate_source=candidate_source
        )
        runtime = await build_runtime(request)
        print(runtime.header())
        if script is None:
            print("Type your answers and press Enter. Ctrl-D leaves.")
        audio_path = (
            settings.transcript_dir / f"{config.session_type}_{runtime.session_id}_agent.wav"
        )
        outcome = await run_local(settings, runtime, script=script, audio_path=audio_path)
        result: dict[str, Any] = {}
        if evaluate:
            try:
                result = await runtime.produce_result(outcome, settings)
            except Exception as exc:
                print(f"result NOT produced: {exc}", file=sys.stderr)
        return (runtime, outcome), result

    try:
        (runtime, outcome), result = asyncio.run(session())
    except SpokenScriptError as exc:
        return _fail(str(exc))
    print(f"end reason:    {outcome.end_reason}")
    print(f"transcripts:   {settings.transcript_dir.resolve()}")
    for line in runtime.summary_lines(outcome, result, settings):
        print(line)
    if outcome.transcript_path:
        print(f"full transcript: {outcome.transcript_path}")
    else:
        print(f"full transcript NOT stored: {outcome.transcript_error}", file=sys.stderr)
    print(f"logs (JSON):   {log_file}")
    return 0 if outcome.transcript_path else 1


def _agent(args: argparse.Namespace, rest: list[str]) -> int:
    from voicehire.agent.worker import run_worker

    return run_worker(rest)
