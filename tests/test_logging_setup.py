"""Logging: records are written off the event loop, and room names never reach a log."""

from __future__ import annotations

import asyncio
import io
import logging
import threading
import time

import pytest

from tests.api.support import ADMIN, api_client, make_settings
from voicehire import logging_setup
from voicehire.logging_setup import bind_context, configure_logging, flush_logging


class SlowStream(io.StringIO):
    """A terminal or disk that takes `delay` seconds per write."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay
        self.writer_threads: set[str] = set()

    def write(self, s: str) -> int:
        self.writer_threads.add(threading.current_thread().name)
        time.sleep(self.delay)
        return super().write(s)


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    logging_setup.stop_logging()
    for handler in list(root.handlers):
        if getattr(handler, "_voicehire", False):
            root.removeHandler(handler)
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_a_slow_log_sink_does_not_slow_health(tmp_path, restore_logging):
    sink = SlowStream(delay=1.0)
    configure_logging("INFO", "console", stream=sink)
    log = logging.getLogger("voicehire.api.busy")

    async def busy_requests() -> None:  # other requests logging meanwhile
        for n in range(6):
            log.warning("request %d refused", n)
            await asyncio.sleep(0)

    async with api_client(make_settings(tmp_path)) as client:
        started = time.perf_counter()
        _, health = await asyncio.gather(busy_requests(), client.get("/health"))
        elapsed = time.perf_counter() - started
        assert health.status_code == 200
        # Writing those 6 records takes 6 s; /health must not wait for it.
        assert elapsed < 3.0, f"/health waited {elapsed:.1f} s for the log sink"
    flush_logging()
    assert sink.getvalue().count("refused") == 6
    assert threading.current_thread().name not in sink.writer_threads


def test_queued_records_keep_context_and_exceptions_and_are_flushed_at_stop(restore_logging):
    out = io.StringIO()
    configure_logging("INFO", "json", stream=out)
    bind_context({"interview_id": "iv-42"})
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("voicehire.test").exception("failed %s", "here")
    bind_context({})
    logging_setup.stop_logging()
    text = out.getvalue()
    assert '"interview_id": "iv-42"' in text and "failed here" in text
    assert "ValueError: boom" in text


async def test_room_names_never_reach_the_log(tmp_path, restore_logging):
    out = io.StringIO()
    configure_logging("DEBUG", "json", stream=out)
    async with api_client(make_settings(tmp_path)) as client:
        cand = await client.post("/api/candidates", json={"name": "Ada"}, headers=ADMIN)
        res = await client.post(
            "/api/interviews", json={"candidate_id": cand.json()["id"]}, headers=ADMIN
        )
        assert res.status_code in (200, 201), res.text
        room = res.json()["interview"]["room_name"]
        await client.get(f"/api/web/join/{room}")
    # an access log line as uvicorn writes it, in case access logs are turned on
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:5000",
        "GET",
        f"/api/voice/session/{room}/status",
        "1.1",
        200,
    )
    logging.getLogger("voicehire.x").info("joined /ws/%s now", room)
    logging.getLogger("voicehire.x").info(
        "GET /agents/%s/status and /api/agent-status?room=%s&x=1 and POST /agents/start",
        room,
        room,
    )
    flush_logging()
    text = out.getvalue()
    assert "interview created" in text and "/api/voice/session/room#" in text
    assert room not in text
    assert logging_setup.redact_room(room) in text  # still correlatable
    assert "POST /agents/start" in text
