"""Voice latency and capacity over a real LiveKit server on loopback.

Starts the pinned ``livekit-server`` (``make livekit``) and the real worker (``voicehire
agent dev``: interviewer policy, espeak-ng voice, Silero VAD, and the OpenAI STT plugin
posting each utterance to a local transcription endpoint that answers at once). Scripted
candidates are ``livekit.rtc`` participants that speak espeak-ng answers through an
``AudioSource`` in real time and listen to the agent's track.

(a) join -> first agent audio frame at the candidate;
(b) per turn, end of the candidate's voiced audio -> first agent audio frame received by
    the candidate, p50/p95, beside the same turns through the local transport
    (``benchmarks.bench_latency``);
(c) 1/5/10/20 concurrent rooms in one worker process: p95 turn latency, CPU (cores) and
    RSS per job, and the first level whose p95 exceeds 1.5x the single-room p95.
Printed, not asserted. Each level is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import yaml

from voicehire.devstack import (
    LiveKitServer,
    LiveKitServerConfig,
    find_livekit_server,
    stop_process,
)
from voicehire.livekit_gateway import make_join_token

ANSWER = "I have five years of backend experience with Python and Go."
QUIET_BEFORE_ANSWER = 0.6  # seconds of agent silence before the candidate answers


def _plan_file(folder: Path, questions: int) -> Path:
    plan = {
        "id": "bench-livekit",
        "title": "LiveKit latency benchmark",
        "stages": [
            {
                "id": "greeting",
                "title": "Greeting",
                "kind": "greeting",
                "opening": "Hello.",
                "time_budget": 600,
            },
            {
                "id": "talk",
                "title": "Talk",
                "time_budget": 3600,
                "questions": [
                    {"id": f"q{i}", "text": f"Question number {i}, tell me more?"}
                    for i in range(questions)
                ],
            },
            {
                "id": "closing",
                "title": "Closing",
                "kind": "closing",
                "opening": "Thanks.",
                "time_budget": 600,
            },
        ],
    }
    path = folder / "bench_plan.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    return path


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _voiced_end(samples: np.ndarray, rate: int, threshold: int = 300) -> float:
    """Seconds from the start of ``samples`` to its last voiced sample."""
    voiced = np.nonzero(np.abs(samples.astype(np.int32)) > threshold)[0]
    return (voiced[-1] + 1) / rate if len(voiced) else 0.0


@dataclass
class RoomResult:
    join_to_audio: float | None = None
    turns: list[float] = field(default_factory=list)
    error: str | None = None


async def _candidate_room(
    stack: dict[str, Any], plan: Path, turns: int, answer: np.ndarray, deadline: float
) -> RoomResult:
    from tests.livekit_server.candidate import RATE, Candidate

    cfg: LiveKitServerConfig = stack["config"]
    room = f"bench-{secrets.token_hex(5)}"
    token = make_join_token(
        cfg.api_key,
        cfg.api_secret,
        room=room,
        identity=f"candidate-{room}",
        dispatch_agent=stack["agent_name"],
        dispatch_metadata={
            "plan": str(plan),
            "candidateName": "Bench Candidate",
            "maxDuration": 3600,
        },
    )
    out = RoomResult()
    cand = Candidate(cfg.url, token)
    voiced = _voiced_end(answer, RATE)
    try:
        await cand.join()
        assert cand.joined_at is not None
        await cand.wait_for(
            lambda: cand.first_agent_audio, max(1.0, deadline - time.monotonic()), "greeting"
        )
        out.join_to_audio = (cand.first_agent_audio or 0) - cand.joined_at
        for _ in range(turns):
            # Answer once the agent has asked and gone quiet.
            await cand.wait_for(
                lambda: (
                    cand.of_type("question") and cand._quiet_frames >= QUIET_BEFORE_ANSWER * 100
                ),
                max(1.0, deadline - time.monotonic()),
                "the agent to finish asking",
            )
            starts_before = len(cand.agent_speech_starts)
            started = time.monotonic()
            await cand.say(answer)
            end_of_voice = started + voiced
            await cand.wait_for(
                lambda n=starts_before: len(cand.agent_speech_starts) > n,
                max(1.0, deadline - time.monotonic()),
                "the agent's reply",
            )
            reply = next(t for t in cand.agent_speech_starts[starts_before:] if t > end_of_voice)
            out.turns.append(reply - end_of_voice)
    except (AssertionError, StopIteration) as exc:
        out.error = str(exc)[:200]
    finally:
        await cand.leave()
    return out


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _cpu_seconds(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _job_rss_mb(worker_pid: int) -> list[float]:
    """RSS of each job process (children of the worker's forkserver)."""
    out = []
    for p in _tree(worker_pid)[1:]:
        try:
            parent = p.parent()
            if parent is not None and parent.pid != worker_pid:
                out.append(p.memory_info().rss / 1e6)
        except psutil.Error:
            pass
    return out


async def _level(
    stack: dict[str, Any], plan: Path, rooms: int, turns: int, answer: np.ndarray, budget: float
) -> dict[str, Any]:
    worker_pid = stack["worker"].pid
    deadline = time.monotonic() + budget
    wall0 = time.monotonic()
    peak_rss: list[float] = []
    # CPU seconds per process, sampled each second: job processes exit with their room, so
    # the tree's total at the end would miss them.
    cpu_first: dict[int, float] = {}
    cpu_last: dict[int, float] = {}

    def sample_cpu() -> None:
        for p in _tree(worker_pid):
            used = _cpu_seconds([p])
            cpu_first.setdefault(p.pid, used if not cpu_last else 0.0)
            cpu_last[p.pid] = used

    async def sample_rss() -> None:
        while True:
            sample_cpu()
            rss = _job_rss_mb(worker_pid)
            if len(rss) >= len(peak_rss):
                peak_rss[:] = rss
            await asyncio.sleep(1.0)

    sampler = asyncio.create_task(sample_rss())
    results = await asyncio.gather(
        *(_candidate_room(stack, plan, turns, answer, deadline) for _ in range(rooms))
    )
    sample_cpu()
    sampler.cancel()
    # Processes first seen mid-level count from zero (they started during the level).
    cpu_used = sum(cpu_last[pid] - cpu_first.get(pid, 0.0) for pid in cpu_last)
    cpu = cpu_used / max(time.monotonic() - wall0, 1e-6)
    latencies = [t for r in results for t in r.turns]
    joins = [r.join_to_audio for r in results if r.join_to_audio is not None]
    return {
        "rooms": rooms,
        "turns": len(latencies),
        "p50": _pct(latencies, 0.5),
        "p95": _pct(latencies, 0.95),
        "join_p50": _pct(joins, 0.5),
        "cpu_cores": cpu,
        "rss_per_job_mb": statistics.mean(peak_rss) if peak_rss else float("nan"),
        "errors": [r.error for r in results if r.error],
        "latencies": latencies,
        "joins": joins,
    }


def _start(workdir: Path) -> dict[str, Any]:
    from tests.livekit_server.conftest import TranscriptionEndpoint, _base_env

    binary = find_livekit_server()
    if binary is None:
        raise RuntimeError("livekit-server not found: run `make livekit`")
    config = LiveKitServerConfig.random_ports(empty_timeout=20, departure_timeout=2)
    server = LiveKitServer(config, workdir, binary)
    server.start()
    stt = TranscriptionEndpoint(default=ANSWER)
    stt.start()
    agent_name = f"vh-bench-{secrets.token_hex(3)}"
    env = _base_env(workdir)
    env.update(config.env())
    env.update(
        {
            "AGENT_NAME": agent_name,
            "LLM_PROVIDER": "policy",
            "STT_PROVIDER": "openai",
            "OPENAI_BASE_URL": stt.base_url,
            "OPENAI_API_KEY": "not-needed",
            "TTS_PROVIDER": "espeak",
            "TRANSCRIPT_DIR": str(workdir / "transcripts"),
            "SILENCE_TIMEOUT": "120",
            "LOG_LEVEL": "WARNING",
        }
    )
    from voicehire.devstack import voicehire_command

    log = workdir / "worker.log"
    with log.open("ab") as out:
        worker = subprocess.Popen(
            [*voicehire_command("agent", "dev"), "--log-level", "warn"],
            env=env,
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 90
    while True:
        text = log.read_text(errors="replace")
        if "registered" in text or "worker registered" in (
            workdir / "livekit-server.log"
        ).read_text(errors="replace"):
            break
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the worker did not register: " + text[-2000:])
        time.sleep(0.3)
    return {
        "server": server,
        "stt": stt,
        "worker": worker,
        "config": config,
        "agent_name": agent_name,
    }


def _stop(stack: dict[str, Any]) -> None:
    stop_process(stack.get("worker"))
    if stack.get("server"):
        stack["server"].stop()
    if stack.get("stt"):
        stack["stt"].stop()


def _local_turns(turns: int) -> list[float] | str:
    try:
        from benchmarks.bench_latency import measure

        return asyncio.run(measure(turns))["total"]
    except Exception as exc:  # the local benchmark moved or failed: say so, go on
        return f"local transport not measured: {exc!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=20, help="turns for (b)")
    parser.add_argument("--levels", default="1,5,10,20", help="concurrent rooms for (c)")
    parser.add_argument("--level-turns", type=int, default=4, help="turns per room in (c)")
    parser.add_argument("--level-budget", type=float, default=150, help="seconds per level")
    args = parser.parse_args(argv)
    if find_livekit_server() is None:
        print("skipped: livekit-server not found (run `make livekit`; needs Go)")
        return 0
    if shutil.which("espeak-ng") is None:
        print("skipped: espeak-ng is not installed")
        return 0
    from tests.livekit_server.candidate import speech

    workdir = Path(tempfile.mkdtemp(prefix="vh-bench-livekit-"))
    answer = speech(ANSWER, workdir)
    plan = _plan_file(workdir, args.turns + 5)
    stack: dict[str, Any] = {}
    try:
        stack = _start(workdir)
        single = asyncio.run(
            _level(stack, plan, 1, args.turns, answer, budget=60 + args.turns * 15)
        )
        local = _local_turns(args.turns)
        print(f"(a) join -> first agent audio: {single['join_p50'] * 1000:.0f} ms (1 room)")
        print(
            f"(b) end of speech -> first agent audio frame, {single['turns']} turns: "
            f"LiveKit p50 {single['p50'] * 1000:.0f} ms / p95 {single['p95'] * 1000:.0f} ms"
        )
        if isinstance(local, str):
            print(f"    {local}")
        else:
            print(
                f"    local transport, same turns: p50 {_pct(local, 0.5) * 1000:.0f} ms / "
                f"p95 {_pct(local, 0.95) * 1000:.0f} ms"
            )
        if single["errors"]:
            print(f"    errors: {single['errors']}")
        print("(c) rooms  turns  p50 ms  p95 ms  join p50 ms  CPU cores  RSS/job MB  errors")
        base = None
        saturated = None
        for rooms in [int(x) for x in args.levels.split(",") if x.strip()]:
            r = asyncio.run(
                _level(stack, plan, rooms, args.level_turns, answer, budget=args.level_budget)
            )
            if base is None:
                base = r["p95"]
            if saturated is None and base and r["p95"] > 1.5 * base:
                saturated = rooms
            print(
                f"    {rooms:>5}  {r['turns']:>5}  {r['p50'] * 1000:>6.0f}  {r['p95'] * 1000:>6.0f}"
                f"  {r['join_p50'] * 1000:>11.0f}  {r['cpu_cores']:>9.2f}  "
                f"{r['rss_per_job_mb']:>10.0f}  {len(r['errors'])}",
                flush=True,
            )
        print(
            "    p95 > 1.5x the single-room p95 from "
            + (f"{saturated} rooms" if saturated else "no level measured")
        )
    finally:
        _stop(stack)
    return 0


if __name__ == "__main__":
    sys.exit(main())
