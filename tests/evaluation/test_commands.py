"""`voicehire report INTERVIEW` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voicehire.cli import main

from .transcripts import GOOD_SCALING, GOOD_TESTING, build_transcript


@pytest.fixture
def offline_env(monkeypatch: pytest.MonkeyPatch, embedder) -> None:
    # No LLM configured: the report uses the embedded offline scorer.
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LLM_PROVIDER", "auto")


def _write(directory: Path, interview_id: str, ts: int, answers: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"interview_{interview_id}_full_{ts}.json"
    path.write_text(json.dumps(build_transcript(answers, interview_id=interview_id)))
    return path


def test_report_by_id_uses_the_newest_full_transcript(
    tmp_path: Path, offline_env, capsys: pytest.CaptureFixture[str]
) -> None:
    transcripts = tmp_path / "transcripts"
    _write(transcripts, "cli-7", 1_700_000_000_000, {"tech.testing": GOOD_TESTING})
    newest = _write(transcripts, "cli-7", 1_700_000_900_000, {"tech.scaling": GOOD_SCALING})
    _write(transcripts, "other", 1_700_000_999_999, {"tech.scaling": "no"})
    out = tmp_path / "reports"
    rc = main(["report", "cli-7", "--transcripts", str(transcripts), "--out", str(out)])
    printed = capsys.readouterr().out
    assert rc == 0
    doc = json.loads((out / "interview_cli-7.json").read_text())
    answered = [a["question_id"] for a in doc["answers"] if a["status"] == "scored"]
    assert answered == ["tech.scaling"]  # from the newest transcript only
    assert doc["scorer"]["kind"] == "offline"
    assert str(newest) in printed
    assert str(out / "interview_cli-7.html") in printed
    assert (out / "interview_cli-7.html").read_text().startswith("<!doctype html>")


def test_report_from_a_transcript_path(tmp_path: Path, offline_env, capsys) -> None:
    path = _write(tmp_path, "by-path", 1, {"tech.scaling": GOOD_SCALING})
    rc = main(["report", str(path), "--out", str(tmp_path / "r")])
    assert rc == 0
    assert (tmp_path / "r" / "interview_by-path.json").exists()
    assert "recommendation" in capsys.readouterr().out


def test_unknown_interview_says_where_it_looked(tmp_path: Path, offline_env, capsys) -> None:
    rc = main(["report", "missing-1", "--transcripts", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "interview_missing-1_full_*.json" in err and str(tmp_path) in err


def test_a_stage_file_is_refused_with_a_reason(tmp_path: Path, offline_env, capsys) -> None:
    stage = tmp_path / "interview_x_stage_technical_1.json"
    stage.write_text(json.dumps({"sessionInfo": {}, "stage": {}, "metadata": {}}))
    rc = main(["report", str(stage)])
    assert rc == 2
    assert "not a full interview transcript" in capsys.readouterr().err
