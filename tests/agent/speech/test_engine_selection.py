"""Which speech engines the settings give, and what happens when the models are missing."""

from __future__ import annotations

import pytest

from tests.agent.speech.conftest import needs_stt, needs_tts
from voicehire.agent import engines as eng
from voicehire.settings import SettingsError, load_settings

NO_KEYS = {
    "openai_api_key": None,
    "openai_base_url": None,
    "deepgram_api_key": None,
    "assemblyai_api_key": None,
    "cartesia_api_key": None,
}


def settings(**kw):
    return load_settings(**{**NO_KEYS, **kw})


@needs_stt
@needs_tts
def test_no_cloud_key_means_offline_whisper_and_piper(tmp_path):
    built = eng.build_engines(settings(speech_model_dir=str(tmp_path)))
    assert built.describe()["stt"] == "faster-whisper/whisper-base"
    assert built.describe()["tts"] == "piper/en_US-joe-medium"
    assert built.vad is not None  # hearing needs the VAD that cuts utterances


@needs_stt
def test_a_cloud_key_still_wins_over_the_local_model():
    stt = eng.build_stt(settings(deepgram_api_key="dg"))
    assert type(stt).__module__.startswith("livekit.plugins.deepgram")


def test_missing_voice_falls_back_to_espeak(monkeypatch):
    monkeypatch.setattr(eng, "local_tts_installed", lambda: False)
    tts = eng.build_tts(settings())
    expected = "espeak-ng" if eng.espeak_path() else None
    assert (tts.provider if tts else None) == expected


def test_missing_whisper_leaves_typed_answers(monkeypatch):
    monkeypatch.setattr(eng, "local_stt_installed", lambda: False)
    assert eng.build_stt(settings()) is None


def test_asking_for_local_speech_without_the_models_says_how_to_install(monkeypatch):
    import voicehire.agent.speech.engines as speech_engines

    monkeypatch.setattr(speech_engines, "local_stt_installed", lambda: False)
    monkeypatch.setattr(speech_engines, "local_tts_installed", lambda: False)
    with pytest.raises(SettingsError, match=r"STT_PROVIDER=local.*make setup"):
        eng.build_stt(settings(stt_provider="local"))
    with pytest.raises(SettingsError, match=r"TTS_PROVIDER=local.*make setup"):
        eng.build_tts(settings(tts_provider="local"))


def test_espeak_can_still_be_chosen_explicitly():
    if eng.espeak_path() is None:
        pytest.skip("espeak-ng is not installed")
    assert eng.build_tts(settings(tts_provider="espeak")).provider == "espeak-ng"
