"""What every VoiceHire process sets up on import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

COUNT_THREADS = (
    "import voicehire, numpy, os; x = numpy.ones((600, 600)); x @ x; "
    "print(len(os.listdir('/proc/self/task')))"
)


def threads_after_numpy(env: dict[str, str]) -> int:
    out = subprocess.run(
        [sys.executable, "-c", COUNT_THREADS], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="counts threads in /proc")
def test_numpy_runs_without_blas_worker_threads_unless_asked():
    """OpenBLAS worker threads made a fork (espeak-ng's subprocess) hang the server for
    good while another thread scored an interview; VoiceHire's processes run without
    them, and an explicit OPENBLAS_NUM_THREADS still wins."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    default = threads_after_numpy(env)
    assert default == 1, default  # the main thread only
    assert threads_after_numpy({**env, "OPENBLAS_NUM_THREADS": "2"}) == 2
