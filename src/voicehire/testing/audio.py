"""Audio stand-ins for tests and benchmarks.

- :class:`PacedAudioInput` feeds audio frames to the session in real time, the way a
  microphone would.
- :class:`ScriptedSTT` is a speech-to-text engine that returns prepared transcripts, one
  per recognised utterance, to exercise the real VAD → STT → LLM → TTS pipeline with
  known text.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Any

import numpy as np
from livekit import rtc
from livekit.agents import LanguageCode, stt, utils
from livekit.agents.types import NOT_GIVEN, APIConnectOptions, NotGivenOr
from livekit.agents.voice import io

from voicehire.agent.audio_io import frames_from_samples, read_wav

__all__ = ["PacedAudioInput", "ScriptedSTT", "read_wav"]


class PacedAudioInput(io.AudioInput):
    """A microphone stand-in: plays queued clips in real time, silence in between."""

    def __init__(self, *, sample_rate: int = 16000, frame_ms: int = 20) -> None:
        super().__init__(label="paced-audio")
        self.sample_rate = sample_rate
        self.frame_ms = frame_ms
        self._queue: asyncio.Queue[np.ndarray] = asyncio.Queue()
        self._pending: list[rtc.AudioFrame] = []
        self._next_at: float | None = None
        self._silence = np.zeros(sample_rate * frame_ms // 1000, dtype=np.int16)
        self.clip_ended_at: list[float] = []  # perf_counter when each clip's last frame went out
        self._closed = False

    def play(self, samples: np.ndarray, sample_rate: int) -> None:
        if sample_rate != self.sample_rate:
            idx = np.linspace(
                0, len(samples) - 1, int(len(samples) * self.sample_rate / sample_rate)
            )
            samples = samples[idx.astype(np.int64)]
        self._queue.put_nowait(samples)

    def close(self) -> None:
        self._closed = True

    async def __anext__(self) -> rtc.AudioFrame:
        if self._closed:
            raise StopAsyncIteration
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self._next_at is None:
            self._next_at = now
        if self._next_at > now:
            await asyncio.sleep(self._next_at - now)
        self._next_at += self.frame_ms / 1000
        if not self._pending and not self._queue.empty():
            clip = self._queue.get_nowait()
            self._pending = list(frames_from_samples(clip, self.sample_rate, self.frame_ms))
        if self._pending:
            frame = self._pending.pop(0)
            if not self._pending:
                self.clip_ended_at.append(time.perf_counter())
            return frame
        return next(iter(frames_from_samples(self._silence, self.sample_rate, self.frame_ms)))


class ScriptedSTT(stt.STT[Any]):
    """Returns the next prepared transcript for each utterance the VAD cuts out."""

    def __init__(self, transcripts: Iterable[str]) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self._transcripts = list(transcripts)
        self.calls = 0

    @property
    def model(self) -> str:
        return "scripted"

    @property
    def provider(self) -> str:
        return "voicehire-test"

    async def _recognize_impl(
        self,
        buffer: utils.AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions,
    ) -> stt.SpeechEvent:
        text = self._transcripts[self.calls] if self.calls < len(self._transcripts) else ""
        self.calls += 1
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT,
            alternatives=[stt.SpeechData(language=LanguageCode("en"), text=text)],
        )
