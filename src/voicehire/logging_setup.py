"""The one logging setup: stdlib logging rendered by structlog.

Every module logs with ``logging.getLogger(__name__)`` and passes context through
``extra={...}``; this module renders those records as readable console lines and/or
one JSON object per line (stage transitions, tool calls, timeouts, errors with context).
"""

from __future__ import annotations

import contextvars
import logging
import sys
from pathlib import Path
from typing import Any, TextIO

import structlog

_CONFIGURED = False

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
    global _CONFIGURED
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_voicehire", False):
            root.removeHandler(handler)

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
        main._voicehire = True  # type: ignore[attr-defined]
        main.addFilter(ContextFilter())
        root.addHandler(main)

    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setFormatter(json_formatter)
        file_handler._voicehire = True  # type: ignore[attr-defined]
        file_handler.addFilter(ContextFilter())
        root.addHandler(file_handler)

    root.setLevel(level)
    # Third-party chatter that is noise at INFO.
    for noisy in ("httpx", "httpcore", "asyncio", "aiosqlite", "websockets"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    _CONFIGURED = True
