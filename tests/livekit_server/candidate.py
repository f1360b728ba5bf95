"""A candidate in a real LiveKit room: a ``livekit.rtc`` participant that publishes a
microphone track (espeak-ng speech between silence, paced in real time), hears the agent's
audio track, and keeps every data message and text stream it receives."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from livekit import rtc

from voicehire.agent.audio_io import read_wav
from voicehire.agent.espeak_tts import espeak_path

RATE = 48000
FRAME = RATE // 100  # 10 ms
# Agent audio louder than this (int16 RMS of a 10 ms frame) counts as speech.
SPEECH_RMS = 200.0
# The microphone's queue in the SDK. Its default (1000 ms) fills while the track waits to
# be subscribed and then stays full, the paced frames keeping it topped up: every word
# reached the agent a second late (the LiveKit benchmark counted it as the agent's).
MIC_QUEUE_MS = 50


def speech(text: str, folder: Path) -> np.ndarray:
    """espeak-ng saying ``text``, resampled to 48 kHz mono int16."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"say-{abs(hash(text))}.wav"
    if not path.exists():
        subprocess.run([str(espeak_path()), "-w", str(path), text], check=True)
    samples, rate = read_wav(path)
    if rate != RATE:
        positions = np.arange(0, len(samples) * RATE / rate) * rate / RATE
        samples = np.interp(positions, np.arange(len(samples)), samples).astype(np.int16)
    return samples


@dataclass
class Received:
    topic: str
    message: dict[str, Any]
    sender: str
    at: float


