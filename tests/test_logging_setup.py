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


async def _refused_and_health(tmp_path, sink) -> float:
    """Six refused token requests (each logs) and /health at once; seconds taken."""
    configure_logging("INFO", "console", stream=sink)
    async with api_client(make_settings(tmp_path)) as client:
        bad = {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}
        refused = [client.post("/oauth/token", data=bad) for _ in range(6)]
        started = time.perf_counter()
        results = await asyncio.gather(*refused, client.get("/health"))
        elapsed = time.perf_counter() - started
        assert [r.status_code for r in results] == [401] * 6 + [200]
    flush_logging()
    logging_setup.stop_logging()
    return elapsed


async def test_a_slow_log_sink_does_not_slow_health(tmp_path, restore_logging):
    # The same requests with an instant sink, then with one taking 0.5 s per record: if
    # requests waited for the sink, the second run would take 3 s longer. Compared with
    # the first run (not an absolute time), so a busy machine does not decide the result.
    baseline = await _refused_and_health(tmp_path / "fast", io.StringIO())
    sink = SlowStream(delay=0.5)
    slow = await _refused_and_health(tmp_path / "slow", sink)
    assert slow - baseline < 1.5, f"requests waited {slow - baseline:.1f} s for the log sink"
    assert sink.getvalue().count("m2m token refused") == 6
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


async def test_room_names_never_reach_the_log(tmp_path, restore_logging, monkeypatch):
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
    # an access log line as uvicorn writes it, in case access logs are turned on (an
    # earlier in-process uvicorn may have set this logger up its own way)
    access = logging.getLogger("uvicorn.access")
    for name in ("uvicorn", "uvicorn.access"):  # uvicorn's own config stops propagation
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)
        monkeypatch.setattr(logging.getLogger(name), "propagate", True)
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    access.info(
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
