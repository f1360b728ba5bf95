"""A web interview on `voicehire serve` that ends while PostgreSQL is down: its
transcript, status and evaluation wait in the outbox and are stored once the database is
back, without anyone doing anything."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.api.support import ADMIN, make_settings
from tests.storage.relay import Relay
from tests.web.test_local_transport import new_interview, read_until, wait_for
from voicehire.server import create_app
from voicehire.storage.db import Database

PG_URL = os.environ.get("TEST_DATABASE_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
]


class RelayThread:
    """The relay on its own event loop (the TestClient runs the app on another)."""

    def __init__(self, host: str, port: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.relay = Relay(host, port)
        self.call(self.relay.start())

    def call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def close(self) -> None:
        if self.relay.server is not None:
            self.call(self.relay.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)


def test_an_interview_ending_while_the_database_is_down_is_stored_when_it_is_back(tmp_path):
    async def reset():
        db = Database(PG_URL)
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await db.dispose()

    asyncio.run(reset())
    url = make_url(Database(PG_URL).url)
    relay = RelayThread(url.host or "127.0.0.1", url.port or 5432)
    relayed = url.set(host="127.0.0.1", port=relay.relay.port).render_as_string(False)
    settings = make_settings(
        tmp_path,
        database_url=relayed,
        transcript_dir=tmp_path / "transcripts",
        outbox_dir=tmp_path / "outbox",
        llm_provider="policy",
        tts_provider="none",
        stt_provider="none",
        openai_api_key=None,
        openai_base_url=None,
    )
    try:
        with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
            interview = new_interview(client)
            with client.websocket_connect(f"/api/web/live/{interview['room_name']}") as ws:
                ws.send_json({"type": "hello", "lastSeq": 0})
                ws.receive_json()
                ws.send_json({"type": "start"})
                read_until(ws, lambda m: m["type"] == "turn")
                ws.send_json({"type": "answer", "text": "I build payment systems in Python."})
                read_until(ws, lambda m: m["type"] == "turn")
                relay.call(relay.relay.stop())  # the database goes down
                ws.send_json({"type": "control", "data": {"type": "end_interview"}})
                read_until(
                    ws, lambda m: m["type"] == "data" and m["message"]["type"] == "interview_ended"
                )
            queued = wait_for(
                lambda: sorted(
                    p.name.split("-")[-1] for p in (tmp_path / "outbox").rglob("*.json")
                ),
                lambda names: "result.json" in names,
            )
            assert queued == ["result.json", "status.json", "transcript.json"]
            assert client.get("/api/candidates", headers=ADMIN).status_code == 503

            relay.call(relay.relay.start())  # back: the server's outbox stores everything
            iid = interview["id"]
            got = wait_for(
                lambda: client.get(f"/api/interviews/{iid}", headers=ADMIN).json(),
                lambda doc: doc.get("status") == "completed",
                timeout=60,
            )
            assert (got["status"], got["end_reason"]) == ("completed", "manual_end")
            res = wait_for(
                lambda: client.get(f"/api/interviews/{iid}/result", headers=ADMIN),
                lambda r: r.status_code == 200,
                timeout=60,
            )
            assert res.status_code == 200 and res.json()["result"]["interview_id"] == iid
            index = client.get(f"/api/interviews/{iid}/transcripts", headers=ADMIN).json()
            assert [t["kind"] for t in index] == ["full"]
            assert not list((tmp_path / "outbox").rglob("*.json"))
    finally:
        relay.close()
