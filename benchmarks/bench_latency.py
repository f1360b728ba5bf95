"""Per-turn response latency through the real audio pipeline with the local engines.

Each turn: the candidate's voice (Piper when installed, else espeak-ng; ``--voice``)
speaks an answer into a paced microphone stand-in; Silero VAD, the end-of-turn model and
the endpointing delays decide the turn is over; a scripted STT returns the text;
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


def candidate_voices() -> list[str]:
    """The voices a scripted candidate can answer in, the natural one first."""
    from voicehire.agent.speech.models import local_tts_installed

    return (["piper"] if local_tts_installed() else []) + ["espeak"]


async def candidate_answer(text: str, voice: str) -> tuple[np.ndarray, int]:
    """``text`` spoken by the candidate's voice: Piper (en_US-joe-medium, natural
    prosody) or espeak-ng (flat, robotic). The end-of-turn model hears the difference:
    it judges most espeak-ng answers unfinished (see README, "Where a turn's time goes")."""
    if voice == "piper":
        from voicehire.agent.speech.piper_tts import PiperTTS

        engine = PiperTTS()
        pcm = await asyncio.to_thread(lambda: b"".join(engine.sentences_pcm(text)))
        return np.frombuffer(pcm, dtype=np.int16), engine.sample_rate
    return read_wav(await EspeakTTS().synthesize_wav(text))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


async def measure(
    turns: int, voice: str = "espeak", turn_detection: str = "auto"
) -> dict[str, list[float]]:
    tts = EspeakTTS()
    samples, rate = await candidate_answer(ANSWER, voice)
    tail = _trailing_silence(samples, rate)
    mic = PacedAudioInput(sample_rate=16000)
    engines = Engines(
        llm=InterviewerPolicy(),
        stt=ScriptedSTT([ANSWER] * (turns + 5)),
        tts=tts,
        vad=build_vad(),
    )
    settings = load_settings(
        llm_provider="policy",
        silence_timeout=120,
        transcript_dir="/tmp/voicehire-bench",
        turn_detection=turn_detection,
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
    parser.add_argument(
        "--voice",
        choices=["piper", "espeak"],
        default=None,
        help="the candidate's voice (default: piper when the speech extra is installed)",
    )
    args = parser.parse_args(argv)
    voice = args.voice or candidate_voices()[0]
    if espeak_path() is None:
        print("espeak-ng is not installed; run `make setup` (as root) first")
        return 1
    started = time.perf_counter()
    r = asyncio.run(measure(args.turns, voice))
    beyond = [t - e for t, e in zip(r["total"], r["endpointing"], strict=True)]
    ms = lambda v: f"{v * 1000:7.1f} ms"  # noqa: E731
    print(
        f"per-turn latency, end of candidate speech -> first agent audio ({args.turns} turns, "
        f"candidate voice {voice})"
    )
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
