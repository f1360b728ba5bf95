"""`voicehire interview` as a user runs it (subprocess, real files)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PLAN = Path(__file__).parent / "plans" / "tiny.yaml"
LONG = "I lead a team of four backend engineers at Acme building payment ledgers in Python."


def voicehire(*args: str, cwd: Path, stdin: str | None = None, timeout: float = 120):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "LIVEKIT"))}
    env.update(TTS_PROVIDER="none", LLM_PROVIDER="policy")
    return subprocess.run(
        [sys.executable, "-m", "voicehire.cli", *args],
        cwd=cwd,
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_scripted_interview_with_a_user_plan_writes_transcripts(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "candidate: {name: Riley}\nanswers:\n"
        f'  - "{LONG}"\n  - "{LONG}"\n  - {{say: "{LONG}", pause: 0.1}}\n  - No questions.\n'
    )
    r = voicehire(
        "interview",
        "--plan",
        str(PLAN),
        "--answers",
        str(answers),
        "--transcripts",
        "out",
        "--no-report",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert "── stage 2/4: Introduction ──" in r.stdout
    assert "Alex: Tell me about yourself?" in r.stdout
    assert "end reason:    completed" in r.stdout
    full = list((tmp_path / "out").glob("interview_*_full_*.json"))
    assert len(full) == 1
    doc = json.loads(full[0].read_text())
    assert doc["sessionInfo"]["participantName"] == "Riley"
    assert doc["sessionInfo"]["planId"] == "tiny"
    assert len(list((tmp_path / "out").glob("interview_*_stage_*.json"))) == 4
    logs = (tmp_path / "out" / "voicehire.log.jsonl").read_text().splitlines()
    events = {json.loads(line)["event"] for line in logs}
    assert {"stage transition", "tool call", "question asked", "interview ended"} <= events


def test_typed_answers_and_leaving_with_ctrl_d(tmp_path):
    r = voicehire(
        "interview",
        "--plan",
        str(PLAN),
        "--transcripts",
        "out",
        "--no-report",
        cwd=tmp_path,
        stdin=f"{LONG}\n",
    )
    assert r.returncode == 0, r.stderr
    assert f"You: {LONG}" in r.stdout
    assert "end reason:    candidate_left" in r.stdout
    (full,) = (tmp_path / "out").glob("interview_*_full_*.json")
    assert json.loads(full.read_text())["sessionInfo"]["endReason"] == "candidate_left"


def test_bad_answers_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "a.yaml"
    bad.write_text("answers:\n  - {shout: hi}\n")
    r = voicehire("interview", "--answers", str(bad), cwd=tmp_path)
    assert r.returncode == 2
    assert (
        "answer 1 must be text, {say: ..., pause: s}, {audio: file.wav} or {silence: s}" in r.stderr
    )
    r = voicehire("interview", "--answers", str(tmp_path / "missing.yaml"), cwd=tmp_path)
    assert r.returncode == 2 and "cannot read answers file" in r.stderr


def test_bad_plan_and_bad_metadata(tmp_path):
    r = voicehire("interview", "--plan", "nonexistent", cwd=tmp_path)
    assert r.returncode == 2 and "neither a built-in plan" in r.stderr
    r = voicehire(
        "interview",
        "--plan",
        str(PLAN),
        "--metadata",
        "{oops",
        "--no-report",
        "--transcripts",
        "out",
        cwd=tmp_path,
        stdin="",
    )
    assert r.returncode == 0
    assert "metadata: metadata is not valid JSON" in r.stderr


def test_invalid_setting_is_reported_before_anything_runs(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SILENCE_TIMEOUT=never\n")
    r = voicehire("interview", cwd=tmp_path)
    assert r.returncode == 2
    assert "SILENCE_TIMEOUT" in r.stderr and "Invalid VoiceHire settings" in r.stderr


def test_report_dir_is_where_the_interview_and_the_worker_write_reports(tmp_path, monkeypatch):
    """REPORT_DIR (issue 12, item 17): ``voicehire interview --answers`` writes its report
    there and not in ./reports; the worker's end of an interview (``produce_result`` with
    the worker's ``get_settings()``) writes there too."""
    import asyncio

    from voicehire.agent.launch import SessionRequest, build_runtime
    from voicehire.domain.config import SessionConfig
    from voicehire.domain.outcome import SessionOutcome
    from voicehire.settings import get_settings

    answers = tmp_path / "answers.yaml"
    answers.write_text(
        f'candidate: {{name: Riley}}\nanswers:\n  - "{LONG}"\n  - "{LONG}"\n  - "{LONG}"\n'
        "  - No questions.\n"
    )
    elsewhere = tmp_path / "kept" / "reports-here"
    monkeypatch.setenv("REPORT_DIR", str(elsewhere))  # voicehire() passes the environment
    r = voicehire(
        "interview",
        "--plan",
        str(PLAN),
        "--answers",
        str(answers),
        "--transcripts",
        "out",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    html = list(elsewhere.glob("*.html"))
    assert len(html) == 1 and len(list(elsewhere.glob("*.json"))) == 1
    assert str(html[0].resolve()) in r.stdout  # the summary names where it is
    assert not (tmp_path / "reports").exists()

    # The worker: settings from the environment, the runtime's produce_result.
    [full] = (tmp_path / "out").glob("interview_*_full_*.json")
    transcript = json.loads(full.read_text())
    worker_dir = tmp_path / "worker-reports"
    monkeypatch.setenv("REPORT_DIR", str(worker_dir))
    monkeypatch.setenv("LLM_PROVIDER", "policy")
    monkeypatch.setenv("TRANSCRIPT_DIR", str(tmp_path / "worker-transcripts"))
    monkeypatch.chdir(tmp_path)
    settings = get_settings()
    assert settings.report_dir == worker_dir

    async def end_of_worker_interview() -> dict:
        runtime = await build_runtime(
            SessionRequest(settings=settings, config=SessionConfig(), plan=str(PLAN))
        )
        outcome = SessionOutcome(
            mode="ai_interview", session_id="s1", end_reason="completed", transcript=transcript
        )
        return await runtime.produce_result(outcome, settings)

    result = asyncio.run(end_of_worker_interview())
    assert result.get("summary")
    assert len(list(worker_dir.glob("*.html"))) == 1
    assert not (tmp_path / "reports").exists()
