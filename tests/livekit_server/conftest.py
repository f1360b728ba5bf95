"""The production path on a real LiveKit server, on loopback.

Session fixtures start, once per run and on free ports:

- ``livekit-server`` (the pinned build from ``make livekit``) with a generated config
  (``voicehire.devstack.LiveKitServer``), its webhooks pointed at the API under test;
- ``voicehire serve`` (the API) as a subprocess on SQLite;
- ``voicehire agent dev`` (the real worker, explicit dispatch by a per-run
  ``AGENT_NAME``) as a subprocess, reporting to the API with M2M credentials;
- a local OpenAI-compatible transcription endpoint: the worker's STT is the real
  ``livekit-plugins-openai`` STT (``STT_PROVIDER=openai``), so the candidate's WebRTC audio,
  cut by Silero VAD in the worker, is posted to it as WAV; it records what it heard
  (duration, loudness) and answers with the text the test scripted.

The tests observe only through the room (a ``livekit.rtc`` candidate), the API and the
files the worker writes. They skip, with the reason, only when no livekit-server binary
can be found or built.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import secrets
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from voicehire.devstack import (
    BUILD_HINT,
    LiveKitServer,
    LiveKitServerConfig,
    find_livekit_server,
    free_port,
    stop_process,
    tail,
    voicehire_command,
    wait_http,
)

ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "livekit-e2e-admin-token"
M2M_ID = "livekit-e2e-agent"
M2M_SECRET = "livekit-e2e-agent-secret-0123456789"
# The shortest wait the settings allow for a candidate who never joins.
SESSION_TIMEOUT = 10


def _binary() -> tuple[Path | None, str]:
    """The livekit-server binary, building it with `make livekit` when Go is here."""
    found = find_livekit_server()
    if found is not None:
        return found, ""
    if shutil.which("go") and shutil.which("make"):
        build = subprocess.run(
            ["make", "--no-print-directory", "livekit"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        found = find_livekit_server()
        if found is not None:
            return found, ""
        return None, f"`make livekit` did not build livekit-server: {build.stdout[-500:]}"
    return None, BUILD_HINT


_BINARY: tuple[Path | None, str] | None = None


def livekit_binary() -> tuple[Path | None, str]:
    global _BINARY
    if _BINARY is None:
        _BINARY = _binary()
    return _BINARY


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ours = [i for i in items if "/tests/livekit_server/" in str(i.fspath).replace(os.sep, "/")]
    if not ours:
        return
    binary, reason = livekit_binary()
    for item in ours:
        item.add_marker(pytest.mark.livekit_server)
        # The first test of a module also starts the stack and records its scenario.
        item.add_marker(pytest.mark.timeout(300))
        if binary is None:
            item.add_marker(pytest.mark.skip(reason=reason))


# --- the transcription endpoint -------------------------------------------------------------


@dataclass
class Heard:
    """One utterance the worker's STT posted: its length and loudness."""

    seconds: float
    rms: float
    text: str


@dataclass
class TranscriptionEndpoint:
    """``POST /v1/audio/transcriptions`` on loopback, in a thread with its own loop.

    ``script`` is a queue of texts answered in order; when it is empty, ``default``."""

    default: str = "I build data pipelines in Python and I lead a small team."
    script: list[str] = field(default_factory=list)
    heard: list[Heard] = field(default_factory=list)
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def say_next(self, *texts: str) -> None:
        """Answer the next utterances with ``texts`` (replacing what an earlier test left)."""
        with self._lock:
            self.script[:] = texts

    def _answer(self, wav_bytes: bytes) -> str:
        with wave.open(io.BytesIO(wav_bytes)) as w:
            frames = w.readframes(w.getnframes())
            rate = w.getframerate()
        samples = np.frombuffer(frames, np.int16).astype(np.float64)
        rms = float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0
        with self._lock:
            text = self.script.pop(0) if self.script else self.default
            self.heard.append(Heard(samples.size / max(rate, 1), rms, text))
        return text

    def start(self) -> None:
        from aiohttp import web

        ready = threading.Event()

        async def transcribe(request: web.Request) -> web.Response:
            form = await request.post()
            upload = form.get("file")
            data = upload.file.read() if hasattr(upload, "file") else b""
            return web.json_response({"text": self._answer(data)})

        async def models(_request: web.Request) -> web.Response:
            return web.json_response({"object": "list", "data": []})

        async def serve() -> None:
            app = web.Application(client_max_size=50 * 1024 * 1024)
            app.router.add_post("/v1/audio/transcriptions", transcribe)
            app.router.add_get("/v1/models", models)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            await asyncio.Event().wait()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            with contextlib.suppress(RuntimeError):  # stopped
                self._loop.run_until_complete(serve())

        self._thread = threading.Thread(target=run, daemon=True, name="stt-endpoint")
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the transcription endpoint did not start")

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)


