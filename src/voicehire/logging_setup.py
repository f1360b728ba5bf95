"""The one logging setup: stdlib logging rendered by structlog.

Every module logs with ``logging.getLogger(__name__)`` and passes context through
``extra={...}``; this module renders those records as readable console lines and/or
one JSON object per line (stage transitions, tool calls, timeouts, errors with context).

Logging never blocks the caller: the root logger only puts records on a queue, and a
`QueueListener` thread formats and writes them (a slow terminal or disk then delays the
log, not the request). `stop_logging()` (also run at exit) flushes what is queued.

Room names are the candidate's only credential, so no handler writes one: the
`room` field and room paths (`/join/{room}`, `/api/voice/session/{room}/...`,
`/ws/...`) are replaced by a short digest that still lets an operator correlate lines.
"""

from __future__ import annotations

import atexit
import contextvars
import copy
import hashlib
import logging
import logging.handlers
import os
import queue
import re
import sys
from pathlib import Path
from typing import Any, TextIO

import structlog

_CONFIGURED = False
_LISTENER: logging.handlers.QueueListener | None = None
QUEUE_SIZE = 10_000  # records waiting for a slow sink; beyond that new ones are dropped

# Fields that identify what the current task works on (e.g. the interview id), added to
# every record its handlers write: many sessions share one `voicehire serve` process.
_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "voicehire_log_context", default=None
)


def bind_context(fields: dict[str, Any]) -> None:
    """Tag every record logged from the current task (and the tasks it starts)."""
    _context.set({k: v for k, v in fields.items() if v is not None})


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in (_context.get() or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


# Record fields holding a room name, and paths that carry one.
ROOM_FIELDS = ("room", "room_name", "roomName", "briefingFor")
_ROOM_PATH = re.compile(
    r"(/join/|/api/voice/session/|/api/agents/|/api/web/join/|/api/web/live/|/ws/|"
    r"\bsession:)"
    r"([^/?#\s\"']+)"
)


def redact_room(name: object) -> str:
    """A room name as logs show it: a digest, enough to correlate, useless to join."""
    digest = hashlib.sha256(str(name).encode()).hexdigest()[:10]
    return f"room#{digest}"


def redact_paths(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        segment = match.group(2)
        if match.group(1) == "/api/agents/" and segment in ("start", "status"):
            return match.group(0)
        return match.group(1) + redact_room(segment)

    return _ROOM_PATH.sub(repl, text)


class RedactRoomsFilter(logging.Filter):
    """Replaces room names in a record's fields, message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key in ROOM_FIELDS:
            value = getattr(record, key, None)
            if value and not str(value).startswith("room#"):
                setattr(record, key, redact_room(value))
        if isinstance(record.msg, str):
            record.msg = redact_paths(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_paths(a) if isinstance(a, str) else a for a in record.args)
        for key in ("path", "url", "raw_path", "key"):
            value = getattr(record, key, None)
            if isinstance(value, str):
                setattr(record, key, redact_paths(value))
        return True


class _DroppingQueueHandler(logging.handlers.QueueHandler):
    """Puts records on the queue without formatting them and never waits for room."""

    dropped = 0

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        # The formatters run in the listener thread and need the record's fields and
        # exception; only the message arguments are resolved now (they may change later).
        record = copy.copy(record)
        record.msg = record.getMessage()
        record.args = None
        record.__dict__.pop("message", None)  # set by a handler that formatted it already
        return record

    def enqueue(self, record: logging.LogRecord) -> None:
        try:
            self.queue.put_nowait(record)
        except queue.Full:
            type(self).dropped += 1


def stop_logging() -> None:
    """Write every queued record and stop the writer thread (idempotent)."""
    global _LISTENER
    listener, _LISTENER = _LISTENER, None
    if listener is not None:
        listener.stop()
        for handler in listener.handlers:
            handler.flush()
        if _DroppingQueueHandler.dropped:
            print(
                f"voicehire: {_DroppingQueueHandler.dropped} log records were dropped "
                "because the log output was too slow",
                file=sys.stderr,
            )
            _DroppingQueueHandler.dropped = 0


def flush_logging() -> None:
    """Wait until every record queued so far is written (tests and shutdown paths)."""
    listener = _LISTENER
    if listener is not None:
        q = listener.queue
        if isinstance(q, queue.Queue):
            q.join()


def _after_fork_in_child() -> None:
    # A forked child has the queue handler but not the writer thread: start its own.
    global _LISTENER
    listener = _LISTENER
    if listener is None:
        return
    records: queue.Queue[logging.LogRecord] = queue.Queue(QUEUE_SIZE)
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _DroppingQueueHandler):
            handler.queue = records
    _LISTENER = logging.handlers.QueueListener(
        records, *listener.handlers, respect_handler_level=True
    )
    _LISTENER.start()


atexit.register(stop_logging)
os.register_at_fork(after_in_child=_after_fork_in_child)


def _pre_chain() -> list[structlog.typing.Processor]:
    return [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def configure_logging(
    level: str = "INFO",
    fmt: str = "console",
    log_file: Path | None = None,
    *,
    console_level: str | None = None,
    console: bool = True,
    stream: TextIO | None = None,
) -> None:
    """Configure the root logger. Safe to call more than once (the last call wins).

    ``console=False`` leaves the terminal to a host that prints logs itself (the LiveKit
    Agents CLI) and only adds the JSON file, when ``log_file`` is given.
    """
    global _CONFIGURED, _LISTENER
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_voicehire", False):
            root.removeHandler(handler)
    stop_logging()
    sinks: list[logging.Handler] = []

    json_formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_pre_chain(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )
    console_formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_pre_chain(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # A plain traceback: never the frames' local variables (they hold settings
            # and secrets, and rendering them stalled the server).
            structlog.dev.ConsoleRenderer(
                colors=False,
                sort_keys=False,
                exception_formatter=structlog.dev.plain_traceback,
            ),
        ],
    )

    if console:
        main = logging.StreamHandler(stream or sys.stderr)
        main.setFormatter(json_formatter if fmt == "json" else console_formatter)
        main.setLevel(console_level or level)
        sinks.append(main)

    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setFormatter(json_formatter)
        sinks.append(file_handler)

    if sinks:
        records: queue.Queue[logging.LogRecord] = queue.Queue(QUEUE_SIZE)
        front = _DroppingQueueHandler(records)
        # Context and redaction run in the logging task (the contextvar lives there).
        front.addFilter(ContextFilter())
        front.addFilter(RedactRoomsFilter())
        front._voicehire = True  # type: ignore[attr-defined]
        root.addHandler(front)
        _LISTENER = logging.handlers.QueueListener(records, *sinks, respect_handler_level=True)
        _LISTENER.start()

    root.setLevel(level)
    # Third-party chatter that is noise at INFO.
    for noisy in ("httpx", "httpcore", "asyncio", "aiosqlite", "websockets"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    _CONFIGURED = True
