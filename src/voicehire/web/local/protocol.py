"""Serving one page's socket: frames in (typed by
:data:`voicehire.domain.messages.BrowserFrame`), the session's frames out.

browser → server: ``hello {lastSeq, epoch}``, ``start``, ``answer {text}``, ``control
{data: {type: end_interview | next_question | candidate_info, ...}}``, ``played
{segment}``, binary microphone PCM (16 kHz mono int16).
server → browser: ``session {...}`` after hello, numbered ``data`` frames, ``agent_state``,
``user_state``, ``started``, ``turn``, ``audio_start`` + binary PCM + ``audio_end``,
``audio_clear``, ``error {code, message}``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from voicehire.domain.messages import (
    AnswerFrame,
    ControlFrame,
    HelloFrame,
    PlayedFrame,
    StartFrame,
    parse_browser_frame,
)
from voicehire.domain.text import valid_unicode
from voicehire.web.local.session import Connection, LiveSession, TransportError

logger = logging.getLogger(__name__)

# The largest text frame a page sends (an answer is at most 4,000 characters).
MAX_TEXT_FRAME = 64 * 1024

StartHook = Callable[[], Awaitable[None]]


async def serve_socket(
    ws: Any,
    live: LiveSession,
    *,
    metadata: dict[str, Any],
    plan: str | None,
    on_started: StartHook,
) -> None:
    """Read the page's frames until it goes away; the session outlives the socket."""
    conn: Connection | None = None
    try:
        while True:
            msg = await ws.receive()
            if msg["type"] == "websocket.disconnect":
                break
            if msg.get("bytes") is not None:
                if live.mic is not None and conn is not None and live.conn is conn:
                    live.mic.push(msg["bytes"])
                continue
            text = msg.get("text") or ""
            if len(text) > MAX_TEXT_FRAME:
                live.error("too_large", "That message is too large.")
                continue
            try:
                # JSON's \ud800 escapes can carry lone surrogates: U+FFFD before anything
                # (captions, transcripts, the evaluation) sees the text
                frame = parse_browser_frame(valid_unicode(json.loads(text)))
            except ValueError as exc:
                if conn is not None and live.conn is conn:
                    live.error("bad_message", str(exc))
                continue
            if isinstance(frame, HelloFrame):
                await live.attach(ws, frame.last_seq, frame.epoch)
                conn = live.conn
            elif conn is None or live.conn is not conn:
                continue  # say hello first (or another tab took over)
            elif isinstance(frame, StartFrame):
                try:
                    await live.start(metadata, plan)
                except TransportError as exc:
                    live.error(exc.code, str(exc))
                    continue
                except Exception as exc:
                    logger.exception("could not start the web session", extra=live._log())
                    live.error("start_failed", f"The interview could not start: {exc}")
                    continue
                await on_started()
            elif isinstance(frame, AnswerFrame):
                await live.answer(frame.text)
            elif isinstance(frame, ControlFrame):
                await live.control(frame.data)
            elif isinstance(frame, PlayedFrame) and live.speaker is not None:
                live.speaker.played(frame.segment)
    except RuntimeError as exc:  # receive after close
        logger.info("browser socket error", extra={**live._log(), "error": str(exc)})
    finally:
        if conn is not None:
            live.detach(conn)
