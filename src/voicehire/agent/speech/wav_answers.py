"""Spoken answers from WAV files, for a scripted spoken candidate (``--answers`` with WAVs,
tests, the benchmark): each file becomes band-limited 16 kHz mono samples that a paced
audio input (e.g. :class:`voicehire.testing.audio.PacedAudioInput`) plays into the
session in real time."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Protocol

import numpy as np
from livekit import rtc

from voicehire.agent.audio_io import read_wav

ANSWER_SAMPLE_RATE = 16000
MAX_ANSWER_SECONDS = 600


class AnswerPlayer(Protocol):
    """An audio input that plays queued clips in real time (silence in between)."""

    sample_rate: int

    def play(self, samples: np.ndarray, sample_rate: int) -> None: ...


class WavAnswerError(ValueError):
    """A WAV answer file that cannot be played (the message says which and why)."""


def load_wav_answer(path: Path) -> tuple[np.ndarray, int]:
    """Mono int16 samples and their rate from a PCM WAV file, with a clear error otherwise."""
    if not path.is_file():
        raise WavAnswerError(f"answer audio {path} does not exist")
    try:
        with wave.open(str(path)) as wav:
            width = wav.getsampwidth()
        if width != 2:
            raise wave.Error(f"{8 * width}-bit samples, expected 16-bit")
        samples, rate = read_wav(path)
    except (wave.Error, EOFError) as exc:
        raise WavAnswerError(
            f"answer audio {path} is not a PCM WAV file ({exc}); convert it with "
            "`sox IN -c 1 -r 16000 -b 16 OUT.wav`"
        ) from exc
    if samples.size == 0:
        raise WavAnswerError(f"answer audio {path} is empty")
    if samples.size / rate > MAX_ANSWER_SECONDS:
        raise WavAnswerError(f"answer audio {path} is longer than {MAX_ANSWER_SECONDS} s")
    return samples, rate


def resample(samples: np.ndarray, rate: int, target: int = ANSWER_SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling (naive sample picking aliases and costs Whisper words)."""
    if rate == target:
        return samples
    resampler = rtc.AudioResampler(rate, target, quality=rtc.AudioResamplerQuality.HIGH)
    frame = rtc.AudioFrame(samples.astype(np.int16).tobytes(), rate, 1, samples.size)
    out = [*resampler.push(frame), *resampler.flush()]
    return np.concatenate([np.frombuffer(f.data, dtype=np.int16) for f in out])


def play_wav_answer(mic: AnswerPlayer, path: Path) -> float:
    """Queue one answer on the stand-in microphone; returns its length in seconds."""
    samples, rate = load_wav_answer(path)
    mic.play(resample(samples, rate, mic.sample_rate), mic.sample_rate)
    return samples.size / rate
