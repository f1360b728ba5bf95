"""Engines are chosen by configuration alone (construction only; nothing is called)."""

from __future__ import annotations

import pytest

from voicehire.agent import engines as eng
from voicehire.agent.policy import InterviewerPolicy
from voicehire.settings import SettingsError, load_settings

NONE = {
    "openai_api_key": None,
    "openai_base_url": None,
    "deepgram_api_key": None,
    "assemblyai_api_key": None,
    "cartesia_api_key": None,
}


def settings(**kw):
    return load_settings(**{**NONE, **kw})


def test_embedded_default_needs_no_keys(monkeypatch):
    # without the offline speech models (tests/agent/speech covers the default with them)
    monkeypatch.setattr(eng, "local_stt_installed", lambda: False)
    monkeypatch.setattr(eng, "local_tts_installed", lambda: False)
    e = eng.build_engines(settings(), audio_in=True, audio_out=True)
    assert isinstance(e.llm, InterviewerPolicy)
    assert e.stt is None and e.vad is None
    expected = "espeak-ng/espeak-ng" if eng.espeak_path() else "none"
    assert e.describe()["tts"] == expected


@pytest.mark.parametrize(
    ("kw", "stt_module"),
    [
        ({"deepgram_api_key": "dg"}, "livekit.plugins.deepgram"),
        ({"assemblyai_api_key": "aai"}, "livekit.plugins.assemblyai"),
        ({"openai_api_key": "sk"}, "livekit.plugins.openai"),
    ],
)
def test_stt_provider_follows_the_key(kw, stt_module):
    stt = eng.build_stt(settings(**kw))
    assert type(stt).__module__.startswith(stt_module)


def test_cloud_llm_and_tts_from_keys():
    s = settings(openai_api_key="sk", llm_model="gpt-4o", tts_voice="nova")
    llm = eng.build_llm(s)
    assert type(llm).__module__.startswith("livekit.plugins.openai") and llm.model == "gpt-4o"
    assert type(eng.build_tts(s)).__module__.startswith("livekit.plugins.openai")
    cartesia = eng.build_tts(settings(cartesia_api_key="ck"))
    assert type(cartesia).__module__.startswith("livekit.plugins.cartesia")
    local = eng.build_llm(settings(openai_base_url="http://127.0.0.1:11434/v1"))
    assert type(local).__module__.startswith("livekit.plugins.openai")  # Ollama, vLLM, ...


def test_policy_can_be_forced_even_with_a_key():
    assert isinstance(
        eng.build_llm(settings(openai_api_key="sk", llm_provider="policy")), InterviewerPolicy
    )


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"stt_provider": "deepgram"}, "STT_PROVIDER=deepgram needs DEEPGRAM_API_KEY"),
        ({"tts_provider": "cartesia"}, "TTS_PROVIDER=cartesia needs CARTESIA_API_KEY"),
        ({"llm_provider": "openai"}, "LLM_PROVIDER=openai needs OPENAI_API_KEY"),
    ],
)
def test_a_chosen_provider_without_its_key_is_a_clear_error(kw, message):
    with pytest.raises(SettingsError, match=message):
        eng.build_engines(settings(**kw))
