"""The interview's language reaches the speech engines: Whisper transcribes in it, a
non-English interview speaks with espeak-ng's voice for it (the shipped Piper voice is
English only), and the cloud engines are told it."""

from __future__ import annotations

import unicodedata

import pytest
from livekit.plugins import cartesia, deepgram, openai

from tests.agent.speech.conftest import needs_espeak, needs_stt, needs_tts
from voicehire.agent import engines as eng
from voicehire.agent.audio_io import frames_from_samples, read_wav
from voicehire.agent.espeak_tts import EspeakTTS
from voicehire.settings import load_settings

NO_KEYS = {
    "openai_api_key": None,
    "openai_base_url": None,
    "deepgram_api_key": None,
    "assemblyai_api_key": None,
    "cartesia_api_key": None,
}
SPOKEN = "Hola, me llamo Lucía. Trabajo con Python desde hace cinco años."


@needs_stt
@needs_tts
@needs_espeak
async def test_a_spanish_interview_is_heard_and_spoken_in_spanish(tmp_path):
    settings = load_settings(**NO_KEYS, speech_model_dir=str(tmp_path))
    built = eng.build_engines(settings)
    assert built.describe()["tts"] == "piper/en_US-joe-medium"
    eng.apply_language(built, settings, "es-ES")
    assert isinstance(built.tts, EspeakTTS) and built.tts.voice == "es"
    assert any("Piper voice is English only" in n for n in built.notes)

    # The interviewer's Spanish voice, heard back by Whisper told the language.
    samples, rate = read_wav(await built.tts.synthesize_wav(SPOKEN))
    assert built.stt is not None
    event = await built.stt.recognize(list(frames_from_samples(samples, rate)))
    text = unicodedata.normalize("NFKD", event.alternatives[0].text.lower())
    heard = "".join(c for c in text if not unicodedata.combining(c))
    assert str(event.alternatives[0].language).startswith("es")
    found = [
        w for w in ("hola", "llamo", "lucia", "trabajo", "python", "cinco", "anos") if w in heard
    ]
    # espeak-ng's voice flatters no recogniser (Whisper base hears "trabajo compitente de
    # suave" for "trabajo con Python"): Spanish words, not an English rendering, suffice.
    assert len(found) >= 3, heard


@needs_espeak
def test_espeak_speaks_the_interview_language():
    settings = load_settings(**NO_KEYS)
    built = eng.Engines(llm=None, tts=EspeakTTS(voice="en-us"))  # type: ignore[arg-type]
    eng.apply_language(built, settings, "fr-CA")
    assert isinstance(built.tts, EspeakTTS) and built.tts.voice == "fr-fr"


@pytest.mark.parametrize("language", ["es", "fr"])
def test_cloud_engines_are_told_the_language(language):
    settings = load_settings(**NO_KEYS)
    dg, oa = deepgram.STT(api_key="k"), openai.STT(api_key="k")
    for stt in (dg, oa):
        built = eng.Engines(llm=None, stt=stt, tts=cartesia.TTS(api_key="k"))  # type: ignore[arg-type]
        eng.apply_language(built, settings, language)
        assert built.tts._opts.language == language  # type: ignore[union-attr]
    # (their options are private: what the plugins send with each request)
    assert dg._opts.language == language
    assert oa._opts.languages == [language]
