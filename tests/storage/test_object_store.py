"""Object storage against a real S3-compatible server on loopback (moto in server mode):
transcripts of a whole interview land in the bucket next to their local files, presigned
URLs serve them (with Range), and an outage mid-interview loses nothing."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import httpx
import pytest
from tests.harness import LONG_ANSWER, make_settings, tiny_plan, wait_until
from tests.s3_server import make_bucket, new_bucket

from voicehire.agent.engines import Engines
from voicehire.agent.local_run import answer, wait_for_turn
from voicehire.agent.policy import InterviewerPolicy
from voicehire.domain.config import SessionConfig
from voicehire.storage.objects import ObjectStore, ObjectStoreConfig, object_store
from voicehire.testing.sessions import start_interview


def s3_settings(server, tmp_path, **extra):
    return make_settings(
        transcript_dir=tmp_path / "transcripts",
        **server.settings_overrides(new_bucket(), tmp_path / "spool"),
        **extra,
    )


async def start(settings, interview_id="s3-1"):
    return await start_interview(
        settings,
        SessionConfig(interview_id=interview_id, candidate_name="Sam", max_duration=600),
        plan=tiny_plan(),
        engines=Engines(llm=InterviewerPolicy()),
    )


async def test_upload_read_and_presigned_url_with_range(s3_server, tmp_path):
    settings = s3_settings(s3_server, tmp_path, transcript_bucket_prefix="vh/")
    store = await make_bucket(settings)
    stored = await store.upload("reports/interview_x.html", b"<p>" + b"x" * 1000 + b"</p>")
    assert not stored.spooled
    assert stored.uri == f"s3://{settings.transcript_bucket}/vh/reports/interview_x.html"
    assert await store.get("reports/interview_x.html") == b"<p>" + b"x" * 1000 + b"</p>"
    assert await store.keys("reports/") == ["reports/interview_x.html"]
    assert not await store.exists("reports/missing.html")

    url = await store.presigned_url("reports/interview_x.html", expires=120)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=120" in url
    async with httpx.AsyncClient() as http:
        whole = await http.get(url)
        part = await http.get(url, headers={"Range": "bytes=0-9"})
        unsigned = await http.get(url.split("?")[0])
    assert whole.status_code == 200 and whole.headers["content-type"] == "text/html"
    assert part.status_code == 206 and part.content == b"<p>xxxxxxx"
    assert unsigned.status_code == 403  # the bucket is not public: the signature is the key


async def test_a_whole_interview_is_stored_in_the_bucket(s3_server, tmp_path):
    settings = s3_settings(s3_server, tmp_path)
    store = await make_bucket(settings)
    run = await start(settings)
    try:
        assert await wait_for_turn(run)
        await answer(run, LONG_ANSWER)
        await wait_until(lambda: run.runtime.flow.current_stage.id == "work")
        outcome = await run.runtime.end("manual_end", speak=False)
    finally:
        await run.session.aclose()
    assert outcome.transcript_error is None
    keys = await store.keys("transcripts/")
    local = sorted(p.name for p in (tmp_path / "transcripts").iterdir())
    assert keys == [f"transcripts/{name}" for name in local]
    assert any("_stage_greeting_" in k for k in keys) and any("_stage_intro_" in k for k in keys)
    (full,) = [k for k in keys if "_full_" in k]
    doc = json.loads(await store.get(full))
    said = [u["message"] for u in doc["fullConversation"] if not u["isAI"]]
    assert said == [LONG_ANSWER]
    assert store.spooled() == []


async def test_an_outage_mid_interview_loses_nothing(s3_outage_server, tmp_path):
    server = s3_outage_server
    settings = s3_settings(server, tmp_path, transcript_retry_delay=0.05)
    store = await make_bucket(settings)
    run = await start(settings, interview_id="outage")
    try:
        assert await wait_for_turn(run)
        # the greeting's stage file reached the store before the outage
        await wait_until(lambda: bool(list((tmp_path / "transcripts").glob("*greeting*"))))
        before = await store.keys("transcripts/")
        assert len(before) == 1 and "_stage_greeting_" in before[0]

        server.stop()  # the store goes away mid-interview
        await answer(run, LONG_ANSWER)
        await wait_until(lambda: run.runtime.flow.current_stage.id == "work")
        assert await wait_for_turn(run)  # the conversation went on
        outcome = await run.runtime.end("manual_end", speak=False)
    finally:
        await run.session.aclose()
    # the transcript counts as stored (locally, and spooled for the bucket)
    assert outcome.transcript_error is None
    spooled = object_store(settings).spooled()
    assert any("_stage_intro_" in k for k in spooled)
    assert any("_full_" in k for k in spooled)
    spool_files = {p.name for p in (tmp_path / "spool").rglob("*.json")}
    assert spool_files == {k.split("/")[-1] for k in spooled}

    # moto keeps objects in memory: the restarted server is empty, as a new store would be
    server.start()
    await store.ensure_bucket()
    objects = object_store(settings)
    objects.start_draining()  # wakes the background upload instead of waiting its backoff
    assert await objects.wait_drained(30)
    after = await store.keys("transcripts/")
    assert sorted(after) == sorted(spooled)
    local = sorted(p.name for p in (tmp_path / "transcripts").iterdir())
    assert sorted(k.split("/")[-1] for k in before + after) == local  # nothing lost
    (full,) = [k for k in after if "_full_" in k]
    said = [u["message"] for u in json.loads(await store.get(full))["fullConversation"]]
    assert LONG_ANSWER in said
    assert not list((tmp_path / "spool").rglob("*.json"))


async def test_a_later_process_uploads_what_an_earlier_one_spooled(s3_server, tmp_path):
    settings = s3_settings(s3_server, tmp_path)
    config = ObjectStoreConfig.from_settings(settings)
    down = ObjectStore(  # the same bucket and spool, but nothing listens on the endpoint
        ObjectStoreConfig(**{**config.__dict__, "endpoint_url": "http://127.0.0.1:9"})
    )
    stored = await down.upload("recordings/r1.ogg", b"OggS-audio", attempts=2)
    assert stored.spooled
    await down.aclose()

    store = await make_bucket(settings)  # a new process, the store reachable again
    assert store.spooled() == ["recordings/r1.ogg"]
    assert await store.drain() == 1
    assert await store.get("recordings/r1.ogg") == b"OggS-audio"
    assert store.spooled() == []


def test_the_secret_key_never_shows_in_the_settings(s3_server, tmp_path):
    settings = s3_settings(s3_server, tmp_path)
    assert "voicehire-test-secret" not in repr(settings)
    assert "voicehire-test-secret" not in str(settings.model_dump())


@pytest.mark.timeout(300)  # a whole `voicehire interview` with its evaluation, as a process
async def test_voicehire_interview_stores_transcripts_and_report_in_the_bucket(s3_server, tmp_path):
    from tests.agent.test_cli import LONG, PLAN

    settings = s3_settings(s3_server, tmp_path)
    store = await make_bucket(settings)
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        f'candidate: {{name: Riley}}\nanswers:\n  - "{LONG}"\n  - "{LONG}"\n  - "{LONG}"\n'
        "  - No questions.\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "LIVEKIT"))}
    env.update(
        TTS_PROVIDER="none",
        LLM_PROVIDER="policy",
        TRANSCRIPT_BUCKET=settings.transcript_bucket,
        S3_ENDPOINT_URL=s3_server.url,
        S3_ACCESS_KEY_ID=settings.s3_access_key_id,
        S3_SECRET_ACCESS_KEY=settings.s3_secret_access_key.get_secret_value(),
        STORAGE_SPOOL_DIR=str(tmp_path / "spool"),
    )
    args = ["--answers", str(answers), "--transcripts", "out", "--reports", "reports"]
    r = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "voicehire.cli", "interview", "--plan", str(PLAN), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert r.returncode == 0, r.stderr
    keys = await store.keys()
    local_transcripts = sorted(p.name for p in (tmp_path / "out").glob("interview_*.json"))
    local_reports = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert [k for k in keys if k.startswith("transcripts/")] == [
        f"transcripts/{n}" for n in local_transcripts
    ]
    assert sorted(k for k in keys if k.startswith("reports/")) == [
        f"reports/{n}" for n in local_reports
    ]
    assert {n.rsplit(".", 1)[1] for n in local_reports} == {"html", "json"}
    assert store.spooled() == []


def test_voicehire_storage_drain_uploads_the_spool(s3_server, tmp_path, monkeypatch, capsys):
    from voicehire.cli import main

    settings = s3_settings(s3_server, tmp_path)
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "TRANSCRIPT_BUCKET": settings.transcript_bucket,
        "S3_ENDPOINT_URL": s3_server.url,
        "S3_ACCESS_KEY_ID": settings.s3_access_key_id,
        "S3_SECRET_ACCESS_KEY": settings.s3_secret_access_key.get_secret_value(),
        "STORAGE_SPOOL_DIR": str(tmp_path / "spool"),
    }.items():
        monkeypatch.setenv(name, value)
    # an earlier job spooled a recording while the store was unreachable
    config = ObjectStoreConfig.from_settings(settings)

    async def spool_one():
        down = ObjectStore(
            ObjectStoreConfig(**{**config.__dict__, "endpoint_url": "http://127.0.0.1:9"})
        )
        assert (await down.upload("recordings/r2.ogg", b"OggS-2")).spooled
        await down.aclose()

    asyncio.run(spool_one())
    assert main(["storage", "drain"]) == 1  # the bucket does not exist yet
    assert "1 object(s) still wait" in capsys.readouterr().err

    store = asyncio.run(make_bucket(settings))
    assert main(["storage", "status"]) == 0
    out = capsys.readouterr().out
    assert "(1 waiting)" in out and "reached: yes" in out
    assert main(["storage", "drain"]) == 0
    assert "uploaded 1 spooled object(s)" in capsys.readouterr().out
    assert asyncio.run(store.get("recordings/r2.ogg")) == b"OggS-2"

    monkeypatch.delenv("TRANSCRIPT_BUCKET")
    assert main(["storage", "status"]) == 2
    assert "set TRANSCRIPT_BUCKET" in capsys.readouterr().err
