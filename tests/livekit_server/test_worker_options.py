"""``voicehire agent start`` on a real server: its health port and load threshold come from
the settings (AGENT_HTTP_PORT, AGENT_LOAD_THRESHOLD), so two workers can run on one host
and an operator can say how busy a worker may get before it stops taking jobs."""

from __future__ import annotations

import math
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


def _healthy(port: int, process: subprocess.Popen[bytes], folder: Path) -> dict[str, object]:
    """Wait until the worker answers on its own health port; its /worker info."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, tail(folder / "worker.log", 30)
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).text == "OK":
                info: dict[str, object] = httpx.get(
                    f"http://127.0.0.1:{port}/worker", timeout=5
                ).json()
                return info
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(
        "the worker never answered on its port:\n" + tail(folder / "worker.log", 30)
    )


def test_the_load_threshold_comes_from_the_settings() -> None:
    """What the worker is built with (its availability reports depend on the machine's
    load, so the threshold is read from the server the worker builds)."""
    from voicehire.agent.worker import build_server
    from voicehire.settings import load_settings

    def threshold(**settings: object) -> object:
        return build_server(load_settings(**settings))._load_threshold  # type: ignore[arg-type]

    default = threshold()
    assert (default.dev_default, default.prod_default) == (math.inf, 0.7)  # type: ignore[attr-defined]
    assert threshold(agent_load_threshold=0.35) == 0.35
    assert threshold(agent_load_threshold=2) == math.inf  # above 1: never full


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
        for port, name, worker, folder in zip(ports, names, workers, folders, strict=True):
            info = _healthy(port, worker, folder)  # each on the port it was given
            assert info["agent_name"] == name
        for worker, folder in zip(workers, folders, strict=True):
            assert worker.poll() is None, tail(folder / "worker.log", 30)
    finally:
        for worker in workers:
            stop_process(worker)
