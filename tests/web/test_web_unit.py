"""The web app's own checks, run with the Python suite so `make test` (and CI) runs them:
its unit tests (vitest: message parsing, the transport's reconnect and replay, the views'
escaping) and that the committed generated types match the Python contracts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"

pytestmark = pytest.mark.skipif(
    shutil.which("npm") is None or not (WEB / "node_modules").is_dir(),
    reason="the web app's dependencies are not installed (make web)",
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=WEB, capture_output=True, text=True, timeout=300, check=False)


def test_web_unit_tests_pass() -> None:
    result = run("npm", "test", "--silent")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_generated_types_are_up_to_date() -> None:
    result = run("node", "scripts/generate.mjs", "--check")
    assert result.returncode == 0, result.stderr[-2000:]
