"""``voicehire interview`` (embedded default) and ``voicehire agent`` (LiveKit worker)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from voicehire.interview.config import parse_session_config
from voicehire.interview.plan import PlanError
from voicehire.logging_setup import configure_logging
from voicehire.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
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
    p.add_argument("--reports", type=Path, default=Path("reports"), help="report directory")
    p.add_argument("--no-report", action="store_true", help="skip the evaluation report")
    p.set_defaults(func=_interview)

    a = subparsers.add_parser(
        "agent",
        help="run the LiveKit agent worker: voicehire agent dev|start|console",
        description="The LiveKit Agents worker (explicit dispatch by AGENT_NAME). Arguments "
        "after `agent` go to the LiveKit Agents CLI (dev, start, console, download-files).",
        add_help=False,
    )
    a.set_defaults(func=_agent, accepts_extra_args=True)


def _interview(args: argparse.Namespace, rest: list[str]) -> int:
    # Inputs are checked before the (slow to import) agent runtime is loaded.
    from voicehire.agent.candidate_script import ScriptError, load_script
    from voicehire.interview.plan import load_plan, plan_for_session

    settings = load_settings()
    overrides: dict[str, object] = {}
    script = None
    if args.answers is not None:
        try:
            script = load_script(args.answers)
        except ScriptError as exc:
            print(f"voicehire: {exc}", file=sys.stderr)
            return 2
        if script.silence_timeout:
            overrides["silence_timeout"] = script.silence_timeout
    if args.transcripts:
        overrides["transcript_dir"] = args.transcripts
    if overrides:
        settings = settings.model_copy(update=overrides)
    log_file = settings.log_file or settings.transcript_dir / "voicehire.log.jsonl"
    configure_logging(
        settings.log_level,
        settings.log_format,
        log_file,
        console_level="WARNING" if settings.log_format == "console" else None,
    )

    cli_meta: dict[str, object] = {}
    for key, value in (
        ("interviewRole", args.role),
        ("interviewType", args.interview_type),
        ("candidateName", args.name or (script.name if script else None)),
        ("maxDuration", args.max_duration),
    ):
        if value is not None:
            cli_meta[key] = value
    parsed = parse_session_config(
        args.metadata, cli_meta, default_max_duration=settings.max_interview_duration
    )
    for problem in parsed.problems:
        print(f"voicehire: metadata: {problem}", file=sys.stderr)
    config = parsed.config
    try:
        load_plan(args.plan or plan_for_session(config.plan, config.interview_type))
    except PlanError as exc:
        print(f"voicehire: {exc}", file=sys.stderr)
        return 2
    from voicehire.agent.local_session import resolve_plan, run_local_interview

    plan = resolve_plan(settings, config, args.plan)
    if args.no_audio:
        settings = settings.model_copy(update={"tts_provider": "none"})

    print(
        f"VoiceHire interview — plan '{plan.plan.id}' ({' → '.join(plan.stage_ids())}), "
        f"role {config.interview_role}, candidate {config.candidate_name}"
    )
    if script is None:
        print("Type your answers and press Enter. Ctrl-D leaves the interview.")
    audio_path = settings.transcript_dir / f"interview_{config.interview_id or 'local'}_agent.wav"

    async def interview_then_report():
        outcome = await run_local_interview(
            settings, config, plan=plan, script=script, audio_path=audio_path
        )
        report = None
        if outcome.transcript and not args.no_report:
            from voicehire.evaluation.service import evaluate_and_report

            print("evaluating the interview ...", flush=True)
            report = await evaluate_and_report(
                outcome.transcript, settings=settings, out_dir=args.reports, plan=plan.plan
            )
        return outcome, report

    outcome, report = asyncio.run(interview_then_report())
    print(f"end reason:    {outcome.end_reason}")
    print(f"transcripts:   {settings.transcript_dir.resolve()}")
    if outcome.transcript_path:
        print(f"full transcript: {outcome.transcript_path}")
    else:
        print(f"full transcript NOT stored: {outcome.transcript_error}", file=sys.stderr)
    print(f"logs (JSON):   {log_file}")
    if outcome.transcript:
        info = outcome.transcript["sessionInfo"]
        turns = len(outcome.transcript["fullConversation"])
        print(
            f"summary:       {info['totalStages']} stages, {turns} turns, "
            f"{json.dumps(info['durationSeconds'])}s"
        )
    if report is not None:
        summary = json.loads(report.json.read_text(encoding="utf-8")).get("summary", {})
        if summary.get("overall_score") is not None:
            print(
                f"evaluation:    overall {summary['overall_score']:.1f}/10, "
                f"recommendation {summary.get('recommendation')}"
            )
        print(f"report (HTML): {report.html.resolve()}")
        print(f"report (JSON): {report.json.resolve()}")
    return 0 if outcome.transcript_path else 1


def _agent(args: argparse.Namespace, rest: list[str]) -> int:
    from voicehire.agent.worker import run_worker

    return run_worker(rest)
