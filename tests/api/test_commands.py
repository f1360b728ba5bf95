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
    settings = make_settings(
        tmp_path, vh_admin_token=None, vh_admin_token_file=tmp_path / "admin-token"
    )
    same, note = prepare_serve_settings(settings, "127.0.0.1")
    assert same.vh_admin_token is None and "this machine only" in note
    exposed, note = prepare_serve_settings(settings, "0.0.0.0")
    assert exposed.vh_admin_token
    assert exposed.vh_admin_token.get_secret_value() not in note  # never printed
    assert (tmp_path / "admin-token").read_text().strip() == (
        exposed.vh_admin_token.get_secret_value()
    )
    configured = make_settings(tmp_path, vh_admin_token="set")
    kept = prepare_serve_settings(configured, "0.0.0.0")[0].vh_admin_token
    assert kept is not None and kept.get_secret_value() == "set"


def test_a_generated_admin_token_is_written_0600_and_never_printed(tmp_path):
    """``voicehire serve --host 0.0.0.0`` without VH_ADMIN_TOKEN: stderr and the logs name
    the file holding the generated token and how to set VH_ADMIN_TOKEN, never the token;
    the file is the user's only (0600), and the token in it is the one the API accepts."""
    import os
    import socket
    import stat
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    token_file = tmp_path / "data" / "admin-token"
    token_file.parent.mkdir()
    token_file.write_text("an older token\n")
    token_file.chmod(0o644)  # a file left readable by others is tightened
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
        "VH_ADMIN_TOKEN_FILE": str(token_file),
        "LOG_FILE": str(tmp_path / "serve.log"),
        "LIVEKIT_URL": "",
        "LIVEKIT_API_KEY": "",
        "LIVEKIT_API_SECRET": "",
        "REDIS_URL": "",
    }
    env.pop("VH_ADMIN_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "voicehire.cli", "serve", "--host", "0.0.0.0", "--port", str(port)],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    err = ""
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "admin:" not in err:
            line = proc.stderr.readline()
            if not line:
                break
            err += line
        assert str(token_file) in err and "VH_ADMIN_TOKEN" in err, err
        token = token_file.read_text().strip()
        assert token and token != "an older token"
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        assert token not in err
        base = f"http://127.0.0.1:{port}"
        auth = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{base}/api/candidates", headers=auth).status_code == 200
        assert httpx.get(f"{base}/api/candidates").status_code == 401
    finally:
        proc.terminate()
        out, rest = proc.communicate(timeout=30)
    everything = err + rest + out
    if (tmp_path / "serve.log").exists():
        everything += (tmp_path / "serve.log").read_text()
    assert token not in everything
