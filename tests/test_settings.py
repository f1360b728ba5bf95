"""Settings: seed variable names, clear errors, and an .env.example that lists them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voicehire.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_lists_every_setting():
    listed = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    expected = {name.upper() for name in Settings.model_fields}
    assert expected - listed == set(), "settings missing from .env.example"
    assert listed - expected == set(), ".env.example names settings that don't exist"


def test_seed_variable_names_are_read(monkeypatch):
    env = {
        "LIVEKIT_URL": "wss://example.livekit.cloud",
        "LIVEKIT_API_KEY": "k",
        "LIVEKIT_API_SECRET": "s",
        "OPENAI_API_KEY": "sk-x",
        "LLM_MODEL": "gpt-4o",
        "SELF_INTRO_TIMEOUT": "12",
        "PAST_EXPERIENCE_TIMEOUT": "34",
        "SILENCE_TIMEOUT": "7",
        "MAX_INTERVIEW_DURATION": "900",
        "AGENT_NAME": "vh",
        "TTS_VOICE": "nova",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    s = load_settings()
    assert s.livekit_configured and s.livekit_http_url == "https://example.livekit.cloud"
    assert (s.self_intro_timeout, s.past_experience_timeout, s.silence_timeout) == (12, 34, 7)
    assert (s.max_interview_duration, s.agent_name, s.tts_voice, s.llm_model) == (
        900,
        "vh",
        "nova",
        "gpt-4o",
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SILENCE_TIMEOUT": "soon"}, "SILENCE_TIMEOUT"),
        ({"MAX_INTERVIEW_DURATION": "-5"}, "MAX_INTERVIEW_DURATION"),
        ({"LIVEKIT_URL": "example.com"}, "must start with ws://"),
        ({"LIVEKIT_URL": "wss://x.livekit.cloud"}, "must be set together"),
        ({"LLM_PROVIDER": "gpt"}, "LLM_PROVIDER"),
        ({"VH_M2M_CLIENT_ID": "agent"}, "VH_M2M_CLIENT_SECRET must be set together"),
    ],
)
def test_invalid_settings_get_a_clear_message(monkeypatch, env, message):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert message in str(err.value)
    assert str(err.value).startswith("Invalid VoiceHire settings")


def test_a_copied_env_example_loads(tmp_path, monkeypatch):
    """Copying .env.example to .env as it is (blank values included) must not break."""
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.agent_http_port is None and s.agent_load_threshold is None
