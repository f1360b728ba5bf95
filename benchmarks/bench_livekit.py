"""Voice latency and capacity over a real LiveKit server on loopback.

Starts the pinned ``livekit-server`` (``make livekit``) and the real worker (``voicehire
agent dev``: interviewer policy, espeak-ng voice, Silero VAD, LiveKit's end-of-turn model,
and the OpenAI STT plugin posting each utterance to a local transcription endpoint that
answers at once). Scripted candidates are ``livekit.rtc`` participants that speak their
answers (Piper's natural voice when installed, else espeak-ng; ``--voice``) through an
``AudioSource`` in real time and listen to the agent's track.

(a) join -> first agent audio frame at the candidate;
(b) per turn, end of the candidate's voiced audio -> first agent audio frame received by
    the candidate, p50/p95, beside the same turns through the local transport
    (``benchmarks.bench_latency``), and where the time goes: the worker's ``turn timing``
    log (end-of-turn wait and the model's verdict, LLM first token, TTS first audio, when
    the agent's audio started) matched to the candidate's clock;
(c) 1/5/10/20 concurrent rooms in one worker process: p95 turn latency, CPU (cores) and
    RSS per job, and the first level whose p95 exceeds 1.5x the single-room p95.
Printed, not asserted. Each level is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
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

from benchmarks.bench_latency import ANSWER, candidate_answer, candidate_voices
from voicehire.devstack import (
    LiveKitServer,
    LiveKitServerConfig,
    find_livekit_server,
    stop_process,
)
from voicehire.livekit_gateway import make_join_token

QUIET_BEFORE_ANSWER = 1.0  # seconds of agent silence before the candidate answers


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
    room: str = ""
    join_to_audio: float | None = None
    turns: list[float] = field(default_factory=list)
    # per turn, wall clock: end of the candidate's voice, first agent audio heard
    walls: list[tuple[float, float]] = field(default_factory=list)
    error: str | None = None


async def _candidate_room(
    stack: dict[str, Any],
    turns: int,
    answer: np.ndarray,
    deadline: float,
    turn_budget: float | None = None,
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
            "plan": "full",  # room metadata may only name a built-in plan
            "candidateName": "Bench Candidate",
            "maxDuration": 3600,
        },
    )
    out = RoomResult(room=room)
    cand = Candidate(cfg.url, token)
    wall = time.time() - time.monotonic()  # monotonic -> wall clock (the worker logs wall)
    voiced = _voiced_end(answer, RATE)
    try:
        await cand.join()
        assert cand.joined_at is not None
        await cand.wait_for(
            lambda: cand.first_agent_audio, max(1.0, deadline - time.monotonic()), "greeting"
        )
        out.join_to_audio = (cand.first_agent_audio or 0) - cand.joined_at
        if turn_budget is not None:  # a cold start does not eat the turns' time
            deadline = max(deadline, time.monotonic() + turn_budget)
        for _ in range(turns):
            # Answer once the agent has asked, is listening (its `lk.agent.state`) and
            # its audio has gone quiet: a stage's opening line and its question have a
            # pause between them.
            await cand.wait_for(
                lambda: (
                    cand.of_type("question")
                    and cand.agent_state() == "listening"
                    and cand._quiet_frames >= QUIET_BEFORE_ANSWER * 100
                ),
                max(1.0, deadline - time.monotonic()),
                "the agent to finish asking",
            )
            started = time.monotonic()
            await cand.say(answer)
            end_of_voice = started + voiced

            def replies(after: float = end_of_voice) -> list[float]:
                return [t for t in cand.agent_speech_starts if t > after]

            await cand.wait_for(replies, max(1.0, deadline - time.monotonic()), "the agent's reply")
            reply = replies()[0]
            out.turns.append(reply - end_of_voice)
            out.walls.append((end_of_voice + wall, reply + wall))
    except AssertionError as exc:
        out.error = str(exc)[:200] or "assertion failed"
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
    stack: dict[str, Any],
    rooms: int,
    turns: int,
    answer: np.ndarray,
    budget: float,
    turn_budget: float | None = None,
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
        *(_candidate_room(stack, turns, answer, deadline, turn_budget) for _ in range(rooms))
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
        "results": results,
    }


def _turn_timings(log: Path) -> dict[str, list[dict[str, Any]]]:
    """The worker's ``turn timing`` records (voicehire.agent.speech.timing), by room."""
    by_room: dict[str, list[dict[str, Any]]] = {}
    if not log.exists():
        return by_room
    for line in log.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("event") == "turn timing" and isinstance(record.get("turn_timing"), dict):
            by_room.setdefault(record.get("room", ""), []).append(record["turn_timing"])
    return by_room