# --- the stack --------------------------------------------------------------------------------


@dataclass
class Stack:
    """The real server, the API and the worker of this test run."""

    livekit: LiveKitServerConfig
    api_url: str
    agent_name: str
    workdir: Path
    transcripts: Path
    stt: TranscriptionEndpoint
    worker: subprocess.Popen[bytes] | None = None
    api: subprocess.Popen[bytes] | None = None
    worker_env: dict[str, str] = field(default_factory=dict)

    @property
    def worker_log(self) -> Path:
        return self.workdir / "worker.log"

    def worker_output(self) -> str:
        return self.worker_log.read_text(errors="replace")

    def admin(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}", **kwargs.pop("headers", {})}
        return httpx.request(method, self.api_url + path, headers=headers, timeout=30, **kwargs)

    async def aadmin(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}", **kwargs.pop("headers", {})}
        async with httpx.AsyncClient(timeout=30) as client:
            return await client.request(method, self.api_url + path, headers=headers, **kwargs)

    def lk_api(self) -> Any:
        from livekit import api

        return api.LiveKitAPI(self.livekit.http_url, self.livekit.api_key, self.livekit.api_secret)


def _base_env(tmp: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LIVEKIT_", "OPENAI_", "DEEPGRAM_", "ASSEMBLYAI_", "CARTESIA_"))
        and not k.startswith(("VH_", "STT_", "TTS_", "LLM_", "AGENT_"))
    }
    env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "VH_ADMIN_TOKEN": ADMIN_TOKEN,
            "VH_JWT_SECRET": "livekit-e2e-jwt-secret-0123456789abcdef",
            "VH_M2M_CLIENT_ID": M2M_ID,
            "VH_M2M_CLIENT_SECRET": M2M_SECRET,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'api.db'}",
            "LOG_FORMAT": "json",
        }
    )
    env.pop("REDIS_URL", None)
    return env


def start_worker(stack: Stack, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``voicehire agent dev`` with ``env``; returns once it registered with the server."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            voicehire_command("agent", os.environ.get("VH_E2E_WORKER_MODE", "dev")),
            env=env,
            cwd=stack.workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + 90
    while "registered worker" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_process(process)
            raise RuntimeError("the worker did not register:\n" + tail(log, 40))
        time.sleep(0.2)
    return process


def worker_env(stack: Stack, **overrides: str) -> dict[str, str]:
    env = _base_env(stack.workdir)
    env.update(stack.livekit.env())
    env.update(
        {
            "AGENT_NAME": stack.agent_name,
            "VH_API_BASE_URL": stack.api_url,
            "LLM_PROVIDER": "policy",
            "STT_PROVIDER": "openai",
            "OPENAI_BASE_URL": stack.stt.base_url,
            "OPENAI_API_KEY": "not-needed",
            "TTS_PROVIDER": "espeak" if shutil.which("espeak-ng") else "none",
            "AGENT_SESSION_TIMEOUT": str(SESSION_TIMEOUT),
            "TRANSCRIPT_DIR": str(stack.transcripts),
            "TRANSCRIPT_RETRY_DELAY": "0.2",
        }
    )
    env.update(overrides)
    return env


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    binary, reason = livekit_binary()
    if binary is None:
        pytest.skip(reason)
    # Logs stay after the run (test-output/ is git-ignored), for reading when a test fails.
    tmp = ROOT / "test-output" / "livekit"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    api_port = free_port()
    api_url = f"http://127.0.0.1:{api_port}"
    lk_config = LiveKitServerConfig.random_ports(
        api_key="e2ekey",
        api_secret=secrets.token_urlsafe(32),
        webhook_urls=[f"{api_url}/webhooks/livekit"],
        empty_timeout=30,
        departure_timeout=5,
    )
    stt = TranscriptionEndpoint()
    stt.start()
    server = LiveKitServer(lk_config, tmp, binary)
    server.start()
    stack = Stack(
        livekit=lk_config,
        api_url=api_url,
        agent_name=f"vh-e2e-{secrets.token_hex(3)}",
        workdir=tmp,
        transcripts=tmp / "transcripts",
        stt=stt,
    )
    api_env = _base_env(tmp)
    api_env.update(lk_config.env())
    api_env.update({"AGENT_NAME": stack.agent_name, "VH_PUBLIC_URL": api_url})
    try:
        with (tmp / "api.log").open("ab") as out:
            stack.api = subprocess.Popen(
                voicehire_command("serve", "--port", str(api_port)),
                env=api_env,
                cwd=tmp,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        wait_http(api_url + "/health", 90, stack.api, "voicehire serve")
        stack.worker_env = worker_env(stack)
        stack.worker = start_worker(stack, stack.worker_env, stack.worker_log)
        yield stack
    finally:
        stop_process(stack.worker)
        stop_process(stack.api)
        server.stop()
        stt.stop()
