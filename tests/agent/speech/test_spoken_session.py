"""A real AgentSession on the embedded default hears a spoken answer with Whisper and
answers with the Piper voice (Silero VAD between them, no test STT)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.agent.speech.conftest import espeak_samples, needs_espeak, needs_stt, needs_tts
from tests.harness import MemoryStore, make_settings, tiny_plan, wait_until
from voicehire.agent.engines import Engines, build_vad
from voicehire.agent.local_run import wait_for_turn
from voicehire.agent.policy import InterviewerPolicy
from voicehire.agent.speech.wav_answers import WavAnswerError, play_wav_answer
from voicehire.domain.config import SessionConfig
from voicehire.testing.audio import PacedAudioInput
from voicehire.testing.sessions import start_interview

ANSWER = "I am a backend engineer at Acme Payments and I build ledger services in Python."


@needs_stt
@needs_tts
@needs_espeak
async def test_a_spoken_wav_answer_moves_the_interview_on(tmp_path: Path, whisper_dir: Path):
    from voicehire.agent.speech.piper_tts import PiperTTS
    from voicehire.agent.speech.whisper_stt import WhisperSTT, WhisperTranscriber

    samples, rate = espeak_samples(ANSWER)
    wav = tmp_path / "answer.wav"
    import wave

    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())

    mic = PacedAudioInput(sample_rate=16000)
    engines = Engines(
        llm=InterviewerPolicy(),
        stt=WhisperSTT(WhisperTranscriber(whisper_dir)),
        tts=PiperTTS(),
        vad=build_vad(),
    )
    run = await start_interview(
        make_settings(),
        SessionConfig(interview_id="spoken", candidate_name="Sam"),
        plan=tiny_plan(),
        engines=engines,
        store=MemoryStore(),
        audio_input=mic,
    )
    try:
        assert await wait_for_turn(run, settle=0.3)
        spoken_before = run.audio.seconds_written
        assert play_wav_answer(mic, wav) > 3.0
        await wait_until(lambda: run.runtime.flow.current_stage.id == "work", timeout=40)
        assert await wait_for_turn(run, settle=0.3)

        heard = [m["message"] for m in run.messages.of_type("transcription") if not m["isAI"]]
        assert len(heard) == 1
        # synthetic speech and Whisper base: most of the answer's key words come through
        found = [k for k in ("engineer", "payments", "python") if k in heard[0].lower()]
        assert len(found) >= 2, heard
        assert run.audio.seconds_written > spoken_before + 1.0  # the reply was spoken
    finally:
        mic.close()
        await run.runtime.end("test", speak=False)
        await run.session.aclose()


def test_a_bad_answer_file_is_named(tmp_path: Path):
    bad = tmp_path / "answer.wav"
    bad.write_text("not audio")
    with pytest.raises(WavAnswerError, match=r"answer\.wav is not a PCM WAV"):
        play_wav_answer(PacedAudioInput(sample_rate=16000), bad)
    with pytest.raises(WavAnswerError, match="does not exist"):
        play_wav_answer(PacedAudioInput(sample_rate=16000), tmp_path / "missing.wav")
