"""``voicehire dev`` (``make stack``): one command starts livekit-server, the API and the
worker; Ctrl-C stops all of them and leaves no process behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
import psutil
from tests.livekit_server.conftest import _base_env, livekit_binary

from voicehire.devstack import voicehire_command


def test_voicehire_dev_starts_the_stack_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    binary, _ = livekit_binary()
    env = _base_env(tmp_path)
    env["LIVEKIT_SERVER_BIN"] = str(binary)
    logs = tmp_path / "logs"
    out = (tmp_path / "dev.out").open("w+")
    dev = subprocess.Popen(
        voicehire_command("dev", "--random-ports", "--logs", str(logs)),
        cwd=tmp_path,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    family: list[int] = [dev.pid]
    try:
        deadline = time.monotonic() + 120
        url = None
        while url is None and time.monotonic() < deadline and dev.poll() is None:
            found = re.search(r"dashboard: (http://\S+)", Path(out.name).read_text())
            url = found.group(1) if found else None
            time.sleep(0.3)
        assert url, "no dashboard URL printed:\n" + Path(out.name).read_text()
        page = httpx.get(url, timeout=10, follow_redirects=True)
        assert page.status_code == 200
        while "registered worker" not in _read(logs / "agent.log"):
            assert time.monotonic() < deadline, "the worker did not register:\n" + _read(
                logs / "agent.log"
            )
            time.sleep(0.3)
        assert "worker registered" in _read(logs / "livekit-server.log")
        family = [dev.pid] + [p.pid for p in psutil.Process(dev.pid).children(recursive=True)]
        assert len(family) >= 4  # dev, livekit-server, serve, agent (and their children)

        os.kill(dev.pid, signal.SIGINT)  # Ctrl-C
        assert dev.wait(timeout=60) == 0
        time.sleep(0.5)
        alive = [pid for pid in family if psutil.pid_exists(pid) and _running(pid)]
        assert alive == [], f"processes left behind: {alive}"
        assert "stopped" in Path(out.name).read_text()
    finally:
        for pid in family:  # only if the test failed half-way
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        out.close()


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
