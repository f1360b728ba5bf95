"""``voicehire agent start`` on a real server: its health port and load threshold come from
the settings (AGENT_HTTP_PORT, AGENT_LOAD_THRESHOLD), so two workers can run on one host
and an operator can say how busy a worker may get before it stops taking jobs."""

from __future__ import annotations

import json
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.livekit_server.conftest import _base_env, livekit_binary

from voicehire.devstack import (
    LiveKitServer,
    LiveKitServerConfig,
    free_port,
    stop_process,
    tail,
    voicehire_command,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveKitServerConfig]:
    binary, reason = livekit_binary()
    if binary is None:
        pytest.skip(reason)
    config = LiveKitServerConfig.random_ports()
    lk = LiveKitServer(config, tmp_path_factory.mktemp("lk-worker-options"), binary)
    lk.start()
    try:
        yield config
    finally:
        lk.stop()


def _start(config: LiveKitServerConfig, folder: Path, **settings: str) -> subprocess.Popen[bytes]:
    env = _base_env(folder)
    env.update(config.env())
    # no speech engines: the job processes this production worker keeps warm stay light
    env.update({"LLM_PROVIDER": "policy", "STT_PROVIDER": "none", "TTS_PROVIDER": "none"})
    env.update(settings)
    log = folder / "worker.log"
    with log.open("ab") as out:
        return subprocess.Popen(
            voicehire_command("agent", "start"),
            env=env,
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def _status_line(folder: Path, process: subprocess.Popen[bytes]) -> dict[str, object]:
    """The worker's first availability report (it logs the threshold it applies)."""
    log = folder / "worker.log"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if "marking as" in line and line.lstrip().startswith("{"):
                record: dict[str, object] = json.loads(line)
                return record
        if process.poll() is not None:
            break
        time.sleep(0.3)
    raise AssertionError("the worker reported no availability:\n" + tail(log, 30))


def test_two_production_workers_on_one_host_with_their_own_ports_and_thresholds(
    server: LiveKitServerConfig, tmp_path: Path
) -> None:
    ports = [free_port(), free_port()]
    names = [f"vh-opt-{secrets.token_hex(3)}", f"vh-opt-{secrets.token_hex(3)}"]
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
    workers = [
        _start(server, folders[0], AGENT_NAME=names[0], AGENT_HTTP_PORT=str(ports[0])),
        _start(
            server,
            folders[1],
            AGENT_NAME=names[1],
            AGENT_HTTP_PORT=str(ports[1]),
            AGENT_LOAD_THRESHOLD="0.35",
        ),
    ]
    try:
        first, second = (_status_line(f, w) for f, w in zip(folders, workers, strict=True))
        # unset: LiveKit's production default; set: the operator's value
        assert first["threshold"] == 0.7
        assert second["threshold"] == 0.35
        for port, name, worker, folder in zip(ports, names, workers, folders, strict=True):
            assert worker.poll() is None, tail(folder / "worker.log", 30)
            health = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
            assert (health.status_code, health.text) == (200, "OK")
            info = httpx.get(f"http://127.0.0.1:{port}/worker", timeout=5).json()
            assert info["agent_name"] == name
    finally:
        for worker in workers:
            stop_process(worker)
