"""Custom audio I/O for running the agent without a LiveKit room.

- :class:`WavFileAudioOutput` records what the agent says into a WAV file (the demo).
- :func:`read_wav` and :func:`frames_from_samples` turn WAV audio into frames.
- :class:`PacedAudioInput` plays queued clips into the session in real time, the way a
  microphone would (a scripted spoken candidate, the tests and the benchmarks).
"""

from __future__ import annotations

import asyncio
import io as _io
import time
import wave
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from livekit import rtc
from livekit.agents.voice import io


class WavFileAudioOutput(io.AudioOutput):
    """Writes every played segment into one WAV file; playback completes immediately.

    ``realtime=True`` waits for each segment's duration before reporting it played, as a
    loudspeaker would (so timers see a realistic speaking agent).
    """

    def __init__(self, path: Path | None, *, sample_rate: int = 22050, realtime: bool = False):
        super().__init__(
            label="wav-file",
            capabilities=io.AudioOutputCapabilities(pause=False),
            sample_rate=sample_rate,
        )
        self.path = path
        self.realtime = realtime
        self._pcm = bytearray()
        self._segment_samples = 0
        self.segments = 0
        self.first_frame_times: list[float] = []
        self._segment_started = False

    @property
    def seconds_written(self) -> float:
        return len(self._pcm) / 2 / (self.sample_rate or 22050)

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)
        if not self._segment_started:
            self._segment_started = True
            self.first_frame_times.append(time.perf_counter())
            self.on_playback_started(created_at=time.time())
        data = np.frombuffer(frame.data, dtype=np.int16)
        if frame.num_channels > 1:
            data = data.reshape(-1, frame.num_channels)[:, 0]
        self._pcm.extend(data.tobytes())
        self._segment_samples += frame.samples_per_channel

    def flush(self) -> None:
        super().flush()
        if not self._segment_started:
            return
        duration = self._segment_samples / (self.sample_rate or 22050)
        self._segment_started = False
        self._segment_samples = 0
        self.segments += 1
        if self.realtime:
            asyncio.get_running_loop().call_later(
                duration,
                lambda: self.on_playback_finished(playback_position=duration, interrupted=False),
            )
        else:
            self.on_playback_finished(playback_position=duration, interrupted=False)

    def clear_buffer(self) -> None:
        if self._segment_started:
            self._segment_started = False
            duration = self._segment_samples / (self.sample_rate or 22050)
            self._segment_samples = 0
            self.on_playback_finished(playback_position=duration, interrupted=True)

    def save(self) -> Path | None:
        if self.path is None or not self._pcm:
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(self.path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(self.sample_rate or 22050)
            wav.writeframes(bytes(self._pcm))
        return self.path


def read_wav(data: bytes | Path) -> tuple[np.ndarray, int]:
    """Mono int16 samples and the sample rate of a WAV file or bytes."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    with wave.open(_io.BytesIO(raw)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    if channels > 1:
        samples = samples.reshape(-1, channels)[:, 0]
    return samples.copy(), rate


def frames_from_samples(
    samples: np.ndarray, sample_rate: int, frame_ms: int = 20
) -> Iterable[rtc.AudioFrame]:
    per_frame = sample_rate * frame_ms // 1000
    for start in range(0, len(samples), per_frame):
        chunk = samples[start : start + per_frame]
        if len(chunk) < per_frame:
            chunk = np.pad(chunk, (0, per_frame - len(chunk)))
        yield rtc.AudioFrame(
            data=chunk.astype(np.int16).tobytes(),
            sample_rate=sample_rate,
            num_channels=1,
            samples_per_channel=per_frame,
        )


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
