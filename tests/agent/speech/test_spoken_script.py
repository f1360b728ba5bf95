"""``voicehire interview --answers`` with spoken (WAV) answers: a scripted candidate who
talks, heard by the offline speech recognition through the same session as in a room."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.agent.speech.conftest import needs_espeak, needs_stt

PLAN = Path(__file__).parents[1] / "plans" / "tiny.yaml"
SPOKEN = [
    "I am a data engineer. I build pipelines with Python and Spark for a bank.",
    "I moved our nightly reports to Airflow and cut the run time from six hours to one.",
    "The hardest problem was a memory leak in our Spark jobs that I traced and fixed.",
]


@needs_stt
@needs_espeak
def test_a_scripted_candidate_speaks_every_answer(tmp_path):
    answers = []
    for i, text in enumerate(SPOKEN):
        wav = tmp_path / f"answer{i}.wav"
        subprocess.run(["espeak-ng", "-w", str(wav), "-s", "150", text], check=True)
        answers.append({"audio": wav.name})
    answers.append("No questions, thank you.")
    script = tmp_path / "spoken.yaml"
    script.write_text(json.dumps({"candidate": {"name": "Sam"}, "answers": answers}))
    env = {
        **os.environ,
        "LLM_PROVIDER": "policy",
        "STT_PROVIDER": "local",
        "TTS_PROVIDER": "none",
        "TURN_DETECTION": "vad",
        "TRANSCRIPT_DIR": str(tmp_path / "transcripts"),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "voicehire.cli",
            "interview",
            "--answers",
            str(script),
            "--plan",
            str(PLAN),
            "--no-report",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (full,) = (tmp_path / "transcripts").glob("interview_*_full_*.json")
    doc = json.loads(full.read_text())
    heard = [u for u in doc["fullConversation"] if not u["isAI"]]
    said = " ".join(u["message"] for u in heard).lower()
    # each spoken answer was transcribed into the stage it answered
    assert {u["stage"] for u in heard} >= {"intro", "work"}
    # espeak-ng's voice flatters no recogniser; a working one hears most of these words
    heard_words = [w for w in ("engineer", "python", "airflow", "memory", "spark") if w in said]
    assert len(heard_words) >= 4, said
    assert doc["sessionInfo"]["endReason"] == "completed"