@dataclass
class Candidate:
    url: str
    token: str
    room: rtc.Room = field(default_factory=rtc.Room)
    data: list[Received] = field(default_factory=list)
    text_streams: list[tuple[str, str, str]] = field(default_factory=list)  # topic, who, text
    agent_frames: int = 0
    agent_loud_frames: int = 0
    # Monotonic times of the agent's loud frames' starts of speech (after >= 300 ms quiet).
    agent_speech_starts: list[float] = field(default_factory=list)
    first_agent_audio: float | None = None
    joined_at: float | None = None
    speech_ended_at: list[float] = field(default_factory=list)
    _source: rtc.AudioSource | None = None
    _queue: asyncio.Queue[np.ndarray] = field(default_factory=asyncio.Queue)
    _tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    _quiet_frames: int = 1000
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def join(self, *, microphone: bool = True) -> Candidate:
        self.room.on("data_received", self._on_data)
        self.room.on("track_subscribed", self._on_track)
        for topic in ("lk.transcription", "lk.chat"):
            self.room.register_text_stream_handler(topic, self._on_text_stream)
        await self.room.connect(self.url, self.token)
        self.joined_at = time.monotonic()
        if microphone:
            self._source = rtc.AudioSource(RATE, 1, queue_size_ms=MIC_QUEUE_MS)
            track = rtc.LocalAudioTrack.create_audio_track("microphone", self._source)
            options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
            await self.room.local_participant.publish_track(track, options)
            self._tasks.append(asyncio.create_task(self._microphone()))
        return self

    async def leave(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.room.disconnect()

    # --- sending ------------------------------------------------------------------------------

    async def say(self, samples: np.ndarray) -> None:
        """Queue speech on the microphone; returns when it has been played out."""
        done = asyncio.get_running_loop().create_future()
        await self._queue.put((samples, done))  # type: ignore[arg-type]
        await done

    async def send_control(self, message: dict[str, Any]) -> None:
        await self.room.local_participant.publish_data(
            json.dumps(message).encode(), reliable=True, topic="control"
        )

    async def type_answer(self, text: str) -> None:
        """The framework's text input (what the candidate page's chat box sends)."""
        await self.room.local_participant.send_text(text, topic="lk.chat")

    async def _microphone(self) -> None:
        """Real-time 10 ms frames: silence, or the next queued speech."""
        assert self._source is not None
        silence = np.zeros(FRAME, np.int16)
        next_at = time.monotonic()
        while True:
            item = None
            if not self._queue.empty():
                item = self._queue.get_nowait()
            chunks = [silence]
            if item is not None:
                samples, done = item  # type: ignore[misc]
                pad = (-len(samples)) % FRAME
                padded = np.concatenate([samples, np.zeros(pad, np.int16)])
                chunks = list(padded.reshape(-1, FRAME))
            for chunk in chunks:
                frame = rtc.AudioFrame(chunk.tobytes(), RATE, 1, FRAME)
                await self._source.capture_frame(frame)
                next_at += 0.01
                delay = next_at - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                else:
                    next_at = time.monotonic()
            if item is not None:
                self.speech_ended_at.append(time.monotonic())
                done.set_result(None)

    # --- receiving ----------------------------------------------------------------------------

    def _on_data(self, packet: rtc.DataPacket) -> None:
        try:
            message = json.loads(packet.data)
        except ValueError:
            return
        sender = packet.participant.identity if packet.participant else ""
        self.data.append(Received(packet.topic or "", message, sender, time.monotonic()))
        self._changed.set()

    def _on_text_stream(self, reader: rtc.TextStreamReader, sender: str) -> None:
        async def read() -> None:
            try:
                text = await reader.read_all()
            except rtc.StreamError:  # the room closed mid-stream
                return
            self.text_streams.append((reader.info.topic, sender, text))
            self._changed.set()

        self._tasks.append(asyncio.create_task(read()))

    def _on_track(
        self,
        track: rtc.Track,
        _publication: rtc.RemoteTrackPublication,
        participant: rtc.RemoteParticipant,
    ) -> None:
        if track.kind == rtc.TrackKind.KIND_AUDIO:
            self._tasks.append(asyncio.create_task(self._listen(track)))

    async def _listen(self, track: rtc.Track) -> None:
        stream = rtc.AudioStream(track, sample_rate=RATE, num_channels=1)
        async for event in stream:
            samples = np.frombuffer(event.frame.data, np.int16).astype(np.float64)
            self.agent_frames += 1
            loud = samples.size > 0 and float(np.sqrt(np.mean(samples**2))) > SPEECH_RMS
            if loud:
                now = time.monotonic()
                self.agent_loud_frames += 1
                if self.first_agent_audio is None:
                    self.first_agent_audio = now
                if self._quiet_frames >= 30:
                    self.agent_speech_starts.append(now)
                self._quiet_frames = 0
                self._changed.set()
            else:
                self._quiet_frames += 1

    # --- waiting ------------------------------------------------------------------------------

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [r.message for r in self.data if r.message.get("type") == kind]

    async def wait_for(self, predicate: Callable[[], Any], within: float, what: str) -> Any:
        deadline = time.monotonic() + within
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                kinds = [r.message.get("type") for r in self.data]
                raise AssertionError(f"timed out after {within} s waiting for {what}; got {kinds}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))

    def agent_state(self) -> str:
        """The interview agent's ``lk.agent.state`` (listening, thinking, speaking...)."""
        for p in self.room.remote_participants.values():
            if p.identity.startswith("interview-agent"):
                return p.attributes.get("lk.agent.state", "")
        return ""

    def agent_identities(self) -> list[str]:
        return [p.identity for p in self.room.remote_participants.values()]


async def poll(
    fetch: Callable[[], Any], until: Callable[[Any], bool], within: float, what: str
) -> Any:
    """Call ``fetch()`` (a coroutine function) until ``until(value)``; returns the value."""
    deadline = time.monotonic() + within
    value = None
    while time.monotonic() < deadline:
        value = await fetch()
        if until(value):
            return value
        await asyncio.sleep(0.5)
    raise AssertionError(f"timed out after {within} s waiting for {what}; last: {value}")


def agents_in(candidate: Candidate) -> list[str]:
    """Identities of the interview agents in the candidate's room."""
    return [i for i in candidate.agent_identities() if i.startswith("interview-agent")]
