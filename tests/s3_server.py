"""A real S3-compatible server on loopback for the object-storage tests: moto in server
mode (``moto_server``, a dev dependency), one process per test session, stopped and
started again by the outage tests. Buckets are per test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from voicehire.settings import Settings
from voicehire.storage.objects import ObjectStore, ObjectStoreConfig

ACCESS_KEY = "voicehire-test"
SECRET_KEY = "voicehire-test-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class S3Server:
    """``moto_server`` on 127.0.0.1:port. Moto keeps objects in memory: a restarted
    server starts empty."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        exe = shutil.which("moto_server", path=str(Path(sys.executable).parent))
        assert exe, "moto_server is missing: `uv sync` installs the dev dependencies"
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [exe, "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY},
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1):
                    return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start; see {self.log}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def settings_overrides(self, bucket: str, spool: Path) -> dict[str, object]:
        return {
            "transcript_bucket": bucket,
            "s3_endpoint_url": self.url,
            "s3_region": "us-east-1",
            "s3_access_key_id": ACCESS_KEY,
            "s3_secret_access_key": SECRET_KEY,
            "storage_spool_dir": spool,
        }


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    server = S3Server(_free_port(), tmp_path_factory.mktemp("moto") / "moto.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_outage_server(tmp_path: Path) -> Iterator[S3Server]:
    """A server of the test's own, which the test may stop and start again."""
    server = S3Server(_free_port(), tmp_path / "moto.log")
    server.start()
    yield server
    server.stop()


def new_bucket() -> str:
    return f"vh-{uuid.uuid4().hex[:12]}"


async def make_bucket(settings: Settings) -> ObjectStore:
    config = ObjectStoreConfig.from_settings(settings)
    assert config is not None
    store = ObjectStore(config)
    await store.ensure_bucket()
    return store
