"""The image's commands, run outside a container: the Dockerfile's ENTRYPOINT script with
its CMD (migrations, then `serve` until the HEALTHCHECK passes), `migrate`, and `agent`.
No container engine runs here, so the environment is the Dockerfile's ENV with its paths
moved into a temporary folder. `make deploy-check` validates the files themselves."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from voicehire.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def _instructions(stage: str) -> list[tuple[str, str]]:
    """(instruction, arguments) of one build stage, continuation lines joined."""
    lines: list[str] = []
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if lines and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1].rstrip() + " " + line
        else:
            lines.append(line)
    out: list[tuple[str, str]] = []
    current = None
    for line in lines:
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM":
            current = rest.split(" AS ")[-1].strip() if " AS " in rest else None
            continue
        if current == stage:
            out.append((word.upper(), rest.strip()))
    return out


RUNTIME = _instructions("runtime")


def _one(instruction: str) -> str:
    found = [args for name, args in RUNTIME if name == instruction]
    assert len(found) == 1, f"the runtime stage should have one {instruction}: {found}"
    return found[0]


def _exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list), f"{args} is not exec form"
    return value


def _image_env(tmp_path: Path) -> dict[str, str]:
    """The Dockerfile's ENV, with the image's paths moved under ``tmp_path``."""
    env: dict[str, str] = {}
    for name, args in RUNTIME:
        if name == "ENV":
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                env[key] = value
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    mapped = {k: v.replace("/data", str(data)) for k, v in env.items()}
    mapped.pop("PATH", None)
    mapped.pop("HOME", None)
    mapped.pop("SPEECH_MODEL_DIR", None)  # the image's prebuilt folder; here the default cache
    return mapped


def _script_on_host(image_path: str) -> Path:
    """Where the file the image runs comes from in this repository (its COPY line)."""
    for name, args in RUNTIME:
        if name == "COPY" and image_path.rsplit("/", 1)[-1] in args and "--from" not in args:
            sources, dest = args.split()[:-1], args.split()[-1]
            assert image_path.startswith(dest.rstrip("/"))
            for src in sources:
                if src.endswith(image_path.rsplit("/", 1)[-1]):
                    return ROOT / src
    raise AssertionError(f"{image_path} is not copied into the runtime stage")


ENTRYPOINT = _exec_form(_one("ENTRYPOINT"))
CMD = _exec_form(_one("CMD"))
SCRIPT = _script_on_host(ENTRYPOINT[-1])
HEALTHCHECK = _exec_form(_one("HEALTHCHECK").split(" CMD ", 1)[1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def image_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIVEKIT_", "VH_"))}
    env.update(_image_env(tmp_path))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["VH_ROLE_FILE"] = str(tmp_path / "role")
    env["VH_API_HOST"] = "127.0.0.1"  # loopback only in tests (the image binds 0.0.0.0)
    env["VH_API_PORT"] = str(_free_port())
    env["VH_ADMIN_TOKEN"] = "deploy-test-admin"
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["DATABASE_URL"] = _image_env(tmp_path)["DATABASE_URL"]
    return env


def _run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def _healthcheck(env: dict[str, str]) -> int:
    command = [str(SCRIPT) if c == ENTRYPOINT[-1] else c for c in HEALTHCHECK]
    return subprocess.run(command, env=env, capture_output=True, timeout=30).returncode


def test_the_image_runs_the_entrypoint_script_under_tini_and_as_a_user():
    assert ENTRYPOINT[0].endswith("tini") and ENTRYPOINT[-1].endswith("entrypoint.sh")
    assert CMD == ["serve"]
    assert HEALTHCHECK[0] == ENTRYPOINT[-1]
    user = _one("USER")
    assert not user.startswith(("root", "0")), "the image must not run as root"
    assert SCRIPT.is_file() and os.access(SCRIPT, os.X_OK)


def _head() -> str:
    from alembic.script import ScriptDirectory

    from voicehire.storage.db import alembic_config

    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


@pytest.mark.timeout(300)  # three cold starts of the CLI
def test_migrate_then_the_default_command_serves_and_passes_the_healthcheck(image_env, tmp_path):
    """The migrations Job's command, then the container's default command on the same
    database (which migrates again: nothing to do), until the HEALTHCHECK passes."""
    migrated = _run(["migrate"], image_env)
    assert migrated.returncode == 0, migrated.stderr
    assert f"is at revision {_head()}" in migrated.stderr
    db_file = image_env["DATABASE_URL"].split(":///", 1)[1]
    with sqlite3.connect(db_file) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"interviews", "candidates", "webhook_deliveries"} <= tables

    assert _healthcheck(image_env) != 0  # nothing runs yet: unhealthy
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(SCRIPT), *CMD], env=image_env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 90
        while _healthcheck(image_env) != 0:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "serve never became healthy"
            time.sleep(0.5)
        import httpx

        base = f"http://127.0.0.1:{image_env['VH_API_PORT']}"
        health = httpx.get(f"{base}/health", timeout=10).json()
        assert health["status"] == "healthy" and health["services"]["database"] == "healthy"
        listed = httpx.get(
            f"{base}/api/webhooks/deliveries",
            headers={"Authorization": "Bearer deploy-test-admin"},
            timeout=10,
        )
        assert listed.status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert f"is at revision {_head()}" in output  # the entrypoint migrated before serving
    # SIGTERM reached uvicorn (the script execs it) and it shut down cleanly; uvicorn then
    # re-raises the signal, so the exit status is SIGTERM's
    assert code in (0, -signal.SIGTERM), output
    assert "Application shutdown complete" in output
    assert _healthcheck(image_env) != 0


@pytest.mark.timeout(240)
def test_the_agent_role_parses_its_command_and_defaults_to_start(image_env):
    helped = _run(["agent", "--help"], image_env)
    assert helped.returncode == 0, helped.stderr
    assert "usage: voicehire agent" in helped.stdout and "start" in helped.stdout
    # no arguments means `agent start`, which refuses to run without LiveKit settings
    started = _run(["agent"], image_env)
    assert started.returncode == 2
    assert "`voicehire agent dev|start` needs LIVEKIT_URL" in started.stderr
    # the healthcheck now asks the worker's health port, where nothing listens
    image_env["AGENT_HEALTH_PORT"] = str(_free_port())
    assert _healthcheck(image_env) != 0


def test_drain_grace_periods_cover_the_longest_interview():
    """The worker drains on SIGTERM for MAX_INTERVIEW_DURATION + 60 s; Kubernetes and
    compose must wait at least that long before killing it."""
    drain = Settings.model_fields["max_interview_duration"].default + 60
    values = yaml.safe_load((ROOT / "deploy/helm/voicehire/values.yaml").read_text())
    assert values["worker"]["terminationGracePeriodSeconds"] >= drain
    assert (
        int(values["config"]["MAX_INTERVIEW_DURATION"]) + 60
        <= (values["worker"]["terminationGracePeriodSeconds"])
    )
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    grace = compose["services"]["worker"]["stop_grace_period"]
    assert grace.endswith("m") and int(grace[:-1]) * 60 >= drain
    assert compose["services"]["worker"]["command"] == ["agent", "start"]
    assert compose["services"]["api"]["command"] == ["serve"]
    assert compose["services"]["migrate"]["command"] == ["migrate"]
