"""`make bench`: run every benchmark and print its figures.

Each benchmark is a module with ``main(argv) -> int`` that prints its own results.
Benchmarks that need data not in the repository take its path from the environment.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASAG_DATA = os.environ.get(
    "ASAG_DATA", str(ROOT.parent / "shared" / "benchmarks" / "asag" / "mohler.jsonl")
)

# (title, module, argv)
BENCHMARKS: list[tuple[str, str, list[str]]] = [
    ("Voice latency", "benchmarks.bench_latency", ["--turns", "20"]),
    ("Offline speech", "benchmarks.bench_speech", ["--runs", "5", "--turns", "5"]),
    ("ASAG scoring (held-out split)", "benchmarks.bench_asag", ["--data", ASAG_DATA]),
    ("Interview answers: verdicts, calibration, invariance", "benchmarks.bench_interview", []),
    ("API load", "benchmarks.bench_api", []),
    ("LiveKit server on loopback", "benchmarks.bench_livekit", []),
]


def main() -> int:
    failures = 0
    for title, module_name, argv in BENCHMARKS:
        print(f"\n=== {title} ({module_name}) ===", flush=True)
        started = time.perf_counter()
        try:
            rc = importlib.import_module(module_name).main(argv)
        except Exception as exc:  # report and go on to the next benchmark
            print(f"benchmark {module_name} failed: {exc!r}", flush=True)
            rc = 1
        failures += bool(rc)
        print(f"--- {title}: {time.perf_counter() - started:.1f}s, exit {rc}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
