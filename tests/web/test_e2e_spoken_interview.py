"""A whole interview spoken in the browser, on the embedded default's offline engines.

The candidate page runs in headless Chromium with a fake microphone fed per turn: an init
script gives the page's ``getUserMedia`` a stream from a Web Audio destination, and the
test plays each answer into it (Piper's neural voice, a different answer per question)
when the page says it is the candidate's turn. The server hears the answers with Whisper
(no test STT), the interviewer speaks with Piper, and the mock interview runs from the
greeting to the goodbye with every answer spoken. Screenshots go to
test-output/screenshots/test_a_whole_interview_spoken_in_the_browser/."""

from __future__ import annotations

import base64
import json
import time
from functools import cache
from typing import Any

import livekit.plugins.silero  # noqa: F401  (plugins register on the main thread only)
import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import launch
from voicehire.agent.speech.models import local_stt_installed, local_tts_installed
from voicehire.web.local.session import default_engines

pytestmark = pytest.mark.skipif(
    not (local_stt_installed() and local_tts_installed()),
    reason="the speech extra is not installed (make setup)",
)

# The page's microphone is a Web Audio stream the test speaks into (no looping file).
FAKE_MICROPHONE = """
(() => {
  let ctx = null;
  let dest = null;
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    if (!constraints || !constraints.audio) return real(constraints);
    ctx = ctx || new AudioContext({ sampleRate: 48000 });
    await ctx.resume();
    dest = ctx.createMediaStreamDestination();  // a fresh track each time it is opened
    return dest.stream;
  };
  window.fakeMicrophone = {
    speak(b64, rate) {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const pcm = new Int16Array(bytes.buffer);
      const buffer = ctx.createBuffer(1, pcm.length, rate);
      const channel = buffer.getChannelData(0);
      for (let i = 0; i < pcm.length; i++) channel[i] = pcm[i] / 32768;
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(dest);
      return new Promise((done) => { source.onended = () => done(true); source.start(); });
    },
  };
})();
"""

HELLO = "Hello, can you hear me?"
# What the candidate says in each stage: the main answer, then one for a follow-up.
ANSWERS: dict[str, list[str]] = {
    "self_introduction": [
        "I am a backend engineer at Acme Payments. I build ledger services in Python, "
        "and I have done that for five years.",
        "Next I want a team that builds reliable payment systems at a larger scale.",
    ],
    "past_experience": [
        "At Acme I led the move of our billing service to Kubernetes. I planned the "
        "rollout myself, and deploys went from one hour to ten minutes.",
        "The hardest part was moving the data without downtime, so I tested the rollback first.",
    ],
    "closing": ["No, thank you. That is all from me."],
}
# Words Whisper must hear in each main answer (synthetic speech: not every word).
KEY_WORDS = {
    "self_introduction": ["engineer", "ledger", "python", "five years"],
    "past_experience": ["billing", "deploy", "hour", "minutes"],
}


@cache
def piper_pcm(text: str) -> tuple[str, int]:
    """``text`` in Piper's voice, 0.3 s of silence before it, as base64 int16 PCM."""
    from voicehire.agent.speech.piper_tts import PiperTTS

    engine = PiperTTS()
    pcm = np.frombuffer(b"".join(engine.sentences_pcm(text)), dtype=np.int16)
    lead = np.zeros(int(engine.sample_rate * 0.3), np.int16)
    samples = np.concatenate([lead, pcm])
    return base64.b64encode(samples.tobytes()).decode(), engine.sample_rate


def speak(page: Page, text: str) -> None:
    b64, rate = piper_pcm(text)
    page.evaluate("([b64, rate]) => window.fakeMicrophone.speak(b64, rate)", [b64, rate])


def current_stage(page: Page) -> str:
    return page.locator("li[data-stage][aria-current=step]").get_attribute("data-stage") or ""


def offline_default(settings: Any, hearing: bool) -> Any:
    """The engines the embedded default picks with no keys: Whisper in, Piper out."""
    auto = settings.model_copy(update={"stt_provider": "auto", "tts_provider": "auto"})
    return default_engines(auto, hearing)


@pytest.mark.timeout(480)  # a dozen spoken turns on two shared cores
def test_a_whole_interview_spoken_in_the_browser(
    live_server, playwright_driver, tmp_path, shots, monkeypatch
):
    for texts in ANSWERS.values():  # synthesise before the clock runs
        for text in texts:
            piper_pcm(text)
    live_server.manager.engine_factory = offline_default
    # The mock plan gives each stage under a minute; on two cores shared with other jobs
    # Whisper can take longer to hear an answer than that, and the stage would move on.
    for timing in ("self_intro_timeout", "past_experience_timeout"):
        monkeypatch.setattr(live_server.manager.settings, timing, 600.0)
    candidate = live_server.api("POST", "/api/candidates", json={"name": "Sam Speaker"})
    created = live_server.api(
        "POST", "/api/interviews", json={"candidate_id": candidate["id"], "plan": "mock"}
    )
    ctx = launch(playwright_driver, tmp_path / "profile")
    ctx.add_init_script(FAKE_MICROPHONE)
    spoken: dict[str, int] = {}
    try:
        page = ctx.new_page()
        page.goto(created["join"]["join_url"])
        page.get_by_label("I understand").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Test microphone").click()
        speak(page, HELLO)
        expect(page.get_by_text("We can hear you.")).to_be_visible(timeout=15_000)
        page.get_by_role("button", name="Start interview").click()
        expect(page.locator("#mode-hint")).to_contain_text(
            "Speak when the interviewer", timeout=60_000
        )
        shots(page, "started")

        deadline = time.monotonic() + 400
        thanks = page.get_by_role("heading", name="Thank you!")
        while not thanks.is_visible():
            assert time.monotonic() < deadline, f"the interview did not finish; spoke {spoken}"
            try:
                page.wait_for_selector("#status[data-turn=yes]", timeout=2_000)
            except Exception:
                continue  # the interviewer is still speaking, or the interview ended
            stage = current_stage(page)
            answers = ANSWERS.get(stage)
            assert answers, f"the candidate's turn in stage {stage!r}"
            n = spoken.get(stage, 0)
            heard_before = page.locator("#captions .line.me").count()
            speak(page, answers[min(n, len(answers) - 1)])
            spoken[stage] = n + 1
            # Whisper's transcript of the answer appears as the candidate's caption
            expect(page.locator("#captions .line.me")).to_have_count(
                heard_before + 1, timeout=90_000
            )
            shots(page, f"{stage}-answer-{n + 1}")

        shots(page, "finished")
        expect(page.locator("#ended-text")).not_to_contain_text("You ended the interview")
        assert set(spoken) == {"self_introduction", "past_experience", "closing"}, spoken

        # every answer was heard: Whisper's words are the candidate's captions
        said = " ".join(page.locator("#captions .line.me").all_inner_texts()).lower()
        for stage, words in KEY_WORDS.items():
            heard = [w for w in words if w in said]
            # synthetic speech flatters Whisper, but a word can still be misheard
            assert len(heard) >= len(words) - 1, (stage, heard, said)
        print(json.dumps({"answers_spoken": spoken}))
    finally:
        ctx.close()
        live_server.manager.engine_factory = default_engines
