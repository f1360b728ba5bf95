"""enableRecording: a local interview with real audio both ways (espeak-ng voices, Silero
VAD, a scripted STT) leaves a playable Ogg/Opus recording with the candidate on the left
channel and the interviewer on the right, stored in RECORDING_DIR and the bucket."""

from __future__ import annotations

import av
import numpy as np
import pytest

from tests.harness import make_settings, tiny_plan, wait_until
from tests.s3_server import make_bucket, new_bucket
from voicehire.agent.engines import Engines, build_vad
from voicehire.agent.espeak_tts import EspeakTTS, espeak_path
from voicehire.agent.local_run import wait_for_turn
from voicehire.agent.policy import InterviewerPolicy
from voicehire.agent.recording import wait_for_recordings
from voicehire.domain.config import SessionConfig
from voicehire.storage.objects import recording_key
from voicehire.testing.audio import PacedAudioInput, ScriptedSTT, read_wav
from voicehire.testing.sessions import start_interview

pytestmark = pytest.mark.skipif(
    espeak_path() is None, reason="espeak-ng is not installed (make setup installs it)"
)

ANSWER = "I build ledger services in Python and Go at Acme Payments with a small team."


def decode(path):
    """(samples [channels, n] float32, sample rate, codec name) of an Ogg file."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        codec, fmt = stream.codec_context.name, container.format.name
        chunks = [f.to_ndarray() for f in container.decode(stream)]
        rate = stream.codec_context.sample_rate
    pcm = np.concatenate(chunks, axis=1).astype(np.float32)
    if pcm.dtype.kind == "i":
        pcm /= 32768.0
    return pcm, rate, codec, fmt


def loud_seconds(channel, rate, threshold=0.02):
    """Seconds (in 50 ms windows) where the channel is not silent."""
    win = rate // 20
    n = len(channel) // win
    rms = np.sqrt((channel[: n * win].reshape(n, win) ** 2).mean(axis=1))
    return float((rms > threshold).sum()) / 20


async def run_recorded_interview(settings, interview_id):
    voice = EspeakTTS()
    samples, rate = read_wav(await voice.synthesize_wav(ANSWER))
    mic = PacedAudioInput(sample_rate=16000)
    run = await start_interview(
        settings,
        SessionConfig(interview_id=interview_id, candidate_name="Sam", enable_recording=True),
        plan=tiny_plan(),
        engines=Engines(
            llm=InterviewerPolicy(), stt=ScriptedSTT([ANSWER]), tts=EspeakTTS(), vad=build_vad()
        ),
        audio_input=mic,
        realtime_audio=True,  # the agent's speech plays out in real time, as to a person
    )
    try:
        assert await wait_for_turn(run, settle=0.3)
        mic.play(samples, rate)
        await wait_until(lambda: run.runtime.flow.current_stage.id == "work", timeout=30)
        assert await wait_for_turn(run, settle=0.3)
    finally:
        mic.close()
        await run.runtime.end("manual_end", speak=False)
        await run.session.aclose()
    (path,) = await wait_for_recordings(60)
    assert run.runtime.outcome is not None and run.runtime.outcome.transcript is not None
    return path, len(samples) / rate, run.runtime.outcome.transcript


async def test_a_recorded_interview_is_a_playable_ogg_opus_with_both_voices(s3_server, tmp_path):
    settings = make_settings(
        tts_provider="espeak",
        recording_dir=tmp_path / "recordings",
        transcript_dir=tmp_path / "transcripts",
        **s3_server.settings_overrides(new_bucket(), tmp_path / "spool"),
    )
    bucket = await make_bucket(settings)
    path, answer_seconds, transcript = await run_recorded_interview(settings, "rec-1")

    assert path == tmp_path / "recordings" / "rec-1.ogg"
    assert list((tmp_path / "recordings").iterdir()) == [path]  # no partial file left
    pcm, rate, codec, fmt = decode(path)
    assert (fmt, codec, pcm.shape[0]) == ("ogg", "opus", 2)
    duration = pcm.shape[1] / rate
    candidate, interviewer = pcm[0], pcm[1]
    # the greeting, first question and the reply to the answer were spoken, then the answer
    assert duration > answer_seconds + 3
    assert loud_seconds(candidate, rate) > 0.5 * answer_seconds
    assert loud_seconds(interviewer, rate) > 5
    # the interviewer spoke first (greeting, question), then the candidate answered
    assert np.argmax(np.abs(interviewer) > 0.05) < np.argmax(np.abs(candidate) > 0.05)
    # the voices take turns: the candidate's channel is quiet while the interviewer speaks
    talking = np.abs(interviewer) > 0.05
    assert np.abs(candidate[talking]).mean() < 0.01

    # each line's offsetMs is its moment in the recording (what the report seeks to)
    lines = transcript["fullConversation"]
    answer = next(u for u in lines if not u["isAI"])
    first_agent = next(u for u in lines if u["isAI"])
    answer_starts = np.argmax(np.abs(candidate) > 0.05) / rate
    agent_starts = np.argmax(np.abs(interviewer) > 0.05) / rate
    assert abs(answer["offsetMs"] / 1000 - answer_starts) < 1.0, (answer, answer_starts)
    assert abs(first_agent["offsetMs"] / 1000 - agent_starts) < 1.0, (first_agent, agent_starts)

    # the same bytes are in the bucket
    assert await bucket.get(recording_key("rec-1")) == path.read_bytes()


async def test_no_recording_unless_enabled(tmp_path):
    settings = make_settings(recording_dir=tmp_path / "recordings")
    run = await start_interview(
        settings,
        SessionConfig(interview_id="rec-off", candidate_name="Sam"),
        plan=tiny_plan(),
        engines=Engines(llm=InterviewerPolicy(), tts=EspeakTTS()),
    )
    assert await wait_for_turn(run)
    await run.runtime.end("manual_end", speak=False)
    await run.session.aclose()
    assert await wait_for_recordings(5) == []
    assert not (tmp_path / "recordings").exists()
