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


SECRETS = {
    "LIVEKIT_URL": "wss://lk.example",
    "LIVEKIT_API_KEY": "lk-key",
    "LIVEKIT_API_SECRET": "lk-secret-ZZ1",
    "VH_M2M_CLIENT_ID": "agent",
    "VH_M2M_CLIENT_SECRET": "m2m-secret-ZZ2",
    "VH_ADMIN_TOKEN": "admin-token-ZZ3",
    "VH_JWT_SECRET": "jwt-secret-ZZ4",
    "OPENAI_API_KEY": "sk-ZZ5",
    "DEEPGRAM_API_KEY": "dg-ZZ6",
    "ASSEMBLYAI_API_KEY": "aai-ZZ7",
    "CARTESIA_API_KEY": "ct-ZZ8",
}


def test_secret_settings_never_print_their_value(monkeypatch):
    for k, v in SECRETS.items():
        monkeypatch.setenv(k, v)
    s = load_settings()
    shown = repr(s) + str(s) + s.model_dump_json() + repr(s.model_dump())
    for value in SECRETS.values():
        if "ZZ" in value:
            assert value not in shown
    # the clients still get the real values
    assert s.vh_admin_token is not None
    assert s.vh_admin_token.get_secret_value() == "admin-token-ZZ3"
    assert sorted(s.secrets) == sorted(v for v in SECRETS.values() if "ZZ" in v)


def test_a_settings_error_does_not_echo_secrets(monkeypatch):
    monkeypatch.setenv("LIVEKIT_API_SECRET", "lk-secret-ZZ1")
    monkeypatch.setenv("VH_ADMIN_TOKEN", "admin-token-ZZ3")
    with pytest.raises(SettingsError) as err:
        load_settings()
    message = str(err.value)
    assert "must be set together" in message
    assert "ZZ" not in message
    monkeypatch.setenv("SILENCE_TIMEOUT", "soon")
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert "(got 'soon')" in str(err.value)  # a plain field's value is still shown


def test_a_copied_env_example_loads(tmp_path, monkeypatch):
    """Copying .env.example to .env as it is (blank values included) must not break."""
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.agent_http_port is None and s.agent_load_threshold is None


def test_every_setting_is_documented_in_the_readme_and_env_example():
    import re
    from pathlib import Path

    from voicehire.settings import Settings

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text()
    table = readme[readme.index("## Settings") :]
    example = (root / ".env.example").read_text()
    for name in Settings.model_fields:
        key = name.upper()
        assert f"| `{key}` |" in table, f"{key} is missing from the README's settings table"
        assert re.search(rf"^#?\s*{key}=", example, re.M), f"{key} is missing from .env.example"
