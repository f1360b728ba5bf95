"""Offline speech recognition: Whisper base (CTranslate2, via faster-whisper) as a LiveKit
``stt.STT``.

Whisper transcribes whole stretches of audio, not word by word, so the engine streams by
segmenting: its stream runs a Silero VAD over the microphone and hands Whisper each piece
of speech. It does not wait for the VAD to decide an utterance is over (LOCAL_STT_SILENCE
of silence, 0.55 s by default). At the first short pause (EARLY_PAUSE, 64 ms) Whisper
already starts on the audio so far, in case the candidate has finished; if they go on,
that early transcript is dropped. A pause of PIECE_PAUSE (0.3 s) ends the piece with
the early transcript as its final one; the rest of the utterance is the next piece,
transcribed with the earlier pieces' words as Whisper's context. So the transcript of
an answer is final about 0.4 s after the candidate stops, not 0.55 s plus Whisper's
time. No audio is transcribed into two pieces and none is dropped. The session joins
the pieces into the user's turn; when the turn ends is still decided by the end-of-turn
model and the endpointing delays.

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
import os
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from livekit import rtc
from livekit.agents import APIConnectionError, stt, utils
from livekit.agents import vad as lk_vad
from livekit.agents.language import LanguageCode
from livekit.agents.types import (
    DEFAULT_API_CONNECT_OPTIONS,
    NOT_GIVEN,
    APIConnectOptions,
    NotGivenOr,
)

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
# Early transcription (see the module's docstring). After EARLY_PAUSE seconds of pause
# Whisper starts on the piece so far, in case the candidate has finished; speech that
# resumes makes that transcript stale (it is dropped). A pause of PIECE_PAUSE, once the
# piece has MIN_PIECE seconds of audio, ends the piece: its transcript is final then,
# before the VAD's LOCAL_STT_SILENCE. A VAD window counts as pause below
# PAUSE_PROBABILITY and as speech from SPEECH_PROBABILITY (Silero's thresholds).
EARLY_PAUSE = 0.064  # two Silero windows
PIECE_PAUSE = 0.3
MIN_PIECE = 1.0
PAUSE_PROBABILITY = 0.35
SPEECH_PROBABILITY = 0.5
# Characters of the utterance's earlier pieces given to Whisper as context for the next.
CONTEXT_CHARS = 200
# The stream keeps its state across pieces, so a failure is not retried from scratch.
STREAM_CONNECT_OPTIONS = APIConnectOptions(max_retry=0, timeout=DEFAULT_API_CONNECT_OPTIONS.timeout)


@dataclass(frozen=True)
class Transcript:
    text: str
    no_speech_prob: float
    seconds: float


@lru_cache(maxsize=4)
def _load_model(model_dir: str, compute_type: str, threads: int) -> Any:
    from faster_whisper import WhisperModel

    started = time.perf_counter()
    # 0 = every core this process may use (CTranslate2's own 0 means 4 threads, which on
    # two cores only slows each answer down)
    threads = threads or len(os.sched_getaffinity(0))
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

    def transcribe(
        self, samples: np.ndarray, *, language: str = "en", context: str = ""
    ) -> Transcript:
        """Mono float32 samples at 16 kHz in [-1, 1] to text. ``context``: what was said
        just before (the utterance's earlier pieces), given to Whisper after the prompt."""
        started = time.perf_counter()
        prompt = " ".join(p for p in (self.prompt.strip(), context.strip()) if p)
        with self._lock:
            model = self.load()
            if self.window == "full":
                text, no_speech = self._transcribe_full(model, samples, language, prompt)
            else:
                text, no_speech = self._transcribe_trimmed(model, samples, language, prompt)
        return Transcript(text.strip(), no_speech, time.perf_counter() - started)

    def _transcribe_full(
        self, model: Any, samples: np.ndarray, language: str, prompt: str
    ) -> tuple[str, float]:
        segments, _info = model.transcribe(
            samples,
            language=language,
            beam_size=self.beam_size,
            without_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
            initial_prompt=prompt or None,
            no_speech_threshold=NO_SPEECH_THRESHOLD,
            log_prob_threshold=LOGPROB_THRESHOLD,
        )
        segments = list(segments)
        no_speech = max((s.no_speech_prob for s in segments), default=1.0)
        return " ".join(s.text.strip() for s in segments), no_speech

    def _transcribe_trimmed(
        self, model: Any, samples: np.ndarray, language: str, prompt: str
    ) -> tuple[str, float]:
        import ctranslate2
        from faster_whisper.tokenizer import Tokenizer

        features = model.feature_extractor(samples)
        max_frames = model.feature_extractor.nb_max_frames
        frames = min(max_frames, max(MIN_WINDOW_FRAMES, features.shape[-1] + TRIM_PAD_FRAMES))
        if features.shape[-1] > max_frames - TRIM_PAD_FRAMES:
            # longer than one window: faster-whisper's own windowing handles it
            return self._transcribe_full(model, samples, language, prompt)
        padded = np.zeros((features.shape[0], frames), dtype=np.float32)
        padded[:, : features.shape[-1]] = features
        encoded = model.model.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(padded[None])),
            to_cpu=False,
        )
        tokenizer = Tokenizer(model.hf_tokenizer, True, task="transcribe", language=language)
        tokens_in: list[int] = []
        if prompt:
            tokens_in = [tokenizer.sot_prev, *tokenizer.encode(" " + prompt)[-223:]]
        tokens_in += [*tokenizer.sot_sequence, tokenizer.no_timestamps]
        result = model.model.generate(
            encoded,
            [tokens_in],
            beam_size=self.beam_size,
            # counted with the prompt's tokens (Whisper's limit is 448 in all)
            max_length=min(
                448,
                len(tokens_in) + 10 + math.ceil(len(samples) / 16000 * MAX_TOKENS_PER_SECOND),
            ),
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
    """Whisper base, offline. Streams through its own VAD (``vad``: Silero, closing an
    utterance after LOCAL_STT_SILENCE) with early transcription; ``recognize`` takes one
    utterance whole."""

    def __init__(
        self,
        transcriber: WhisperTranscriber | None = None,
        *,
        language: str = "en",
        vad: lk_vad.VAD | None = None,
    ):
        super().__init__(capabilities=stt.STTCapabilities(streaming=True, interim_results=False))
        self.transcriber = transcriber or WhisperTranscriber()
        self.language = language
        self._vad = vad
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

    def stream(
        self,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = STREAM_CONNECT_OPTIONS,
    ) -> WhisperStream:
        if self._vad is None:
            from voicehire.agent.engines import build_vad

            self._vad = build_vad()
        return WhisperStream(self, vad=self._vad, language=language, conn_options=conn_options)

    async def transcribe(
        self, frames: list[rtc.AudioFrame], *, language: str | None = None, context: str = ""
    ) -> Transcript:
        """One piece of audio to text, off the event loop; a failure is the session's
        ``APIConnectionError`` (it reports the recogniser as down)."""
        samples = to_whisper_samples(utils.merge_frames(frames))
        lang = (language or self.language).split("-")[0]
        try:
            result = await asyncio.to_thread(
                self.transcriber.transcribe, samples, language=lang, context=context
            )
        except Exception as exc:  # the model failed to load or run
            logger.exception("offline speech recognition failed")
            raise APIConnectionError(f"offline speech recognition failed: {exc}") from exc
        self.last_transcript = result
        logger.debug(
            "speech transcribed",
            extra={
                "audio_seconds": round(len(samples) / WHISPER_SAMPLE_RATE, 2),
                "seconds": round(result.seconds, 3),
            },
        )
        return result

    def final_event(
        self,
        result: Transcript,
        *,
        language: str | None = None,
        speech_end_time: float | None = None,
    ) -> stt.SpeechEvent:
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT,
            alternatives=[
                stt.SpeechData(
                    language=LanguageCode((language or self.language).split("-")[0]),
                    text=result.text,
                    confidence=1.0 - result.no_speech_prob,
                )
            ],
            speech_end_time=speech_end_time,
        )

    async def _recognize_impl(
        self,
        buffer: utils.AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions,
    ) -> stt.SpeechEvent:
        frames = buffer if isinstance(buffer, list) else [buffer]
        lang = language if isinstance(language, str) else None
        return self.final_event(await self.transcribe(frames, language=lang), language=lang)


