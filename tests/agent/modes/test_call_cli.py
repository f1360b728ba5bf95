"""`voicehire call` as a user runs it (subprocess, real files, the examples)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.agent.test_cli import voicehire

ROOT = Path(__file__).resolve().parents[3]
CANDIDATE = ROOT / "examples" / "candidates" / "priya_shah.json"
JOB = ROOT / "examples" / "candidates" / "backend_engineer_job.yaml"
GAP_ANSWERS = ROOT / "examples" / "answers" / "gap_filling.yaml"
BRIEFING_ANSWERS = ROOT / "examples" / "answers" / "briefing.yaml"


def test_gap_filling_call_from_the_examples(tmp_path):
    before = CANDIDATE.read_text()
    r = voicehire(
        "call", "--mode", "gap_filling", "--candidate", str(CANDIDATE),
        "--answers", str(GAP_ANSWERS), cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "This is a quick call to fill in some details on your profile." in r.stdout
    assert "Alex: Just to confirm: about one hundred forty thousand US dollars" in r.stdout
    assert "Alex: I didn't catch the notice period" in r.stdout
    assert "end reason:    completed" in r.stdout
    assert "filled:        notice_period = three weeks (twenty-one days)" in r.stdout
    assert "declined:      earliest_start_date" in r.stdout
    assert CANDIDATE.read_text() == before  # the input is not edited in place
    record = json.loads((tmp_path / "candidates" / "cand-priya-shah.json").read_text())
    data = record["extracted_data"]
    assert data["expected_salary"]["amount"] == 140000
    assert (data["notice_period"], data["remote_preference"], data["team_size_managed"]) == (
        21,
        "hybrid",
        4,
    )
    assert data["willing_to_relocate"] is False
    assert data["languages"] == "English, Hindi"  # what was there stays
    assert record["missing_required"] == ["earliest_start_date"]
    (result,) = (tmp_path / "transcripts").glob("gap_filling_*_result.json")
    doc = json.loads(result.read_text())
    assert len(doc["filled"]) == 5 and doc["transcript"]
    (full,) = (tmp_path / "transcripts").glob("interview_*_full_*.json")
    assert json.loads(full.read_text())["sessionInfo"]["sessionType"] == "gap_filling"


def test_briefing_from_the_examples_answers_only_from_the_data(tmp_path):
    record = tmp_path / "priya.json"
    record.write_text(CANDIDATE.read_text())
    r = voicehire(
        "call", "--mode", "briefing", "--candidate", str(record), "--job", str(JOB),
        "--answers", str(BRIEFING_ANSWERS), "--interviewer", "Dana", cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Alex: Hello Dana! I'm here to brief you on your upcoming interview." in out
    assert "Must-haves without evidence: Kubernetes." in out
    assert "I don't have information about their hobbies in the candidate's file." in out
    assert "questions answered: 3" in out
    assert record.read_text() == CANDIDATE.read_text()
    assert not (tmp_path / "candidates").exists()


def test_killed_gap_filling_call_keeps_every_answer_already_given(tmp_path):
    candidate = tmp_path / "sam.yaml"
    candidate.write_text(
        "name: Sam\nmissing_required: [years_of_experience, expected_salary, notice_period]\n"
    )
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        'answers:\n  - "six years"\n  - "a hundred and forty k"\n  - {say: "yes", pause: 300}\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "LIVEKIT"))}
    env.update(TTS_PROVIDER="none", LLM_PROVIDER="policy")
    proc = subprocess.Popen(
        [sys.executable, "-m", "voicehire.cli", "call", "--mode", "gap_filling",
         "--candidate", str(candidate), "--answers", str(answers)],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    saved = tmp_path / "candidates" / "sam.json"

    def salary_said() -> bool:
        if not saved.exists():
            return False
        status = json.loads(saved.read_text())["extracted_data"].get("gap_filling_status", {})
        return "expected_salary" in status

    try:
        deadline = time.monotonic() + 90
        while not salary_said() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert salary_said(), "the salary answer never reached the record"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    record = json.loads(saved.read_text())
    assert record["extracted_data"]["years_of_experience"] == 6
    salary = record["extracted_data"]["gap_filling_status"]["expected_salary"]
    assert (salary["status"], salary["value"]["amount"]) == ("unconfirmed", 140000)
    assert record["missing_required"] == ["expected_salary", "notice_period"]


def test_bad_inputs_are_clear_errors(tmp_path):
    r = voicehire("call", "--mode", "gap_filling", "--candidate", "nope.json", cwd=tmp_path)
    assert r.returncode == 2 and "cannot read candidate file nope.json" in r.stderr
    nameless = tmp_path / "c.json"
    nameless.write_text('{"missing_required": ["notice_period"]}')
    r = voicehire("call", "--mode", "gap_filling", "--candidate", str(nameless), cwd=tmp_path)
    assert r.returncode == 2 and "needs a 'name'" in r.stderr
    specs = tmp_path / "fields.yaml"
    specs.write_text("fields:\n  - {name: shoe_size, type: colour}\n")
    r = voicehire(
        "call", "--mode", "gap_filling", "--candidate", str(CANDIDATE), "--fields", str(specs),
        cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 2 and "shoe_size" in r.stderr
    done = tmp_path / "done.json"
    done.write_text('{"name": "Sam", "missing_required": []}')
    r = voicehire("call", "--mode", "gap_filling", "--candidate", str(done), cwd=tmp_path)
    assert r.returncode == 0 and "Nothing to ask" in r.stdout
