"""The real audio pipeline with local engines: espeak-ng speech in, Silero VAD, a scripted
STT, the interviewer, espeak-ng speech out."""

from __future__ import annotations

import pytest

from tests.harness import MemoryStore, make_settings, tiny_plan, wait_until
from voicehire.agent.engines import Engines, build_vad
from voicehire.agent.espeak_tts import EspeakTTS, espeak_path
from voicehire.agent.local_run import wait_for_turn
from voicehire.agent.policy import InterviewerPolicy
from voicehire.domain.config import SessionConfig
from voicehire.testing.audio import PacedAudioInput, ScriptedSTT, read_wav
from voicehire.testing.sessions import start_interview

pytestmark = pytest.mark.skipif(
    espeak_path() is None, reason="espeak-ng is not installed (make setup installs it)"
)

ANSWER = (
    "I am a backend engineer at Acme Payments and I build ledger services in Python and Go "
    "with a small team."
)


async def test_spoken_answer_gets_a_spoken_reply_with_latency_metrics():
    tts = EspeakTTS()
    samples, rate = read_wav(await tts.synthesize_wav(ANSWER))
    mic = PacedAudioInput(sample_rate=16000)
    stt = ScriptedSTT([ANSWER])
    engines = Engines(llm=InterviewerPolicy(), stt=stt, tts=tts, vad=build_vad())
    store = MemoryStore()
    run = await start_interview(
        make_settings(),
        SessionConfig(interview_id="audio", candidate_name="Sam"),
        plan=tiny_plan(),
        engines=engines,
        store=store,
        audio_input=mic,
    )
    try:
        assert await wait_for_turn(run, settle=0.3)
        spoken_before = run.audio.segments
        seconds_before = run.audio.seconds_written
        assert spoken_before >= 2  # the greeting and the first question were spoken

        mic.play(samples, rate)
        # the VAD hears the answer end, the STT transcribes it, the agent answers aloud
        await wait_until(lambda: run.runtime.flow.current_stage.id == "work", timeout=20)
        assert await wait_for_turn(run, settle=0.3)

        assert stt.calls == 1
        candidate = [m for m in run.messages.of_type("transcription") if not m["isAI"]]
        assert [m["message"] for m in candidate] == [ANSWER]
        assert run.audio.segments > spoken_before
        assert run.audio.seconds_written > seconds_before + 1.0  # real speech was produced

        history = run.session.history.items
        user = next(i for i in history if i.type == "message" and i.role == "user")
        reply = next(
            i
            for i in history[history.index(user) :]
            if i.type == "message" and i.role == "assistant"
        )
        assert user.metrics.get("end_of_turn_delay") is not None
        assert reply.metrics.get("e2e_latency") is not None
        assert 0 < reply.metrics["e2e_latency"] < 10
        assert reply.metrics.get("tts_node_ttfb") is not None
    finally:
        mic.close()
        await run.runtime.end("test", speak=False)
        await run.session.aclose()
