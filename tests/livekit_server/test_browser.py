"""The candidate page on the real server: headless Debian Chromium opens the invite link,
joins the room through livekit-client with a fake microphone playing an espeak-ng WAV,
hears the interviewer (the agent's WebRTC track, measured with WebAudio), shows live
captions from the data channel (its own spoken answer among them), and ends the interview.
Screenshots: test-output/screenshots/livekit-browser/."""

from __future__ import annotations

import shutil
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.livekit_server.candidate import RATE, speech
from tests.web.conftest import CHROMIUM_ARGS, SCREENSHOTS, _skip_reason

SPOKEN = "I am a data engineer and I build streaming pipelines with Spark and Kafka."
SHOTS = SCREENSHOTS / "livekit-browser"

# The loudest RMS (0-1) of the page's remote audio over a few seconds, through WebAudio.
LOUDNESS_JS = """async () => {
  const els = [...document.querySelectorAll('audio')].filter(e => e.srcObject);
  if (!els.length) return -1;
  const ctx = new AudioContext();
  await ctx.resume();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 2048;
  for (const el of els) ctx.createMediaStreamSource(el.srcObject).connect(analyser);
  const buf = new Float32Array(analyser.fftSize);
  let loudest = 0;
  for (let i = 0; i < 60; i++) {
    await new Promise(r => setTimeout(r, 100));
    analyser.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const v of buf) sum += v * v;
    loudest = Math.max(loudest, Math.sqrt(sum / buf.length));
  }
  await ctx.close();
  return loudest;
}"""


def _wav(path: Path) -> Path:
    samples = speech(SPOKEN, path.parent)
    padded = np.concatenate([np.zeros(RATE, np.int16), samples, np.zeros(RATE * 3, np.int16)])
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(padded.tobytes())
    return path


def test_candidate_page_interview_on_the_real_server(stack: Any, tmp_path: Path) -> None:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    cand = stack.admin("POST", "/api/candidates", json={"name": "Kim Browser"}).json()
    created = stack.admin(
        "POST", "/api/interviews", json={"candidate_id": cand["id"], "plan": "mock"}
    ).json()
    iid = created["interview"]["id"]
    stack.stt.say_next(SPOKEN, SPOKEN, SPOKEN)
    wav = _wav(tmp_path / "answer.wav")
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={wav}"],
            viewport={"width": 1280, "height": 900},
            permissions=["microphone"],
        )
        try:
            page = ctx.new_page()
            page.goto(created["join"]["join_url"])
            page.get_by_label("I understand").check()
            page.get_by_role("button", name="Continue").click()
            page.get_by_role("button", name="Test microphone").click()
            expect(page.get_by_text("We can hear you.")).to_be_visible(timeout=15_000)
            page.get_by_role("button", name="Start interview").click()
            # Captions of the interviewer, from the data channel.
            expect(page.locator("#captions .line.ai").first).to_be_visible(timeout=90_000)
            page.screenshot(path=str(SHOTS / "01-interviewer-speaks.png"), full_page=True)
            loudness = page.evaluate(LOUDNESS_JS)
            assert loudness > 0.01, f"the interviewer's audio in the page is silent ({loudness})"
            # The fake microphone's speech, heard by the worker, captioned back.
            expect(page.locator("#captions .line.me").first).to_contain_text(
                "streaming pipelines", timeout=90_000
            )
            page.screenshot(path=str(SHOTS / "02-spoken-answer-captioned.png"), full_page=True)
            page.once("dialog", lambda d: d.accept())
            page.get_by_role("button", name="End interview").click()
            expect(page.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=60_000)
            page.screenshot(path=str(SHOTS / "03-ended.png"), full_page=True)
        finally:
            ctx.close()
    deadline = time.monotonic() + 60
    got = stack.admin("GET", f"/api/interviews/{iid}").json()
    while got["status"] == "in_progress" and time.monotonic() < deadline:
        time.sleep(0.5)
        got = stack.admin("GET", f"/api/interviews/{iid}").json()
    assert got["status"] == "completed" and got["end_reason"] == "manual_end"
