"""The production stack on one machine: ``voicehire dev`` (``make stack``).

Starts the pinned ``livekit-server`` (built by ``make livekit``) on loopback with a
generated configuration, ``voicehire serve`` (API, dashboard and invite links, with the
server's webhooks pointed at it) and ``voicehire agent dev`` (the worker, explicit
dispatch), prints the dashboard URL, and stops all three on Ctrl-C. The tests start the
same server the same way (:class:`LiveKitServer`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

LIVEKIT_VERSION = "v1.13.5"
# Where `make livekit` puts the binary (relative to the repository root).
LIVEKIT_BUILD_DIR = Path(".cache") / f"livekit-{LIVEKIT_VERSION}"
BUILD_HINT = (
    "livekit-server not found: run `make livekit` (needs Go 1.26+; builds "
    f"github.com/livekit/livekit-server {LIVEKIT_VERSION} into {LIVEKIT_BUILD_DIR}/), or set "
    "LIVEKIT_SERVER_BIN to a livekit-server binary"
)
# Seconds each process gets to stop after SIGINT/SIGTERM before it is killed.
STOP_GRACE = 10.0


class DevStackError(RuntimeError):
    """The stack cannot start; the message says why and what to do."""


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def find_livekit_server() -> Path | None:
    """``LIVEKIT_SERVER_BIN``, else the ``make livekit`` build, else ``livekit-server`` on
    PATH."""
    env = os.environ.get("LIVEKIT_SERVER_BIN")
    if env:
        path = Path(env)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    for base in (Path.cwd(), repo_root()):
        candidate = base / LIVEKIT_BUILD_DIR / "server"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("livekit-server")
    return Path(found) if found else None


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port free on 127.0.0.1 right now (TCP, or UDP with ``socket.SOCK_DGRAM``)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveKitServerConfig:
    """A loopback-only single-node server: HTTP/WebSocket signalling on ``port``, WebRTC
    media over one UDP port (and ICE/TCP as fallback), one API key."""

    port: int = 7880
    rtc_tcp_port: int = 7881
    rtc_udp_port: int = 7882
    api_key: str = "devkey"
    api_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    webhook_urls: list[str] = field(default_factory=list)
    # A room nobody joins (or everyone left) closes after this many seconds.
    empty_timeout: int = 300
    departure_timeout: int = 20
    # The server dispatches a job only to a worker whose reported load (the machine's CPU
    # use, 0-1) is below this. LiveKit's default, 0.7, starves a worker on a busy
    # development machine, where the CPU is shared with everything else; above 1 it never
    # does (`voicehire agent dev` also ignores its own load).
    agent_target_load: float = 1.5
    log_level: str = "info"

    @classmethod
    def random_ports(cls, **kwargs: Any) -> LiveKitServerConfig:
        """Free ports picked now, so parallel runs on one machine don't clash."""
        ports = {
            "port": free_port(),
            "rtc_tcp_port": free_port(),
            "rtc_udp_port": free_port(socket.SOCK_DGRAM),
        }
        return cls(**{**ports, **kwargs})

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def to_yaml(self) -> str:
        import yaml

        doc: dict[str, Any] = {
            "port": self.port,
            "bind_addresses": ["127.0.0.1"],
            "rtc": {
                "tcp_port": self.rtc_tcp_port,
                "udp_port": self.rtc_udp_port,
                "node_ip": "127.0.0.1",
                "use_external_ip": False,
                "enable_loopback_candidate": True,
            },
            "keys": {self.api_key: self.api_secret},
            "room": {
                "empty_timeout": self.empty_timeout,
                "departure_timeout": self.departure_timeout,
            },
            "agents": {"target_load": self.agent_target_load},
            "logging": {"level": self.log_level},
            "turn": {"enabled": False},
        }
        if self.webhook_urls:
            doc["webhook"] = {"api_key": self.api_key, "urls": list(self.webhook_urls)}
        return yaml.safe_dump(doc, sort_keys=False)

    def env(self) -> dict[str, str]:
        """The variables VoiceHire (API and worker) needs to use this server."""
        return {
            "LIVEKIT_URL": self.url,
            "LIVEKIT_API_KEY": self.api_key,
            "LIVEKIT_API_SECRET": self.api_secret,
        }


