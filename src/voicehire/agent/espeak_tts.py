"""Offline text-to-speech with espeak-ng (Debian package ``espeak-ng``).

espeak-ng synthesises a sentence in a few milliseconds on one core, so it keeps the
embedded default's reply latency low. Its voice is robotic; set a cloud TTS for
production interviews.
"""

from __future__ import annotations

import asyncio
import io
import shutil
import wave
from typing import Any

from livekit.agents import APIConnectionError, tts, utils
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, APIConnectOptions

ESPEAK_SAMPLE_RATE = 22050


def espeak_path() -> str | None:
    return shutil.which("espeak-ng")


class EspeakTTS(tts.TTS[Any]):
    def __init__(self, *, voice: str = "en-us", rate: int = 175, binary: str | None = None):
        super().__init__(
            capabilities=tts.TTSCapabilities(streaming=False),
            sample_rate=ESPEAK_SAMPLE_RATE,
            num_channels=1,
        )
        self._binary = binary or espeak_path()
        if self._binary is None:
            raise RuntimeError(
                "espeak-ng is not installed: run `make setup` as root or `apt install espeak-ng`"
            )
        self.voice = voice
        self.rate = rate

    @property
    def model(self) -> str:
        return "espeak-ng"

    @property
    def provider(self) -> str:
        return "espeak-ng"

    def synthesize(
        self, text: str, *, conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS
    ) -> tts.ChunkedStream:
        return _EspeakStream(tts=self, input_text=text, conn_options=conn_options)

    async def synthesize_wav(self, text: str) -> bytes:
        """The whole utterance as a WAV file (used by tests and tools)."""
        if self._binary is None:
            raise RuntimeError("espeak-ng is not installed")
        proc = await asyncio.create_subprocess_exec(
            self._binary,
            "--stdout",
            "-v",
            self.voice,
            "-s",
            str(self.rate),
            text,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await proc.communicate()
        if proc.returncode != 0 or not out:
            raise APIConnectionError(f"espeak-ng failed ({proc.returncode}): {err.decode()[:200]}")
        return out


class _EspeakStream(tts.ChunkedStream):
    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        engine: EspeakTTS = self._tts  # type: ignore[assignment]
        wav_bytes = await engine.synthesize_wav(self.input_text)
        with wave.open(io.BytesIO(wav_bytes)) as wav:
            rate, channels = wav.getframerate(), wav.getnchannels()
            pcm = wav.readframes(wav.getnframes())
        output_emitter.initialize(
            request_id=utils.shortuuid("espeak_"),
            sample_rate=rate,
            num_channels=channels,
            mime_type="audio/pcm",
        )
        output_emitter.push(pcm)
        output_emitter.flush()