def breakdown(results: list[RoomResult], log: Path) -> dict[str, list[float]]:
    """Each measured turn split at the worker's timestamps (all in ms):
    uplink+VAD (candidate's end of voice -> the VAD's last speaking moment), the
    end-of-turn wait, LLM first token, TTS first audio, the rest in the worker until its
    audio started, and downlink (agent audio started -> first frame heard)."""
    timings = _turn_timings(log)
    parts: dict[str, list[float]] = {
        k: []
        for k in (
            "voice->vad",
            "end_of_turn",
            "llm_ttft",
            "tts_ttfb",
            "worker_other",
            "downlink",
            "eot_unfinished",
        )
    }
    for r in results:
        records = timings.get(r.room, [])
        for voice_end, heard in r.walls:
            near = [
                t
                for t in records
                if t.get("speech_ended_at")
                and abs(t["speech_ended_at"] - voice_end) < 1.5
                and t.get("reply_started_at")
            ]
            if not near:
                continue
            t = min(near, key=lambda t: abs(t["speech_ended_at"] - voice_end))
            eot = t.get("end_of_turn_ms") or 0.0
            llm = t.get("llm_ttft_ms") or 0.0
            tts = t.get("tts_ttfb_ms") or 0.0
            spoken = (t["reply_started_at"] - t["speech_ended_at"]) * 1000
            parts["voice->vad"].append((t["speech_ended_at"] - voice_end) * 1000)
            parts["end_of_turn"].append(eot)
            parts["llm_ttft"].append(llm)
            parts["tts_ttfb"].append(tts)
            parts["worker_other"].append(spoken - eot - llm - tts)
            parts["downlink"].append((heard - t["reply_started_at"]) * 1000)
            if t.get("judged_unfinished") is not None:
                parts["eot_unfinished"].append(1.0 if t["judged_unfinished"] else 0.0)
    return parts


def print_breakdown(parts: dict[str, list[float]]) -> None:
    if not parts["end_of_turn"]:
        print("    where the time goes: no `turn timing` records matched the turns")
        return
    cells = [
        f"{name} {statistics.median(values):.0f}"
        for name, values in parts.items()
        if values and name != "eot_unfinished"
    ]
    print(
        f"    where the time goes (p50 ms, {len(parts['end_of_turn'])} turns): " + ", ".join(cells)
    )
    if parts["eot_unfinished"]:
        share = statistics.mean(parts["eot_unfinished"])
        print(
            f"    end-of-turn model judged the answer unfinished in {share:.0%} of turns "
            "(then the wait is MAX_ENDPOINTING_DELAY instead of MIN_ENDPOINTING_DELAY)"
        )


def _start(workdir: Path, turn_detection: str) -> dict[str, Any]:
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
            "TURN_DETECTION": turn_detection,
            "LOG_LEVEL": "INFO",
            "LOG_FILE": str(workdir / "worker.jsonl"),
        }
    )
    from voicehire.devstack import voicehire_command

    log = workdir / "worker.log"
    with log.open("ab") as out:
        worker = subprocess.Popen(
            [*voicehire_command("agent", "dev"), "--log-level", "info"],
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


def _local_turns(turns: int, voice: str, turn_detection: str) -> list[float] | str:
    try:
        from benchmarks.bench_latency import measure

        return asyncio.run(measure(turns, voice, turn_detection))["total"]
    except Exception as exc:  # the local benchmark moved or failed: say so, go on
        return f"local transport not measured: {exc!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=20, help="turns for (b)")
    parser.add_argument("--levels", default="1,5,10,20", help="concurrent rooms for (c)")
    parser.add_argument("--level-turns", type=int, default=4, help="turns per room in (c)")
    parser.add_argument("--level-budget", type=float, default=150, help="seconds per level")
    parser.add_argument(
        "--voice",
        choices=["piper", "espeak"],
        default=None,
        help="the candidates' voice (default: piper when the speech extra is installed)",
    )
    parser.add_argument(
        "--turn-detection",
        choices=["auto", "vad"],
        default="auto",
        help="vad: turns end on VAD silence + MIN_ENDPOINTING_DELAY alone (no end-of-turn "
        "model), to compare the transports without the model's waits",
    )
    args = parser.parse_args(argv)
    if find_livekit_server() is None:
        print("skipped: livekit-server not found (run `make livekit`; needs Go)")
        return 0
    if shutil.which("espeak-ng") is None:
        print("skipped: espeak-ng is not installed")
        return 0
    from tests.livekit_server.candidate import RATE

    voice = args.voice or candidate_voices()[0]
    workdir = Path(tempfile.mkdtemp(prefix="vh-bench-livekit-"))
    samples, rate = asyncio.run(candidate_answer(ANSWER, voice))
    positions = np.arange(0, len(samples) * RATE / rate) * rate / RATE
    answer = np.interp(positions, np.arange(len(samples)), samples).astype(np.int16)
    stack: dict[str, Any] = {}
    try:
        stack = _start(workdir, args.turn_detection)
        single = asyncio.run(
            _level(stack, 1, args.turns, answer, budget=90, turn_budget=30 + args.turns * 15)
        )
        parts = breakdown(single["results"], workdir / "worker.jsonl")
        local = _local_turns(args.turns, voice, args.turn_detection)
        load = " / ".join(f"{x:.1f}" for x in psutil.getloadavg())
        print(f"machine: {psutil.cpu_count()} cores, load average {load} (1/5/15 min)")
        print(f"(a) join -> first agent audio: {single['join_p50'] * 1000:.0f} ms (1 room)")
        print(
            f"(b) end of speech -> first agent audio frame, {single['turns']} turns, candidate "
            f"voice {voice}, TURN_DETECTION={args.turn_detection}: "
            f"LiveKit p50 {single['p50'] * 1000:.0f} ms / p95 {single['p95'] * 1000:.0f} ms"
        )
        print_breakdown(parts)
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
                _level(stack, rooms, args.level_turns, answer, budget=args.level_budget)
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
