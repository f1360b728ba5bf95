"""Audio between the page and the agent: microphone PCM in, the agent's voice out."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Protocol

import numpy as np
from livekit import rtc
from livekit.agents.voice import io

from voicehire.domain.messages import (
    AudioClearFrame,
    AudioEndFrame,
    AudioStartFrame,
    CaptionFrame,
    WireModel,
)

MIC_SAMPLE_RATE = 16000
# Extra seconds after a segment's duration before it counts as played without the page.
PLAYBACK_SLACK = 2.0


class FrameSink(Protocol):
    """Where audio frames and their announcements go (the page's socket)."""

    @property
    def connected(self) -> bool: ...

    def emit_live(self, frame: WireModel) -> None: ...

    def emit_audio(self, pcm: bytes) -> None: ...


class BrowserAudioInput(io.AudioInput):
    """Microphone frames pushed by the page (16 kHz mono int16)."""

    def __init__(self) -> None:
        super().__init__(label="browser-mic")
        self._queue: asyncio.Queue[rtc.AudioFrame | None] = asyncio.Queue(maxsize=500)
        self.frames_received = 0

    def push(self, pcm: bytes) -> None:
        if len(pcm) < 2:
            return
        pcm = pcm[: len(pcm) // 2 * 2]
        frame = rtc.AudioFrame(
            data=pcm,
            sample_rate=MIC_SAMPLE_RATE,
            num_channels=1,
            samples_per_channel=len(pcm) // 2,
        )
        self.frames_received += 1
        if self._queue.full():  # the pipeline stalled: keep the newest audio
            with contextlib.suppress(asyncio.QueueEmpty):
                self._queue.get_nowait()
        self._queue.put_nowait(frame)

    def close(self) -> None:
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(None)

    async def __anext__(self) -> rtc.AudioFrame:
        frame = await self._queue.get()
        if frame is None:
            raise StopAsyncIteration
        return frame


class BrowserAudioOutput(io.AudioOutput):
    """Streams the agent's speech to the page; a segment counts as played when the page
    reports it, or after its duration (plus slack) when no page is listening."""

    def __init__(self, page: FrameSink, *, sample_rate: int) -> None:
        super().__init__(
            label="browser-speaker",
            capabilities=io.AudioOutputCapabilities(pause=False),
            sample_rate=sample_rate,
        )
        self.page = page
        self._segment = 0
        self._open = False
        self._samples = 0
        self._pending: dict[int, tuple[float, asyncio.TimerHandle | None]] = {}
        self.segments_played = 0

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)
        if not self._open:
            self._open = True
            self._segment += 1
            self._samples = 0
            self.on_playback_started(created_at=time.time())
            self.page.emit_live(
                AudioStartFrame(segment=self._segment, sample_rate=frame.sample_rate)
            )
        data = np.frombuffer(frame.data, dtype=np.int16)
        if frame.num_channels > 1:
            data = data.reshape(-1, frame.num_channels)[:, 0]
        self._samples += len(data)
        self.page.emit_audio(data.tobytes())

    def flush(self) -> None:
        super().flush()
        if not self._open:
            return
        self._open = False
        segment = self._segment
        duration = self._samples / (self.sample_rate or 22050)
        self.page.emit_live(AudioEndFrame(segment=segment, duration=duration))
        wait = duration + (PLAYBACK_SLACK if self.page.connected else 0.0)
        handle = asyncio.get_running_loop().call_later(wait, self._finish, segment, duration, False)
        self._pending[segment] = (duration, handle)

    def clear_buffer(self) -> None:
        if self._open:
            self._open = False
            self._pending[self._segment] = (self._samples / (self.sample_rate or 22050), None)
        for segment in list(self._pending):
            self.page.emit_live(AudioClearFrame(segment=segment))
            duration, _ = self._pending[segment]
            self._finish(segment, duration, True)

    def played(self, segment: int) -> None:
        """The page finished playing ``segment``."""
        if segment in self._pending:
            duration, _ = self._pending[segment]
            self._finish(segment, duration, False)

    def _finish(self, segment: int, duration: float, interrupted: bool) -> None:
        entry = self._pending.pop(segment, None)
        if entry is None:
            return
        _, handle = entry
        if handle is not None:
            handle.cancel()
        if not interrupted:
            self.segments_played += 1
        self.on_playback_finished(playback_position=duration, interrupted=interrupted)


class BrowserCaptionOutput(io.TextOutput):
    """The interviewer's words to the page as they are spoken: behind a
    ``TranscriptSynchronizer`` the text arrives paced with the audio, as LiveKit's
    transcription does in a room."""

    def __init__(self, page: FrameSink) -> None:
        super().__init__(label="browser-captions", next_in_chain=None)
        self.page = page

    async def capture_text(self, text: str) -> None:
        if text:
            self.page.emit_live(CaptionFrame(text=text))

    def flush(self) -> None:
        pass