class LiveKitServer:
    """One ``livekit-server`` process with a generated config file in ``workdir``."""

    def __init__(
        self, config: LiveKitServerConfig, workdir: Path, binary: Path | None = None
    ) -> None:
        self.config = config
        self.workdir = workdir
        self.binary = binary or find_livekit_server()
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / "livekit-server.log"

    def start(self, timeout: float = 30.0) -> None:
        if self.binary is None:
            raise DevStackError(BUILD_HINT)
        self.workdir.mkdir(parents=True, exist_ok=True)
        config_path = self.workdir / "livekit.yaml"
        config_path.write_text(self.config.to_yaml(), encoding="utf-8")
        config_path.chmod(0o600)  # it holds the API secret
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(self.binary), "--config", str(config_path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        try:
            wait_http(self.config.http_url, timeout, self.process, "livekit-server")
        except DevStackError:
            self.stop()
            raise DevStackError(
                f"livekit-server did not start; its log ({self.log_path}) ends with:\n"
                + tail(self.log_path)
            ) from None

    def stop(self) -> int | None:
        return stop_process(self.process)

    def __enter__(self) -> LiveKitServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_http(
    url: str, timeout: float, process: subprocess.Popen[Any] | None = None, what: str = ""
) -> None:
    """Wait until ``url`` answers any HTTP status (or ``process`` exits)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise DevStackError(f"{what or url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise DevStackError(f"{what or url} did not answer at {url} within {timeout:.0f} s")


def stop_process(process: subprocess.Popen[Any] | None, grace: float = STOP_GRACE) -> int | None:
    """SIGINT the process's group (it was started in its own session), then SIGKILL what
    is left after ``grace`` seconds, so no child (job processes, `uv run`'s python)
    outlives it."""
    if process is None:
        return None
    if process.poll() is None:
        _signal_group(process, signal.SIGINT)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(timeout=5)
    # Children that ignored the signal (or outlived their parent) go too.
    _signal_group(process, signal.SIGKILL)
    return process.returncode


def _signal_group(process: subprocess.Popen[Any], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def voicehire_command(*args: str) -> list[str]:
    """``voicehire ARGS`` with this interpreter (works with or without the script on PATH)."""
    return [
        sys.executable,
        "-c",
        "import sys; from voicehire.cli import main; sys.exit(main())",
        *args,
    ]


@dataclass
class DevStack:
    """livekit-server + ``voicehire serve`` + ``voicehire agent dev``."""

    workdir: Path
    api_port: int = 8000
    livekit: LiveKitServerConfig = field(default_factory=LiveKitServerConfig)
    extra_env: Mapping[str, str] = field(default_factory=dict)
    out: IO[str] = sys.stdout
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    server: LiveKitServer | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def dashboard_url(self) -> str:
        return f"{self.api_url}/app"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.livekit.env())
        env.setdefault("VH_M2M_CLIENT_ID", "voicehire-dev-agent")
        env.setdefault("VH_M2M_CLIENT_SECRET", secrets.token_urlsafe(24))
        env.setdefault("VH_JWT_SECRET", secrets.token_urlsafe(32))
        env.update(
            {
                "VH_API_BASE_URL": self.api_url,
                "VH_PUBLIC_URL": self.api_url,
                "VH_API_HOST": "127.0.0.1",
                "VH_API_PORT": str(self.api_port),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 90.0) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.livekit.webhook_urls = [f"{self.api_url}/webhooks/livekit"]
        self.server = LiveKitServer(self.livekit, self.workdir)
        print(f"starting livekit-server {LIVEKIT_VERSION} on {self.livekit.url}", file=self.out)
        self.server.start()
        env = self.env()
        print(f"starting the API on {self.api_url}", file=self.out, flush=True)
        self._spawn("serve", voicehire_command("serve", "--port", str(self.api_port)), env)
        print("starting the agent worker (voicehire agent dev)", file=self.out, flush=True)
        self._spawn("agent", voicehire_command("agent", "dev"), env)
        wait_http(self.api_url + "/health", timeout, self.processes["serve"], "voicehire serve")
        print(
            f"\nVoiceHire is running on LiveKit {self.livekit.url}\n"
            f"  dashboard: {self.dashboard_url}\n"
            f"  API docs:  {self.api_url}/docs\n"
            f"  logs:      {self.workdir}/\n"
            "Press Ctrl-C to stop everything.",
            file=self.out,
            flush=True,
        )

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str]) -> None:
        log = (self.workdir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            cmd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    def failed(self) -> str | None:
        """The name of a process that exited on its own, if any."""
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name
        server = self.server.process if self.server is not None else None
        if server is not None and server.poll() is not None:
            return "livekit-server"
        return None

    def stop(self) -> None:
        # The worker first (it leaves its rooms), then the API, then the server.
        for name in ("agent", "serve"):
            stop_process(self.processes.get(name))
        if self.server is not None:
            self.server.stop()


def register(subparsers: argparse._SubParsersAction) -> None:
    d = subparsers.add_parser(
        "dev",
        help="run the production stack here: livekit-server, the API and the agent worker",
        description="Start livekit-server (built by `make livekit`) on loopback, `voicehire "
        "serve` and `voicehire agent dev` together; prints the dashboard URL; Ctrl-C stops "
        "all three. Logs go to --logs.",
    )
    d.add_argument("--port", type=int, default=8000, help="API and dashboard port (8000)")
    d.add_argument("--livekit-port", type=int, default=7880, help="LiveKit port (7880)")
    d.add_argument(
        "--random-ports", action="store_true", help="pick free ports (API, LiveKit, RTC)"
    )
    d.add_argument("--logs", type=Path, default=Path("logs") / "dev", help="log folder")
    d.set_defaults(func=_dev)


def _dev(args: argparse.Namespace, _rest: list[str]) -> int:
    if args.random_ports:
        livekit = LiveKitServerConfig.random_ports()
        api_port = free_port()
    else:
        livekit = LiveKitServerConfig(
            port=args.livekit_port,
            rtc_tcp_port=args.livekit_port + 1,
            rtc_udp_port=args.livekit_port + 2,
        )
        api_port = args.port
    stack = DevStack(workdir=args.logs, api_port=api_port, livekit=livekit)
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start()
        while not stopping:
            dead = stack.failed()
            if dead is not None:
                print(
                    f"voicehire: {dead} stopped unexpectedly; see {args.logs}/. Stopping the rest.",
                    file=sys.stderr,
                )
                return 1
            time.sleep(0.5)
        print("\nstopping the worker, the API and livekit-server ...", flush=True)
        return 0
    except DevStackError as exc:
        print(f"voicehire: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("stopped", flush=True)
