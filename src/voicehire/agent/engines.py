"""The one place engines are built from settings.

Cloud providers are configuration: set their keys (and optionally ``*_PROVIDER``) and
the same agent uses them. With no keys at all, the embedded default runs offline: the
deterministic interviewer policy, espeak-ng speech (when installed), and typed answers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import NOT_GIVEN
from livekit.agents import llm as lk_llm
from livekit.agents import stt as lk_stt
from livekit.agents import tts as lk_tts
from livekit.agents import vad as lk_vad

from voicehire.agent.espeak_tts import EspeakTTS, espeak_path
from voicehire.agent.policy import InterviewerPolicy
from voicehire.agent.speech.engines import build_local_stt, build_local_tts
from voicehire.agent.speech.models import (
    SPEECH_EXTRA_HINT,
    local_stt_installed,
    local_tts_installed,
)
from voicehire.settings import Settings, SettingsError, reveal

logger = logging.getLogger(__name__)


@dataclass
class Engines:
    llm: lk_llm.LLM[Any]
    stt: lk_stt.STT[Any] | None = None
    tts: lk_tts.TTS[Any] | None = None
    vad: lk_vad.VAD | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def policy(self) -> InterviewerPolicy | None:
        return self.llm if isinstance(self.llm, InterviewerPolicy) else None

    def describe(self) -> dict[str, str]:
        def name(engine: Any) -> str:
            if engine is None:
                return "none"
            return f"{getattr(engine, 'provider', '?')}/{getattr(engine, 'model', '?')}"

        return {
            "llm": name(self.llm),
            "stt": name(self.stt),
            "tts": name(self.tts),
            "vad": "silero" if self.vad is not None else "none",
        }


def uses_cloud_llm(settings: Settings) -> bool:
    if settings.llm_provider == "openai":
        return True
    if settings.llm_provider == "policy":
        return False
    return bool(settings.openai_api_key or settings.openai_base_url)


def build_llm(settings: Settings) -> lk_llm.LLM[Any]:
    if not uses_cloud_llm(settings):
        return InterviewerPolicy()
    from livekit.plugins import openai

    if not settings.openai_api_key and not settings.openai_base_url:
        raise SettingsError(
            "LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)"
        )
    return openai.LLM(
        model=settings.llm_model,
        api_key=reveal(settings.openai_api_key) or "not-needed",
        base_url=settings.openai_base_url or NOT_GIVEN,
        temperature=settings.llm_temperature,
    )


def build_stt(settings: Settings) -> lk_stt.STT[Any] | None:
    provider = settings.stt_provider
    if provider == "auto":
        if settings.deepgram_api_key:
            provider = "deepgram"
        elif settings.assemblyai_api_key:
            provider = "assemblyai"
        elif settings.openai_api_key:
            provider = "openai"
        elif local_stt_installed():
            provider = "local"
        else:
            logger.warning("no speech-to-text available: %s", SPEECH_EXTRA_HINT)
            return None
    if provider == "none":
        return None
    if provider == "local":
        return build_local_stt(settings)
    if provider == "deepgram":
        if not settings.deepgram_api_key:
            raise SettingsError("STT_PROVIDER=deepgram needs DEEPGRAM_API_KEY")
        from livekit.plugins import deepgram

        return deepgram.STT(
            model=settings.stt_model or "nova-3",
            api_key=settings.deepgram_api_key.get_secret_value(),
        )
    if provider == "assemblyai":
        if not settings.assemblyai_api_key:
            raise SettingsError("STT_PROVIDER=assemblyai needs ASSEMBLYAI_API_KEY")
        from livekit.plugins import assemblyai

        return assemblyai.STT(api_key=settings.assemblyai_api_key.get_secret_value())
    if not settings.openai_api_key and not settings.openai_base_url:
        raise SettingsError("STT_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL)")
    from livekit.plugins import openai

    return openai.STT(
        model=settings.stt_model or "gpt-4o-mini-transcribe",
        api_key=reveal(settings.openai_api_key) or "not-needed",
        base_url=settings.openai_base_url or NOT_GIVEN,
    )


def build_tts(settings: Settings) -> lk_tts.TTS[Any] | None:
    provider = settings.tts_provider
    if provider == "auto":
        if settings.cartesia_api_key:
            provider = "cartesia"
        elif settings.openai_api_key:
            provider = "openai"
        elif local_tts_installed():
            provider = "local"
        elif espeak_path():
            logger.warning(
                "the neural voice is not installed, speaking with espeak-ng: %s", SPEECH_EXTRA_HINT
            )
            provider = "espeak"
        else:
            logger.warning(
                "no text-to-speech available: espeak-ng is not installed and no TTS key is "
                "set; the agent runs text-only (install espeak-ng or set OPENAI_API_KEY)"
            )
            return None
    if provider == "none":
        return None
    if provider == "local":
        return build_local_tts(settings)
    if provider == "espeak":
        if not espeak_path():
            raise SettingsError("TTS_PROVIDER=espeak but espeak-ng is not installed")
        return EspeakTTS(voice=settings.espeak_voice, rate=settings.espeak_rate)
    if provider == "cartesia":
        if not settings.cartesia_api_key:
            raise SettingsError("TTS_PROVIDER=cartesia needs CARTESIA_API_KEY")
        from livekit.plugins import cartesia

        return cartesia.TTS(api_key=settings.cartesia_api_key.get_secret_value())
    if not settings.openai_api_key and not settings.openai_base_url:
        raise SettingsError("TTS_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL)")
    from livekit.plugins import openai

    return openai.TTS(
        voice=settings.tts_voice,
        api_key=reveal(settings.openai_api_key) or "not-needed",
        base_url=settings.openai_base_url or NOT_GIVEN,
    )


def build_vad(min_silence: float | None = None) -> lk_vad.VAD:
    """Silero VAD; its ONNX model ships inside livekit-plugins-silero (no download).
    ``min_silence``: seconds of silence that end speech (Silero's default 0.55)."""
    from livekit.plugins import silero

    if min_silence is None:
        return silero.VAD.load()
    return silero.VAD.load(min_silence_duration=min_silence)


def build_engines(settings: Settings, *, audio_in: bool = True, audio_out: bool = True) -> Engines:
    """Engines for one session. ``audio_in``/``audio_out`` False builds a text-only side."""
    engines = Engines(llm=build_llm(settings))
    if audio_out:
        engines.tts = build_tts(settings)
        if engines.tts is None:
            engines.notes.append("text-only output: no TTS engine available")
    if audio_in:
        engines.stt = build_stt(settings)
        if engines.stt is None:
            engines.notes.append("no speech-to-text engine configured: answers are typed")
        else:
            engines.vad = build_vad()
    logger.info("engines built", extra=engines.describe())
    return engines


# espeak-ng voices for the interview languages (``espeak-ng -v es``); ESPEAK_VOICE is the
# English voice.
ESPEAK_VOICES = {"es": "es", "fr": "fr-fr"}


def apply_language(engines: Engines, settings: Settings, language: str) -> None:
    """Tell the speech engines the interview's language (``es``, ``fr-CA``, ...).

    Whisper (local) and the cloud recognisers transcribe in it; Cartesia speaks it.
    The shipped Piper voice is English only, so a non-English interview speaks with
    espeak-ng's voice for the language instead (OpenAI's voices speak the text's own
    language)."""
    base = language.replace("_", "-").split("-")[0].lower() or "en"
    stt = engines.stt
    if isinstance(stt, lk_stt.StreamAdapter):  # a recogniser behind the VAD segmenter
        stt = stt.wrapped_stt
    if stt is not None:
        if stt.provider == "faster-whisper":
            stt.language = base  # type: ignore[attr-defined]
        elif stt.provider == "AssemblyAI":
            stt.update_options(language_codes=[base])  # type: ignore[attr-defined]
        elif callable(getattr(stt, "update_options", None)):
            stt.update_options(language=base)  # type: ignore[attr-defined]
    if base == "en" or engines.tts is None:
        return
    tts = engines.tts
    if isinstance(tts, EspeakTTS):
        tts.voice = ESPEAK_VOICES.get(base, base)
    elif tts.provider == "piper":
        if espeak_path():
            engines.tts = EspeakTTS(voice=ESPEAK_VOICES.get(base, base), rate=settings.espeak_rate)
            engines.notes.append(f"the Piper voice is English only: speaking {base} with espeak-ng")
        else:
            engines.notes.append(
                f"the Piper voice is English only and espeak-ng is not installed: the {base} "
                "interview is spoken with an English voice"
            )
    elif tts.provider == "Cartesia":
        tts.update_options(language=base)  # type: ignore[attr-defined]
