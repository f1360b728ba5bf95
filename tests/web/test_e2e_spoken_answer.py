"""A spoken answer through the browser on the embedded default: a fake microphone plays a
WAV (espeak-ng speech) into the candidate page when it is the candidate's turn, the page
streams it over the local transport, the server's VAD cuts the utterance and the offline
STT (Whisper; no test STT) transcribes it, and the interviewer's spoken reply (Piper)
plays in the page.
Screenshots go to test-output/screenshots/test_spoken_answer_through_fake_microphone/.

The microphone is the page's own ``getUserMedia`` fed by the test (see
``test_e2e_spoken_interview``), not Chromium's ``--use-file-for-fake-audio-capture``: that
file loops from the moment the microphone opens, so with real speech recognition and
VAD barge-in its speech lands on the interviewer's lines and cuts them off; played once
per turn, the answer comes when a candidate would give it."""

from __future__ import annotations

import base64
import subprocess
import time
import wave

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import launch
from tests.web.test_e2e_spoken_interview import FAKE_MICROPHONE, offline_default
from voicehire.agent.espeak_tts import espeak_path
from voicehire.agent.speech.models import local_stt_installed, local_tts_installed
from voicehire.testing.audio import read_wav
from voicehire.web.local.session import default_engines

pytestmark = [
    pytest.mark.skipif(espeak_path() is None, reason="espeak-ng is not installed"),
    pytest.mark.skipif(
        not (local_stt_installed() and local_tts_installed()),
        reason="the speech extra is not installed (make setup)",
    ),
]

SPOKEN = "I am a backend engineer at Acme Payments and I build ledger services in Python."
# What Whisper must hear of it (synthetic speech: allow one word to be misheard)
KEY_WORDS = ["engineer", "build", "services", "python"]


def make_wav(path, text: str) -> None:
    """Speech with half a second of silence around it."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run([str(espeak_path()), "-w", str(raw), text], check=True)
    samples, rate = read_wav(raw)
    padded = np.concatenate([np.zeros(rate // 2, np.int16), samples, np.zeros(rate // 2, np.int16)])
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(padded.tobytes())


def played(page: Page) -> int:
    return int(page.locator("#audio-info").get_attribute("data-segments") or 0)


@pytest.mark.timeout(300)
def test_spoken_answer_through_fake_microphone(live_server, playwright_driver, tmp_path, shots):
    wav = tmp_path / "answer.wav"
    make_wav(wav, SPOKEN)
    # the engines the embedded default picks with no keys: Whisper in, Piper out
    live_server.manager.engine_factory = offline_default
    candidate = live_server.api("POST", "/api/candidates", json={"name": "Sam Speaker"})
    created = live_server.api(
        "POST", "/api/interviews", json={"candidate_id": candidate["id"], "plan": "mock"}
    )
    room = created["interview"]["room_name"]
    samples, rate = read_wav(wav)
    answer = [base64.b64encode(samples.tobytes()).decode(), rate]
    ctx = launch(playwright_driver, tmp_path / "profile")
    ctx.add_init_script(FAKE_MICROPHONE)
    speak = "([b64, rate]) => window.fakeMicrophone.speak(b64, rate)"
    try:
        page = ctx.new_page()
        page.goto(created["join"]["join_url"])
        page.get_by_label("I understand").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Test microphone").click()
        page.evaluate(speak, answer)
        expect(page.get_by_text("We can hear you.")).to_be_visible(timeout=15_000)
        shots(page, "mic-check-hears-the-wav")
        page.get_by_role("button", name="Start interview").click()
        expect(page.locator("#mode-hint")).to_contain_text(
            "Speak when the interviewer", timeout=60_000
        )

        # The greeting and the first question are spoken and played in the page.
        page.wait_for_function(
            "() => Number(document.getElementById('audio-info').dataset.segments || 0) >= 1",
            timeout=90_000,
        )
        # The WAV, spoken into the microphone on the candidate's turn, becomes the
        # candidate's answer ...
        page.wait_for_selector("#status[data-turn=yes]", timeout=90_000)
        page.evaluate(speak, answer)
        mine = page.locator("#captions .line.me")
        expect(mine.first).to_be_visible(timeout=120_000)

        def heard() -> str:
            return " ".join(mine.all_inner_texts()).lower()

        deadline = time.monotonic() + 60
        while sum(w in heard() for w in KEY_WORDS) < len(KEY_WORDS) - 1:
            assert time.monotonic() < deadline, heard()
            page.wait_for_timeout(500)
        before = played(page)
        # ... and the interviewer answers aloud: new speech plays in the page.
        page.wait_for_function(
            "(n) => Number(document.getElementById('audio-info').dataset.segments || 0) > n",
            arg=before,
            timeout=60_000,
        )
        expect(page.locator("#captions .line.ai").last).to_be_visible()
        live = live_server.manager.sessions[room]
        assert live.mic.frames_received > 50  # the page streamed microphone audio
        shots(page, "agent-answered-aloud")

        page.once("dialog", lambda d: d.accept())
        page.get_by_role("button", name="End interview").click()
        expect(page.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=30_000)
        expect(page.locator("#ended-text")).to_contain_text("You ended the interview")
    finally:
        ctx.close()
        live_server.manager.engine_factory = default_engines
