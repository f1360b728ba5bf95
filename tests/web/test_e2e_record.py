"""The record of an interview on its report page, at 1280×800 and 390×844: the transcript
with times from the start (mm:ss), the Ogg/Opus recording playable beside it, and each
evidence quote a link that seeks the recording to its line's moment and highlights it."""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
import pytest
from playwright.sync_api import expect

from tests.s3_server import make_bucket, new_bucket
from tests.web.conftest import LiveServer
from tests.web.test_e2e_dashboard import (
    SIZES,
    _evaluation,
    _store,
    axe_serious,
    no_sideways_scroll,
    signed_in,
)
from voicehire.domain.transcript import (
    SessionInfo,
    StageTranscript,
    Utterance,
    full_document,
)
from voicehire.storage.objects import recording_key, recording_path

QUOTE = "data pipelines with Spark"
ANSWER_AT_MS = 6_500  # the candidate's answer starts 6.5 s into the recording


def write_ogg_opus(path: Path, seconds: float = 10.0) -> None:
    """A real Ogg/Opus file (a quiet tone), encoded with PyAV's libopus, as the
    recorder writes them."""
    rate = 48_000
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=rate)
        stream.layout = "mono"  # type: ignore[union-attr]
        t = np.arange(int(rate * seconds)) / rate
        pcm = (0.1 * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16)
        for start in range(0, len(pcm), 960):
            frame = av.AudioFrame.from_ndarray(
                pcm[None, start : start + 960], format="s16", layout="mono"
            )
            frame.sample_rate = rate
            for packet in stream.encode(frame):  # type: ignore[union-attr]
                out.mux(packet)
        for packet in stream.encode(None):  # type: ignore[union-attr]
            out.mux(packet)


def _put_transcript(server: LiveServer, iid: str) -> None:
    from voicehire.storage import repositories as repo
    from voicehire.storage.db import Database

    start = int(time.time() * 1000) - 60_000
    info = SessionInfo(interview_id=iid, participant_name="Rhea Recorded", started_at=start)
    stage = StageTranscript(stage="self_introduction", title="Self-introduction", started_at=start)
    stage.ended_at = start + 12_000
    stage.conversation = [
        Utterance(
            role="agent",
            participant_name="Alex",
            message="Tell me about yourself.",
            timestamp=start + 1_000,
            stage="self_introduction",
            offset_ms=1_200,
        ),
        Utterance(
            role="candidate",
            participant_name="Rhea Recorded",
            message="I build data pipelines with Spark and Airflow at a bank.",
            timestamp=start + 9_000,
            stage="self_introduction",
            offset_ms=ANSWER_AT_MS,
        ),
    ]
    doc = full_document(info, [stage])

    async def go() -> None:
        db = Database(server.settings.database_url)
        try:
            async with db.sessionmaker() as s:
                await repo.add_transcript(
                    s, iid, kind="full", name=f"interview_{iid}_full.json", document=doc
                )
                await s.commit()
        finally:
            await db.dispose()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, go()).result(timeout=30)


@pytest.fixture(scope="module")
def recorded(live_server: LiveServer) -> dict[str, str]:
    api = live_server.api
    cand = api("POST", "/api/candidates", json={"name": "Rhea Recorded"})
    iv = api("POST", "/api/interviews", json={"candidate_id": cand["id"], "plan": "full"})[
        "interview"
    ]
    _store(live_server, iv["id"], "completed", _evaluation(iv["id"], 7.0, "hire"))
    _put_transcript(live_server, iv["id"])
    write_ogg_opus(recording_path(live_server.settings, iv["id"]))
    cand2 = api("POST", "/api/candidates", json={"name": "Uma Unrecorded"})
    iv2 = api("POST", "/api/interviews", json={"candidate_id": cand2["id"], "plan": "full"})[
        "interview"
    ]
    _store(live_server, iv2["id"], "completed", _evaluation(iv2["id"], 6.0, "maybe"))
    _put_transcript(live_server, iv2["id"])
    return {"recorded": iv["id"], "unrecorded": iv2["id"]}


