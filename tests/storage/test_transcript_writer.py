"""Transcript storage: stage files never block the conversation; the final write retries."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from tests.harness import LONG_ANSWER, MemoryStore, wait_until

from voicehire.agent.local_run import answer, wait_for_turn
from voicehire.storage.transcripts import (
    LocalTranscriptStore,
    TranscriptWriteError,
    TranscriptWriter,
)


class TimedStore(MemoryStore):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.times: list[float] = []

    async def write(self, name, document):
        self.times.append(time.monotonic())
        return await super().write(name, document)


async def test_stage_writes_do_not_block_the_conversation(start_interview):
    gate = asyncio.Event()  # the store hangs until the gate opens
    store = MemoryStore(gate=gate)
    run = await start_interview(store=store)
    assert await wait_for_turn(run)
    await answer(run, LONG_ANSWER)
    # the interview moved past two stage boundaries while no write has completed
    await wait_until(lambda: run.runtime.flow.current_stage.id == "work")
    assert await wait_for_turn(run)
    assert store.docs == {}
    assert len(store.attempts) == 2  # greeting and intro stage files are in flight
    gate.set()
    await wait_until(lambda: len(store.docs) == 2)
    assert sorted(d["stage"]["stage"] for d in store.stage_docs()) == ["greeting", "intro"]


async def test_final_write_retries_after_transient_failures():
    store = TimedStore(fail_first=2)
    writer = TranscriptWriter(store, attempts=3, retry_delay=0.2)
    where = await writer.finish("interview_1_full_1.json", {"fullConversation": []})
    assert where == "memory://interview_1_full_1.json"
    assert store.attempts == ["interview_1_full_1.json"] * 3
    gaps = [b - a for a, b in zip(store.times, store.times[1:], strict=False)]
    assert all(gap >= 0.18 for gap in gaps), gaps


async def test_failed_stage_files_are_flushed_at_the_end():
    store = MemoryStore(fail_first=1)
    writer = TranscriptWriter(store, attempts=3, retry_delay=0.0)
    writer.queue_stage("interview_1_stage_intro_1.json", {"stage": {"stage": "intro"}})
    await asyncio.sleep(0.05)
    assert writer.unstored_stage_files == ["interview_1_stage_intro_1.json"]
    await writer.finish("interview_1_full_2.json", {"stages": []})
    assert writer.unstored_stage_files == []
    assert set(store.docs) == {"interview_1_stage_intro_1.json", "interview_1_full_2.json"}


async def test_giving_up_raises_and_the_interview_keeps_everything(start_interview):
    store = MemoryStore(fail_always=True)
    run = await start_interview(store=store)
    assert await wait_for_turn(run)
    await answer(run, LONG_ANSWER)
    outcome = await run.runtime.end("manual_end", speak=False)
    assert outcome.transcript_path is None
    assert "after 3 attempts" in outcome.transcript_error
    # nothing is lost: the full document is still in hand for another store
    said = [u["message"] for u in outcome.transcript["fullConversation"] if not u["isAI"]]
    assert said == [LONG_ANSWER]
    assert store.attempts.count(next(n for n in store.attempts if "_full_" in n)) == 3
    with pytest.raises(TranscriptWriteError):
        await TranscriptWriter(store, attempts=2, retry_delay=0).finish("x.json", {})


async def test_local_store_writes_seed_named_json_files(tmp_path, start_interview):
    from tests.harness import make_settings

    store = LocalTranscriptStore(tmp_path / "transcripts")
    run = await start_interview(store=store, settings=make_settings())
    assert await wait_for_turn(run)
    await answer(run, LONG_ANSWER)
    outcome = await run.runtime.end("manual_end", speak=False)
    files = sorted(p.name for p in (tmp_path / "transcripts").iterdir())
    assert any(f.startswith("interview_t1_stage_greeting_") for f in files)
    assert any(f.startswith("interview_t1_stage_intro_") for f in files)
    (full,) = [f for f in files if f.startswith("interview_t1_full_")]
    assert outcome.transcript_path.endswith(full)
    doc = json.loads((tmp_path / "transcripts" / full).read_text())
    assert doc["sessionInfo"]["interviewId"] == "t1"
    assert doc["metadata"]["version"] == "1.0"
    assert not [f for f in files if f.endswith(".tmp")]


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs: a real full disk (needs root to mount; skipped otherwise)."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


async def test_a_full_disk_leaves_no_tmp_files_and_the_error_surfaces(tiny_disk):
    store = LocalTranscriptStore(tiny_disk / "transcripts")
    earlier = await store.write("earlier.json", {"answer": "kept"})
    writer = TranscriptWriter(store, attempts=2, retry_delay=0)
    big = {"utterances": ["x" * 1000 for _ in range(200)]}  # ~200 KB, more than the disk
    with pytest.raises(TranscriptWriteError, match="No space left on device"):
        await writer.finish("full.json", big)
    left = sorted(p.name for p in (tiny_disk / "transcripts").iterdir())
    assert left == ["earlier.json"], left  # no zero-byte or partial *.tmp files
    assert json.loads((tiny_disk / "transcripts" / "earlier.json").read_text()) == {
        "answer": "kept"
    }
    assert earlier.endswith("earlier.json")


async def test_enospc_at_fsync_leaves_no_tmp_file(tmp_path, monkeypatch):
    import errno
    import os

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    store = LocalTranscriptStore(tmp_path)
    with pytest.raises(OSError, match="No space left"):
        await store.write("t.json", {"a": 1})
    assert list(tmp_path.iterdir()) == []
