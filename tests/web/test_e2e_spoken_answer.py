"""A spoken answer through the browser: Chromium's fake microphone plays a WAV (espeak-ng
speech) into the candidate page, the page streams it over the local transport, the
server's VAD cuts the utterance and a test STT transcribes it, and the interviewer's
spoken reply plays in the page. Screenshots go to
test-output/screenshots/test_spoken_answer_through_fake_microphone/."""

from __future__ import annotations

import subprocess
import wave

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import launch
from voicehire.agent.engines import Engines, build_vad
from voicehire.agent.espeak_tts import EspeakTTS, espeak_path
from voicehire.agent.policy import InterviewerPolicy
from voicehire.testing.audio import ScriptedSTT, read_wav
from voicehire.web.local.session import default_engines

pytestmark = pytest.mark.skipif(espeak_path() is None, reason="espeak-ng is not installed")

SPOKEN = "I am a backend engineer at Acme Payments and I build ledger services in Python."


def make_wav(path, text: str) -> None:
    """Speech with silence around it, so the looping fake microphone leaves pauses."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run([str(espeak_path()), "-w", str(raw), text], check=True)
    samples, rate = read_wav(raw)
    padded = np.concatenate(
        [np.zeros(rate, np.int16), samples, np.zeros(int(rate * 2.5), np.int16)]
    )
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(padded.tobytes())


def played(page: Page) -> int:
    return int(page.locator("#audio-info").get_attribute("data-segments") or 0)


def test_spoken_answer_through_fake_microphone(live_server, playwright_driver, tmp_path, shots):
    wav = tmp_path / "answer.wav"
    make_wav(wav, SPOKEN)
    stt = ScriptedSTT([SPOKEN] * 10)
    vad = build_vad()  # LiveKit plugins register on the main thread (the server is not)
    live_server.manager.engine_factory = lambda settings, hearing: Engines(
        llm=InterviewerPolicy(), stt=stt, tts=EspeakTTS(), vad=vad
    )
    candidate = live_server.api("POST", "/api/candidates", json={"name": "Sam Speaker"})
    created = live_server.api(
        "POST", "/api/interviews", json={"candidate_id": candidate["id"], "plan": "mock"}
    )
    room = created["interview"]["room_name"]
    ctx = launch(
        playwright_driver,
        tmp_path / "profile",
        [f"--use-file-for-fake-audio-capture={wav}"],
    )
    try:
        page = ctx.new_page()
        page.goto(created["join"]["join_url"])
        page.get_by_label("I understand").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Test microphone").click()
        expect(page.get_by_text("We can hear you.")).to_be_visible(timeout=15_000)
        shots(page, "mic-check-hears-the-wav")
        page.get_by_role("button", name="Start interview").click()
        expect(page.locator("#mode-hint")).to_contain_text("Speak when the interviewer")

        # The greeting and the first question are spoken and played in the page.
        page.wait_for_function(
            "() => Number(document.getElementById('audio-info').dataset.segments || 0) >= 1",
            timeout=60_000,
        )
        # The WAV, heard through the microphone, becomes the candidate's answer ...
        mine = page.locator("#captions .line.me")
        expect(mine.first).to_contain_text(SPOKEN, timeout=60_000)
        before = played(page)
        # ... and the interviewer answers aloud: new speech plays in the page.
        page.wait_for_function(
            "(n) => Number(document.getElementById('audio-info').dataset.segments || 0) > n",
            arg=before,
            timeout=60_000,
        )
        expect(page.locator("#captions .line.ai").last).to_be_visible()
        live = live_server.manager.sessions[room]
        assert stt.calls >= 1
        assert live.mic.frames_received > 50  # the page streamed microphone audio
        shots(page, "agent-answered-aloud")

        page.once("dialog", lambda d: d.accept())
        page.get_by_role("button", name="End interview").click()
        expect(page.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=30_000)
        expect(page.locator("#ended-text")).to_contain_text("You ended the interview")
    finally:
        ctx.close()
        live_server.manager.engine_factory = default_engines