@dataclass
class _Piece:
    """Part of an utterance for Whisper (``last``: the utterance's end), when its speech
    ended, and its early transcript when one was started on exactly this audio."""

    frames: list[rtc.AudioFrame]
    end_time: float
    last: bool
    early: asyncio.Task[Transcript] | None = None


class WhisperStream(stt.RecognizeStream):
    """The microphone through Silero VAD to Whisper, piece by piece (see the module's
    docstring). Events, in order: START_OF_SPEECH, one FINAL_TRANSCRIPT per piece that had
    words, END_OF_SPEECH after the utterance's last piece."""

    def __init__(
        self,
        engine: WhisperSTT,
        *,
        vad: lk_vad.VAD,
        language: NotGivenOr[str],
        conn_options: APIConnectOptions,
    ) -> None:
        super().__init__(stt=engine, conn_options=conn_options)
        self._engine = engine
        self._vad = vad
        self._language = language if isinstance(language, str) else None
        self._heard = ""  # the utterance's words so far (Whisper's context for the rest)
        self._early: set[asyncio.Task[Transcript]] = set()

    def _transcribe_early(self, frames: list[rtc.AudioFrame]) -> asyncio.Task[Transcript]:
        task = asyncio.create_task(
            self._engine.transcribe(frames, language=self._language, context=self._heard)
        )
        self._early.add(task)
        task.add_done_callback(self._early_done)
        return task

    def _early_done(self, task: asyncio.Task[Transcript]) -> None:
        self._early.discard(task)
        if not task.cancelled():
            task.exception()  # a stale early transcript is never awaited: retrieve it

    async def _run(self) -> None:
        vad_stream = self._vad.stream()
        work: asyncio.Queue[_Piece | stt.SpeechEvent | None] = asyncio.Queue()

        async def forward() -> None:
            async for item in self._input_ch:
                if isinstance(item, self._FlushSentinel):
                    vad_stream.flush()
                else:
                    vad_stream.push_frame(item)
            vad_stream.end_input()

        async def segment() -> None:
            piece: list[rtc.AudioFrame] = []
            seconds = pause = 0.0
            voiced = in_speech = False
            early: asyncio.Task[Transcript] | None = None  # on all of ``piece`` but its pause
            early_frames = 0
            async for ev in vad_stream:
                if ev.type == lk_vad.VADEventType.START_OF_SPEECH:
                    in_speech, voiced, pause, early = True, True, 0.0, None
                    piece = list(ev.frames)  # the speech so far, with the VAD's lead-in
                    seconds = sum(f.duration for f in piece)
                    work.put_nowait(stt.SpeechEvent(stt.SpeechEventType.START_OF_SPEECH))
                elif ev.type == lk_vad.VADEventType.INFERENCE_DONE and in_speech:
                    piece.extend(ev.frames)
                    window = sum(f.duration for f in ev.frames)
                    seconds += window
                    if ev.probability >= SPEECH_PROBABILITY:
                        voiced, early = True, None  # they go on: the early transcript is stale
                    pause = pause + window if ev.probability < PAUSE_PROBABILITY else 0.0
                    if not voiced:
                        continue
                    if early is None and pause >= EARLY_PAUSE:
                        early, early_frames = self._transcribe_early(list(piece)), len(piece)
                    if pause >= PIECE_PAUSE and seconds >= MIN_PIECE:
                        ended = time.time() - pause - ev.inference_duration
                        work.put_nowait(_Piece(piece[:early_frames], ended, False, early))
                        piece, seconds, voiced, early = piece[early_frames:], pause, False, None
                elif ev.type == lk_vad.VADEventType.END_OF_SPEECH and in_speech:
                    in_speech = False
                    ended = time.time() - ev.silence_duration - ev.inference_duration
                    if voiced and early is not None:
                        work.put_nowait(_Piece(piece[:early_frames], ended, True, early))
                    else:  # after a finished piece the rest may be only the closing silence
                        work.put_nowait(_Piece(piece if voiced else [], ended, True))
                    piece, seconds, voiced, early = [], 0.0, False, None
            work.put_nowait(None)

        async def recognize() -> None:
            while (item := await work.get()) is not None:
                if isinstance(item, stt.SpeechEvent):  # START_OF_SPEECH, in order
                    self._event_ch.send_nowait(item)
                    continue
                result: Transcript | None = None
                if item.early is not None:
                    result = await item.early
                elif item.frames:
                    result = await self._engine.transcribe(
                        item.frames, language=self._language, context=self._heard
                    )
                if result is not None and result.text:
                    self._event_ch.send_nowait(
                        self._engine.final_event(
                            result, language=self._language, speech_end_time=item.end_time
                        )
                    )
                    self._heard = f"{self._heard} {result.text}"[-CONTEXT_CHARS:]
                if item.last:
                    self._heard = ""
                    self._event_ch.send_nowait(
                        stt.SpeechEvent(
                            type=stt.SpeechEventType.END_OF_SPEECH, speech_end_time=item.end_time
                        )
                    )

        tasks = [
            asyncio.create_task(forward(), name="whisper_forward"),
            asyncio.create_task(segment(), name="whisper_segment"),
            asyncio.create_task(recognize(), name="whisper_recognize"),
        ]
        try:
            await asyncio.gather(*tasks)
        finally:
            await utils.aio.cancel_and_wait(*tasks, *self._early)
            await vad_stream.aclose()
