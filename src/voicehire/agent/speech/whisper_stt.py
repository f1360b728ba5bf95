"""Offline speech recognition: Whisper base (CTranslate2, via faster-whisper) as a LiveKit
``stt.STT``.

Whisper transcribes whole utterances, so the engine is non-streaming: the session wraps
it in the framework's VAD-segmented ``stt.StreamAdapter`` (Silero VAD), which hands it
each utterance when the candidate stops speaking.

Speed: Whisper was trained on 30-second windows and faster-whisper pads every utterance
to 30 s, which costs ~1 s of encoder time on two cores whatever the answer's length.
``window="trimmed"`` (the default) encodes a 10-second window instead (longer answers:
their length plus 1 s), and bounds the decoded length by the audio's duration. Shorter
windows were measured too: Whisper then loops ("but but but ...") and the word error
rate on the neural-voice set rose from 7 % to 18-184 %; ``make bench`` prints both modes.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from livekit import rtc
from livekit.agents import APIConnectionError, stt, utils
from livekit.agents.language import LanguageCode
from livekit.agents.types import NOT_GIVEN, APIConnectOptions, NotGivenOr

from voicehire.agent.speech.models import whisper_base_dir

logger = logging.getLogger(__name__)

WHISPER_SAMPLE_RATE = 16000
Window = Literal["trimmed", "full"]
# Trimmed mode (1 frame = 10 ms): the window is at least MIN_WINDOW_FRAMES, and at least the
# utterance plus TRIM_PAD_FRAMES (Whisper drops the last word at the window's very edge).
MIN_WINDOW_FRAMES = 1000
TRIM_PAD_FRAMES = 100
# At most this many tokens per second of audio (speech is ~4): stops a repetition loop.
MAX_TOKENS_PER_SECOND = 8
# Whisper's own rule for "this window had no speech": drop hallucinated text on noise.
NO_SPEECH_THRESHOLD = 0.6
LOGPROB_THRESHOLD = -1.0


@dataclass(frozen=True)
class Transcript:
    text: str
    no_speech_prob: float
    seconds: float


@lru_cache(maxsize=4)
def _load_model(model_dir: str, compute_type: str, threads: int) -> Any:
    from faster_whisper import WhisperModel

    started = time.perf_counter()
    model = WhisperModel(model_dir, device="cpu", compute_type=compute_type, cpu_threads=threads)
    logger.info(
        "whisper model loaded",
        extra={"path": model_dir, "seconds": round(time.perf_counter() - started, 2)},
    )
    return model


class WhisperTranscriber:
    """Whisper on CPU; one utterance at a time (a second caller waits for the first)."""

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        compute_type: str = "int8",
        threads: int = 0,
        beam_size: int = 1,
        window: Window = "trimmed",
        prompt: str = "",
    ) -> None:
        self._model_dir = model_dir
        self.compute_type = compute_type
        self.threads = threads
        self.beam_size = beam_size
        self.window = window
        self.prompt = prompt
        self._lock = threading.Lock()
        self._model: Any = None

    def load(self) -> Any:
        if self._model is None:
            model_dir = self._model_dir or whisper_base_dir()
            self._model = _load_model(str(model_dir), self.compute_type, self.threads)
        return self._model

    def transcribe(self, samples: np.ndarray, *, language: str = "en") -> Transcript:
        """Mono float32 samples at 16 kHz in [-1, 1] to text."""
        started = time.perf_counter()
        with self._lock:
            model = self.load()
            if self.window == "full":
                text, no_speech = self._transcribe_full(model, samples, language)
            else:
                text, no_speech = self._transcribe_trimmed(model, samples, language)
        return Transcript(text.strip(), no_speech, time.perf_counter() - started)

    def _transcribe_full(self, model: Any, samples: np.ndarray, language: str) -> tuple[str, float]:
        segments, _info = model.transcribe(
            samples,
            language=language,
            beam_size=self.beam_size,
            without_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
            initial_prompt=self.prompt or None,
            no_speech_threshold=NO_SPEECH_THRESHOLD,
            log_prob_threshold=LOGPROB_THRESHOLD,
        )
        segments = list(segments)
        no_speech = max((s.no_speech_prob for s in segments), default=1.0)
        return " ".join(s.text.strip() for s in segments), no_speech

    def _transcribe_trimmed(
        self, model: Any, samples: np.ndarray, language: str
    ) -> tuple[str, float]:
        import ctranslate2
        from faster_whisper.tokenizer import Tokenizer

        features = model.feature_extractor(samples)
        max_frames = model.feature_extractor.nb_max_frames
        frames = min(max_frames, max(MIN_WINDOW_FRAMES, features.shape[-1] + TRIM_PAD_FRAMES))
        if features.shape[-1] > max_frames - TRIM_PAD_FRAMES:
            # longer than one window: faster-whisper's own windowing handles it
            return self._transcribe_full(model, samples, language)
        padded = np.zeros((features.shape[0], frames), dtype=np.float32)
        padded[:, : features.shape[-1]] = features
        encoded = model.model.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(padded[None])),
            to_cpu=False,
        )
        tokenizer = Tokenizer(model.hf_tokenizer, True, task="transcribe", language=language)
        prompt: list[int] = []
        if self.prompt:
            prompt = [tokenizer.sot_prev, *tokenizer.encode(" " + self.prompt.strip())[-223:]]
        prompt += [*tokenizer.sot_sequence, tokenizer.no_timestamps]
        result = model.model.generate(
            encoded,
            [prompt],
            beam_size=self.beam_size,
            max_length=min(448, 10 + math.ceil(len(samples) / 16000 * MAX_TOKENS_PER_SECOND)),
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],
        )[0]
        tokens = [t for t in result.sequences_ids[0] if t < tokenizer.eot]
        no_speech = float(result.no_speech_prob)
        avg_logprob = float(result.scores[0]) if result.scores else 0.0
        if no_speech > NO_SPEECH_THRESHOLD and avg_logprob < LOGPROB_THRESHOLD:
            return "", no_speech
        return tokenizer.decode(tokens), no_speech


def to_whisper_samples(frame: rtc.AudioFrame) -> np.ndarray:
    """One audio frame (any rate, any channel count) as mono float32 at 16 kHz."""
    pcm = np.frombuffer(frame.data, dtype=np.int16)
    if frame.num_channels > 1:
        pcm = pcm.reshape(-1, frame.num_channels).mean(axis=1).astype(np.int16)
    if frame.sample_rate != WHISPER_SAMPLE_RATE:
        resampler = rtc.AudioResampler(
            frame.sample_rate, WHISPER_SAMPLE_RATE, quality=rtc.AudioResamplerQuality.HIGH
        )
        mono = rtc.AudioFrame(pcm.tobytes(), frame.sample_rate, 1, len(pcm))
        out = [*resampler.push(mono), *resampler.flush()]
        pcm = np.concatenate([np.frombuffer(f.data, dtype=np.int16) for f in out]) if out else pcm
    return pcm.astype(np.float32) / 32768.0


class WhisperSTT(stt.STT[Any]):
    """Whisper base, offline. Non-streaming: the session adds the VAD-segmented adapter."""

    def __init__(self, transcriber: WhisperTranscriber | None = None, *, language: str = "en"):
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self.transcriber = transcriber or WhisperTranscriber()
        self.language = language
        self._loading: threading.Thread | None = None
        self.last_transcript: Transcript | None = None

    @property
    def model(self) -> str:
        return "whisper-base"

    @property
    def provider(self) -> str:
        return "faster-whisper"

    def prewarm(self) -> None:
        """Load the model in the background so the first answer isn't slowed by it."""
        if self._loading is None:
            self._loading = threading.Thread(
                target=self.transcriber.load, name="whisper-load", daemon=True
            )
            self._loading.start()

    async def _recognize_impl(
        self,
        buffer: utils.AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions,
    ) -> stt.SpeechEvent:
        lang = (language if isinstance(language, str) else self.language).split("-")[0]
        samples = to_whisper_samples(utils.merge_frames(buffer))
        try:
            result = await asyncio.to_thread(self.transcriber.transcribe, samples, language=lang)
        except Exception as exc:  # the model failed to load or run: the session reports it
            logger.exception("offline speech recognition failed")
            raise APIConnectionError(f"offline speech recognition failed: {exc}") from exc
        self.last_transcript = result
        logger.debug(
            "utterance transcribed",
            extra={
                "audio_seconds": round(len(samples) / WHISPER_SAMPLE_RATE, 2),
                "seconds": round(result.seconds, 3),
            },
        )
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT,
            alternatives=[
                stt.SpeechData(
                    language=LanguageCode(lang),
                    text=result.text,
                    confidence=1.0 - result.no_speech_prob,
                )
            ],
        )
