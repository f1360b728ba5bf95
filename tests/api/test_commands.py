"""`voicehire token` and the admin-credential decision of `voicehire serve`."""

from __future__ import annotations

import json

import jwt
import pytest
from livekit.api import TokenVerifier

from tests.api.support import make_settings
from voicehire.api.commands import prepare_serve_settings
from voicehire.cli import main

KEY, SECRET = "cli-key", "cli-secret-0123456789abcdef0123456789"


@pytest.fixture
def livekit_env(monkeypatch):
    monkeypatch.setenv("LIVEKIT_URL", "wss://lk.example")
    monkeypatch.setenv("LIVEKIT_API_KEY", KEY)
    monkeypatch.setenv("LIVEKIT_API_SECRET", SECRET)
    monkeypatch.setenv("AGENT_NAME", "my-interviewer")


def test_token_prints_a_verifiable_room_scoped_token(livekit_env, capsys):
    assert main(["token", "room-1", "alice", "--ttl", "120"]) == 0
    token = capsys.readouterr().out.strip()
    claims = TokenVerifier(KEY, SECRET).verify(token)
    assert claims.identity == "alice" and claims.video.room == "room-1"
    assert claims.video.room_join is True and claims.room_config is None
    raw = jwt.decode(token, options={"verify_signature": False})
    assert raw["exp"] - raw["nbf"] == 120


def test_token_with_dispatch_names_the_agent(livekit_env, capsys):
    meta = json.dumps({"sessionType": "ai_interview", "interviewRole": "QA"})
    assert main(["token", "room-2", "bob", "--dispatch", "--metadata", meta]) == 0
    out = capsys.readouterr()
    claims = TokenVerifier(KEY, SECRET).verify(out.out.strip())
    [agent] = claims.room_config.agents
    assert agent.agent_name == "my-interviewer"
    assert json.loads(agent.metadata)["interviewRole"] == "QA"
    assert "dispatches my-interviewer" in out.err


def test_token_without_livekit_keys_explains(monkeypatch, capsys):
    for var in ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir("/")
    assert main(["token", "r", "i"]) == 2
    assert "LIVEKIT_API_KEY" in capsys.readouterr().err


def test_serve_admin_credential_policy(tmp_path):
    settings = make_settings(tmp_path, vh_admin_token=None)
    same, note = prepare_serve_settings(settings, "127.0.0.1")
    assert same.vh_admin_token is None and "this machine only" in note
    exposed, note = prepare_serve_settings(settings, "0.0.0.0")
    assert exposed.vh_admin_token and exposed.vh_admin_token.get_secret_value() in note
    configured = make_settings(tmp_path, vh_admin_token="set")
    kept = prepare_serve_settings(configured, "0.0.0.0")[0].vh_admin_token
    assert kept is not None and kept.get_secret_value() == "set"
