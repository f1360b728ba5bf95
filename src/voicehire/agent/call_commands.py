"""``voicehire call``: a gap-filling call or an interviewer briefing on the embedded
default (no keys, no network), typed or scripted."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from voicehire.logging_setup import configure_logging
from voicehire.settings import load_settings

MODES = ("gap_filling", "briefing")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "call",
        help="run a gap-filling call or an interviewer briefing here (no keys, no network)",
        description="Run the agent's other modes on the embedded default. gap_filling: the "
        "agent calls the candidate about the fields their record lists as missing_required "
        "and saves each answer as it is given (to CANDIDATE_DIR/{id}.json). briefing: the "
        "agent briefs the interviewer, then answers questions from the candidate's data "
        "only. Type your replies, or script them with --answers.",
    )
    p.add_argument("--mode", required=True, choices=MODES, help="which call to run")
    p.add_argument(
        "--candidate",
        required=True,
        type=Path,
        help="candidate record (JSON/YAML, API candidate schema; or a bundle with "
        "candidate, job, interviews, gap_filling)",
    )
    p.add_argument("--answers", type=Path, help="YAML file of scripted replies")
    p.add_argument("--job", type=Path, help="briefing: the job (JSON/YAML)")
    p.add_argument(
        "--result",
        type=Path,
        action="append",
        default=[],
        help="briefing: an earlier interview evaluation or gap-filling result (repeatable)",
    )
    p.add_argument(
        "--fields",
        type=Path,
        action="append",
        default=[],
        help="gap_filling: extra field spec YAML (repeatable; adds to FIELD_SPEC_FILES)",
    )
    p.add_argument(
        "--time-budget",
        type=float,
        help="gap_filling: seconds the call aims for (default GAP_FILLING_TIME_BUDGET=150)",
    )
    p.add_argument("--interviewer", help="briefing: the interviewer's name")
    p.add_argument("--transcripts", type=Path, help="transcript and result directory")
    p.add_argument("--candidates", type=Path, help="where to save candidate records")
    p.add_argument("--no-audio", action="store_true", help="text only: don't synthesize speech")
    p.set_defaults(func=_call)


def _fail(message: str) -> int:
    print(f"voicehire: {message}", file=sys.stderr)
    return 2


def _call(args: argparse.Namespace, rest: list[str]) -> int:
    # Inputs are checked before the (slow to import) agent runtime is loaded.
    from voicehire.agent.candidate_script import ScriptError, load_script
    from voicehire.agent.modes.records import (
        RecordError,
        field_registry,
        is_gap_filling_result,
        load_bundle,
        load_document,
        missing_fields,
    )
    from voicehire.interview.fields import FieldSpecError

    settings = load_settings()
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
    if overrides:
        settings = settings.model_copy(update=overrides)
    candidate = bundle["candidate"]
    registry = None
    if args.mode == "gap_filling":
        try:
            registry = field_registry([*settings.field_spec_paths, *args.fields])
        except FieldSpecError as exc:
            return _fail(str(exc))
        missing = missing_fields(candidate)
        if not missing:
            print(
                f"Nothing to ask: {args.candidate} lists no missing_required fields without a "
                "value."
            )
            return 0

    log_file = settings.log_file or settings.transcript_dir / "voicehire.log.jsonl"
    configure_logging(
        settings.log_level,
        settings.log_format,
        log_file,
        console_level="WARNING" if settings.log_format == "console" else None,
    )
    from voicehire.agent.modes.session import (
        briefing_runtime,
        gap_filling_runtime,
        local_store_for,
        run_local_call,
    )
    from voicehire.interview.config import SessionConfig

    config = SessionConfig(session_type=args.mode, candidate_id=candidate.get("id"))
    store = None
    if args.mode == "gap_filling":
        store = local_store_for(settings, candidate, args.candidate)
        runtime: Any = gap_filling_runtime(
            settings,
            config,
            candidate,
            saver=store,
            registry=registry,
            saved_to=store.describe(),
        )
        fields = ", ".join(runtime.gap.fields)
        print(
            f"VoiceHire gap-filling call — {runtime.candidate_name or 'candidate'}, "
            f"{len(runtime.gap.fields)} field(s): {fields}; "
            f"time budget {settings.gap_filling_time_budget:g}s"
        )
    else:
        runtime = briefing_runtime(
            settings,
            config,
            candidate,
            job=job if isinstance(job, dict) else None,
            interviews=interviews,
            gap_filling=gap if is_gap_filling_result(gap) else None,
            interviewer_name=args.interviewer,
        )
        job_info = runtime.data.job
        role = f" for {job_info.title}" if job_info and job_info.title else ""
        print(f"VoiceHire interviewer briefing — {runtime.candidate_label}{role}")
    if script is None:
        print("Type your replies and press Enter. Ctrl-D hangs up.")
    audio_path = settings.transcript_dir / f"{args.mode}_{runtime.call_id}_agent.wav"
    outcome, result_path = asyncio.run(
        run_local_call(settings, runtime, script=script, audio_path=audio_path)
    )

    print(f"end reason:    {outcome.end_reason}")
    result = outcome.result
    if args.mode == "gap_filling":
        for f in result.get("filled", []):
            note = "" if f.get("confirmed") else " (not confirmed)"
            print(f"filled:        {f['field']} = {f['spoken']}{note}")
        for f in result.get("declined", []):
            print(f"declined:      {f['field']}")
        for f in result.get("unresolved", []):
            print(f"unresolved:    {f['field']} ({f['reason']})")
        for f in result.get("save_failures", []):
            print(f"NOT SAVED:     {f['field']} ({f['error']})", file=sys.stderr)
        if store is not None:
            print(f"candidate record: {store.path}")
    else:
        print(f"questions answered: {len(result.get('questions', []))}")
    if result_path is not None:
        print(f"result:        {result_path}")
    if outcome.transcript_path:
        print(f"full transcript: {outcome.transcript_path}")
    else:
        print(f"full transcript NOT stored: {outcome.transcript_error}", file=sys.stderr)
    print(f"logs (JSON):   {log_file}")
    return 0 if outcome.transcript_path else 1
