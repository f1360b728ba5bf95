"""Offline speech: Whisper base word error rate, speed and latency; Piper's first audio.

The answers in ``speech_answers.txt`` are spoken by two synthetic voices: espeak-ng
(formant, robotic) and the Piper neural voice ``en_US-joe-medium``. Synthetic speech is
clean, evenly paced and accent-free, so it FLATTERS the word error rate: expect real
candidates on laptop microphones to score worse. Piper's WER is also its intelligibility
figure (the STT round trip).

Figures:
- WER per voice and decoding setup (trimmed window vs faster-whisper's 30 s window).
- Real-time factor: transcription seconds / audio seconds.
- End of speech -> final transcript for a ~5 s answer played in real time through the
  framework's VAD stream adapter, beside the scripted test STT in the same run (the
  difference is what Whisper adds after the VAD has heard the silence).
- Memory: resident set growth when Whisper and Piper load.
- Text-to-speech time to first audio, Piper vs espeak-ng, for a two-sentence question.
- End-to-end turn latency (end of candidate speech -> first agent audio) with Whisper +
  Piper in a real AgentSession, beside scripted STT + espeak-ng.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import psutil
from livekit.agents import stt as lk_stt

from voicehire.agent.audio_io import frames_from_samples, read_wav
from voicehire.agent.engines import Engines, build_vad
from voicehire.agent.espeak_tts import EspeakTTS, espeak_path
from voicehire.agent.speech.models import local_stt_installed, local_tts_installed
from voicehire.agent.speech.wav_answers import resample
from voicehire.settings import load_settings
from voicehire.testing.audio import PacedAudioInput, ScriptedSTT

ANSWERS = Path(__file__).with_name("speech_answers.txt")
QUESTION = "Thanks, that helps. Now, how would you design a rate limiter for a public API?"
RATE = 16000

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    for size, name in ((1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            head = f"{number_words(n // size)} {name}"
            return (
                head if rest == 0 else f"{head} {'and ' if rest < 100 else ''}{number_words(rest)}"
            )
    rest = n % 100
    return f"{_ONES[n // 100]} hundred" + ("" if rest == 0 else f" and {number_words(rest)}")


def normalize(text: str) -> list[str]:
    """Lowercase words; digits, %, $ and 'k'/'m' suffixes spelled out; punctuation gone."""
    text = text.lower().replace("-", " ")
    text = re.sub(r"\$\s?([\d,.]+)\s?(k|m)?", lambda m: f"{m[1]}{m[2] or ''} dollars", text)
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = re.sub(
        r"(\d+)(k|m)\b", lambda m: f"{m[1]} {'thousand' if m[2] == 'k' else 'million'}", text
    )
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m[0]))} ", text)
    text = text.replace("%", " percent ")
    text = re.sub(r"[^a-z' ]", " ", text)
    return [w.strip("'") for w in text.split() if w.strip("'") and w != "and"]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    ref, hyp = normalize(reference), normalize(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1], len(ref)


def answers() -> list[str]:
    return [
        line.strip()
        for line in ANSWERS.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


async def speak_espeak(texts: list[str]) -> list[np.ndarray]:
    engine = EspeakTTS()
    out = []
    for text in texts:
        samples, rate = read_wav(await engine.synthesize_wav(text))
        out.append(resample(samples, rate, RATE))
    return out


def speak_piper(texts: list[str], engine: Any) -> list[np.ndarray]:
    out = []
    for text in texts:
        pcm = np.frombuffer(b"".join(engine.sentences_pcm(text)), dtype=np.int16)
        out.append(resample(pcm, engine.sample_rate, RATE))
    return out


def score(transcriber: Any, texts: list[str], audio: list[np.ndarray]) -> dict[str, float]:
    errors = words = 0
    seconds = spoken = 0.0
    worst: tuple[int, str, str] = (0, "", "")
    for text, samples in zip(texts, audio, strict=True):
        result = transcriber.transcribe(samples.astype(np.float32) / 32768.0)
        e, n = word_errors(text, result.text)
        errors, words = errors + e, words + n
        seconds += result.seconds
        spoken += samples.size / RATE
        worst = max(worst, (e, text, result.text))
    return {"wer": errors / words, "rtf": seconds / spoken, "worst": worst}  # type: ignore[dict-item]


def _trailing_silence(samples: np.ndarray, threshold: int = 300) -> float:
    voiced = np.nonzero(np.abs(samples.astype(np.int32)) > threshold)[0]
    return 0.0 if len(voiced) == 0 else (len(samples) - 1 - voiced[-1]) / RATE


def _stream(engine: Any, min_silence: float | None, early: bool = True) -> Any:
    """Whisper streams itself (``early``: pieces at short pauses); otherwise the engine goes
    behind the framework's VAD stream adapter, which hands it each utterance once the VAD
    hears its end."""
    from voicehire.agent.speech.whisper_stt import WhisperSTT

    if early and isinstance(engine, WhisperSTT):
        return WhisperSTT(engine.transcriber, vad=build_vad(min_silence)).stream()
    return lk_stt.StreamAdapter(stt=engine, vad=build_vad(min_silence)).stream()


async def end_of_speech_latency(
    engine: Any, samples: np.ndarray, runs: int, min_silence: float | None, early: bool = True
) -> list[float]:
    """Last voiced sample played in real time -> the answer's last FINAL_TRANSCRIPT
    (``min_silence``: the VAD's closing silence; None: Silero's default 0.55 s)."""
    stream = _stream(engine, min_silence, early)
    lead = np.zeros(RATE // 2, dtype=np.int16)
    tail = np.zeros(RATE * 2, dtype=np.int16)
    trailing = _trailing_silence(samples)
    speech_ends: list[float] = []
    last_final: dict[int, float] = {}

    async def feed() -> None:
        loop = asyncio.get_running_loop()
        for _ in range(runs):
            frames = list(frames_from_samples(np.concatenate([lead, samples]), RATE))
            next_at = loop.time()
            for frame in frames:
                await asyncio.sleep(max(0.0, next_at - loop.time()))
                next_at += 0.02
                stream.push_frame(frame)
            speech_ends.append(time.perf_counter() - trailing)
            for frame in frames_from_samples(tail, RATE):
                await asyncio.sleep(max(0.0, next_at - loop.time()))
                next_at += 0.02
                stream.push_frame(frame)
        stream.end_input()

    feeder = asyncio.create_task(feed())
    async for event in stream:
        if event.type == lk_stt.SpeechEventType.FINAL_TRANSCRIPT:
            # an early piece of the answer arrives before its end: the last one counts
            last_final[len(speech_ends)] = time.perf_counter()
    await feeder
    await stream.aclose()
    return [last_final[i + 1] - end for i, end in enumerate(speech_ends) if i + 1 in last_final]


async def segmented_wer(
    engine: Any,
    texts: list[str],
    audio: list[np.ndarray],
    min_silence: float | None,
    early: bool = True,
) -> float:
    """WER of what the stream hands Whisper: each answer cut into utterances at
    ``min_silence`` pauses and, by Whisper's own stream, into pieces at shorter pauses
    (Whisper then sees less audio at a time). Frames are pushed in real time."""
    stream = _stream(engine, min_silence, early)
    gap = np.zeros(RATE, dtype=np.int16)

    async def feed() -> None:
        loop = asyncio.get_running_loop()
        next_at = loop.time()
        for samples in audio:
            for frame in frames_from_samples(np.concatenate([gap, samples, gap]), RATE):
                await asyncio.sleep(max(0.0, next_at - loop.time()))
                next_at += 0.02
                stream.push_frame(frame)
        stream.end_input()

    feeder = asyncio.create_task(feed())
    heard: list[str] = []
    async for event in stream:
        if event.type == lk_stt.SpeechEventType.FINAL_TRANSCRIPT and event.alternatives:
            heard.append(event.alternatives[0].text)
    await feeder
    await stream.aclose()
    errors, words = word_errors(" ".join(texts), " ".join(heard))
    return errors / words


async def tts_first_audio(engine: Any, runs: int) -> tuple[list[float], float]:
    firsts, total_audio, total_time = [], 0.0, 0.0
    for _ in range(runs):
        started = time.perf_counter()
        first = None
        samples = 0
        async for event in engine.synthesize(QUESTION):
            if first is None:
                first = time.perf_counter() - started
            samples += event.frame.samples_per_channel
        total_time += time.perf_counter() - started
        total_audio += samples / engine.sample_rate
        firsts.append(first or float("nan"))
    return firsts, total_time / total_audio


async def turn_latency(engines: Engines, answer: np.ndarray, turns: int) -> list[float]:
    """End of candidate speech -> first agent audio, in a real session (local runner)."""
    from benchmarks.bench_latency import _plan
    from voicehire.agent.local_run import wait_for_turn
    from voicehire.domain.config import SessionConfig
    from voicehire.settings import load_settings
    from voicehire.testing.sessions import start_interview

    mic = PacedAudioInput(sample_rate=RATE)
    settings = load_settings(
        llm_provider="policy", silence_timeout=120, transcript_dir="/tmp/voicehire-bench"
    )
    run = await start_interview(
        settings,
        SessionConfig(interview_id="bench-speech", max_duration=3600),
        plan=_plan(turns + 2),
        engines=engines,
        audio_input=mic,
    )
    trailing = _trailing_silence(answer)
    totals = []
    try:
        for _ in range(turns):
            assert await wait_for_turn(run, settle=0.3), "interview ended early"
            n_frames = len(run.audio.first_frame_times)
            mic.play(answer, RATE)
            deadline = time.perf_counter() + 30
            while len(run.audio.first_frame_times) == n_frames:
                if time.perf_counter() > deadline:
                    raise RuntimeError("no agent audio within 30 s")
                await asyncio.sleep(0.005)
            totals.append(
                run.audio.first_frame_times[n_frames] - (mic.clip_ended_at[-1] - trailing)
            )
            await wait_for_turn(run, settle=0.1)
    finally:
        mic.close()
        await run.runtime.end("benchmark_done", speak=False)
        await run.session.aclose()
    return totals


def _ms(values: list[float]) -> str:
    return f"p50 {_pct(values, 0.5) * 1000:6.0f} ms  p95 {_pct(values, 0.95) * 1000:6.0f} ms"


async def run(args: argparse.Namespace) -> int:
    from voicehire.agent.speech.models import whisper_base_dir
    from voicehire.agent.speech.piper_tts import PiperTTS, _load_voice
    from voicehire.agent.speech.whisper_stt import WhisperSTT, WhisperTranscriber

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    texts = answers()[: args.answers]
    rss0 = _rss_mb()
    piper = PiperTTS()
    _load_voice(piper.voice)
    rss_piper = _rss_mb()
    transcriber = WhisperTranscriber(whisper_base_dir())
    transcriber.load()
    rss_whisper = _rss_mb()
    print(
        f"memory: Piper voice +{rss_piper - rss0:.0f} MB, Whisper base (int8) "
        f"+{rss_whisper - rss_piper:.0f} MB resident"
    )

    sets = {"piper joe (neural)": speak_piper(texts, piper), "espeak-ng": await speak_espeak(texts)}
    spoken = {name: sum(a.size for a in audio) / RATE for name, audio in sets.items()}
    print(
        f"\nWER on {len(texts)} interview answers "
        f"({', '.join(f'{n} {s:.0f} s' for n, s in spoken.items())}); "
        "synthetic speech flatters WER"
    )
    setups = [("trimmed window, greedy", "trimmed", 1), ("30 s window, greedy", "full", 1)]
    if args.beam:
        setups.append(("trimmed window, beam 5", "trimmed", 5))
    for label, window, beam in setups:
        transcriber.window, transcriber.beam_size = window, beam
        for name, audio in sets.items():
            r = score(transcriber, texts, audio)
            print(f"  {label:24s} {name:20s} WER {r['wer'] * 100:5.1f} %   RTF {r['rtf']:.3f}")
            if args.verbose:
                print(f"      worst: {r['worst']}")
    transcriber.window, transcriber.beam_size = "trimmed", 1

    five = min(sets["piper joe (neural)"], key=lambda a: abs(a.size / RATE - 5.0))
    print(
        f"\nend of speech -> final transcript, {five.size / RATE:.1f} s answer (Piper voice) "
        f"played in real time, {args.runs} runs"
    )
    quick = 0.25  # LOCAL_STT_SILENCE=0.25 (the default is 0.55, the session VAD's)
    whisper = WhisperSTT(transcriber)
    for label, silence in (("VAD silence 0.55 s", None), (f"LOCAL_STT_SILENCE={quick}", quick)):
        scripted = await end_of_speech_latency(ScriptedSTT(["x"] * 99), five, args.runs, silence)
        whole = await end_of_speech_latency(whisper, five, args.runs, silence, early=False)
        early = await end_of_speech_latency(whisper, five, args.runs, silence)
        print(f"  {label}:")
        print(f"    scripted test STT       {_ms(scripted)}   (VAD silence detection alone)")
        print(f"    Whisper, whole answer   {_ms(whole)}   (framework's VAD stream adapter)")
        print(f"    Whisper, early pieces   {_ms(early)}   (VoiceHire's stream; target 500 ms)")
    piper_set = sets["piper joe (neural)"][: args.segmented]
    for label, silence in (("0.55 s", None), (f"{quick} s", quick)):
        for how, early_pieces in (("whole utterances", False), ("early pieces", True)):
            wer = await segmented_wer(
                whisper, texts[: args.segmented], piper_set, silence, early_pieces
            )
            print(
                f"  WER, {len(piper_set)} Piper answers in real time, utterances closing at "
                f"{label} pauses, {how:16s}: {wer * 100:.1f} %"
            )
    direct = [transcriber.transcribe(five.astype(np.float32) / 32768.0).seconds for _ in range(5)]
    print(f"  transcription alone {_ms(direct)}")

    print(f"\ntext-to-speech, first audio of a two-sentence question ({args.runs} runs)")
    espeak = EspeakTTS()
    for name, engine in (("Piper joe-medium", piper), ("espeak-ng", espeak)):
        firsts, rtf = await tts_first_audio(engine, args.runs)
        print(f"  {name:18s} first audio {_ms(firsts)}   RTF {rtf:.3f}")

    if args.turns:
        answer = sets["piper joe (neural)"][0]
        print(f"\nend of candidate speech -> first agent audio, real session, {args.turns} turns")
        silence = load_settings().local_stt_silence
        whisper_stt = WhisperSTT(transcriber, vad=build_vad(silence))
        offline = Engines(llm=_policy(), stt=whisper_stt, tts=piper, vad=build_vad())
        baseline = Engines(llm=_policy(), stt=ScriptedSTT(["x"] * 99), tts=espeak, vad=build_vad())
        print(
            f"  scripted STT + espeak-ng  {_ms(await turn_latency(baseline, answer, args.turns))}"
        )
        print(f"  Whisper + Piper           {_ms(await turn_latency(offline, answer, args.turns))}")
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def _policy() -> Any:
    from voicehire.agent.policy import InterviewerPolicy

    return InterviewerPolicy()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=20, help="answers from the text set")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--turns", type=int, default=5, help="0 skips the session turns")
    parser.add_argument("--beam", action="store_true", help="also score beam search (slow)")
    parser.add_argument(
        "--segmented", type=int, default=8, help="answers for the WER through the VAD adapter"
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if espeak_path() is None or not (local_stt_installed() and local_tts_installed()):
        print("needs espeak-ng and the speech extra: run `make setup` (as root) first")
        return 1
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
