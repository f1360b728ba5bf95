"""The Piper voice speaks sentence by sentence, and what it says can be understood."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.agent.speech.conftest import needs_stt, needs_tts
from voicehire.agent.audio_io import frames_from_samples

pytestmark = needs_tts

QUESTION = "Thanks, Sam. Tell me about a system you scaled. How did you measure it?"


def pcm_rms(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
    return float(np.sqrt(np.mean(samples**2)))


def test_each_sentence_is_a_separate_non_silent_chunk():
    from voicehire.agent.speech.piper_tts import PiperTTS

    chunks = list(PiperTTS().sentences_pcm(QUESTION))
    assert len(chunks) == 3
    for chunk in chunks:
        assert len(chunk) / 2 / 22050 > 0.4  # each sentence is real speech, not a click
        assert pcm_rms(chunk) > 500


async def test_stream_yields_audio_frames_with_the_voice_rate():
    from voicehire.agent.speech.piper_tts import PiperTTS

    engine = PiperTTS()
    frames = [event.frame async for event in engine.synthesize(QUESTION)]
    assert frames and all(f.sample_rate == 22050 for f in frames)
    pcm = b"".join(bytes(f.data) for f in frames)
    seconds = len(pcm) / 2 / 22050
    assert 3.0 < seconds < 12.0
    assert pcm_rms(pcm) > 500


async def test_faster_speed_gives_shorter_speech():
    from voicehire.agent.speech.piper_tts import PiperTTS

    normal = b"".join(PiperTTS().sentences_pcm(QUESTION))
    fast = b"".join(PiperTTS(speed=1.5).sentences_pcm(QUESTION))
    assert len(fast) < 0.8 * len(normal)


@needs_stt
async def test_whisper_understands_the_voice(whisper_dir: Path):
    from voicehire.agent.speech.piper_tts import PiperTTS
    from voicehire.agent.speech.whisper_stt import WhisperSTT, WhisperTranscriber

    text = "We moved the billing service to Kubernetes and cut costs by thirty percent."
    pcm = b"".join(PiperTTS().sentences_pcm(text))
    samples = np.frombuffer(pcm, dtype=np.int16)
    whisper = WhisperSTT(WhisperTranscriber(whisper_dir))
    heard = (await whisper.recognize(list(frames_from_samples(samples, 22050)))).alternatives[0]
    lowered = heard.text.lower()
    # Piper's synthesis varies from run to run and Whisper base may mishear one rare
    # word ("Kubernetes"); a working round trip keeps at least three of these four.
    found = [k for k in ("billing", "kubernetes", "costs") if k in lowered]
    found += ["30"] if ("30" in lowered or "thirty" in lowered) else []
    assert len(found) >= 3, heard.text
