"""``voicehire report INTERVIEW``: evaluate a finished interview and write its report."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from pathlib import Path
from typing import Any

from voicehire.settings import load_settings


class ReportInputError(ValueError):
    """The interview to report on cannot be found or read."""


def _newest_full_transcript(interview_id: str, directory: Path) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", interview_id).strip("-") or "unknown"
    pattern = re.compile(rf"^interview_{re.escape(safe)}_full_(\d+)\.json$")
    found = []
    if directory.is_dir():
        for path in directory.iterdir():
            m = pattern.match(path.name)
            if m:
                found.append((int(m.group(1)), path))
    if not found:
        raise ReportInputError(
            f"no full transcript for interview {interview_id!r} in {directory}/ "
            f"(looked for interview_{safe}_full_*.json); pass the transcript file's path "
            "or the right --transcripts DIR"
        )
    return max(found)[1]


def find_transcript(interview: str, transcripts_dir: Path) -> Path:
    """A path to a full transcript as given, or the newest one for an interview id."""
    path = Path(interview)
    if path.suffix == ".json" or path.is_file():
        if not path.is_file():
            raise ReportInputError(f"transcript file not found: {path}")
        return path
    return _newest_full_transcript(interview, transcripts_dir)


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ReportInputError(f"cannot read transcript {path}: {exc}") from None
    if not isinstance(data, dict) or "sessionInfo" not in data or "stages" not in data:
        raise ReportInputError(
            f"{path} is not a full interview transcript (needs sessionInfo and stages; "
            "stage files cannot be reported on)"
        )
    return data


def run_report(args: argparse.Namespace, rest: list[str]) -> int:
    from voicehire.evaluation.offline import OfflineScorer
    from voicehire.evaluation.service import evaluate_and_report

    overrides = {}
    if args.offline:
        overrides["llm_provider"] = "policy"
    settings = load_settings(**overrides)
    try:
        path = find_transcript(args.interview, Path(args.transcripts))
        full = _load(path)
    except ReportInputError as exc:
        print(f"voicehire report: {exc}", file=sys.stderr)
        return 2
    scorer = OfflineScorer() if args.offline else None
    paths = asyncio.run(
        evaluate_and_report(
            full, settings=settings, out_dir=Path(args.out or settings.report_dir), scorer=scorer
        )
    )
    result = json.loads(paths.json.read_text(encoding="utf-8"))
    summary = result["summary"]
    overall = summary["overall_score"]
    print(f"interview {result['interview_id']} ({path})")
    print(
        f"  status {result['status']}, scored by {result['scorer']['name']}; "
        f"overall {'—' if overall is None else f'{overall:.1f}/10'}; "
        f"recommendation {summary['recommendation'] or 'none'} "
        f"(confidence {summary['confidence']:.0%})"
    )
    if result.get("error"):
        print(f"  error: {result['error']}")
    print(f"  JSON report: {paths.json}")
    print(f"  HTML report: {paths.html}")
    return 0 if result["status"] != "failed" else 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "report",
        help="evaluate a finished interview and write its JSON and HTML report",
        description=(
            "Score a finished interview (LLM judge when an LLM is configured, the offline "
            "scorer otherwise) and write reports/interview_{id}.json and .html."
        ),
    )
    p.add_argument(
        "interview",
        metavar="INTERVIEW",
        help="a full-transcript JSON path, or an interview id (newest "
        "interview_{id}_full_*.json in --transcripts)",
    )
    p.add_argument("--transcripts", default="transcripts", help="transcript directory")
    p.add_argument("--out", default=None, help="report directory (default: REPORT_DIR, reports/)")
    p.add_argument(
        "--offline", action="store_true", help="use the offline scorer even if an LLM is set"
    )
    p.set_defaults(func=run_report)
