"""A natural offline voice: Piper (VITS, ONNX) with the packaged ``en_US-joe-medium`` voice.

Piper synthesises one sentence at a time; each sentence's audio is pushed as soon as it
is ready, so the candidate hears the first sentence while the rest is still being made.
When the LLM streams its reply, the session's ``tts.StreamAdapter`` cuts the text into
sentences first and calls this engine per sentence.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import numpy as np
from livekit.agents import APIConnectionError, tts, utils
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, APIConnectOptions

from voicehire.agent.speech.models import piper_voice_files

logger = logging.getLogger(__name__)

DEFAULT_VOICE = "en_US-joe-medium"


@lru_cache(maxsize=2)
def _load_voice(voice: str) -> Any:
    from piper import PiperVoice

    files = piper_voice_files(voice)
    started = time.perf_counter()
    loaded = PiperVoice.load(files.model, files.config)
    logger.info(
        "piper voice loaded",
        extra={"voice": voice, "seconds": round(time.perf_counter() - started, 2)},
    )
    return loaded


def _voice_sample_rate(voice: str) -> int:
    import json

    return int(json.loads(piper_voice_files(voice).config.read_text())["audio"]["sample_rate"])


class PiperTTS(tts.TTS[Any]):
    def __init__(self, *, voice: str = DEFAULT_VOICE, speed: float = 1.0) -> None:
        super().__init__(
            capabilities=tts.TTSCapabilities(streaming=False),
            sample_rate=_voice_sample_rate(voice),
            num_channels=1,
        )
        self.voice = voice
        # Piper's length_scale: > 1 speaks slower
        self.length_scale = 1.0 / speed
        self._loading: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        return self.voice

    @property
    def provider(self) -> str:
        return "piper"

    def prewarm(self) -> None:
        if self._loading is None:
            self._loading = threading.Thread(
                target=_load_voice, args=(self.voice,), name="piper-load", daemon=True
            )
            self._loading.start()

    def sentences_pcm(self, text: str) -> Iterator[bytes]:
        """int16 PCM, one chunk per sentence (blocking; run it off the event loop)."""
        from piper import SynthesisConfig

        voice = _load_voice(self.voice)
        config = SynthesisConfig(length_scale=self.length_scale)
        with self._lock:
            for chunk in voice.synthesize(text, syn_config=config):
                pcm = np.clip(chunk.audio_float_array * 32767.0, -32768, 32767).astype(np.int16)
                yield pcm.tobytes()

    def synthesize(
        self, text: str, *, conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS
    ) -> tts.ChunkedStream:
        return _PiperStream(tts=self, input_text=text, conn_options=conn_options)


class _PiperStream(tts.ChunkedStream):
    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        engine: PiperTTS = self._tts  # type: ignore[assignment]
        output_emitter.initialize(
            request_id=utils.shortuuid("piper_"),
            sample_rate=engine.sample_rate,
            num_channels=1,
            mime_type="audio/pcm",
        )
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[bytes | BaseException | None] = asyncio.Queue()

        def produce() -> None:
            try:
                for pcm in engine.sentences_pcm(self.input_text):
                    loop.call_soon_threadsafe(queue.put_nowait, pcm)
            except BaseException as exc:  # handed to the event loop, raised there
                loop.call_soon_threadsafe(queue.put_nowait, exc)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, None)

        worker = loop.run_in_executor(None, produce)
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, BaseException):
                    logger.exception("piper synthesis failed", exc_info=item)
                    raise APIConnectionError(f"piper synthesis failed: {item}") from item
                output_emitter.push(item)
        finally:
            await worker
        output_emitter.flush()
