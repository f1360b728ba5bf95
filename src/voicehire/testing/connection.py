"""Dropping a page's socket as a network failure would (the session goes on)."""

from __future__ import annotations

import contextlib

from voicehire.web.local.session import LiveSessionManager


async def drop_connection(manager: LiveSessionManager, room: str) -> bool:
    """Close the page's socket of ``room``; False when no page is attached."""
    live = manager.sessions.get(room)
    if live is None or live.conn is None:
        return False
    conn = live.conn
    with contextlib.suppress(Exception):
        await conn.ws.close(code=1012, reason="connection dropped")
    live.detach(conn)
    return True
