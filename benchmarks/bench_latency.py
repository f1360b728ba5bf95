"""Per-turn response latency through the real audio pipeline with the local engines.

Each turn: espeak-ng speaks a candidate answer into a paced microphone stand-in; Silero
VAD and the endpointing delay decide the turn is over; a scripted STT returns the text;
the interviewer policy answers; espeak-ng synthesises the reply. Latency is measured from
the end of the candidate's speech (last voiced sample) to the first frame of agent audio.
The endpointing part is the framework's ``end_of_turn_delay`` for that turn; the rest is
what VoiceHire and its engines add.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import numpy as np

from voicehire.agent.engines import Engines, build_vad
from voicehire.agent.espeak_tts import EspeakTTS, espeak_path
from voicehire.agent.local_run import wait_for_turn
from voicehire.agent.policy import InterviewerPolicy
from voicehire.domain.config import SessionConfig
from voicehire.domain.plan import Plan, Question, ResolvedPlan, Stage
from voicehire.settings import load_settings
from voicehire.testing.audio import PacedAudioInput, ScriptedSTT, read_wav
from voicehire.testing.sessions import start_interview

ANSWER = "I have five years of backend experience with Python and Go."


def _plan(turns: int) -> ResolvedPlan:
    questions = [
        Question(id=f"q{i}", text=f"Question number {i}, tell me more?") for i in range(turns)
    ]
    plan = Plan(
        id="bench",
        title="Latency benchmark",
        stages=[
            Stage(
                id="greeting", title="Greeting", kind="greeting", opening="Hello.", time_budget=600
            ),
            Stage(id="talk", title="Talk", questions=questions, time_budget=3600),
            Stage(
                id="closing", title="Closing", kind="closing", opening="Thanks.", time_budget=600
            ),
        ],
    )
    return ResolvedPlan(plan=plan)


def _trailing_silence(samples: np.ndarray, rate: int, threshold: int = 300) -> float:
    voiced = np.nonzero(np.abs(samples.astype(np.int32)) > threshold)[0]
    return 0.0 if len(voiced) == 0 else (len(samples) - 1 - voiced[-1]) / rate


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


async def measure(turns: int) -> dict[str, list[float]]:
    tts = EspeakTTS()
    samples, rate = read_wav(await tts.synthesize_wav(ANSWER))
    tail = _trailing_silence(samples, rate)
    mic = PacedAudioInput(sample_rate=16000)
    engines = Engines(
        llm=InterviewerPolicy(),
        stt=ScriptedSTT([ANSWER] * (turns + 5)),
        tts=tts,
        vad=build_vad(),
    )
    settings = load_settings(
        llm_provider="policy", silence_timeout=120, transcript_dir="/tmp/voicehire-bench"
    )
    run = await start_interview(
        settings,
        SessionConfig(interview_id="bench", max_duration=3600),
        plan=_plan(turns + 2),
        engines=engines,
        audio_input=mic,
    )
    totals, endpointing, e2e = [], [], []
    try:
        for _ in range(turns):
            assert await wait_for_turn(run, settle=0.3), "interview ended early"
            n_frames = len(run.audio.first_frame_times)
            n_items = len(run.session.history.items)
            mic.play(samples, rate)
            deadline = time.perf_counter() + 20
            while len(run.audio.first_frame_times) == n_frames:
                if time.perf_counter() > deadline:
                    raise RuntimeError("no agent audio within 20 s")
                await asyncio.sleep(0.005)
            speech_end = mic.clip_ended_at[-1] - tail
            totals.append(run.audio.first_frame_times[n_frames] - speech_end)
            await wait_for_turn(run, settle=0.1)
            new = run.session.history.items[n_items:]
            user = next(i for i in new if i.type == "message" and i.role == "user")
            reply = next(i for i in new if i.type == "message" and i.role == "assistant")
            endpointing.append(float(user.metrics.get("end_of_turn_delay") or 0.0))
            e2e.append(float(reply.metrics.get("e2e_latency") or float("nan")))
    finally:
        mic.close()
        await run.runtime.end("benchmark_done", speak=False)
        await run.session.aclose()
    return {"total": totals, "endpointing": endpointing, "e2e": e2e}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args(argv)
    if espeak_path() is None:
        print("espeak-ng is not installed; run `make setup` (as root) first")
        return 1
    started = time.perf_counter()
    r = asyncio.run(measure(args.turns))
    beyond = [t - e for t, e in zip(r["total"], r["endpointing"], strict=True)]
    ms = lambda v: f"{v * 1000:7.1f} ms"  # noqa: E731
    print(f"per-turn latency, end of candidate speech -> first agent audio ({args.turns} turns)")
    print(f"  total           p50 {ms(_pct(r['total'], 0.5))}   p95 {ms(_pct(r['total'], 0.95))}")
    print(
        f"  endpointing     p50 {ms(_pct(r['endpointing'], 0.5))}   "
        f"p95 {ms(_pct(r['endpointing'], 0.95))}   (VAD silence + end-of-turn delay)"
    )
    print(
        f"  beyond endpointing p50 {ms(_pct(beyond, 0.5))}   p95 {ms(_pct(beyond, 0.95))}"
        f"   (target: p50 < 300 ms)"
    )
    print(f"  framework e2e_latency p50 {ms(statistics.median(r['e2e']))}")
    print(f"  wall time {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
