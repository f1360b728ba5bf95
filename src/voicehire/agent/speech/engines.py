"""The offline speech engines built from settings (called by ``agent/engines.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from livekit.agents import stt

from voicehire.agent.speech.models import (
    SPEECH_EXTRA_HINT,
    default_model_cache,
    local_stt_installed,
    local_tts_installed,
    whisper_base_dir,
)
from voicehire.settings import Settings, SettingsError

if TYPE_CHECKING:
    from voicehire.agent.speech.piper_tts import PiperTTS


def build_local_stt(settings: Settings) -> stt.STT[Any]:
    """Whisper streaming through its own VAD: an utterance ends after LOCAL_STT_SILENCE
    of silence (default 0.55 s, the session VAD's), and its pieces are transcribed early,
    at short pauses (``whisper_stt``), so the transcript is ready soon after the
    candidate stops. ``benchmarks.bench_speech`` measures both."""
    if not local_stt_installed():
        raise SettingsError(f"STT_PROVIDER=local needs the Whisper model: {SPEECH_EXTRA_HINT}")
    from voicehire.agent.engines import build_vad
    from voicehire.agent.speech.whisper_stt import WhisperSTT, WhisperTranscriber

    cache = Path(settings.speech_model_dir) if settings.speech_model_dir else default_model_cache()
    return WhisperSTT(
        WhisperTranscriber(
            whisper_base_dir(cache),
            beam_size=settings.local_stt_beam_size,
            threads=settings.local_stt_threads,
            prompt=settings.local_stt_prompt,
        ),
        vad=build_vad(settings.local_stt_silence),
    )


def build_local_tts(settings: Settings) -> PiperTTS:
    if not local_tts_installed():
        raise SettingsError(f"TTS_PROVIDER=local needs the Piper voice: {SPEECH_EXTRA_HINT}")
    from voicehire.agent.speech.piper_tts import PiperTTS

    return PiperTTS(voice=settings.local_tts_voice, speed=settings.local_tts_speed)
