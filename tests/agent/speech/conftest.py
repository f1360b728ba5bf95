"""Offline speech tests need the `speech` extra (make setup installs it) and espeak-ng."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from voicehire.agent.audio_io import read_wav
from voicehire.agent.espeak_tts import espeak_path
from voicehire.agent.speech.models import local_stt_installed, local_tts_installed

needs_stt = pytest.mark.skipif(
    not local_stt_installed(), reason="the speech extra is not installed (make setup)"
)
needs_tts = pytest.mark.skipif(
    not local_tts_installed(), reason="the speech extra is not installed (make setup)"
)
needs_espeak = pytest.mark.skipif(espeak_path() is None, reason="espeak-ng is not installed")


def espeak_samples(text: str, *, voice: str = "en-us") -> tuple[np.ndarray, int]:
    wav = subprocess.run(
        ["espeak-ng", "--stdout", "-v", voice, text], check=True, capture_output=True
    ).stdout
    return read_wav(wav)


@pytest.fixture(scope="session")
def whisper_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from voicehire.agent.speech.models import whisper_base_dir

    return whisper_base_dir(tmp_path_factory.mktemp("models"))


def piper_samples(text: str) -> tuple[np.ndarray, int]:
    """``text`` in the Piper neural voice (the speech extra), as int16 samples."""
    from voicehire.agent.speech.piper_tts import PiperTTS

    engine = PiperTTS()
    return np.frombuffer(b"".join(engine.sentences_pcm(text)), np.int16), engine.sample_rate