@pytest.mark.parametrize("size", list(SIZES))
def test_quotes_seek_the_recording_and_highlight_their_line(
    live_server: LiveServer,
    recorded: dict[str, str],
    playwright_driver: Any,
    tmp_path: Path,
    shots: Any,
    size: str,
) -> None:
    ctx, page = signed_in(playwright_driver, tmp_path, size)
    try:
        page.goto(f"{live_server.url}/app#/interviews/{recorded['recorded']}/report")
        expect(page.get_by_role("heading", name="Interview report: Rhea Recorded")).to_be_visible()
        lines = page.locator("#transcript .turn")
        expect(lines).to_have_count(2)
        expect(lines.nth(0).locator(".at")).to_have_text("00:01")
        expect(lines.nth(1).locator(".at")).to_have_text("00:06")
        audio = page.locator("audio#recording")
        expect(audio).to_be_visible()
        page.wait_for_function(
            "() => document.getElementById('recording').readyState >= 1", timeout=15_000
        )
        duration = page.evaluate("document.getElementById('recording').duration")
        assert 9.0 < duration < 11.0  # the real file, decoded by the browser
        assert page.evaluate("document.getElementById('recording').currentTime") == 0

        quote = page.get_by_role("button", name=f"“{QUOTE}”")
        quote.first.click()
        page.wait_for_function(
            "() => Math.abs(document.getElementById('recording').currentTime - 6.5) < 0.6",
            timeout=10_000,
        )
        expect(lines.nth(1)).to_have_class(re.compile(r"\bmoment\b"))
        expect(lines.nth(1)).to_be_focused()
        expect(lines.nth(0)).not_to_have_class(re.compile(r"\bmoment\b"))
        page.evaluate("document.getElementById('recording').pause()")
        no_sideways_scroll(page)
        shots(page, f"record-{size}")
        assert axe_serious(page) == []

        # without a recording the quote still finds and highlights its line
        page.goto(f"{live_server.url}/app#/interviews/{recorded['unrecorded']}/report")
        expect(page.locator("#no-recording")).to_be_visible()
        expect(page.locator("audio")).to_have_count(0)
        page.get_by_role("button", name=f"“{QUOTE}”").first.press("Enter")
        expect(page.locator("#transcript .turn").nth(1)).to_have_class(re.compile(r"\bmoment\b"))
        shots(page, f"record-unrecorded-{size}")
        assert axe_serious(page) == []
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def bucket_server(s3_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A server whose recordings live in an S3-compatible bucket (moto on loopback)."""
    tmp = tmp_path_factory.mktemp("web-bucket")
    server = LiveServer(tmp, **s3_server.settings_overrides(new_bucket(), tmp / "spool"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_a_recording_in_the_bucket_plays_from_its_presigned_url(
    bucket_server: LiveServer, playwright_driver: Any, tmp_path: Path, shots: Any
) -> None:
    api = bucket_server.api
    cand = api("POST", "/api/candidates", json={"name": "Rhea Recorded"})
    iv = api("POST", "/api/interviews", json={"candidate_id": cand["id"], "plan": "full"})
    iid = iv["interview"]["id"]
    _store(bucket_server, iid, "completed", _evaluation(iid, 7.0, "hire"))
    _put_transcript(bucket_server, iid)
    ogg = tmp_path / "rec.ogg"
    write_ogg_opus(ogg)

    async def upload() -> None:
        store = await make_bucket(bucket_server.settings)
        await store.put(recording_key(iid), ogg.read_bytes(), "audio/ogg")
        await store.aclose()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, upload()).result(timeout=30)
    assert not recording_path(bucket_server.settings, iid).exists()  # only in the bucket
    link = api("GET", f"/api/interviews/{iid}/recording/url")
    assert link["stored_in"] == "bucket"

    # the pages' policy lets the player load from the bucket's origin, and only there
    csp = httpx.get(f"{bucket_server.url}/health").headers["content-security-policy"]
    media = next(d for d in csp.split(";") if d.strip().startswith("media-src"))
    assert media.split() == ["media-src", "'self'", "blob:", bucket_server.settings.s3_endpoint_url]

    ctx, page = signed_in(playwright_driver, tmp_path, "desktop")
    try:
        page.goto(f"{bucket_server.url}/app#/interviews/{iid}/report")
        audio = page.locator("audio#recording")
        expect(audio).to_be_visible()
        src = audio.get_attribute("src") or ""
        assert src.startswith(bucket_server.settings.s3_endpoint_url or "-")  # presigned
        page.wait_for_function(
            "() => document.getElementById('recording').readyState >= 1", timeout=15_000
        )
        page.get_by_role("button", name=f"“{QUOTE}”").first.click()
        page.wait_for_function(
            "() => Math.abs(document.getElementById('recording').currentTime - 6.5) < 0.6",
            timeout=10_000,
        )
        expect(page.locator("#transcript .turn").nth(1)).to_have_class(re.compile(r"\bmoment\b"))
        shots(page, "record-from-bucket")
    finally:
        ctx.close()
